import { analyze } from '@answerdesk/index';
import { adaptResolution, answerUnits, chooseUnit, type AnswerUnit, type ResolutionCache } from '@answerdesk/reply';
import type { Confidence, Entity, KnowledgeDoc, QueryLanguage, QuestionAnswer, SearchHit, ShownPassage, Source } from '@answerdesk/types';
import { confidenceFrom, margins, rankingLogit, shownProbability, DEFAULT_BANDS, type AnswerFeatures, type ConfidenceBands, type ConfidenceModel } from './answer-confidence.js';
import { articleIdOf, onePerArticle } from './docs.js';
import { sameLanguage, translationNote } from './translations.js';
import { yieldToLoop } from './yield.js';
import { learnedNote, recalibrated, type Learned, type Recalibration } from './learning.js';
import type { Gloss } from './lexicon.js';
import { cosine } from './similarity.js';

/**
 * One question of a message, answered: the ranked hits become candidate
 * answers (the passage each would show, its calibrated probability of being
 * right), the most probable sendable one is the answer, or the engine abstains.
 */

/** What answering needs besides the hits. */
export interface AnswerContext {
  /** The question as shown. */
  question: string;
  /** What was matched: the question without the customer's identifiers (see readMessage). Default: `question`. */
  match?: string;
  language: QueryLanguage;
  /** The question's vector (undefined in lexical-only settings). */
  vector?: Float32Array;
  /**
   * A question in a language the encoder cannot read, glossed into one it can (see lexicon.ts): documents in
   * the gloss's language are compared with the gloss, by its vector and its words, not with the question.
   */
  gloss?: Gloss & { vector?: Float32Array };
  /** Vectors of unit texts, embedded as passages (cached by the caller). */
  unitVectors: (texts: readonly string[]) => Promise<Float32Array[]>;
  /** A section's answer units (`answerUnits` of @answerdesk/reply; the caller may cache them). Default: computed each time. */
  answerUnits?: (markdown: string) => AnswerUnit[];
  /** A source the agent picked for this question: the answer, whatever its probability (when the hits hold it: the engine adds it where ranking did not find it). */
  picked?: string;
  /** How agents' feedback on similar questions moves each source (by document id). */
  learned?: ReadonlyMap<string, Learned>;
  /** Confidence recalibrated on agents' outcomes (applied last, to every candidate). */
  recalibration?: Recalibration;
  /** Where past resolutions' details are kept between questions (adaptResolution's `cache`). */
  resolutionCache?: ResolutionCache;
  /** Details of the current customer's message, for adapting past resolutions. */
  entities: readonly Entity[];
  customerName?: string;
  /** The helpdesk's own domains (in its articles): links and e-mails on them are not a customer's details. */
  ownDomains: readonly string[];
  /** Numbers the helpdesk's articles and templates state: a past resolution's other numbers are its customer's. Default: numbers stay. */
  statedNumbers?: ReadonlySet<string>;
  /** Probability the category categorizer gives each category for this message, when one is trained. */
  categoryProbability?: (category: string | undefined) => number | undefined;
  /** The categorizer's confident category (Medium or High), when it has one. */
  confidentCategory?: string;
  /** Language of a document that matched but is not among the hits (a translation's original). */
  languageOf: (id: string) => string | undefined;
  model: ConfidenceModel;
  bands?: ConfidenceBands;
  alternatives: number;
  /** Candidates looked at closely (passage chosen, probability computed). */
  depth?: number;
  /** A ticket answer gives way to an article this much less probable. Default 0.15. */
  articleMargin?: number;
}

/** A candidate answer: a hit, the passage it would show, its features and probability. */
export interface RatedCandidate {
  hit: SearchHit;
  passage: ShownPassage;
  features: AnswerFeatures;
  probability: number;
  /** The probability before recalibration on agents' outcomes, when it was recalibrated. */
  before?: number;
  placeholders: string[];
  notes: string[];
  /** Nothing sendable (a resolution that was all about its own customer). Known for a ticket once `ready()`. */
  empty: boolean;
  /**
   * Makes the passage: a ticket's resolution is adapted to this customer on first call. Adapting
   * parses the resolution (compromise), the slowest step of a suggest when most candidates are past
   * tickets, so only the tickets that may be shown (above the abstain band) are adapted.
   */
  ready: () => Promise<void>;
}

/** Content words of a question, roughly: what its length feature counts. */
function contentWords(text: string): number {
  return text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 3).length;
}

/** Share of the question's analyzed words a text holds. */
function overlap(questionTerms: ReadonlySet<string>, text: string, language: string): number {
  return share(questionTerms, new Set(analyze(text, language)));
}

/** Share of the question's terms among `terms`. */
function share(questionTerms: ReadonlySet<string>, terms: ReadonlySet<string>): number {
  if (questionTerms.size === 0) return 0;
  let held = 0;
  for (const term of questionTerms) if (terms.has(term)) held++;
  return held / questionTerms.size;
}

// A word after a negation ("hasn't arrived", "isn't updating", "non funziona", "nicht angekommen", "не пришёл").
const NEGATED = /(?<![\p{L}])(\p{L}+n['’]t|not|never|cannot|non|mai|nicht|keine?[nmrs]?|nie|не|нет|никогда)(\s+)(\p{L}+)/giu;

/**
 * A text's terms, with a negated content word as a term of its own ("hasn't arrived" → "¬arriv"), so
 * that heading coverage tells "My parcel hasn't arrived" from "Your parcel arrived damaged" and still
 * matches "Refund not received" with "I haven't received my refund". The word is stemmed first, so
 * "never arrived" meets "doesn't arrive". A word the analyzer drops ("not the files") stays as it is:
 * only content words are negated. Pure.
 */
export function negationAwareTerms(text: string, language: string): string[] {
  const negated: string[] = [];
  const rest = text.replace(NEGATED, (all, cue: string, space: string, word: string) => {
    const stems = analyze(word, language);
    if (stems.length === 0) return all;
    negated.push(...stems.map((stem) => `¬${stem}`));
    return `${cue}${space}`;
  });
  return [...analyze(rest, language), ...negated];
}

/** A sentence is only shown alone when its paragraph is this long: a short paragraph is already a small complete unit. */
const NARROW_ABOVE = 800;
/** How much a unit's share of the question's words adds to its similarity when choosing what to show. */
const UNIT_WORD_WEIGHT = 0.3;

/** The passage of an article section that answers: its units scored against the question, by meaning and by words. */
async function articlePassage(doc: KnowledgeDoc, context: AnswerContext, questionTerms: ReadonlySet<string>): Promise<{ passage: ShownPassage; unitSimilarity: number; vector?: Float32Array }> {
  const units = (context.answerUnits ?? answerUnits)(doc.answer);
  const question = questionVectorFor(doc, context);
  if (units.length === 0 || !question) {
    return { passage: { markdown: doc.answer, whole: true, basis: 'article' }, unitSimilarity: 0 };
  }
  const vectors = await context.unitVectors(units.map((unit: AnswerUnit) => unitText(doc, unit)));
  const similarities = vectors.map((vector) => cosine(question, vector));
  const scores = units.map((unit, i) => {
    // A sentence of a short paragraph is not shown alone: the paragraph is the smallest complete unit.
    if (unit.kind === 'sentence' && (units[unit.parent ?? -1]?.markdown.length ?? 0) <= NARROW_ABOVE) return Number.NaN;
    return similarities[i]! + UNIT_WORD_WEIGHT * overlap(questionTerms, unit.text, doc.language);
  });
  // A section of up to ~1,200 characters is a reply an agent can send whole, however many blocks it has:
  // bench/answers showed narrower cuts losing the fact the customer asked for a third of the time.
  const chosen = chooseUnit(units, scores, { wholeBelow: 1200, wholeUnits: 8 });
  const unitSimilarity = Math.max(...chosen.units.map((i: number) => similarities[i] ?? 0), 0);
  const best = chosen.units.reduce<number | undefined>((a, i) => (a === undefined || (similarities[i] ?? 0) > (similarities[a] ?? 0) ? i : a), undefined);
  // A passage holding one table carries it as data, however much text surrounds it, so every renderer can lay it out.
  const tables = units.filter((unit) => unit.table && chosen.units.includes(unit.index));
  const table = chosen.table ?? (tables.length === 1 ? tables[0]!.table : undefined);
  return {
    ...(best !== undefined && vectors[best] ? { vector: vectors[best] } : {}),
    passage: { markdown: chosen.markdown, whole: chosen.whole, ...(table ? { table: { header: table.header, rows: table.rows } } : {}), basis: 'article' },
    unitSimilarity,
  };
}

/** Is this document compared with the question's gloss rather than the question? */
function inGloss(doc: KnowledgeDoc, context: AnswerContext): boolean {
  return context.gloss !== undefined && sameLanguage(doc.language, context.gloss.language);
}

/** The vector a document is compared with: the gloss's for a document in the gloss's language, else the question's. */
function questionVectorFor(doc: KnowledgeDoc, context: AnswerContext): Float32Array | undefined {
  return (inGloss(doc, context) ? context.gloss!.vector : undefined) ?? context.vector;
}

/** What a candidate is called: a section's title and heading, a ticket's subject. */
function headingOf(doc: KnowledgeDoc): string {
  return doc.kind === 'article' && doc.source.heading && doc.source.heading !== doc.title ? `${doc.title}: ${doc.source.heading}` : doc.title;
}

/** The text a section's unit is embedded as: with its section's title and heading, as passages are ("Items must be: …" rarely names its topic). */
function unitText(doc: KnowledgeDoc, unit: AnswerUnit): string {
  return `${headingOf(doc)}. ${unit.text}`;
}

/** Every text answering embeds for a section (its heading and its answer units): what a store keeps embedded from publishing on. Pure. */
export function sectionTexts(doc: KnowledgeDoc): string[] {
  return doc.kind === 'article' ? [headingOf(doc), ...answerUnits(doc.answer).map((unit) => unitText(doc, unit))] : [];
}

/** Rate the top hits as answers. Pure apart from the unit vectors it asks for. */
export async function rateCandidates(hits: readonly SearchHit[], context: AnswerContext): Promise<RatedCandidate[]> {
  const top = hits.slice(0, context.depth ?? 8);
  const similarities = top.map((hit) => hit.similarity ?? 0);
  const bestSimilarity = Math.max(0, ...similarities);
  const matched = context.match ?? context.question;
  const words = Math.log(1 + contentWords(matched));
  // A document in the gloss's language shares words with the gloss, not with the question.
  const termsOf = (text: string, language: string) => ({ question: new Set(analyze(text, language)), heading: new Set(negationAwareTerms(text, language)) });
  const own = termsOf(matched, context.language.code);
  const glossed = context.gloss ? termsOf(context.gloss.text, context.gloss.language) : own;
  const termsFor = (doc: KnowledgeDoc) => (inGloss(doc, context) ? glossed : own);
  // A section's title and heading are embedded here (cached); a ticket's subject opens its stored question passage,
  // whose similarity stands for it: embedding the subjects of new candidate tickets was most of a suggest's time.
  const sections = top.filter((hit) => hit.doc.kind !== 'ticket');
  const headingVectors = new Map<KnowledgeDoc, Float32Array>();
  if (context.vector && sections.length) {
    const vectors = await context.unitVectors(sections.map((hit) => headingOf(hit.doc)));
    sections.forEach((hit, i) => headingVectors.set(hit.doc, vectors[i]!));
  }
  const headingSimilarities = top.map((hit) => {
    const question = questionVectorFor(hit.doc, context);
    if (!question) return 0;
    const vector = headingVectors.get(hit.doc);
    return vector ? cosine(question, vector) : (hit.similarity ?? 0);
  });
  const coverages = top.map((hit) => hit.coverage ?? 0);
  /** How far value i is ahead of the best of the others. */
  const leadOf = (values: readonly number[], i: number) => (values.length > 1 ? values[i]! - Math.max(...values.filter((_v, j) => j !== i)) : 0);
  // Past tickets close to the question vote for the sections their resolutions resemble: a bridge from the customer's words to the article.
  const voters = top.filter((hit) => hit.doc.kind === 'ticket' && hit.doc.answer).sort((a, b) => (b.similarity ?? 0) - (a.similarity ?? 0)).slice(0, 3);
  // Embedded only when an article section is among the candidates: a store of tickets alone never pays for it.
  let resolutionVectors: Float32Array[] | undefined;
  const supportOf = async (vector: Float32Array | undefined) => {
    if (!vector || voters.length === 0) return 0;
    resolutionVectors ??= await context.unitVectors(voters.map((hit) => hit.doc.answer));
    return Math.max(0, ...voters.map((voter, v) => (voter.similarity ?? 0) * cosine(resolutionVectors![v]!, vector)));
  };
  const rated: RatedCandidate[] = [];
  for (const [i, hit] of top.entries()) {
    const matchedLanguage = context.languageOf(hit.matched ?? hit.doc.id) ?? hit.doc.language;
    let passage: ShownPassage;
    let unitSimilarity = hit.similarity ?? 0;
    const placeholders: string[] = [];
    const notes: string[] = [];
    let empty = false;
    let support = 0;
    let adapt: ((c: RatedCandidate) => void) | undefined;
    if (hit.doc.kind === 'ticket') {
      passage = { markdown: '', whole: false, basis: 'ticket' };
      adapt = (c) => {
        const adapted = adaptResolution(hit.doc.answer, {
          message: context.entities,
          ...(context.customerName ? { customerName: context.customerName } : {}),
          language: context.language.code,
          resolutionLanguage: hit.doc.language,
          ticketId: hit.doc.id,
          ownDomains: context.ownDomains,
          ...(context.statedNumbers ? { statedNumbers: context.statedNumbers } : {}),
          // Found when the ticket was written; a store written before that finds them here, once per process.
          ...(hit.doc.answerDetails ? { details: hit.doc.answerDetails } : {}),
          ...(context.resolutionCache ? { cache: context.resolutionCache } : {}),
        });
        c.passage = { markdown: adapted.text, whole: false, basis: 'ticket' };
        c.placeholders = [...new Set(adapted.placeholders.map((p) => p.label))];
        c.notes = [`Adapted from past ticket ${hit.doc.id}: check that every statement applies to this customer.`, ...adapted.notes, ...c.notes];
        c.empty = adapted.text.trim() === '';
      };
    } else {
      const shown = await articlePassage(hit.doc, context, termsFor(hit.doc).question);
      passage = shown.passage;
      unitSimilarity = shown.unitSimilarity;
      support = await supportOf(shown.vector);
      empty = passage.markdown.trim() === '';
    }
    const features: AnswerFeatures = {
      similarity: hit.similarity ?? 0,
      unitSimilarity,
      headingSimilarity: headingSimilarities[i]!,
      headingCoverage: share(termsFor(hit.doc).heading, new Set(negationAwareTerms(headingOf(hit.doc), hit.doc.language))),
      ticketSupport: support,
      opening: hit.doc.kind === 'article' && (hit.doc.source.headingPath?.length ?? 1) <= 1 ? 1 : 0,
      coverage: hit.coverage ?? 0,
      bestSimilarity,
      lead: leadOf(similarities, i),
      headingLead: leadOf(headingSimilarities, i),
      coverageLead: leadOf(coverages, i),
      // Filled in below, once every candidate is known.
      siblingHeadingLead: 0,
      siblingUnitLead: 0,
      articleShare: 0,
      ticket: hit.doc.kind === 'ticket' ? 1 : 0,
      semantic: context.language.semantic ? 1 : 0,
      sameLanguage: sameLanguage(matchedLanguage, context.language.code) ? 1 : 0,
      length: words,
      categoryAgreement: context.categoryProbability?.(hit.doc.category) ?? 0.5,
      rank: i,
    };
    const candidate: RatedCandidate = { hit, passage, features, probability: 0, placeholders, notes, empty, ready: async () => undefined };
    if (adapt) {
      let done: Promise<void> | undefined;
      // A turn for the event loop before each parse, as unitVectors gives for sections.
      candidate.ready = () => (done ??= yieldToLoop().then(() => adapt(candidate)));
    }
    rated.push(candidate);
  }
  // Siblings: candidate sections of the same article. Most wrong answers are the right article's other section.
  const articleOf = (c: RatedCandidate) => (c.hit.doc.kind === 'article' ? articleIdOf(c.hit.doc) : c.hit.doc.id);
  for (const c of rated) {
    const siblings = rated.filter((o) => o !== c && articleOf(o) === articleOf(c));
    c.features.articleShare = (siblings.length + 1) / rated.length;
    c.features.siblingHeadingLead = siblings.length ? c.features.headingSimilarity - Math.max(...siblings.map((o) => o.features.headingSimilarity)) : 0;
    c.features.siblingUnitLead = siblings.length ? c.features.unitSimilarity - Math.max(...siblings.map((o) => o.features.unitSimilarity)) : 0;
  }
  // Calibrated on shown answers, from each candidate's ranking score and how far it stands out from the rest.
  const logits = rated.map((c) => rankingLogit(c.features, context.model));
  const ahead = margins(logits);
  rated.forEach((c, i) => (c.probability = shownProbability(c.features, ahead[i]!, context.model, logits[i]!)));
  // What agents did for similar questions moves a candidate's odds, and the agent is told why.
  for (const c of rated) {
    const learned = context.learned?.get(c.hit.doc.id) ?? (c.hit.matched ? context.learned?.get(c.hit.matched) : undefined);
    if (!learned) continue;
    const p = Math.min(Math.max(c.probability, 1e-6), 1 - 1e-6);
    c.probability = 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + learned.delta)));
    c.notes.push(learnedNote(learned));
  }
  const recalibration = context.recalibration;
  if (recalibration) {
    for (const c of rated) {
      const before = c.probability;
      c.before = before;
      c.probability = recalibrated(recalibration, before);
      // Said only where it changes what the agent reads.
      if (Math.abs(c.probability - before) >= 0.05) c.notes.push(`Confidence ${Math.round(before * 100)}% → ${Math.round(c.probability * 100)}%, recalibrated on what agents did with ${recalibration.outcomes} answers.`);
    }
  }
  return rated;
}

/** Candidates above the abstain band, most probable first. */
const likelyOf = (rated: readonly RatedCandidate[], bands: ConfidenceBands) => [...rated].filter((c) => c.probability >= bands.abstain).sort((a, b) => b.probability - a.probability);

/**
 * The answer among rated candidates: the most probable sendable one, an article over a ticket about as probable.
 * Readies candidates in order of probability until one is sendable: adapting a resolution is the slowest step of
 * a suggest on a store of tickets, so the ones that cannot be the answer are left as they are.
 */
export async function chooseAnswer(rated: readonly RatedCandidate[], context: Pick<AnswerContext, 'articleMargin' | 'bands'>): Promise<RatedCandidate | undefined> {
  const likely = likelyOf(rated, context.bands ?? DEFAULT_BANDS);
  let best: RatedCandidate | undefined;
  for (const c of likely) {
    await c.ready();
    if (!c.empty) {
      best = c;
      break;
    }
  }
  if (!best) return undefined;
  if (best.hit.doc.kind === 'ticket') {
    // The article is the published policy; a past resolution was written for one customer. (Sections need no readying.)
    const floor = best.probability - (context.articleMargin ?? 0.15);
    const article = likely.find((c) => c.hit.doc.kind === 'article' && !c.empty && c.probability >= floor);
    if (article) return article;
  }
  return best;
}

/**
 * Up to `count` other sources, most probable first. Past tickets among them are not adapted here (that would double
 * a suggest's time on a store of tickets, for sources an agent only sometimes picks): a picked one is adapted then.
 */
function alternativesTo(best: RatedCandidate, rated: readonly RatedCandidate[], count: number, bands: ConfidenceBands): RatedCandidate[] {
  return likelyOf(rated, bands)
    .filter((c) => c !== best && !c.empty)
    .slice(0, count);
}

/** The most probable other candidate with something to send, leaving out the answer's own translations. Pure. */
export function rivalOf(best: RatedCandidate, rated: readonly RatedCandidate[]): RatedCandidate | undefined {
  const family = (c: RatedCandidate) => c.hit.doc.family ?? c.hit.doc.id;
  const translation = (c: RatedCandidate) => c.hit.doc.language !== best.hit.doc.language && family(c) === family(best);
  return rated.filter((c) => c !== best && !c.empty && !translation(c)).reduce<RatedCandidate | undefined>((a, c) => (!a || c.probability > a.probability ? c : a), undefined);
}

/** "Article › Section" or "ticket T-10001", as an agent reads a source's name. */
function sourceName(source: Source): string {
  if (source.kind === 'ticket') return `ticket ${source.id}`;
  return source.heading && source.heading !== source.title ? `${source.title} › ${source.heading}` : source.title;
}

/** The answer to one question, or an abstention that says which nearby articles exist. */
export async function answerQuestion(hits: readonly SearchHit[], context: AnswerContext): Promise<{ answer: QuestionAnswer; rated: RatedCandidate[] }> {
  const rated = await rateCandidates(hits, context);
  const bands = context.bands ?? DEFAULT_BANDS;
  const pick = context.picked === undefined ? undefined : rated.find((c) => c.hit.doc.id === context.picked || c.hit.matched === context.picked);
  if (pick) await pick.ready();
  const best = pick && !pick.empty ? pick : await chooseAnswer(rated, context);
  if (!best) {
    // Up to three articles, each once at its nearest section: three sections of one article name one place to look.
    const nearby = onePerArticle(rated.map((c) => c.hit.doc)).map((doc) => doc.source);
    const likeliest = rated.filter((c) => !c.empty).reduce<RatedCandidate | undefined>((a, c) => (!a || c.probability > a.probability ? c : a), undefined);
    // Rounded once: the reason and the score say the same number.
    const top = Math.round((likeliest?.probability ?? 0) * 1000) / 1000;
    return {
      rated,
      answer: {
        question: context.question,
        status: 'abstained',
        // The engine's own score beside a recalibrated one, as for answers: feedback on `best` sends it.
        confidence: { level: 'low', score: top, ...(likeliest?.before !== undefined ? { before: Math.round(likeliest.before * 1000) / 1000 } : {}) },
        alternatives: [],
        reason:
          hits.length === 0
            ? 'The knowledge base is empty or nothing matches the filter.'
            : // Honest about what is known: nothing is likely enough to send, which is not the same as nothing related existing.
              `No answer is likely enough to send (the best is ${Math.round(top * 100)}% likely right).` +
              (nearby.length ? ` Nearest articles: ${nearby.map(sourceName).join('; ')}.` : ''),
        ...(nearby.length ? { nearby } : {}),
        ...(likeliest ? { best: likeliest.hit.doc.source } : {}),
      },
    };
  }
  const notes = [...best.notes];
  if (best === pick) notes.unshift('Picked by the agent instead of the suggested answer; its confidence is the engine\'s own.');
  else if (pick) notes.unshift(`The picked past ticket ${context.picked} has nothing to send another customer (its resolution is about its own case): the suggested answer is shown.`);
  else if (context.picked !== undefined) notes.unshift(`The picked source ${context.picked} is not in the knowledge base (removed, or a reply template): the suggested answer is shown.`);
  // Triage and the answer disagree (a fraud report answered with a duplicate-charge article): say so, and never High.
  let cap: 'medium' | 'low' | undefined;
  const matchedLanguage = context.languageOf(best.hit.matched ?? best.hit.doc.id) ?? best.hit.doc.language;
  // Matched across languages by a few shared words (SPF, PayPal, 503) by a model that cannot read the question: worth showing, never more than Low.
  if (!context.language.semantic && !sameLanguage(matchedLanguage, context.language.code)) cap = 'low';
  // Matched by words alone within its own language: High means nine in ten right, and bench/answers'
  // it/de/ru answers at High were right 5 times in 7 (a sibling section shares most of the words).
  else if (!context.language.semantic) cap = 'medium';
  else if (context.confidentCategory && best.hit.doc.category && context.confidentCategory !== best.hit.doc.category) {
    cap = 'medium';
    notes.push(`This message reads as "${context.confidentCategory}", but the answer is from "${best.hit.doc.category}": check that it fits.`);
  }
  // Another source about as likely: the engine cannot tell which one answers, so never High, and the agent compares them.
  const rival = best === pick ? undefined : rivalOf(best, rated);
  const rivalBand = bands.rival ?? DEFAULT_BANDS.rival!;
  if (rival && rival.probability >= rivalBand && best.probability >= bands.high && cap === undefined) {
    cap = 'medium';
    // The percentage as the source's own confidence shows it (rounded to 0.001 first), so the note and the list agree.
    notes.push(`Another source is almost as likely (${Math.round(Math.round(rival.probability * 1000) / 10)}%): ${sourceName(rival.hit.doc.source)}. Check which one answers before sending.`);
  }
  // A pick below the abstain band is still shown (the agent chose it), at Low.
  const confidence: Confidence = {
    ...(confidenceFrom(best.probability, bands, cap) ?? { level: 'low', score: Math.round(best.probability * 1000) / 1000 }),
    ...(best.before !== undefined ? { before: Math.round(best.before * 1000) / 1000 } : {}),
  };
  const answerLanguage = best.hit.doc.language;
  const needsTranslation = !sameLanguage(answerLanguage, context.language.code);
  if (needsTranslation) notes.push(translationNote(context.language.code, answerLanguage));
  // A source listed beside the answer is never High: the answer is the engine's choice, and a High one beside a
  // Medium answer (kept there by its rival, or chosen as the article over a likelier ticket) would read as the better one.
  const alternatives = alternativesTo(best, rated, context.alternatives, bands).map((c) => ({
    source: c.hit.doc.source,
    confidence: confidenceFrom(c.probability, bands, 'medium')!,
    language: c.hit.doc.language,
  }));
  return {
    rated,
    answer: {
      question: context.question,
      status: 'answered',
      answer: best.passage.markdown,
      passage: best.passage,
      source: best.hit.doc.source,
      confidence,
      alternatives,
      language: answerLanguage,
      needsTranslation,
      ...(best.placeholders.length ? { placeholders: best.placeholders } : {}),
      ...(notes.length ? { notes } : {}),
    },
  };
}

export type { Source };
