// Telling whether two texts disagree on a fact, or say nearly the same thing. Pure.
import { sameValue, type Fact } from './facts.js';

/** A fact of an article section and a ticket's fact about the same thing, with another value. */
export interface FactConflict {
  kind: Fact['kind'];
  section: Fact;
  ticket: Fact;
  /** Words the two facts' sentences (and the section's title and headings) share: why they are taken to be about the same thing. */
  shared: string[];
}

/** What a section's facts are read against, besides their own words. */
export interface FactContext {
  /** Index terms of the section's article title and heading path: what every fact of the section is about. */
  scope: ReadonlySet<string>;
  /** Every index term of the ticket (subject, body, resolution, label values): what the customer's case is. */
  ticket: ReadonlySet<string>;
  /**
   * Terms that tell one topic from another (rare in the knowledge base): facts are about the same
   * thing only through at least one of them, never through words every other document has
   * ("store", "date", "delivery"). Default: every term.
   */
  distinctive?: (term: string) => boolean;
}

export interface FactMatchOptions {
  /** Words a section's fact and a ticket's fact must share to be about the same thing. Default 2. */
  minShared?: number;
}

/** A fact stating the ticket's value agrees when its score is at least this share of the best one's. */
const AGREEING_SHARE = 1;

const intersect = (a: readonly string[], b: ReadonlySet<string>) => a.filter((term) => b.has(term));

/**
 * Does a section's fact apply to the ticket's case? A table row is about the case its label names
 * ("VPS with the Backup add-on"): it applies when the ticket names that case (the label's first word,
 * or a rarer word of it), or the label says nothing beyond what the whole section is about.
 * Sentences always apply.
 */
export function applies(fact: Fact, context: FactContext): boolean {
  const own = fact.qualifier.filter((term) => !context.scope.has(term));
  // The row's first word names its case ("Card (Visa, Mastercard)", "VPS with the Backup add-on"); of the
  // others, only words that tell cases apart count: "Business" may, "add-on" does not.
  return own.length === 0 || context.ticket.has(own[0]!) || own.some((term) => (context.distinctive?.(term) ?? true) && context.ticket.has(term));
}

/** How strongly two facts are about the same thing (0: not at all), and the words that say so. */
export function aboutTheSame(section: Fact, ticket: Fact, context: FactContext, options: FactMatchOptions = {}): { score: number; shared: string[] } {
  const none = { score: 0, shared: [] };
  if (section.unit !== ticket.unit || !section.rule || !ticket.rule || !applies(section, context)) return none;
  // The ticket's own clause must meet the section fact's own words (a title shared by everything is not
  // enough) on a word that tells topics apart: "delivery" and "date" are in every other ticket.
  const own = intersect(ticket.topic, new Set([...section.topic, ...section.qualifier]));
  if (!own.some(context.distinctive ?? (() => true))) return none;
  const shared = intersect(ticket.around, new Set([...section.around, ...section.qualifier, ...context.scope]));
  if (shared.length < (options.minShared ?? 2)) return none;
  return { score: own.length * 2 + shared.length, shared };
}

/** A section's facts with the terms of its article title and headings (see `FactContext.scope`). */
export interface SectionFacts<S> {
  section: S;
  facts: readonly Fact[];
  scope: ReadonlySet<string>;
  /** A section that can only agree (another section of a near section's article): what it states counts, it is never reported. */
  agreeOnly?: boolean;
}

/**
 * The ticket's facts that the sections near it contradict: the sections' facts about the same
 * thing (see `aboutTheSame`) all state another value. A value any of the sections (or the
 * `agreeOnly` ones: the rest of their articles) also states about that thing is agreement, whatever
 * else they say: a ticket is checked against what the knowledge base says on its topic, not
 * against each section alone. Each conflict names the near section whose fact is most surely
 * about the same thing.
 */
export function conflictingFacts<S>(
  sections: ReadonlyArray<SectionFacts<S>>,
  ticketFacts: readonly Fact[],
  ticket: Omit<FactContext, 'scope'>,
  options: FactMatchOptions = {},
): Array<FactConflict & { in: S }> {
  const out: Array<FactConflict & { in: S }> = [];
  for (const ticketFact of ticketFacts) {
    const candidates = sections
      .flatMap(({ section, facts, scope, agreeOnly }) => facts.map((fact) => ({ in: section, agreeOnly, fact, ...aboutTheSame(fact, ticketFact, { ...ticket, scope }, options) })))
      .filter((candidate) => candidate.score > 0)
      .sort((a, b) => b.score - a.score);
    // The facts most surely about the same thing decide: a section may state another case's value too
    // ("valid for 24 months… reissued for another 12 months").
    const top = candidates[0]?.score ?? 0;
    if (candidates.some((candidate) => candidate.score >= top * AGREEING_SHARE && sameValue(candidate.fact, ticketFact))) continue;
    const best = candidates.find((candidate) => !candidate.agreeOnly);
    if (!best) continue;
    // One conflict per pair of statements: "14 days" twice in a resolution is one disagreement.
    if (out.some((c) => c.section === best.fact && sameValue(c.ticket, ticketFact))) continue;
    out.push({ kind: ticketFact.kind, section: best.fact, ticket: ticketFact, shared: best.shared, in: best.in });
  }
  return out;
}

/** Share of the smaller set's terms the two sets have in common (1: one says all the other says). Pure. */
export function termOverlap(a: readonly string[], b: readonly string[]): number {
  const small = a.length <= b.length ? a : b;
  const large = new Set(a.length <= b.length ? b : a);
  if (small.length === 0) return 0;
  return small.filter((term) => large.has(term)).length / small.length;
}
