/**
 * Multilingual benchmark: questions in Italian, German and Russian (and their
 * English versions) against docs-content — English articles, some translated —
 * with the English-only USE-lite encoder: retrieval per language and per
 * configuration (foreign vector weight 1 / 0.25 / 0, lexical only, vector only),
 * whether the answer comes in the customer's language, where `suggest` should
 * abstain on its calibrated probability (`bands.abstain`), and
 * how the categorizer routes multilingual tickets to a queue per language.
 * See README.md beside this file.
 *
 *   pnpm bench:multilingual       (from the workspace root)
 *
 * Tables go to stdout, everything to bench/results/multilingual.json.
 * ANSWERDESK_DATASETS overrides the datasets folder (default ../shared/datasets next to the repository).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KnowledgeBase, UseLiteEncoder, articleDocs, trainCategorizer, type ConfidenceLevel, type DocFilter, type KnowledgeBaseOptions, type KnowledgeDoc, type SearchMode, DEFAULT_BANDS } from '@answerdesk/core';
import { readArticles } from '@answerdesk/markdown';
import { translationIndex, type TranslationIndex } from '../../packages/core/src/translations.js';
import { loadTickets, TICKET_LANGUAGES } from '../categorize/datasets.js';
import { VectorTable } from '../categorize/embed.js';
import { mean, predictAll, score } from '../categorize/evaluate.js';
import type { Trained } from '../categorize/methods.js';
import { bandsAt } from '../common/bands.js';
import { progress, progressDone } from '../common/progress.js';
import { MemoEncoder } from '../retrieval/encoder.js';
import { machineInfo } from '../common/machine.js';
import {
  bandTable,
  cutoffTable,
  detectionTable,
  gridTable,
  languageTitle,
  pct,
  pool,
  retrievalTable,
  routingTable,
  suggestTable,
  summaryTable,
  utility,
  weightSweepTable,
  type BandRow,
  type CutoffCell,
  type DetectionRow,
  type OffTopicScores,
  type RankingScores,
  type RetrievalRow,
  type RoutingRow,
  type SuggestRow,
  type SuggestScores,
  type SummaryRow,
} from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

interface Configuration {
  key: string;
  name: string;
  mode: SearchMode;
  /** Unset: the knowledge base's default. */
  foreignVectorWeight?: number;
  /** Pass the question's language (`search(text, { language })`) instead of detecting it. */
  languageGiven?: boolean;
  /** Search tickets too (no `CONFIG.filter`). */
  unfiltered?: boolean;
}

/** Everything that shapes the numbers. Fixed, so two runs print the same metrics; only timings move. */
const CONFIG = {
  /** Seed of the tickets' split and of the categorizer's training (both bench/categorize's). */
  seed: 1,
  /** Depth of every ranking: hit@3 and MRR@5 need 5. */
  k: 5,
  /**
   * Every scored search and suggestion is limited to article sections: the expected answers are sections, and
   * docs-content's 188 resolved tickets (indexed too) answer many of the same questions with no gold label, so a
   * ticket on top would count as a miss. One row per language shows the unfiltered ranking.
   */
  filter: { kind: 'article' } as DocFilter,
  /** The built-in defaults of packages/core (knowledge-base.ts); the run checks that a knowledge base opened without options behaves as these. */
  defaults: { foreignVectorWeight: 0.25 as number, abstain: DEFAULT_BANDS.abstain as number },
  /** Retrieval configurations, each a knowledge base of its own over the one store (lexical and vector only use the default one: the weight does not enter them). */
  configurations: [
    { key: 'default', name: 'hybrid, foreign weight 0.25 (default)', mode: 'hybrid' },
    { key: 'w1', name: 'hybrid, foreign weight 1', mode: 'hybrid', foreignVectorWeight: 1 },
    { key: 'w0', name: 'hybrid, foreign weight 0', mode: 'hybrid', foreignVectorWeight: 0 },
    { key: 'lexical', name: 'lexical only', mode: 'lexical' },
    { key: 'vector', name: 'vector only', mode: 'vector' },
    { key: 'given', name: 'hybrid default, language given (not detected)', mode: 'hybrid', languageGiven: true },
    { key: 'tickets', name: 'hybrid default, tickets included (no filter)', mode: 'hybrid', unfiltered: true },
  ] as Configuration[],
  /** Foreign vector weights swept (hybrid search, and suggest at each abstain cut-off). */
  foreignWeights: [0, 0.1, 0.25, 0.5, 1] as readonly number[],
  /** `bands.abstain` cut-offs swept, on the calibrated probability that the answer shown is right; medium and high are lifted to the cut-off when it passes them. */
  abstainCutoffs: [0.3, 0.4, 0.5, 0.6, 0.7] as readonly number[],
  /** Band edges of the top hit's word coverage, for the level table. */
  coverageBands: [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as readonly number[],
  /** Question languages listed first, in this order; any other query file follows. */
  languageOrder: ['en', 'it', 'de', 'ru'],
  ticketField: 'queue',
} as const;

// ------------------------------------------------------------------ questions

interface Query {
  language: string;
  text: string;
  /** English id of the expected section, as written in the query file. */
  expected: string;
  /** `family#n` of the expected section: a hit on any language of it is right. */
  key: string;
  /** Language the answer should be shown in: the question's where the section is translated into it, else English. */
  answerLanguage: string;
}

interface QuerySet {
  language: string;
  queries: Query[];
  /** Questions whose expected section has a translation in the question's language. */
  translated: number;
  file?: string;
}

/**
 * Every `queries/*.jsonl` (the file name is the language), and the English
 * version of each question as one more set. Lines that are not complete JSON
 * (a file still being written) or whose expected section is unknown are left
 * out with a note.
 */
async function loadQueries(dir: string, docs: ReadonlyMap<string, KnowledgeDoc>, translations: TranslationIndex, notes: string[]): Promise<QuerySet[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort();
  const sets: QuerySet[] = [];
  const english: Query[] = [];
  const answerLanguage = (key: string, language: string) => (translations.variant(key, language) ? language : 'en');
  for (const name of files) {
    const language = name.replace(/\.jsonl$/, '');
    const queries: Query[] = [];
    const lines = (await readFile(path.join(dir, name), 'utf8')).split('\n');
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      let row: { query?: unknown; english?: unknown; expected?: unknown };
      try {
        row = JSON.parse(line);
      } catch {
        notes.push(`queries/${name}:${i + 1} skipped: not complete JSON.`);
        continue;
      }
      if (typeof row.query !== 'string' || typeof row.expected !== 'string') {
        notes.push(`queries/${name}:${i + 1} skipped: no "query" or "expected" string.`);
        continue;
      }
      const key = docs.has(row.expected) ? translations.keyOf(row.expected) : undefined;
      if (key === undefined) {
        notes.push(`queries/${name}:${i + 1} skipped: expected section ${row.expected} is not in docs-content.`);
        continue;
      }
      queries.push({ language, text: row.query, expected: row.expected, key, answerLanguage: answerLanguage(key, language) });
      if (typeof row.english === 'string' && !english.some((q) => q.text === row.english && q.key === key)) {
        english.push({ language: 'en', text: row.english, expected: row.expected, key, answerLanguage: answerLanguage(key, 'en') });
      }
    }
    if (queries.length) sets.push({ language, queries, translated: queries.filter((q) => q.answerLanguage === language).length, file: `queries/${name}` });
  }
  if (english.length) sets.push({ language: 'en', queries: english, translated: english.length });
  const order = (language: string) => {
    const at = (CONFIG.languageOrder as readonly string[]).indexOf(language);
    return at < 0 ? CONFIG.languageOrder.length : at;
  };
  return sets.sort((a, b) => order(a.language) - order(b.language) || (a.language < b.language ? -1 : 1));
}

async function loadOffTopic(file: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { language: string; query: string };
    out.set(row.language, [...(out.get(row.language) ?? []), row.query]);
  }
  return out;
}

// ------------------------------------------------------------------ retrieval

interface SearchRecord {
  query: string;
  expected: string;
  /** 1-based rank of the expected section (any language) in the top k; 0 when absent. */
  rank: number;
  top?: { id: string; matched?: string; key?: string; language: string; kind: string; coverage?: number; similarity?: number };
  read: { code: string; basis: string };
}

async function searchAll(kb: KnowledgeBase, translations: TranslationIndex, queries: readonly Query[], conf: Pick<Configuration, 'mode' | 'languageGiven' | 'unfiltered'>, label: string): Promise<SearchRecord[]> {
  const out: SearchRecord[] = [];
  for (const [i, q] of queries.entries()) {
    progress(label, i + 1, queries.length);
    const result = await kb.search(q.text, { k: CONFIG.k, mode: conf.mode, ...(conf.unfiltered ? {} : { filter: CONFIG.filter }), ...(conf.languageGiven ? { language: q.language } : {}) });
    const rank = result.hits.findIndex((hit) => translations.keyOf(hit.doc.id) === q.key || (hit.matched !== undefined && translations.keyOf(hit.matched) === q.key)) + 1;
    const top = result.hits[0];
    out.push({
      query: q.text,
      expected: q.expected,
      rank,
      ...(top
        ? {
            top: {
              id: top.doc.id,
              ...(top.matched ? { matched: top.matched } : {}),
              ...(translations.keyOf(top.doc.id) ? { key: translations.keyOf(top.doc.id) } : {}),
              language: top.doc.language,
              kind: top.doc.kind,
              ...(top.coverage !== undefined ? { coverage: top.coverage } : {}),
              ...(top.similarity !== undefined ? { similarity: top.similarity } : {}),
            },
          }
        : {}),
      read: { code: result.language.code, basis: result.language.basis },
    });
  }
  return out;
}

/** Off-topic questions have no expected section: only the top hit matters. */
async function searchOffTopic(kb: KnowledgeBase, texts: readonly string[], label: string): Promise<Array<{ query: string; coverage?: number; read: string }>> {
  const out: Array<{ query: string; coverage?: number; read: string }> = [];
  for (const [i, text] of texts.entries()) {
    progress(label, i + 1, texts.length);
    const result = await kb.search(text, { k: CONFIG.k, filter: CONFIG.filter });
    out.push({ query: text, ...(result.hits[0]?.coverage !== undefined ? { coverage: result.hits[0].coverage } : {}), read: result.language.code });
  }
  return out;
}

/** `family#n` → `family`. Pure. */
const familyOf = (key: string): string => key.slice(0, key.lastIndexOf('#'));

/** hit@1, hit@3, MRR@5, right language @1 and detection over one set's records. Pure. */
function rankingScores(queries: readonly Query[], records: readonly SearchRecord[]): RankingScores {
  const at = (i: number) => queries[i]!;
  return {
    queries: records.length,
    hitAt1: mean(records.map((r) => (r.rank === 1 ? 1 : 0))),
    hitAt3: mean(records.map((r) => (r.rank >= 1 && r.rank <= 3 ? 1 : 0))),
    mrrAt5: mean(records.map((r) => (r.rank >= 1 ? 1 / r.rank : 0))),
    rightLanguageAt1: mean(records.map((r, i) => (r.top?.language === at(i).answerLanguage ? 1 : 0))),
    rightSectionAndLanguageAt1: mean(records.map((r, i) => (r.rank === 1 && r.top?.language === at(i).answerLanguage ? 1 : 0))),
    rightArticleAt1: mean(records.map((r, i) => (r.top?.key !== undefined && familyOf(r.top.key) === familyOf(at(i).key) ? 1 : 0))),
    languageDetected: mean(records.map((r, i) => (r.read.code === at(i).language ? 1 : 0))),
  };
}

// ------------------------------------------------------------------ suggest

interface SuggestRecord {
  query: string;
  status: 'answered' | 'abstained';
  source?: string;
  sourceKind?: string;
  right: boolean;
  answerLanguage?: string;
  level?: ConfidenceLevel;
  /** The confidence score: the calibrated probability that the answer shown is right. */
  score: number;
  /** The language the question was read in, and how (`detected`, or the `default` when detection could not tell). */
  read: string;
  basis: string;
}

async function suggestAll(kb: KnowledgeBase, translations: TranslationIndex, items: ReadonlyArray<{ text: string; key?: string }>, label: string, unfiltered = false): Promise<SuggestRecord[]> {
  const out: SuggestRecord[] = [];
  for (const [i, item] of items.entries()) {
    progress(label, i + 1, items.length);
    const s = await kb.suggest(item.text, unfiltered ? {} : { filter: CONFIG.filter });
    const answered = s.status === 'answered';
    out.push({
      query: item.text,
      status: s.status,
      ...(s.source ? { source: s.source.id, sourceKind: s.source.kind } : {}),
      right: answered && item.key !== undefined && s.source !== undefined && translations.keyOf(s.source.id) === item.key,
      ...(answered ? { answerLanguage: s.language, level: s.confidence.level } : {}),
      score: s.confidence.score,
      read: s.queryLanguage?.code ?? '',
      basis: s.queryLanguage?.basis ?? '',
    });
  }
  return out;
}

const noLevels = () => ({ high: { answered: 0, right: 0 }, medium: { answered: 0, right: 0 }, low: { answered: 0, right: 0 } });

function suggestScores(queries: readonly Query[], records: readonly SuggestRecord[]): SuggestScores {
  const levels = noLevels();
  let rightLanguage = 0;
  records.forEach((r, i) => {
    if (r.status !== 'answered' || !r.level) return;
    levels[r.level].answered++;
    if (r.right) levels[r.level].right++;
    if (r.answerLanguage === queries[i]!.answerLanguage) rightLanguage++;
  });
  const answered = records.filter((r) => r.status === 'answered').length;
  const answeredRight = records.filter((r) => r.right).length;
  return { queries: records.length, answered, answeredRight, answeredWrong: answered - answeredRight, rightLanguage, levels };
}

function offTopicScores(records: readonly SuggestRecord[]): OffTopicScores {
  const levels = { high: 0, medium: 0, low: 0 };
  for (const r of records) if (r.level) levels[r.level]++;
  return { questions: records.length, abstained: records.filter((r) => r.status === 'abstained').length, levels };
}

const cutoffCell = (inDomain: readonly SuggestRecord[], offTopic: readonly SuggestRecord[]): CutoffCell => ({
  queries: inDomain.length,
  right: inDomain.filter((r) => r.right).length,
  wrong: inDomain.filter((r) => r.status === 'answered' && !r.right).length,
  offTopic: offTopic.length,
  offTopicAbstained: offTopic.filter((r) => r.status === 'abstained').length,
});

// ------------------------------------------------------------------ queue routing

async function runRouting(encoder: UseLiteEncoder, file: string) {
  const tasks = await loadTickets(file, CONFIG.seed);
  const task = tasks.find((t) => t.field === CONFIG.ticketField)!;
  const table = new VectorTable(encoder);
  const embedding = await table.add([...task.train, ...task.test].map((e) => e.text), (p) => progress('tickets: embedding', p.done, p.total));
  const train = task.train.map((e) => ({ text: e.text, label: e.label, vector: table.get(e.text) }));
  const test = task.test.map((e) => ({ text: e.text, label: e.label, vector: table.get(e.text) }));
  const trainStarted = performance.now();
  // Default options, as bench/categorize's `answerdesk` row (its seed is 1, CONFIG.seed): the same model and the same split.
  const categorizer = await trainCategorizer(train, encoder, { field: task.field, onProgress: (p) => progress(`tickets: training (${p.phase})`, p.done, p.total) });
  const trainMs = performance.now() - trainStarted;
  const trained: Trained = {
    predict: (vector, text) => {
      const p = categorizer.predictVector(vector, text);
      return { label: p.label, level: p.level };
    },
    details: {},
  };
  progress('tickets: predicting');
  const { predictions, times } = predictAll(trained, test);
  const scores = score(test, predictions, times, task.subsets);
  // One model for every language, so the baseline is one queue for every language too: train's most frequent.
  const counts = new Map<string, number>();
  for (const e of task.train) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  const majorityLabel = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  const rowOf = (language: string, indices: readonly number[], accuracy: number, macroF1: number): RoutingRow => {
    const high = indices.filter((i) => predictions[i]!.level === 'high');
    return {
      language,
      count: indices.length,
      accuracy,
      macroF1,
      majority: mean(indices.map((i) => (test[i]!.label === majorityLabel ? 1 : 0))),
      high: { share: indices.length ? high.length / indices.length : 0, accuracy: high.length ? mean(high.map((i) => (predictions[i]!.label === test[i]!.label ? 1 : 0))) : undefined },
    };
  };
  const rows: RoutingRow[] = [
    ...scores.subsets.map((s) => rowOf(s.name, task.subsets.find((t) => t.name === s.name)!.indices, s.accuracy, s.macroF1)),
    rowOf('all', test.map((_, i) => i), scores.metrics.accuracy, scores.metrics.macroF1),
  ];
  return { task: { key: task.key, title: task.title, protocol: task.protocol, counts: task.counts, notes: task.notes }, majorityLabel, embedding, trainMs, calibration: categorizer.info.calibration, scores, rows };
}

// ------------------------------------------------------------------ main

function datasetsDir(): string {
  return path.resolve(process.env.ANSWERDESK_DATASETS ?? path.join(repoRoot, '..', 'shared', 'datasets'));
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  const docsDir = path.join(repoRoot, 'docs-content');
  const offTopic = await loadOffTopic(path.join(here, 'offtopic.jsonl'));
  const inner = new UseLiteEncoder();
  const encoder = new MemoEncoder(inner);
  const store = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-multilingual-'));
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    const value = await run();
    timings[name] = Math.round(performance.now() - at);
    return value;
  };
  try {
    await time('modelLoadMs', () => encoder.load());

    // 1. Index docs-content once; every configuration below opens the same store again, for reading only.
    const indexReport = await time('indexMs', async () => {
      const writer = await KnowledgeBase.open({ store, encoder });
      const report = await writer.index([docsDir], { onProgress: (p) => progress(`indexing docs-content: ${p.phase}`, p.done, p.total) });
      await writer.close();
      return report;
    });
    progressDone();
    const open = (options: Partial<KnowledgeBaseOptions>) => KnowledgeBase.open({ ...options, store, encoder });
    const base = await open({});
    const stats = base.stats;

    // The translation families, built from the stored documents by core's own `translationIndex`.
    const docs = new Map<string, KnowledgeDoc>();
    for (const article of (await readArticles(docsDir)).articles) {
      for (const doc of articleDocs(article)) {
        const stored = await base.document(doc.id);
        if (stored) docs.set(doc.id, stored);
      }
    }
    const translations = translationIndex(docs.values());
    const notes: string[] = [];
    const sets = await loadQueries(path.join(here, 'queries'), docs, translations, notes);
    if (sets.length === 0) throw new Error('no questions: bench/multilingual/queries/*.jsonl hold none that can be scored');
    const languages = sets.map((s) => s.language);
    const foreign = sets.filter((s) => s.language !== 'en');
    const setOf = (language: string) => sets.find((s) => s.language === language)!;
    const offTopicOf = (language: string) => offTopic.get(language) ?? [];

    // Query vectors once, in one batch: every knowledge base below reads them from MemoEncoder.
    const questions = [...new Set([...sets.flatMap((s) => s.queries.map((q) => q.text)), ...[...offTopic.values()].flat()])];
    await time('questionEmbedMs', () => encoder.embedQueries(questions, { onProgress: (p) => progress('embedding questions', p.done, p.total) }));

    // 2. Retrieval per language and configuration.
    const retrieval: Array<RetrievalRow & { records: SearchRecord[] }> = [];
    await time('retrievalMs', async () => {
      for (const conf of CONFIG.configurations) {
        const kb = conf.foreignVectorWeight === undefined ? base : await open({ foreignVectorWeight: conf.foreignVectorWeight });
        for (const set of sets) {
          const records = await searchAll(kb, translations, set.queries, conf, `search ${conf.name}: ${set.language}`);
          retrieval.push({ configuration: conf.key, name: conf.name, language: set.language, ...rankingScores(set.queries, records), records });
        }
        if (kb !== base) await kb.close();
      }
    });
    const retrievalRow = (configuration: string, language: string) => retrieval.find((r) => r.configuration === configuration && r.language === language);

    // 3a. Suggest with the defaults, per language, and the off-topic questions.
    const suggestDefault: Array<SuggestRow & { records: SuggestRecord[]; offTopicRecords: SuggestRecord[] }> = [];
    const suggestUnfiltered: Array<{ language: string; queries: number; answered: number; tickets: number; right: number; offTopic: number; offTopicAbstained: number }> = [];
    const offTopicSearch = new Map<string, Array<{ query: string; coverage?: number; read: string }>>();
    await time('suggestMs', async () => {
      for (const set of sets) {
        const records = await suggestAll(base, translations, set.queries.map((q) => ({ text: q.text, key: q.key })), `suggest (defaults): ${set.language}`);
        const off = await suggestAll(base, translations, offTopicOf(set.language).map((text) => ({ text })), `suggest (defaults): ${set.language} off-topic`);
        offTopicSearch.set(set.language, await searchOffTopic(base, offTopicOf(set.language), `search off-topic: ${set.language}`));
        suggestDefault.push({ language: set.language, inDomain: suggestScores(set.queries, records), ...(off.length ? { offTopic: offTopicScores(off) } : {}), records, offTopicRecords: off });
        const all = await suggestAll(base, translations, set.queries.map((q) => ({ text: q.text, key: q.key })), `suggest (no filter): ${set.language}`, true);
        const allOff = await suggestAll(base, translations, offTopicOf(set.language).map((text) => ({ text })), `suggest (no filter): ${set.language} off-topic`, true);
        suggestUnfiltered.push({
          language: set.language,
          queries: all.length,
          answered: all.filter((r) => r.status === 'answered').length,
          tickets: all.filter((r) => r.sourceKind === 'ticket').length,
          right: all.filter((r) => r.right).length,
          offTopic: allOff.length,
          offTopicAbstained: allOff.filter((r) => r.status === 'abstained').length,
        });
      }
    });

    // 3b. Foreign weight × word abstain cut-off: suggest on the non-English questions (English is read by meaning:
    // neither setting applies to it), and hybrid search at each weight.
    const grid: Array<{ weight: number; cutoff: number; language: string; cell: CutoffCell; records: SuggestRecord[]; offTopicRecords: SuggestRecord[] }> = [];
    const weightSweep: Array<{ weight: number; language: string; scores: RankingScores; records: SearchRecord[] }> = [];
    await time('sweepMs', async () => {
      for (const weight of CONFIG.foreignWeights) {
        for (const cutoff of CONFIG.abstainCutoffs) {
          const kb = await open({ foreignVectorWeight: weight, bands: bandsAt(cutoff) });
          if (cutoff === CONFIG.defaults.abstain) {
            for (const set of sets) {
              const records = await searchAll(kb, translations, set.queries, { mode: 'hybrid' }, `sweep: search w=${weight} ${set.language}`);
              weightSweep.push({ weight, language: set.language, scores: rankingScores(set.queries, records), records });
            }
          }
          for (const set of foreign) {
            const label = `sweep: suggest w=${weight} cut-off ${cutoff} ${set.language}`;
            const records = await suggestAll(kb, translations, set.queries.map((q) => ({ text: q.text, key: q.key })), label);
            const off = await suggestAll(kb, translations, offTopicOf(set.language).map((text) => ({ text })), `${label} off-topic`);
            grid.push({ weight, cutoff, language: set.language, cell: cutoffCell(records, off), records, offTopicRecords: off });
          }
          await kb.close();
        }
      }
    });
    await base.close();
    const gridCell = (weight: number, cutoff: number, language: string) => grid.find((g) => g.weight === weight && g.cutoff === cutoff && g.language === language)?.cell;
    const pooledCell = (weight: number, cutoff: number) => pool(foreign.map((s) => gridCell(weight, cutoff, s.language)));
    const sweepScores = (weight: number, language: string) => weightSweep.find((w) => w.weight === weight && w.language === language)?.scores;
    const pooledSweep = (weight: number): RankingScores | undefined => {
      const queries = foreign.flatMap((s) => s.queries);
      const records = foreign.flatMap((s) => weightSweep.find((w) => w.weight === weight && w.language === s.language)?.records ?? []);
      return records.length === queries.length && records.length ? rankingScores(queries, records) : undefined;
    };

    // Checks: a knowledge base opened with no options behaves as CONFIG.defaults says.
    const d = CONFIG.defaults;
    const sameSearch = (a: readonly SearchRecord[], b: readonly SearchRecord[]) => a.length === b.length && a.every((r, i) => r.rank === b[i]!.rank && r.top?.id === b[i]!.top?.id);
    const sameSuggest = (a: readonly SuggestRecord[], b: readonly SuggestRecord[]) => a.length === b.length && a.every((r, i) => r.status === b[i]!.status && r.source === b[i]!.source);
    const checks = {
      defaultSearchIsForeignWeight: sets.every((s) => sameSearch(retrievalRow('default', s.language)!.records, weightSweep.find((w) => w.weight === d.foreignVectorWeight && w.language === s.language)!.records)),
      defaultSuggestIsBands: foreign.every((s) => {
        const g = grid.find((x) => x.weight === d.foreignVectorWeight && x.cutoff === d.abstain && x.language === s.language)!;
        const def = suggestDefault.find((x) => x.language === s.language)!;
        return sameSuggest(def.records, g.records) && sameSuggest(def.offTopicRecords, g.offTopicRecords);
      }),
    };

    // Coverage of the top hit (default configuration), non-English questions: accuracy per band, off-topic top hits per band.
    const edges = CONFIG.coverageBands;
    const bands: BandRow[] = edges.slice(0, -1).map((from, b) => ({ from, to: edges[b + 1]!, inDomain: 0, right: 0, offTopic: 0 }));
    const bandOf = (coverage: number | undefined) => {
      const c = coverage ?? 0;
      return bands.find((band, b) => c >= band.from && (c < band.to || b === bands.length - 1))!;
    };
    for (const set of foreign) {
      for (const r of retrievalRow('default', set.language)!.records) {
        const band = bandOf(r.top?.coverage);
        band.inDomain++;
        if (r.rank === 1) band.right++;
      }
      for (const r of offTopicSearch.get(set.language) ?? []) bandOf(r.coverage).offTopic++;
    }

    // 4. Queue routing on the multilingual tickets.
    const routing = await time('routingMs', () => runRouting(inner, path.join(datasetsDir(), 'support-tickets-multilingual', 'dataset-tickets-multi-lang3-4k.subset.csv')));
    progressDone();

    // Recommendations, by stated rules: retrieval by pooled MRR@5 over the non-English questions (ties: hit@1, then the
    // current default); suggest by right − wrong − off-topic answered, pooled (ties: the current default, then more right).
    const weightRank = CONFIG.foreignWeights
      .map((weight) => ({ weight, scores: pooledSweep(weight) }))
      .filter((w): w is { weight: number; scores: RankingScores } => w.scores !== undefined)
      .sort((a, b) => b.scores.mrrAt5 - a.scores.mrrAt5 || b.scores.hitAt1 - a.scores.hitAt1 || Number(b.weight === d.foreignVectorWeight) - Number(a.weight === d.foreignVectorWeight));
    const pairs = CONFIG.foreignWeights.flatMap((weight) => CONFIG.abstainCutoffs.map((cutoff) => ({ weight, cutoff, cell: pooledCell(weight, cutoff) })));
    const isDefault = (p: { weight: number; cutoff: number }) => Number(p.weight === d.foreignVectorWeight && p.cutoff === d.abstain);
    const pairRank = [...pairs].sort((a, b) => utility(b.cell) - utility(a.cell) || isDefault(b) - isDefault(a) || b.cell.right - a.cell.right);
    const cutoffRankAtDefault = pairs.filter((p) => p.weight === d.foreignVectorWeight).sort((a, b) => utility(b.cell) - utility(a.cell) || isDefault(b) - isDefault(a) || b.cell.right - a.cell.right);
    const defaultPair = pairs.find((p) => isDefault(p))!;
    const recommendation = {
      rule: 'retrieval: pooled non-English MRR@5 (ties: hit@1, then the default); suggest: pooled right − wrong − off-topic answered (ties: the default, then more right)',
      retrievalWeight: weightRank[0] ? { weight: weightRank[0].weight, mrrAt5: weightRank[0].scores.mrrAt5, hitAt1: weightRank[0].scores.hitAt1 } : undefined,
      suggestPair: pairRank[0] ? { weight: pairRank[0].weight, cutoff: pairRank[0].cutoff, ...pairRank[0].cell, utility: utility(pairRank[0].cell) } : undefined,
      cutoffAtDefaultWeight: cutoffRankAtDefault[0] ? { cutoff: cutoffRankAtDefault[0].cutoff, ...cutoffRankAtDefault[0].cell, utility: utility(cutoffRankAtDefault[0].cell) } : undefined,
      current: { weight: d.foreignVectorWeight, cutoff: d.abstain, ...defaultPair.cell, utility: utility(defaultPair.cell) },
    };

    // ---------------------------------------------------------------- print
    const foreignCodes = foreign.map((s) => s.language);
    const out: string[] = [];
    const queryLine = sets
      .map((s) => (s.language === 'en' ? `${s.queries.length} English (the files' "english" versions)` : `${s.queries.length} ${languageTitle(s.language)} (${s.translated} with the section translated into it)`))
      .join(', ');
    out.push(
      '## Corpus and questions',
      '',
      `docs-content indexed once with ${stats.model}: ${indexReport.articles} articles (${indexReport.sections} sections), ${indexReport.tickets} tickets, ${stats.passages} passages, in ${(timings.indexMs! / 1000).toFixed(1)} s. Questions: ${queryLine}; off-topic: ${[...offTopic].map(([l, t]) => `${t.length} ${l}`).join(', ')}.`,
      '',
    );
    for (const note of notes) out.push(`Note: ${note}`, '');
    if (indexReport.errors.length) out.push(`Note: indexing reported ${indexReport.errors.length} problem(s): ${indexReport.errors.map((e) => e.message).join('; ')}`, '');

    out.push('## Retrieval (kb.search, k = 5, article sections only, language detected)', '');
    out.push('A hit is the expected section in any language (same `family#n` in core\'s `translationIndex`). "right language @1": the top hit is in the question\'s language when the expected section is translated into it, else in English.', '');
    for (const set of sets) {
      const rows = retrieval.filter((r) => r.language === set.language);
      out.push(`### ${languageTitle(set.language)}: ${set.queries.length} questions${set.language === 'en' ? '' : `, ${set.translated} with the section translated into ${set.language}`}`, '');
      out.push(retrievalTable(rows), '');
      if (set.language === 'en') out.push('English is matched by meaning: the foreign weight does not apply to it (a row differs only where a question was read as another language).', '');
    }
    out.push('### Hybrid search by foreign vector weight', '', weightSweepTable(CONFIG.foreignWeights, [...foreignCodes, 'en'], sweepScores, d.foreignVectorWeight), '');
    const pooledRows = CONFIG.foreignWeights.map((w) => ({ w, s: pooledSweep(w) }));
    out.push(`Pooled over ${foreignCodes.join(', ')}: ${pooledRows.map(({ w, s }) => (s ? `w=${w} hit@1 ${pct(s.hitAt1)} MRR@5 ${s.mrrAt5.toFixed(3)}` : `w=${w} –`)).join('; ')}.`, '');

    const detection: DetectionRow[] = sets.map((set) => {
      const records = retrievalRow('default', set.language)!.records;
      const readAs: Record<string, number> = {};
      for (const r of records) readAs[r.read.code] = (readAs[r.read.code] ?? 0) + 1;
      return { language: set.language, queries: records.length, detected: mean(records.map((r) => (r.read.code === set.language ? 1 : 0))), readAs, defaulted: records.filter((r) => r.read.basis === 'default').length };
    });
    out.push('### Language detection (the questions above)', '', detectionTable(detection), '');

    out.push('## Suggest (kb.suggest, default options, article sections only)', '');
    out.push('"answered & right": the cited source is the expected section in any language, over all questions; levels are right/answered. The score is the calibrated probability that the answer shown is right (`DEFAULT_BANDS`: abstain below 0.4, Medium from 0.6, High from 0.85), with weights of its own for the languages the encoder cannot read.', '');
    const pooledSuggest: SuggestRow = {
      language: `all non-English`,
      inDomain: (() => {
        const rows = suggestDefault.filter((s) => s.language !== 'en').map((s) => s.inDomain);
        const levels = noLevels();
        for (const r of rows) for (const l of ['high', 'medium', 'low'] as const) {
          levels[l].answered += r.levels[l].answered;
          levels[l].right += r.levels[l].right;
        }
        const sum = (f: (s: SuggestScores) => number) => rows.reduce((a, r) => a + f(r), 0);
        return { queries: sum((r) => r.queries), answered: sum((r) => r.answered), answeredRight: sum((r) => r.answeredRight), answeredWrong: sum((r) => r.answeredWrong), rightLanguage: sum((r) => r.rightLanguage), levels };
      })(),
      offTopic: (() => {
        const rows = suggestDefault.filter((s) => s.language !== 'en' && s.offTopic).map((s) => s.offTopic!);
        return { questions: rows.reduce((a, r) => a + r.questions, 0), abstained: rows.reduce((a, r) => a + r.abstained, 0), levels: { high: rows.reduce((a, r) => a + r.levels.high, 0), medium: rows.reduce((a, r) => a + r.levels.medium, 0), low: rows.reduce((a, r) => a + r.levels.low, 0) } };
      })(),
    };
    out.push(suggestTable([...suggestDefault.map((s) => ({ ...s, language: languageTitle(s.language) })), ...(foreign.length > 1 ? [pooledSuggest] : [])]), '');

    out.push(
      `Without the article filter (tickets may answer): ${suggestUnfiltered.map((u) => `${u.language} ${u.answered}/${u.queries} answered, ${u.tickets} of them citing a ticket, ${u.right} citing the expected section, ${u.offTopicAbstained}/${u.offTopic} off-topic abstained`).join('; ')}.`,
      '',
    );
    out.push(`### Abstain cut-off on the calibrated probability (non-English, foreign weight ${d.foreignVectorWeight})`, '');
    out.push('Counts over all questions of the language: answered & right, answered & wrong, off-topic questions abstained on. The last column scores each cut-off +1 per right answer, −1 per wrong answer or answered off-topic question.', '');
    out.push(cutoffTable(CONFIG.abstainCutoffs, foreignCodes, (cutoff, language) => gridCell(d.foreignVectorWeight, cutoff, language), d.abstain), '');
    out.push(`### Foreign weight × cut-off (suggest, pooled over ${foreignCodes.join(', ')}: right / wrong / off-topic answered (score))`, '');
    out.push(gridTable(CONFIG.foreignWeights, CONFIG.abstainCutoffs, pooledCell, { weight: d.foreignVectorWeight, cutoff: d.abstain }), '');
    out.push(`### Top-hit word coverage and accuracy (hybrid default, non-English: ${foreignCodes.join(', ')})`, '');
    out.push(bandTable(bands), '');

    out.push('## Queue routing (multilingual tickets, one categorizer for all languages)', '', routing.task.protocol, '', routingTable(routing.rows), '');
    out.push(`Majority-queue baseline: always "${routing.majorityLabel}" (train's most frequent queue). Tickets embedded in ${(routing.embedding.ms / 1000).toFixed(1)} s, categorizer trained in ${(routing.trainMs / 1000).toFixed(1)} s.`, '');

    const summary: SummaryRow[] = [];
    for (const set of sets) {
      const r = retrievalRow('default', set.language)!;
      const s = suggestDefault.find((x) => x.language === set.language)!;
      const t = routing.rows.find((x) => x.language === set.language);
      summary.push({
        language: set.language,
        retrieval: { queries: r.queries, hitAt1: r.hitAt1, hitAt1W1: retrievalRow('w1', set.language)!.hitAt1, hitAt1Lexical: retrievalRow('lexical', set.language)!.hitAt1, hitAt1Vector: retrievalRow('vector', set.language)!.hitAt1, rightLanguageAt1: r.rightLanguageAt1 },
        suggest: { right: s.inDomain.answeredRight / s.inDomain.queries, wrong: s.inDomain.answeredWrong / s.inDomain.queries, ...(s.offTopic ? { offTopicAbstained: s.offTopic.abstained / s.offTopic.questions } : {}) },
        ...(t ? { routing: { count: t.count, accuracy: t.accuracy, macroF1: t.macroF1 } } : {}),
      });
    }
    for (const language of TICKET_LANGUAGES) {
      if (summary.some((s) => s.language === language)) continue;
      const t = routing.rows.find((x) => x.language === language)!;
      summary.push({ language, routing: { count: t.count, accuracy: t.accuracy, macroF1: t.macroF1 } });
    }
    out.push('## Summary', '', summaryTable(summary), '');

    const rec = recommendation;
    const cellText = (c: CutoffCell & { utility: number }) => `${c.right} right, ${c.wrong} wrong, ${c.offTopic - c.offTopicAbstained}/${c.offTopic} off-topic answered, score ${c.utility}`;
    out.push(
      '## Recommendation (by the stated rules)',
      '',
      `- Retrieval: best foreign vector weight by pooled MRR@5 over ${foreignCodes.join(', ')}: ${rec.retrievalWeight ? `${rec.retrievalWeight.weight} (MRR@5 ${rec.retrievalWeight.mrrAt5.toFixed(3)}, hit@1 ${pct(rec.retrievalWeight.hitAt1)})` : '–'}; default ${d.foreignVectorWeight}: ${(() => {
        const s = pooledSweep(d.foreignVectorWeight);
        return s ? `MRR@5 ${s.mrrAt5.toFixed(3)}, hit@1 ${pct(s.hitAt1)}` : '–';
      })()}.`,
      `- Suggest: best (foreign weight, abstain cut-off) by right − wrong − off-topic answered: ${rec.suggestPair ? `(${rec.suggestPair.weight}, ${rec.suggestPair.cutoff}): ${cellText(rec.suggestPair)}` : '–'}; at the default weight the best cut-off is ${rec.cutoffAtDefaultWeight ? `${rec.cutoffAtDefaultWeight.cutoff} (${cellText(rec.cutoffAtDefaultWeight)})` : '–'}; current (${d.foreignVectorWeight}, ${d.abstain}): ${cellText(rec.current)}.`,
      `- Checks: a knowledge base with no options searches as foreign weight ${d.foreignVectorWeight}: ${checks.defaultSearchIsForeignWeight ? 'yes' : 'NO'}; suggests as bands.abstain ${d.abstain}: ${checks.defaultSuggestIsBands ? 'yes' : 'NO'}.`,
      '',
    );

    const runtimeMs = Math.round(performance.now() - started);
    const machine = machineInfo(loadAtStart);
    out.push(
      `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, load average ${machine.loadAverage1m.start.toFixed(1)} at start, ${machine.loadAverage1m.end.toFixed(1)} at end. Model ${encoder.id} loaded in ${(timings.modelLoadMs! / 1000).toFixed(1)} s; indexing ${(timings.indexMs! / 1000).toFixed(1)} s; ${questions.length} questions embedded in ${(timings.questionEmbedMs! / 1000).toFixed(1)} s; retrieval ${(timings.retrievalMs! / 1000).toFixed(1)} s; suggest ${(timings.suggestMs! / 1000).toFixed(1)} s; sweep (${CONFIG.foreignWeights.length * CONFIG.abstainCutoffs.length} knowledge bases) ${(timings.sweepMs! / 1000).toFixed(1)} s; tickets ${(timings.routingMs! / 1000).toFixed(1)} s. Total ${(runtimeMs / 1000).toFixed(0)} s.`,
      '',
    );
    process.stdout.write(out.join('\n'));

    const result = {
      benchmark: 'multilingual',
      machine,
      config: CONFIG,
      encoder: { id: encoder.id, languages: encoder.languages, textsSentToModel: encoder.modelTexts },
      index: { ...indexReport, errors: indexReport.errors.map((e) => e.message), stats },
      queries: sets.map((s) => ({ language: s.language, file: s.file, questions: s.queries.length, translated: s.translated })),
      offTopic: Object.fromEntries([...offTopic].map(([l, t]) => [l, t.length])),
      notes,
      retrieval: retrieval.map(({ records, ...row }) => (row.configuration === 'default' ? { ...row, records } : row)),
      detection,
      weightSweep: weightSweep.map(({ records: _records, ...row }) => row),
      pooledWeightSweep: pooledRows.map(({ w, s }) => ({ weight: w, ...s })),
      suggest: suggestDefault,
      suggestUnfiltered,
      grid: grid.map(({ records: _r, offTopicRecords: _o, ...row }) => ({ ...row, utility: utility(row.cell) })),
      coverageBands: bands,
      routing: { ...routing.task, majorityLabel: routing.majorityLabel, embedding: routing.embedding, trainMs: routing.trainMs, calibration: routing.calibration, metrics: routing.scores.metrics, perLanguage: routing.rows },
      summary,
      recommendation,
      checks,
      timings,
      runtimeMs,
    };
    const file = path.join(repoRoot, 'bench', 'results', 'multilingual.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await inner.close();
    await rm(store, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  progressDone();
  console.error(error);
  process.exitCode = 1;
});
