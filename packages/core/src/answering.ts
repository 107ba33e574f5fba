import type { Encoder } from '@answerdesk/embeddings';
import { analyze, analyzedLanguages, couldHold, fuseRrf, fuseWeighted, languageScript, type WeightedTerm } from '@answerdesk/index';
import { lexicalTexts } from '@answerdesk/sqlite';
import { AnswerdeskError } from '@answerdesk/types';
import type { KnowledgeDoc, QueryLanguage, SearchHit, SearchMode } from '@answerdesk/types';
import { checkConfidenceModel, validateBands, type ConfidenceBands, type ConfidenceModel } from './answer-confidence.js';
import { checkWholeNumber } from './checks.js';
import { isAnswer } from './docs.js';
import { chooseLanguage, collapseTranslations, sameLanguage, type TranslationIndex } from './translations.js';
import type { LearningOptions } from './learning.js';

/**
 * The answering logic both stores share (files on disk, PostgreSQL): how two
 * rankings fuse, how translations collapse, how confident an answer is. Each
 * store retrieves candidates its own way and hands them here.
 */

export const DEFAULT_FOREIGN_VECTOR_WEIGHT = 0.25;
export const DEFAULT_GLOSSED_VECTOR_WEIGHT = 1;
/**
 * Weight of a glossed question's word search in the gloss's language: 0.5 answered more of bench/answers' tuning
 * half right at 1 (45.0%) than 1 (42.1%) or no word search of the gloss (41.1%); a gloss is a bag of words, not
 * a sentence, and at full weight its words outranked the question's own in its own language's articles.
 */
const GLOSS_WORDS_WEIGHT = 0.5;

export interface RankingOptions {
  fusion?: 'rrf' | 'weighted';
  vectorWeight?: number;
  foreignVectorWeight?: number;
  glossedVectorWeight?: number;
  defaultLanguage?: string;
}

/** Candidates from one store for one question. */
export interface Candidates {
  mode: SearchMode;
  language: QueryLanguage;
  /** Best passage similarity per document, best first. */
  vector: ReadonlyArray<{ id: string; score: number }>;
  /** Lexical hits, best first, with the query terms each holds. */
  lexical: ReadonlyArray<{ id: string; score: number; terms: readonly string[] }>;
  /** The question's analyzed terms with their weights. */
  weights: readonly WeightedTerm[];
  /**
   * A question in a language the encoder cannot read, glossed into one it can: the vector ranking is by the
   * gloss (it means something), and `lexical` holds the gloss's own word search in that language.
   */
  gloss?: { language: string; lexical: Candidates['lexical']; weights: readonly WeightedTerm[] };
}

/** What ranking needs to know about documents, synchronously (a store fetches them first). */
export interface RankingContext {
  doc: (id: string) => KnowledgeDoc | undefined;
  translations: TranslationIndex;
  accept?: (id: string) => boolean;
  /** Similarity of a document found only by words, when the store can tell. */
  similarity?: (id: string) => number | undefined;
}

/** The first k of a ranking with at least `sections` items that are sections, from further down when needed: those replace the lowest-ranked others. Pure. */
export function reserveSections<T>(ranked: readonly T[], k: number, sections: number, isSection: (item: T) => boolean): T[] {
  const top = ranked.slice(0, k);
  const missing = sections - top.filter(isSection).length;
  if (missing <= 0) return top;
  const extra = ranked.slice(k).filter(isSection).slice(0, missing);
  let drop = top.length + extra.length - k;
  const kept: T[] = [];
  for (let i = top.length - 1; i >= 0; i--) {
    if (drop > 0 && !isSection(top[i]!)) drop--;
    else kept.unshift(top[i]!);
  }
  return [...kept, ...extra];
}

/** The fused order of the candidates (before translations collapse). Pure. */
export function fuseCandidates(candidates: Candidates, options: RankingOptions): Array<{ id: string; score: number }> {
  if (candidates.mode === 'vector') return [...candidates.vector];
  if (candidates.mode === 'lexical') return candidates.lexical.map(({ id, score }) => ({ id, score }));
  // The encoder cannot read this language: its ranking is mostly noise, so words lead; by the question's gloss it is not.
  const vectorWeight = candidates.language.semantic
    ? (options.vectorWeight ?? 1)
    : candidates.gloss
      ? (options.glossedVectorWeight ?? DEFAULT_GLOSSED_VECTOR_WEIGHT)
      : (options.foreignVectorWeight ?? DEFAULT_FOREIGN_VECTOR_WEIGHT);
  const lists = [
    { name: 'vector', hits: candidates.vector, weight: vectorWeight },
    { name: 'lexical', hits: candidates.lexical, weight: 1 },
    ...(candidates.gloss ? [{ name: 'gloss', hits: candidates.gloss.lexical, weight: GLOSS_WORDS_WEIGHT }] : []),
  ];
  return (options.fusion === 'rrf' ? fuseRrf(lists) : fuseWeighted(lists)).map((hit) => ({ id: hit.id, score: hit.score }));
}

/**
 * Share of the question's words a document holds, out of those it could hold: a Russian word is
 * no evidence against an English section, which can only share Latin words (SPF, PayPal) with it. Pure.
 */
export function wordCoverage(weights: readonly WeightedTerm[], documentLanguage: string, found: readonly string[]): number {
  const possible = weights.filter((entry) => couldHold(documentLanguage, entry.term));
  const total = possible.reduce((sum, entry) => sum + entry.weight, 0);
  const held = possible.filter((entry) => found.includes(entry.term)).reduce((sum, entry) => sum + entry.weight, 0);
  return total > 0 ? Math.round((held / total) * 1000) / 1000 : 0;
}

/**
 * A document as a hit that ranking did not find: one the agent picked from the knowledge search. Its exact
 * similarity (when the store could tell) and the share of the question's words its indexed text holds, so
 * its confidence is rated like any hit's. Pure.
 */
export function foundHit(doc: KnowledgeDoc, similarity: number | undefined, weights: readonly WeightedTerm[]): SearchHit {
  const { title, body } = lexicalTexts(doc);
  const held = new Set(analyze(`${title}\n${body}`, doc.language));
  return {
    doc,
    score: 0,
    ...(similarity !== undefined ? { similarity: Math.round(similarity * 10000) / 10000 } : {}),
    coverage: wordCoverage(weights, doc.language, weights.map((entry) => entry.term).filter((term) => held.has(term))),
    rank: 0,
  };
}

/** The `k` hits shown for the candidates: fused, one per section in the customer's language where there is one. Pure. */
export function rankHits(candidates: Candidates, k: number, context: RankingContext, options: RankingOptions): SearchHit[] {
  // Reply templates and glossaries are stored with the knowledge but are never an answer.
  const ranked = fuseCandidates(candidates, options).filter((hit) => {
    const doc = context.doc(hit.id);
    return doc !== undefined && isAnswer(doc);
  });
  const similarities = new Map(candidates.vector.map((hit) => [hit.id, hit.score]));
  const lexicalHits = new Map(candidates.lexical.map((hit) => [hit.id, hit]));
  const glossHits = new Map((candidates.gloss?.lexical ?? []).map((hit) => [hit.id, hit]));
  const languageOf = (id: string) => context.doc(id)?.language;
  // A document in the gloss's language is held to the gloss's words; any other to the question's own.
  const wordsOf = (id: string): { hit: Candidates['lexical'][number]; weights: readonly WeightedTerm[] } | undefined => {
    const language = languageOf(id) ?? 'en';
    const glossed = candidates.gloss && sameLanguage(language, candidates.gloss.language) ? glossHits.get(id) : undefined;
    if (glossed) return { hit: glossed, weights: candidates.gloss!.weights };
    const hit = lexicalHits.get(id);
    return hit ? { hit, weights: candidates.weights } : undefined;
  };
  const choose = (id: string) => {
    const choice = chooseLanguage(id, context.translations, candidates.language.code, options.defaultLanguage ?? 'en', languageOf);
    // A filter (say, language: it) holds for what is shown, not only for what matched; so does presence in the store.
    const shown = context.doc(choice.id);
    return !shown || (context.accept && !context.accept(choice.id)) ? { id } : choice;
  };
  return collapseTranslations(ranked, choose, (id) => context.translations.keyOf(id))
    .slice(0, k)
    .map((hit, i) => {
      const matched = hit.matched ?? hit.id;
      // A document found only by words still gets its exact similarity, so confidence means the same for every hit.
      const similarity = similarities.get(matched) ?? context.similarity?.(matched);
      const words = wordsOf(matched);
      return {
        doc: context.doc(hit.id)!,
        score: Math.round(hit.score * 10000) / 10000,
        ...(similarity !== undefined ? { similarity: Math.round(similarity * 10000) / 10000 } : {}),
        ...(words ? { lexicalScore: Math.round(words.hit.score * 1000) / 1000, coverage: wordCoverage(words.weights, languageOf(matched) ?? 'en', words.hit.terms) } : {}),
        ...(hit.matched ? { matched: hit.matched } : {}),
        rank: i + 1,
      };
    });
}

/** Does the encoder match this language by meaning? */
export function readsLanguage(languages: readonly string[] | 'multilingual', code: string): boolean {
  return languages === 'multilingual' || languages.includes(code.split('-')[0]!);
}

const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** The script most of a text's letters are in. Pure. */
function dominantScript(text: string): 'cyrillic' | 'greek' | 'latin' {
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const greek = text.match(/\p{Script=Greek}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return cyrillic > latin && cyrillic >= greek ? 'cyrillic' : greek > latin ? 'greek' : 'latin';
}

export interface QueryLanguageOptions {
  encoder: Pick<Encoder, 'languages'>;
  /** Candidates for detection. Default: the languages with an analyzer. */
  languages?: readonly string[];
  defaultLanguage?: string;
  detector: Promise<typeof import('@answerdesk/triage/language')>;
  /** Languages the knowledge base's documents are in: a question of a few words is read as one of them. */
  known?: readonly string[];
}

/** Questions of this many words or fewer are read among the knowledge base's own languages ("Zeppelin" is not Finnish). */
const SHORT_QUESTION_WORDS = 3;

/**
 * The language of a question: the caller's, else detected, else the default. Detection is
 * limited to the helpdesk's languages, which keeps two-word questions from odd guesses; a
 * question too short to tell whose script the default language is not written in (four
 * Russian words, an English default) takes the detector's best guess rather than the default,
 * so it is never read as English by an English-only model.
 */
export async function readQueryLanguage(text: string, given: string | undefined, options: QueryLanguageOptions): Promise<QueryLanguage> {
  const semantic = (code: string) => readsLanguage(options.encoder.languages, code);
  if (given !== undefined) {
    if (typeof given !== 'string' || !LANGUAGE_CODE.test(given)) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'language', reason: 'must be a language code such as "en" or "de"' });
    return { code: given, basis: 'given', semantic: semantic(given) };
  }
  const { detectLanguage } = await options.detector;
  const candidates = options.languages ?? analyzedLanguages;
  let guess = detectLanguage(text, { candidates });
  const fallbackLanguage = options.defaultLanguage ?? 'en';
  if (options.known && !options.known.includes(guess.code) && text.trim().split(/\s+/).length <= SHORT_QUESTION_WORDS) {
    const within = [...new Set([...options.known, fallbackLanguage])].filter((code) => candidates.includes(code));
    if (within.length > 1) guess = detectLanguage(text, { candidates: within });
    else if (within.length === 1) guess = { ...guess, code: within[0]!, reliable: dominantScript(text) === languageScript(within[0]!) };
  }
  if (guess.reliable) return { code: guess.code, basis: 'detected', semantic: semantic(guess.code) };
  const fallback = fallbackLanguage;
  const script = dominantScript(text);
  if (script !== languageScript(fallback) && guess.code !== 'und' && languageScript(guess.code) === script) {
    return { code: guess.code, basis: 'detected', semantic: semantic(guess.code) };
  }
  return { code: fallback, basis: 'default', semantic: semantic(fallback) && script === languageScript(fallback) };
}

/** The answering options both stores take, checked: coded errors for what is wrong. */
export function checkAnsweringOptions(options: RankingOptions & { bands?: ConfidenceBands; confidenceModel?: ConfidenceModel; languages?: readonly string[]; learning?: LearningOptions }): void {
  // Similarity cut-offs were replaced by a calibrated probability: a caller still setting them would
  // believe they act, so they are refused with what to set instead.
  for (const name of ['thresholds', 'wordThresholds']) {
    if ((options as Record<string, unknown>)[name] !== undefined) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option: name, reason: 'is no longer read: the confidence is a calibrated probability now; set "bands" instead, such as { abstain: 0.4, medium: 0.6, high: 0.85 } (the default)' });
    }
  }
  if (options.bands !== undefined) {
    const problem = typeof options.bands === 'object' && options.bands !== null ? validateBands(options.bands) : 'must be an object such as { abstain: 0.4, medium: 0.6, high: 0.85 }';
    if (problem) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'bands', reason: problem });
  }
  if (options.confidenceModel !== undefined) {
    const problem = checkConfidenceModel(options.confidenceModel);
    if (problem) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'confidenceModel', reason: problem });
  }
  if (options.fusion !== undefined && options.fusion !== 'rrf' && options.fusion !== 'weighted') {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'fusion', reason: 'must be "rrf" or "weighted"' });
  }
  if (options.defaultLanguage !== undefined && !LANGUAGE_CODE.test(options.defaultLanguage)) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'defaultLanguage', reason: 'must be a language code such as "en" or "de"' });
  }
  if (options.languages !== undefined && (!Array.isArray(options.languages) || options.languages.length === 0 || !options.languages.every((code) => typeof code === 'string' && LANGUAGE_CODE.test(code)))) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'languages', reason: 'must be a non-empty list of language codes such as ["en", "de"]' });
  }
  const learning = options.learning;
  if (learning !== undefined) {
    const bad = (reason: string) => new AnswerdeskError('ADK_OPTION_INVALID', { option: 'learning', reason });
    if (typeof learning !== 'object' || learning === null) throw bad('must be an object such as { similarity: 0.6, weight: 2 }');
    for (const name of ['similarity', 'routeSimilarity'] as const) {
      const value = learning[name];
      if (value !== undefined && !(typeof value === 'number' && value > 0 && value <= 1)) throw bad(`"${name}" must be a cosine above 0 and at most 1`);
    }
    if (learning.weight !== undefined && !(typeof learning.weight === 'number' && learning.weight >= 0 && learning.weight <= 10)) throw bad('"weight" must be a number of log-odds from 0 to 10');
    for (const name of ['enabled', 'recalibrate'] as const) {
      if (learning[name] !== undefined && typeof learning[name] !== 'boolean') throw bad(`"${name}" must be true or false`);
    }
    if (learning.since !== undefined && (typeof learning.since !== 'string' || Number.isNaN(Date.parse(learning.since)))) throw bad('"since" must be an ISO time such as 2026-12-01T00:00:00Z');
  }
  for (const option of ['foreignVectorWeight', 'glossedVectorWeight'] as const) {
    const weight = options[option];
    if (weight !== undefined && !(typeof weight === 'number' && weight >= 0 && weight <= 10)) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option, reason: 'must be a number from 0 to 10' });
    }
  }
}

/** A customer's text, trimmed; empty or too long is a coded error. */
export function checkQuestion(text: unknown, maxLength = 4000): string {
  if (typeof text !== 'string' || text.trim() === '') throw new AnswerdeskError('ADK_QUERY_EMPTY');
  if (text.length > maxLength) throw new AnswerdeskError('ADK_QUERY_TOO_LONG', { length: text.length, max: maxLength });
  return text.trim();
}

/** `search`'s mode and k, checked, with their defaults (hybrid, 5). */
export function checkSearch(options: { mode?: SearchMode; k?: number }): { mode: SearchMode; k: number } {
  const mode = options.mode ?? 'hybrid';
  if (!['hybrid', 'vector', 'lexical'].includes(mode)) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'mode', reason: 'must be hybrid, vector or lexical' });
  const k = checkWholeNumber('k', options.k ?? 5, 1, 1000);
  return { mode, k };
}
