import type { Percentiles, RankingAgreement, SuggestAgreement } from './compare.js';
import { fixed, markdownTable, percent } from '../retrieval/report.js';

/** Cells of several stores in one column, in store order: "0.583 / 0.583". Pure. */
const joined = (values: readonly string[]): string => values.join(' / ');
const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

export interface QualityRow {
  group: string;
  mode: string;
  /** One per store, in store order. */
  stores: ReadonlyArray<{ hitAt1: number; hitAt5: number; mrrAt10: number }>;
}

export function qualityTable(rows: readonly QualityRow[], storeTitles: readonly string[]): string {
  const of = (title: string) => `${title} (${storeTitles.join(' / ')})`;
  return markdownTable(
    ['questions', 'mode', of('hit@1'), of('hit@5'), of('MRR@10')],
    rows.map((r) => [r.group, r.mode, joined(r.stores.map((s) => fixed(s.hitAt1))), joined(r.stores.map((s) => fixed(s.hitAt5))), joined(r.stores.map((s) => fixed(s.mrrAt10)))]),
    ['l', 'l', 'r', 'r', 'r'],
  );
}

export interface AgreementRow {
  group: string;
  mode: string;
  pair: string;
  agreement: RankingAgreement;
  /** Largest difference of the similarity the two stores report for the same first hit (vector mode). */
  maxSimilarityGap?: number;
}

export function agreementTable(rows: readonly AgreementRow[]): string {
  return markdownTable(
    ['questions', 'mode', 'stores', 'same top-1', 'Jaccard@5', 'identical top-10', 'Kendall τ@10 (queries)'],
    rows.map((r) => [
      r.group,
      r.mode,
      r.pair,
      percent(r.agreement.sameTop1),
      fixed(r.agreement.jaccardAt5),
      percent(r.agreement.identicalTop10),
      r.agreement.kendallTauAt10 === undefined ? '–' : `${fixed(r.agreement.kendallTauAt10)} (${r.agreement.tauQueries})`,
    ]),
    ['l', 'l', 'l', 'r', 'r', 'r', 'r'],
  );
}

export interface SuggestRow {
  group: string;
  /** One per store, in store order. */
  stores: ReadonlyArray<{ answered: number; right: number }>;
  /** Against the first store, one per other store. */
  agreement: ReadonlyArray<{ pair: string; scores: SuggestAgreement }>;
}

export function suggestTable(rows: readonly SuggestRow[], storeTitles: readonly string[]): string {
  return markdownTable(
    ['questions', `answered (${storeTitles.join(' / ')})`, `answered & right (${storeTitles.join(' / ')})`, 'stores', 'same status', 'same source (both answered)', 'same outcome'],
    rows.flatMap((r) =>
      r.agreement.map((a, i) => [
        i === 0 ? r.group : '',
        i === 0 ? joined(r.stores.map((s) => percent(s.answered))) : '',
        i === 0 ? joined(r.stores.map((s) => percent(s.right))) : '',
        a.pair,
        percent(a.scores.sameStatus),
        `${percent(a.scores.sameSourceOfBothAnswered)} (${a.scores.bothAnswered})`,
        percent(a.scores.sameOutcome),
      ]),
    ),
    ['l', 'r', 'r', 'l', 'r', 'r', 'r'],
  );
}

export interface LatencyRow {
  corpus: string;
  store: string;
  hybrid?: Percentiles;
  suggest?: Percentiles;
  vector?: Percentiles;
  lexical?: Percentiles;
  /** The query embedding row: one number set, in the hybrid columns. */
  embedding?: Percentiles;
}

export function latencyTable(rows: readonly LatencyRow[]): string {
  const three = (p: Percentiles | undefined) => (p ? `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)}` : '');
  return markdownTable(
    ['corpus', 'store', 'search hybrid p50 / p95 / p99', 'suggest p50 / p95 / p99', 'vector p50', 'lexical p50', 'searches'],
    rows.map((r) => [
      r.corpus,
      r.store,
      three(r.hybrid ?? r.embedding),
      three(r.suggest),
      r.vector ? ms(r.vector.p50) : '',
      r.lexical ? ms(r.lexical.p50) : '',
      String((r.hybrid ?? r.embedding)?.n ?? ''),
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
  );
}

export interface IndexRow {
  corpus: string;
  store: string;
  openMs: number;
  indexMs: number;
  modelTexts: number;
  documents: number;
  passages: number;
}

export function indexTable(rows: readonly IndexRow[]): string {
  return markdownTable(
    ['corpus', 'store', 'open (ms)', 'index (ms)', 'texts sent to the model while indexing', 'documents', 'passages'],
    rows.map((r) => [r.corpus, r.store, ms(r.openMs), ms(r.indexMs), String(r.modelTexts), String(r.documents), String(r.passages)]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
  );
}
