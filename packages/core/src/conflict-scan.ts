// `conflicts`: what writers should look at in a knowledge base — sections of different articles that
// say nearly the same thing, and sections that past tickets on the same topic contradict on a fact.
import { embeddingKey, type Encoder } from '@answerdesk/embeddings';
import { adaptResolution } from '@answerdesk/reply';
import { AnswerdeskError, type KnowledgeDoc, type KnowledgeStore, type Source } from '@answerdesk/types';
import { conflictingFacts, termOverlap, type FactConflict } from './conflicts.js';
import { articleIdOf, passagesOf, type PassageOptions } from './docs.js';
import { extractFacts, topicTerms, type Fact } from './facts.js';
import { policyConflicts, policyStatements, ticketVerdict, type PolicyConflict } from './policies.js';
import { yieldToLoop } from './yield.js';
import { checkWholeNumber } from './checks.js';

export interface ConflictOptions {
  /** Each ticket is compared with the sections nearest its question and those nearest its resolution: this many of each. Default 5. */
  sectionsPerTicket?: number;
  /** Least cosine similarity of a ticket and a section for them to be on the same topic. Default 0.5 (USE-lite). */
  minTopicSimilarity?: number;
  /** Least cosine similarity of two sections for them to be duplicates. Default 0.85 (USE-lite). */
  minDuplicateSimilarity?: number;
  /** Least share of the words of the shorter of two sections that the other one also has, for duplicates. Default 0.6. */
  minDuplicateOverlap?: number;
  /** Words a section's fact and a ticket's fact must share to be about the same thing. Default 2. */
  minSharedWords?: number;
  /**
   * A word in more than this share of a language's documents ("store", "delivery") does not tell
   * topics apart: two facts are about the same thing only through a rarer one. Default 0.1.
   */
  maxTermShare?: number;
  /** How the knowledge base cut documents into passages (to find their stored vectors). Default the knowledge base's default. */
  passages?: PassageOptions;
}

/** Two sections of different articles that say nearly the same thing. */
export interface DuplicateSections {
  a: Source;
  b: Source;
  /** Cosine similarity of their nearest passages. */
  similarity: number;
  /** Share of the shorter section's words the other has too. */
  overlap: number;
}

/** A section and a past ticket on the same topic that disagree. */
export interface Contradiction {
  section: Source;
  ticket: Source;
  /** Cosine similarity of the ticket to the section: how surely they are on one topic. */
  similarity: number;
  /** Numbers that differ: days, hours, amounts, percentages. */
  facts: FactConflict[];
  /** Yes against no on one policy ("renewals are not refundable" against "Yes, … refunded"). */
  policies: PolicyConflict[];
}

export interface ConflictReport {
  duplicates: DuplicateSections[];
  contradictions: Contradiction[];
  /** What was compared. */
  sections: number;
  tickets: number;
  tookMs: number;
}

/** What the scan reads: a knowledge base's store and the encoder its vectors were made with. */
export interface ConflictSource {
  store: KnowledgeStore;
  encoder: Encoder;
}

const DEFAULTS = { sectionsPerTicket: 5, minTopicSimilarity: 0.5, minDuplicateSimilarity: 0.85, minDuplicateOverlap: 0.6, minSharedWords: 2, maxTermShare: 0.1 };

function checkOptions(options: ConflictOptions): Required<Omit<ConflictOptions, 'passages'>> {
  const merged = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) } as typeof DEFAULTS;
  for (const name of ['minTopicSimilarity', 'minDuplicateSimilarity', 'minDuplicateOverlap', 'maxTermShare'] as const) {
    const value = merged[name];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: name, reason: 'must be a number from 0 to 1' });
  }
  for (const name of ['sectionsPerTicket', 'minSharedWords'] as const) checkWholeNumber(name, merged[name], 1, 50);
  return merged;
}

/** The stored vectors of a document's passages; passages the store has no vector for (other passage options) are embedded. */
async function vectorsOf(docs: readonly KnowledgeDoc[], source: ConflictSource, passages: PassageOptions | undefined): Promise<Map<string, Float32Array[]>> {
  const byDoc = new Map<string, string[]>();
  const texts = new Map<string, string>();
  for (const doc of docs) {
    const keys: string[] = [];
    for (const passage of passagesOf(doc, passages)) {
      const key = embeddingKey(source.encoder.id, passage.text);
      keys.push(key);
      texts.set(key, passage.text);
    }
    byDoc.set(doc.id, keys);
  }
  const vectors = await source.store.passageVectors([...texts.keys()]);
  const missing = [...texts].filter(([key]) => !vectors.has(key));
  if (missing.length) {
    const embedded = await source.encoder.embedPassages(missing.map(([, text]) => text));
    missing.forEach(([key], i) => vectors.set(key, embedded[i]!));
  }
  return new Map([...byDoc].map(([id, keys]) => [id, keys.map((key) => vectors.get(key)!)]));
}

/**
 * Sections (same language) near any of `vectors`: each vector's `k` nearest, at least `min` similar,
 * with the best similarity any vector gave them. A ticket's question and its resolution find
 * different sections; the facts are in the resolution, so its neighbours must not be crowded out.
 */
async function nearest(source: ConflictSource, vectors: readonly Float32Array[], k: number, language: string, min = -1): Promise<Map<string, number>> {
  const best = new Map<string, number>();
  for (const vector of vectors) {
    for (const hit of (await source.store.searchVectors(vector, k, { kind: 'article', language })).filter((hit) => hit.score >= min)) {
      best.set(hit.id, Math.max(best.get(hit.id) ?? -1, hit.score));
    }
  }
  return best;
}

/**
 * A ticket's resolution without the sentences that are about that customer's case: what the agent
 * did or promised, and what happened to them (`adaptResolution` tells them apart, as it does for
 * replies). Their numbers are that case's, not the helpdesk's policy.
 */
export function generalResolution(resolution: string, language: string): string {
  const segmenter = new Intl.Segmenter(language, { granularity: 'sentence' });
  const general = (sentence: string) => adaptResolution(sentence, { message: [], language, resolutionLanguage: language }).text !== '';
  return resolution
    .split('\n')
    .map((line) => [...segmenter.segment(line)].map(({ segment }) => segment).filter((sentence) => sentence.trim() === '' || general(sentence)).join(''))
    .join('\n');
}

/** Index terms of everything a ticket says: the customer's case. */
function caseTerms(ticket: KnowledgeDoc): Set<string> {
  const labels = Object.values(ticket.labels ?? {}).join(' ');
  return new Set(topicTerms(`${ticket.text}\n${ticket.answer}\n${labels}`, ticket.language));
}

/**
 * Sections of different articles that say nearly the same thing (vectors at least
 * `minDuplicateSimilarity`, words at least `minDuplicateOverlap`), and sections that past tickets
 * on the same topic contradict: each ticket is compared with the sections in its language nearest
 * its question and its resolution (`sectionsPerTicket` of each, cosine at least `minTopicSimilarity`)
 * on durations, amounts and percentages (`conflictingFacts`; the rest of those sections' articles
 * may agree) and on yes/no policies (`policyConflicts`). Reads only stored vectors (nothing is
 * embedded unless passages were cut differently) and never writes.
 */
export async function findConflicts(source: ConflictSource, options: ConflictOptions = {}): Promise<ConflictReport> {
  const started = Date.now();
  const settings = checkOptions(options);
  const sections: KnowledgeDoc[] = [];
  for await (const doc of source.store.documents({ kind: 'article' })) sections.push(doc);
  const vectors = await vectorsOf(sections, source, options.passages);
  const duplicates = await duplicateSections(source, sections, vectors, settings);
  const { contradictions, tickets } = await ticketContradictions(source, sections, settings, options.passages);
  return { duplicates, contradictions, sections: sections.length, tickets, tookMs: Date.now() - started };
}

type Settings = ReturnType<typeof checkOptions>;

/** Pairs of sections of different articles (translations of one article are one) near in meaning and in words. */
async function duplicateSections(source: ConflictSource, sections: readonly KnowledgeDoc[], vectors: ReadonlyMap<string, Float32Array[]>, settings: Settings): Promise<DuplicateSections[]> {
  const byId = new Map(sections.map((doc) => [doc.id, doc]));
  const terms = new Map(sections.map((doc) => [doc.id, topicTerms(doc.text, doc.language)]));
  const seen = new Set<string>();
  const out: DuplicateSections[] = [];
  for (const doc of sections) {
    for (const [id, similarity] of await nearest(source, vectors.get(doc.id)!, 6, doc.language)) {
      const other = byId.get(id);
      if (!other || other.family === doc.family || similarity < settings.minDuplicateSimilarity) continue;
      const key = [doc.id, id].sort().join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      const overlap = termOverlap(terms.get(doc.id)!, terms.get(id)!);
      if (overlap >= settings.minDuplicateOverlap) out.push({ a: doc.source, b: other.source, similarity: round(similarity), overlap: round(overlap) });
    }
    await yieldToLoop();
  }
  return out.sort((a, b) => b.similarity - a.similarity);
}

/**
 * Which terms tell topics apart in each language: those in at most `maxShare` of the sections and
 * tickets of that language (at least 2 documents, so a small language still has some).
 */
async function distinctiveTerms(source: ConflictSource, sections: readonly KnowledgeDoc[], maxShare: number): Promise<(language: string) => (term: string) => boolean> {
  const counts = new Map<string, Map<string, number>>();
  const documents = new Map<string, number>();
  const count = (doc: KnowledgeDoc, text: string) => {
    documents.set(doc.language, (documents.get(doc.language) ?? 0) + 1);
    const terms = counts.get(doc.language) ?? new Map<string, number>();
    counts.set(doc.language, terms);
    for (const term of new Set(topicTerms(text, doc.language))) terms.set(term, (terms.get(term) ?? 0) + 1);
  };
  for (const doc of sections) count(doc, `${doc.title}\n${doc.text}`);
  let seen = 0;
  for await (const doc of source.store.documents({ kind: 'ticket' })) {
    count(doc, `${doc.text}\n${doc.answer}`);
    if (++seen % 64 === 0) await yieldToLoop();
  }
  return (language) => {
    const terms = counts.get(language) ?? new Map<string, number>();
    const limit = Math.max(2, maxShare * (documents.get(language) ?? 0));
    return (term) => (terms.get(term) ?? 0) <= limit;
  };
}

/** Each ticket against the sections nearest it in its language: facts with other values, and yes against no. */
async function ticketContradictions(source: ConflictSource, sections: readonly KnowledgeDoc[], settings: Settings, passages: PassageOptions | undefined): Promise<{ contradictions: Contradiction[]; tickets: number }> {
  const byId = new Map(sections.map((doc) => [doc.id, doc]));
  // A translation has its own article id (`<id>.<language>`), so an article's sections are in one language.
  const byArticle = new Map<string, KnowledgeDoc[]>();
  for (const doc of sections) byArticle.set(articleIdOf(doc), [...(byArticle.get(articleIdOf(doc)) ?? []), doc]);
  const prepared = new Map<string, { facts: Fact[]; scope: Set<string> }>();
  const prepare = (section: KnowledgeDoc) => {
    let entry = prepared.get(section.id);
    if (!entry) {
      const heading = [section.title, ...(section.source.headingPath ?? []), section.source.heading ?? ''].join('\n');
      entry = { facts: extractFacts(section.text, section.language), scope: new Set(topicTerms(heading, section.language)) };
      prepared.set(section.id, entry);
    }
    return entry;
  };
  const distinctive = await distinctiveTerms(source, sections, settings.maxTermShare);
  const contradictions: Contradiction[] = [];
  let tickets = 0;
  for await (const ticket of source.store.documents({ kind: 'ticket' })) {
    tickets++;
    if (tickets % 16 === 0) await yieldToLoop();
    // What a ticket says is in its resolution: it is compared by it too, embedded here when the store keeps questions only.
    const vectors = (await vectorsOf([ticket], source, { ...passages, tickets: 'question-and-resolution' })).get(ticket.id)!;
    const near = [...(await nearest(source, vectors, settings.sectionsPerTicket, ticket.language, settings.minTopicSimilarity))]
      .filter(([id]) => byId.has(id))
      .sort((a, b) => b[1] - a[1])
      .map(([id, similarity]) => ({ section: byId.get(id)!, similarity, ...prepare(byId.get(id)!) }));
    if (near.length === 0) continue;
    const facts = extractFacts(generalResolution(ticket.answer, ticket.language), ticket.language);
    // The rest of the near sections' articles may say the ticket's value in another section: that is agreement too.
    const nearIds = new Set(near.map(({ section }) => section.id));
    const rest = [...new Set(near.map(({ section }) => articleIdOf(section)))]
      .flatMap((article) => byArticle.get(article) ?? [])
      .filter((section) => !nearIds.has(section.id))
      .map((section) => ({ section, agreeOnly: true, ...prepare(section) }));
    const found = conflictingFacts([...near, ...rest], facts, { ticket: caseTerms(ticket), distinctive: distinctive(ticket.language) }, { minShared: settings.minSharedWords });
    const verdict = ticketVerdict(ticket);
    for (const { section, similarity } of near) {
      const mine = found.filter((conflict) => conflict.in === section).map(({ in: _in, ...conflict }) => conflict);
      const policies = verdict ? policyConflicts(policyStatements(section.text, section.language), verdict) : [];
      if (mine.length || policies.length) contradictions.push({ section: section.source, ticket: ticket.source, similarity: round(similarity), facts: mine, policies });
    }
  }
  return { contradictions: contradictions.sort((a, b) => b.similarity - a.similarity), tickets };
}

const round = (value: number) => Math.round(value * 1000) / 1000;


