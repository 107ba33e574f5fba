/** Markdown tables for stdout and the README. Pure: results in, text out. */
import { markdownTable } from '../retrieval/report.js';
import type { Scores } from './evaluate.js';

export { markdownTable };

export const pct = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}`);
const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(3));
const seconds = (milliseconds: number): string => `${(milliseconds / 1000).toFixed(1)} s`;

export interface MethodRow extends Scores {
  key: string;
  name: string;
  trainMs: number;
}

export interface TaskRows {
  key: string;
  title: string;
  methods: MethodRow[];
}

/** Accuracy / macro-F1 of every method (rows) on every task (columns). */
export function summaryTable(tasks: readonly TaskRows[], methodNames: ReadonlyArray<{ key: string; name: string }>): string {
  const headers = ['method', ...tasks.map((t) => t.title)];
  const rows = methodNames.map(({ key, name }) => [
    name,
    ...tasks.map((t) => {
      const row = t.methods.find((m) => m.key === key);
      return row ? `${pct(row.metrics.accuracy)} / ${pct(row.metrics.macroF1)}` : '–';
    }),
  ]);
  return markdownTable(headers, rows, headers.map((_, c) => (c === 0 ? 'l' : 'r')));
}

/** One task: scores, training time, per-message prediction time and (for the categorizer) the automatic-routing share. */
export function taskTable(task: TaskRows): string {
  const headers = ['method', 'accuracy', 'macro-F1', 'train', 'predict ms/msg', 'p95 ms', 'high: share', 'high: accuracy'];
  const rows = task.methods.map((m) => [
    m.name,
    pct(m.metrics.accuracy),
    pct(m.metrics.macroF1),
    seconds(m.trainMs),
    ms(m.predictMs.mean),
    ms(m.predictMs.p95),
    m.levels ? pct(m.levels.high.share) : '–',
    m.levels ? pct(m.levels.high.accuracy) : '–',
  ]);
  return markdownTable(headers, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']);
}

/** Accuracy / macro-F1 on the whole test set and on each subset (languages, or rows with no templated twin). */
export function subsetTable(task: TaskRows): string {
  const names = task.methods[0]?.subsets.map((s) => s.name) ?? [];
  const counts = task.methods[0]?.subsets.map((s) => s.count) ?? [];
  const total = task.methods[0]?.metrics.count ?? 0;
  const headers = ['method', `all (${total})`, ...names.map((name, i) => `${name} (${counts[i]})`)];
  const rows = task.methods.map((m) => [
    m.name,
    `${pct(m.metrics.accuracy)} / ${pct(m.metrics.macroF1)}`,
    ...m.subsets.map((s) => `${pct(s.accuracy)} / ${pct(s.macroF1)}`),
  ]);
  return markdownTable(headers, rows, headers.map((_, c) => (c === 0 ? 'l' : 'r')));
}

export interface EmbeddingRow {
  dataset: string;
  texts: number;
  meanChars: number;
  ms: number;
}

/** Batched embedding cost per dataset (what training and bulk backtests pay). */
export function embeddingTable(rows: readonly EmbeddingRow[]): string {
  return markdownTable(
    ['texts embedded', 'distinct texts', 'mean chars', 'total', 'ms/text (batched)'],
    rows.map((r) => [r.dataset, String(r.texts), r.meanChars.toFixed(0), seconds(r.ms), ms(r.ms / Math.max(1, r.texts))]),
    ['l', 'r', 'r', 'r', 'r'],
  );
}

export interface SingleRow {
  dataset: string;
  messages: number;
  mean: number;
  p50: number;
  p95: number;
}

/** One message embedded on its own (what a live incoming ticket pays before any predict). */
export function singleEmbeddingTable(rows: readonly SingleRow[]): string {
  return markdownTable(
    ['one message at a time', 'messages', 'mean ms', 'p50 ms', 'p95 ms'],
    rows.map((r) => [r.dataset, String(r.messages), ms(r.mean), ms(r.p50), ms(r.p95)]),
    ['l', 'r', 'r', 'r', 'r'],
  );
}
