/**
 * Markdown tables of the multilingual benchmark. Pure: numbers in, text out.
 */
import type { ConfidenceLevel } from '@answerdesk/core';
import { markdownTable } from '../retrieval/report.js';

export { markdownTable };

/** `0.583` → `58.3%`; `digits` 0 for the summary. Pure. */
export const pct = (value: number | undefined, digits = 1): string => (value === undefined || Number.isNaN(value) ? '–' : `${(value * 100).toFixed(digits)}%`);

/** `14/24` for small samples, where a percentage hides how few there are. Pure. */
export const ratio = (count: number, total: number): string => `${count}/${total}`;

export const LANGUAGE_NAMES: Record<string, string> = { en: 'English', it: 'Italian', de: 'German', ru: 'Russian', es: 'Spanish', pt: 'Portuguese', fr: 'French' };
export const languageTitle = (code: string): string => `${LANGUAGE_NAMES[code] ?? code} (${code})`;

export interface RankingScores {
  queries: number;
  hitAt1: number;
  hitAt3: number;
  mrrAt5: number;
  /** Top hit in the language the answer should be shown in (the customer's where the section is translated, else English). */
  rightLanguageAt1: number;
  /** Top hit is the expected section and in that language. */
  rightSectionAndLanguageAt1: number;
  /** The question's language read as the file's language. */
  languageDetected: number;
  /** Top hit is a section of the expected article (any language), right section or not. */
  rightArticleAt1: number;
}

export interface RetrievalRow extends RankingScores {
  configuration: string;
  name: string;
  language: string;
}

/** One language: a row per configuration. */
export function retrievalTable(rows: readonly RetrievalRow[]): string {
  return markdownTable(
    ['configuration', 'hit@1', 'hit@3', 'MRR@5', 'right article @1', 'right language @1', 'right section in right language @1', 'language detected'],
    rows.map((r) => [r.name, pct(r.hitAt1), pct(r.hitAt3), r.mrrAt5.toFixed(3), pct(r.rightArticleAt1), pct(r.rightLanguageAt1), pct(r.rightSectionAndLanguageAt1), pct(r.languageDetected)]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

/** Hybrid search at each foreign vector weight: hit@1 / MRR@5 per language and pooled over the non-English ones. */
export function weightSweepTable(weights: readonly number[], languages: readonly string[], cell: (weight: number, language: string) => RankingScores | undefined, current: number): string {
  const headers = ['foreign vector weight', ...languages.map((l) => `${l} hit@1 / MRR@5`)];
  const rows = weights.map((w) => [
    `${w}${w === current ? ' (default)' : ''}`,
    ...languages.map((l) => {
      const s = cell(w, l);
      return s ? `${pct(s.hitAt1)} / ${s.mrrAt5.toFixed(3)}` : '–';
    }),
  ]);
  return markdownTable(headers, rows, headers.map((_, c) => (c === 0 ? 'l' : 'r')));
}

export interface DetectionRow {
  language: string;
  queries: number;
  detected: number;
  /** Code → how many questions were read as it (detected or, when unreliable, the default). */
  readAs: Record<string, number>;
  /** Questions whose language could not be told reliably: read as the default language. */
  defaulted: number;
}

export function detectionTable(rows: readonly DetectionRow[]): string {
  return markdownTable(
    ['questions in', 'questions', 'read as that language', 'fell back to the default (en)', 'read as'],
    rows.map((r) => [
      languageTitle(r.language),
      String(r.queries),
      pct(r.detected),
      String(r.defaulted),
      Object.entries(r.readAs)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([code, n]) => `${code} ${n}`)
        .join(', '),
    ]),
    ['l', 'r', 'r', 'r', 'l'],
  );
}

export interface LevelCount {
  answered: number;
  right: number;
}

export interface SuggestScores {
  queries: number;
  answered: number;
  answeredRight: number;
  answeredWrong: number;
  /** Answered in the language the answer should be shown in, among the answered. */
  rightLanguage: number;
  levels: Record<ConfidenceLevel, LevelCount>;
}

export interface OffTopicScores {
  questions: number;
  abstained: number;
  levels: Record<ConfidenceLevel, number>;
}

export interface SuggestRow {
  language: string;
  inDomain: SuggestScores;
  offTopic?: OffTopicScores;
}

const levelCell = (l: LevelCount) => (l.answered ? `${l.right}/${l.answered}` : '0');

export function suggestTable(rows: readonly SuggestRow[]): string {
  return markdownTable(
    ['questions in', 'questions', 'answered', 'answered & right', 'answered & wrong', 'right language (of answered)', 'high: right/answered', 'medium', 'low', 'off-topic abstained', 'off-topic answered as high / medium / low'],
    rows.map(({ language, inDomain: s, offTopic: o }) => [
      language,
      String(s.queries),
      pct(s.answered / s.queries),
      pct(s.answeredRight / s.queries),
      pct(s.answeredWrong / s.queries),
      s.answered ? pct(s.rightLanguage / s.answered) : '–',
      levelCell(s.levels.high),
      levelCell(s.levels.medium),
      levelCell(s.levels.low),
      o ? `${pct(o.abstained / o.questions)} (${o.abstained}/${o.questions})` : '–',
      o ? `${o.levels.high} / ${o.levels.medium} / ${o.levels.low}` : '–',
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

export interface CutoffCell {
  queries: number;
  right: number;
  wrong: number;
  offTopic: number;
  offTopicAbstained: number;
}

/** right − wrong − off-topic answered: +1 per right answer, −1 per wrong or off-topic one, 0 per abstention. Pure. */
export const utility = (c: CutoffCell): number => c.right - c.wrong - (c.offTopic - c.offTopicAbstained);

/** `bands.abstain` sweep (the calibrated probability) at one foreign weight: per language, answered-right / answered-wrong / off-topic abstained. */
export function cutoffTable(cutoffs: readonly number[], languages: readonly string[], cell: (cutoff: number, language: string) => CutoffCell | undefined, current: number): string {
  const headers = ['abstain cut-off (probability)', ...languages.flatMap((l) => [`${l} right`, `${l} wrong`, `${l} off-topic abstained`]), 'pooled answered', 'pooled right of answered', 'pooled right − wrong − off-topic answered'];
  const rows = cutoffs.map((cutoff) => {
    const cells = languages.map((l) => cell(cutoff, l));
    const pooled = pool(cells);
    return [
      `${cutoff.toFixed(2)}${cutoff === current ? ' (default)' : ''}`,
      ...cells.flatMap((c) => (c ? [ratio(c.right, c.queries), ratio(c.wrong, c.queries), ratio(c.offTopicAbstained, c.offTopic)] : ['–', '–', '–'])),
      ratio(pooled.right + pooled.wrong, pooled.queries),
      pooled.right + pooled.wrong ? pct(pooled.right / (pooled.right + pooled.wrong)) : '–',
      String(utility(pooled)),
    ];
  });
  return markdownTable(headers, rows, headers.map((_, c) => (c === 0 ? 'l' : 'r')));
}

/** Foreign weight × abstain cut-off, pooled over the non-English languages: `right / wrong / off-topic answered (score)`. */
export function gridTable(weights: readonly number[], cutoffs: readonly number[], cell: (weight: number, cutoff: number) => CutoffCell | undefined, current: { weight: number; cutoff: number }): string {
  const headers = ['cut-off \\ foreign weight', ...weights.map((w) => `${w}${w === current.weight ? ' (default)' : ''}`)];
  const rows = cutoffs.map((cutoff) => [
    `${cutoff.toFixed(2)}${cutoff === current.cutoff ? ' (default)' : ''}`,
    ...weights.map((w) => {
      const c = cell(w, cutoff);
      return c ? `${c.right} / ${c.wrong} / ${c.offTopic - c.offTopicAbstained} (${utility(c) >= 0 ? '+' : ''}${utility(c)})` : '–';
    }),
  ]);
  return markdownTable(headers, rows, headers.map((_, c) => (c === 0 ? 'l' : 'r')));
}

export function pool(cells: ReadonlyArray<CutoffCell | undefined>): CutoffCell {
  const out: CutoffCell = { queries: 0, right: 0, wrong: 0, offTopic: 0, offTopicAbstained: 0 };
  for (const c of cells) {
    if (!c) continue;
    out.queries += c.queries;
    out.right += c.right;
    out.wrong += c.wrong;
    out.offTopic += c.offTopic;
    out.offTopicAbstained += c.offTopicAbstained;
  }
  return out;
}

export interface BandRow {
  from: number;
  to: number;
  inDomain: number;
  right: number;
  offTopic: number;
}

/** Coverage of the top hybrid hit, in bands: how often an in-domain top hit in the band is right, and how many off-topic top hits reach it. */
export function bandTable(rows: readonly BandRow[]): string {
  return markdownTable(
    ['top-hit coverage', 'in-domain questions', 'top hit right', 'accuracy', 'off-topic questions'],
    rows.map((r) => [`${r.from.toFixed(1)}–${r.to >= 1 ? '1.0' : r.to.toFixed(1)}`, String(r.inDomain), String(r.right), r.inDomain ? pct(r.right / r.inDomain) : '–', String(r.offTopic)]),
    ['l', 'r', 'r', 'r', 'r'],
  );
}

export interface RoutingRow {
  language: string;
  count: number;
  accuracy: number;
  macroF1: number;
  majority: number;
  high: { share: number; accuracy: number | undefined };
}

export function routingTable(rows: readonly RoutingRow[]): string {
  return markdownTable(
    ['language', 'test tickets', 'accuracy', 'macro-F1', 'majority-queue baseline accuracy', 'high: share / accuracy'],
    rows.map((r) => [r.language, String(r.count), pct(r.accuracy), pct(r.macroF1), pct(r.majority), `${pct(r.high.share)} / ${pct(r.high.accuracy)}`]),
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
}

export interface SummaryRow {
  language: string;
  retrieval?: { queries: number; hitAt1: number; hitAt1W1: number; hitAt1Lexical: number; hitAt1Vector: number; rightLanguageAt1: number };
  suggest?: { right: number; wrong: number; offTopicAbstained?: number };
  routing?: { count: number; accuracy: number; macroF1: number };
}

/** The one table to quote: retrieval and suggest per question language, queue routing per ticket language. */
export function summaryTable(rows: readonly SummaryRow[]): string {
  const p = (value: number | undefined) => (value === undefined ? '' : pct(value, 0));
  return markdownTable(
    ['language', 'questions', 'hit@1 (default)', 'hit@1 hybrid w=1', 'hit@1 lexical only', 'hit@1 vector only', 'right language @1', 'suggest right / wrong', 'off-topic abstained', 'tickets', 'queue accuracy / macro-F1'],
    rows.map((r) => [
      languageTitle(r.language),
      r.retrieval ? String(r.retrieval.queries) : '',
      p(r.retrieval?.hitAt1),
      p(r.retrieval?.hitAt1W1),
      p(r.retrieval?.hitAt1Lexical),
      p(r.retrieval?.hitAt1Vector),
      p(r.retrieval?.rightLanguageAt1),
      r.suggest ? `${p(r.suggest.right)} / ${p(r.suggest.wrong)}` : '',
      p(r.suggest?.offTopicAbstained),
      r.routing ? String(r.routing.count) : '',
      r.routing ? `${p(r.routing.accuracy)} / ${p(r.routing.macroF1)}` : '',
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}
