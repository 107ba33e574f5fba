/**
 * PostgreSQL benchmark: the knowledge base on PostgreSQL (`PgKnowledgeBase`:
 * pgvector HNSW + full-text search with ts_rank_cd) against the embedded one
 * (`KnowledgeBase`: hnswlib + lunr BM25) on the same corpora with the same
 * vectors: retrieval quality of each, how closely the two agree, and query
 * latency of both, in one run. See README.md beside this file.
 *
 *   pnpm bench:postgres           (from the workspace root)
 *
 * PostgreSQL is PGlite (PostgreSQL in WebAssembly, in this process) by
 * default; ANSWERDESK_BENCH_DATABASE_URL (or ANSWERDESK_TEST_DATABASE_URL)
 * adds a real server as a third store (its knowledge bases are created under
 * their own ids and dropped at the end).
 * Tables go to stdout, everything to bench/results/postgres.json.
 * ANSWERDESK_DATASETS overrides the datasets folder (default ../shared/datasets next to the repository).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  KnowledgeBase,
  UseLiteEncoder,
  passagesOf,
  readKnowledge,
  ticketDoc,
  translationIndex,
  type DocFilter,
  type KnowledgeService,
  type SearchHit,
  type SearchMode,
} from '@answerdesk/core';
import { PgKnowledgeBase } from '@answerdesk/core/postgres';
import { connect, describeUrl, openPGlite, PgDocumentStore, type Database } from '@answerdesk/postgres';
import { progress, progressDone } from '../common/progress.js';
import { loadCovid } from '../retrieval/datasets.js';
import { MemoEncoder } from '../retrieval/encoder.js';
import { mean } from '../retrieval/metrics.js';
import { sample } from '../retrieval/random.js';
import { percentiles, rankingAgreement, rotate, suggestAgreement, type Percentiles, type RankingAgreement, type SuggestAgreement } from './compare.js';
import { agreementTable, indexTable, latencyTable, qualityTable, suggestTable, type AgreementRow, type IndexRow, type LatencyRow, type QualityRow, type SuggestRow } from './report.js';
import { machineInfo } from '../common/machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

/** Everything that shapes the numbers. Fixed, so two runs print the same metrics; only timings move. */
const CONFIG = {
  seed: 7,
  /** Depth of every ranking: MRR@10 and Kendall τ@10 need 10. */
  k: 10,
  modes: ['hybrid', 'vector', 'lexical'] as readonly SearchMode[],
  /**
   * docs-content questions are scored on article sections only, as bench/multilingual does: the expected answers
   * are sections, and docs-content's resolved tickets answer many of the same questions with no gold label.
   */
  docsFilter: { kind: 'article' } as DocFilter,
  /** CovidFAQ user queries asked: all 1,387 (the run takes about 6 minutes on 2 cores); a number samples that many with `seed`. */
  covidQueries: 'all' as number | 'all',
  /** Questions each store answers (every mode, and suggest) before anything is timed; asked again in the timed pass. */
  warmup: 20,
  /** Knowledge-base id in PostgreSQL (a server gets `<id>-<corpus>-<pid>`, dropped at the end). */
  knowledgeBase: 'bench',
} as const;

// ------------------------------------------------------------------ stores

interface OpenStore {
  kb: KnowledgeService;
  /** What it runs on, as the server reports it. */
  about: string;
  close(): Promise<void>;
}

interface StoreSpec {
  key: 'embedded' | 'pglite' | 'server';
  title: string;
  open(corpus: string): Promise<OpenStore>;
}

async function describeDatabase(db: Database): Promise<string> {
  const { rows } = await db.query<{ version: string; vector: string | null }>("SELECT version() AS version, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector");
  const version = rows[0]!.version.replace(/ on .*$/, '').replace(/, compiled by .*$/, '');
  return `${version}, pgvector ${rows[0]!.vector ?? 'missing'}`;
}

function storeSpecs(encoder: MemoEncoder, databaseUrl: string | undefined): StoreSpec[] {
  const specs: StoreSpec[] = [
    {
      key: 'embedded',
      title: 'embedded',
      open: async () => {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-bench-postgres-'));
        const kb = await KnowledgeBase.open({ store: dir, encoder });
        return {
          kb,
          about: 'KnowledgeBase: files on disk, hnswlib HNSW + lunr BM25 in memory',
          close: async () => {
            await kb.close();
            await rm(dir, { recursive: true, force: true });
          },
        };
      },
    },
    {
      key: 'pglite',
      title: 'PGlite',
      // A fresh in-memory database per corpus: one corpus's passages never share the HNSW index with the other's.
      open: async () => {
        const db = await openPGlite();
        try {
          const kb = await PgKnowledgeBase.open({ database: db, knowledgeBase: CONFIG.knowledgeBase, encoder });
          return {
            kb,
            about: `PgKnowledgeBase on ${await describeDatabase(db)} (in memory, in this process)`,
            close: async () => {
              await kb.close();
              await db.close();
            },
          };
        } catch (error) {
          await db.close().catch(() => undefined);
          throw error;
        }
      },
    },
  ];
  if (databaseUrl) {
    specs.push({
      key: 'server',
      title: 'server',
      open: async (corpus) => {
        const db = await connect(databaseUrl);
        const id = `${CONFIG.knowledgeBase}-${corpus}-${process.pid}`;
        const store = new PgDocumentStore({ db, knowledgeBase: id });
        try {
          const kb = await PgKnowledgeBase.open({ database: db, knowledgeBase: id, encoder });
          return {
            kb,
            about: `PgKnowledgeBase on ${await describeDatabase(db)} at ${describeUrl(databaseUrl)} (knowledge base ${id}, dropped at the end)`,
            close: async () => {
              await kb.close();
              await store.drop();
              await db.close();
            },
          };
        } catch (error) {
          await store.drop().catch(() => undefined);
          await db.close().catch(() => undefined);
          throw error;
        }
      },
    });
  }
  return specs;
}

// ------------------------------------------------------------------ corpora

interface BenchQuery {
  id: string;
  text: string;
  /** Row of the tables it is scored in. */
  group: string;
  language?: string;
  filter?: DocFilter;
  /** Is this hit a right answer? */
  isHit(hit: SearchHit): boolean;
  /** Is this cited source a right answer? */
  isRightSource(id: string): boolean;
}

interface Corpus {
  key: string;
  title: string;
  protocol: string;
  /** Every passage text the stores will embed: embedded once before any store indexes, so indexing is the stores' own work. */
  passageTexts: string[];
  load(kb: KnowledgeService, onProgress: (phase: string, done: number, total: number) => void): Promise<unknown>;
  queries: BenchQuery[];
  groups: string[];
  notes: string[];
}

/**
 * docs-content (articles, some translated, and tickets) with the questions of
 * bench/multilingual: each question as asked (Italian, German, Russian) and
 * its English version. A hit is the expected section in any language.
 */
async function docsContentCorpus(): Promise<Corpus> {
  const docsDir = path.join(repoRoot, 'docs-content');
  const read = await readKnowledge([docsDir]);
  const docs = [...read.next.values()];
  const translations = translationIndex(docs);
  const passageTexts = docs.flatMap((doc) => passagesOf(doc).map((p) => p.text));
  const notes: string[] = [];
  const queriesDir = path.join(repoRoot, 'bench', 'multilingual', 'queries');
  const original: BenchQuery[] = [];
  const english: BenchQuery[] = [];
  const groups = { original: 'it + de + ru (as asked)', english: 'English versions' };
  const query = (id: string, text: string, group: string, key: string, language?: string): BenchQuery => ({
    id,
    text,
    group,
    ...(language ? { language } : {}),
    filter: CONFIG.docsFilter,
    isHit: (hit) => translations.keyOf(hit.doc.id) === key || (hit.matched !== undefined && translations.keyOf(hit.matched) === key),
    isRightSource: (id) => translations.keyOf(id) === key,
  });
  for (const name of (await readdir(queriesDir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    const language = name.replace(/\.jsonl$/, '');
    const lines = (await readFile(path.join(queriesDir, name), 'utf8')).split('\n');
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      let row: { query?: unknown; english?: unknown; expected?: unknown };
      try {
        row = JSON.parse(line);
      } catch {
        notes.push(`multilingual/queries/${name}:${i + 1} skipped: not complete JSON.`);
        continue;
      }
      const key = typeof row.expected === 'string' && read.next.has(row.expected) ? translations.keyOf(row.expected) : undefined;
      if (typeof row.query !== 'string' || key === undefined) {
        notes.push(`multilingual/queries/${name}:${i + 1} skipped: no question or its expected section is not in docs-content.`);
        continue;
      }
      original.push(query(`${language}-${i + 1}`, row.query, groups.original, key, language));
      if (typeof row.english === 'string' && !english.some((q) => q.text === row.english && q.isRightSource(row.expected as string))) {
        english.push(query(`en-${language}-${i + 1}`, row.english, groups.english, key, 'en'));
      }
    }
  }
  const perLanguage = new Map<string, number>();
  for (const q of original) perLanguage.set(q.language!, (perLanguage.get(q.language!) ?? 0) + 1);
  const counts = [...perLanguage].map(([language, n]) => `${n} ${language}`);
  return {
    key: 'docs-content',
    title: 'docs-content',
    protocol: `Corpus: docs-content indexed with \`index(['docs-content'])\`: ${read.articles} articles (${read.sections} sections, some translated) and ${read.tickets} tickets, ${passageTexts.length} passages. Questions: bench/multilingual's, as asked (${counts.join(', ')}; language detected) and their ${english.length} English versions. Every search and suggestion is filtered to \`{ kind: 'article' }\` (as in bench/multilingual: the expected answers are sections, and the tickets answer many of the same questions with no gold label). A hit is the expected section in any of its languages.`,
    passageTexts,
    load: (kb, onProgress) => kb.index([docsDir], { onProgress: (p) => onProgress(p.phase, p.done, p.total) }),
    queries: [...english, ...original],
    groups: [groups.english, groups.original],
    notes,
  };
}

/** CovidFAQ as bench/retrieval loads it (its smallest corpus), with a seeded sample of its user queries. */
async function covidCorpus(): Promise<Corpus> {
  const ds = await loadCovid(path.join(datasetsDir(), 'covid-faq-retrieval'));
  const picked = CONFIG.covidQueries === 'all' ? ds.queries : sample(ds.queries, CONFIG.covidQueries, CONFIG.seed);
  const group = 'CovidFAQ user queries';
  return {
    key: 'covid',
    title: 'CovidFAQ',
    protocol: `${ds.protocol} ${picked.length === ds.queries.length ? `All ${picked.length} user queries` : `${picked.length} of the ${ds.queries.length} user queries, sampled with seed ${CONFIG.seed}`}; no filter, language detected.`,
    passageTexts: ds.corpus.flatMap((ticket) => passagesOf(ticketDoc(ticket)).map((p) => p.text)),
    load: (kb, onProgress) => kb.addTickets(ds.corpus, { onProgress: (p) => onProgress(p.phase, p.done, p.total) }),
    queries: picked.map((q) => ({ id: q.id, text: q.text, group, isHit: (hit) => q.relevant.has(hit.doc.id), isRightSource: (id) => q.relevant.has(id) })),
    groups: [group],
    notes: ds.notes,
  };
}

// ------------------------------------------------------------------ one corpus

interface SearchRecord {
  /** Ids shown, best first (top k). */
  ids: string[];
  /** 1-based rank of the first right hit in the top k; 0 when none. */
  rank: number;
  ms: number;
  /** Similarity the store reports for its first hit. */
  similarity?: number;
  /** Language the question was read in. */
  read: string;
}

interface SuggestRecord {
  status: 'answered' | 'abstained';
  source?: string;
  right: boolean;
  level: string;
  score: number;
  ms: number;
}

interface StoreResult {
  key: StoreSpec['key'];
  title: string;
  about: string;
  index: { openMs: number; indexMs: number; modelTexts: number; documents: number; passages: number };
  search: Record<string, SearchRecord[]>;
  suggest: SuggestRecord[];
}

interface QualityScores {
  queries: number;
  hitAt1: number;
  hitAt5: number;
  mrrAt10: number;
}

interface CorpusResult {
  key: string;
  title: string;
  protocol: string;
  notes: string[];
  questions: Record<string, number>;
  passageEmbedding: { texts: number; sentToModel: number; ms: number };
  queryEmbedding: Percentiles;
  stores: Array<Omit<StoreResult, 'search' | 'suggest'> & { latency: { hybrid: Percentiles; vector: Percentiles; lexical: Percentiles; suggest: Percentiles } }>;
  quality: Array<{ group: string; mode: string; store: string; scores: QualityScores }>;
  agreement: Array<{ group: string; mode: string; pair: string; scores: RankingAgreement; maxSimilarityGap?: number }>;
  suggest: Array<{ group: string; store: string; answered: number; right: number }>;
  suggestAgreement: Array<{ group: string; pair: string; scores: SuggestAgreement }>;
  checks: { languageReadDifferently: number; textsSentToModelWhileAnswering: number };
  records: { queries: Array<{ id: string; text: string; group: string }>; stores: Array<Pick<StoreResult, 'key' | 'search' | 'suggest'>> };
}

function qualityOf(records: readonly SearchRecord[]): QualityScores {
  return {
    queries: records.length,
    hitAt1: mean(records.map((r) => (r.rank === 1 ? 1 : 0))),
    hitAt5: mean(records.map((r) => (r.rank >= 1 && r.rank <= 5 ? 1 : 0))),
    mrrAt10: mean(records.map((r) => (r.rank >= 1 ? 1 / r.rank : 0))),
  };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function runCorpus(corpus: Corpus, specs: readonly StoreSpec[], encoder: MemoEncoder, queryEmbedMs: ReadonlyMap<string, number>): Promise<CorpusResult> {
  // 1. The corpus's passages through the model once: every store below indexes from the cache, so its index time is its own.
  const before = encoder.modelTexts;
  const embedStarted = performance.now();
  await encoder.embedPassages(corpus.passageTexts, { onProgress: (p) => progress(`${corpus.title}: embedding passages`, p.done, p.total) });
  const passageEmbedding = { texts: corpus.passageTexts.length, sentToModel: encoder.modelTexts - before, ms: Math.round(performance.now() - embedStarted) };

  const opened: Array<{ spec: StoreSpec; store: OpenStore; result: StoreResult }> = [];
  try {
    // 2. Open and fill each store.
    for (const spec of specs) {
      progress(`${corpus.title}: opening ${spec.title}`);
      const openStarted = performance.now();
      const store = await spec.open(corpus.key);
      const openMs = performance.now() - openStarted;
      const result: StoreResult = { key: spec.key, title: spec.title, about: store.about, index: { openMs, indexMs: 0, modelTexts: 0, documents: 0, passages: 0 }, search: {}, suggest: [] };
      opened.push({ spec, store, result });
      const texts = encoder.modelTexts;
      const indexStarted = performance.now();
      await corpus.load(store.kb, (phase, done, total) => progress(`${corpus.title}: ${spec.title} ${phase}`, done, total));
      result.index = { openMs: Math.round(openMs), indexMs: Math.round(performance.now() - indexStarted), modelTexts: encoder.modelTexts - texts, documents: store.kb.stats.documents, passages: store.kb.stats.passages };
    }

    // 3. Warm-up: the language detector loads, PostgreSQL plans and caches, V8 compiles; nothing here is kept.
    const ask = (kb: KnowledgeService, q: BenchQuery, mode: SearchMode) => kb.search(q.text, { k: CONFIG.k, mode, ...(q.filter ? { filter: q.filter } : {}) });
    for (const { spec, store } of opened) {
      for (const [i, q] of corpus.queries.slice(0, CONFIG.warmup).entries()) {
        progress(`${corpus.title}: warm-up ${spec.title}`, i + 1, CONFIG.warmup);
        for (const mode of CONFIG.modes) await ask(store.kb, q, mode);
        await store.kb.suggest(q.text, q.filter ? { filter: q.filter } : {});
      }
    }

    // 4. Every question in every mode, the stores in turn (a different one first for each question).
    const textsBeforeAnswering = encoder.modelTexts;
    for (const { result } of opened) for (const mode of CONFIG.modes) result.search[mode] = [];
    for (const [i, q] of corpus.queries.entries()) {
      progress(`${corpus.title}: search`, i + 1, corpus.queries.length);
      for (const mode of CONFIG.modes) {
        for (const { store, result } of rotate(opened, i)) {
          const started = performance.now();
          const found = await ask(store.kb, q, mode);
          const ms = performance.now() - started;
          const top = found.hits[0];
          result.search[mode]!.push({
            ids: found.hits.map((hit) => hit.doc.id),
            rank: found.hits.findIndex((hit) => q.isHit(hit)) + 1,
            ms: round(ms),
            ...(top?.similarity !== undefined ? { similarity: top.similarity } : {}),
            read: found.language.code,
          });
        }
      }
    }
    // 5. suggest, the same way.
    for (const [i, q] of corpus.queries.entries()) {
      progress(`${corpus.title}: suggest`, i + 1, corpus.queries.length);
      for (const { store, result } of rotate(opened, i)) {
        const started = performance.now();
        const s = await store.kb.suggest(q.text, q.filter ? { filter: q.filter } : {});
        const ms = performance.now() - started;
        result.suggest.push({
          status: s.status,
          ...(s.source ? { source: s.source.id } : {}),
          right: s.status === 'answered' && s.source !== undefined && q.isRightSource(s.source.id),
          level: s.confidence.level,
          score: s.confidence.score,
          ms: round(ms),
        });
      }
    }
    const textsSentToModelWhileAnswering = encoder.modelTexts - textsBeforeAnswering;
    progressDone();

    // ---------------------------------------------------------------- scores
    const results = opened.map((o) => o.result);
    const [reference, ...others] = results;
    const pairs = [...others.map((other) => [reference!, other] as const), ...(others.length === 2 ? [[others[0]!, others[1]!] as const] : [])];
    const indicesOf = (group: string) => corpus.queries.flatMap((q, i) => (q.group === group ? [i] : []));
    const pick = <T>(items: readonly T[], indices: readonly number[]) => indices.map((i) => items[i]!);
    const quality: CorpusResult['quality'] = [];
    const agreement: CorpusResult['agreement'] = [];
    const suggest: CorpusResult['suggest'] = [];
    const suggestAgreementRows: CorpusResult['suggestAgreement'] = [];
    for (const group of corpus.groups) {
      const at = indicesOf(group);
      for (const mode of CONFIG.modes) {
        for (const r of results) quality.push({ group, mode, store: r.key, scores: qualityOf(pick(r.search[mode]!, at)) });
        for (const [a, b] of pairs) {
          const left = pick(a.search[mode]!, at);
          const right = pick(b.search[mode]!, at);
          // Where both put the same document first, how far apart are the similarities they report for it? (hnswlib float32 vs pgvector.)
          const gaps = left.flatMap((r, i) => (r.ids[0] !== undefined && r.ids[0] === right[i]!.ids[0] && r.similarity !== undefined && right[i]!.similarity !== undefined ? [Math.abs(r.similarity - right[i]!.similarity!)] : []));
          agreement.push({
            group,
            mode,
            pair: `${a.title} vs ${b.title}`,
            scores: rankingAgreement(left.map((r) => r.ids), right.map((r) => r.ids)),
            ...(mode === 'vector' && gaps.length ? { maxSimilarityGap: Math.max(...gaps) } : {}),
          });
        }
      }
      for (const r of results) {
        const records = pick(r.suggest, at);
        suggest.push({ group, store: r.key, answered: mean(records.map((s) => (s.status === 'answered' ? 1 : 0))), right: mean(records.map((s) => (s.right ? 1 : 0))) });
      }
      for (const [a, b] of pairs) suggestAgreementRows.push({ group, pair: `${a.title} vs ${b.title}`, scores: suggestAgreement(pick(a.suggest, at), pick(b.suggest, at)) });
    }
    const languageReadDifferently = corpus.queries.filter((_, i) => results.some((r) => r.search.hybrid![i]!.read !== reference!.search.hybrid![i]!.read)).length;
    const questions: Record<string, number> = {};
    for (const q of corpus.queries) questions[q.language ?? q.group] = (questions[q.language ?? q.group] ?? 0) + 1;
    return {
      key: corpus.key,
      title: corpus.title,
      protocol: corpus.protocol,
      notes: corpus.notes,
      questions,
      passageEmbedding,
      queryEmbedding: percentiles(corpus.queries.map((q) => queryEmbedMs.get(q.text.trim()) ?? 0)),
      stores: results.map(({ search, suggest: s, ...rest }) => ({
        ...rest,
        latency: { hybrid: percentiles(search.hybrid!.map((r) => r.ms)), vector: percentiles(search.vector!.map((r) => r.ms)), lexical: percentiles(search.lexical!.map((r) => r.ms)), suggest: percentiles(s.map((r) => r.ms)) },
      })),
      quality,
      agreement,
      suggest,
      suggestAgreement: suggestAgreementRows,
      checks: { languageReadDifferently, textsSentToModelWhileAnswering },
      records: { queries: corpus.queries.map((q) => ({ id: q.id, text: q.text, group: q.group })), stores: results.map((r) => ({ key: r.key, search: r.search, suggest: r.suggest })) },
    };
  } finally {
    progressDone();
    for (const { store } of opened) await store.close();
  }
}

// ------------------------------------------------------------------ print

function printCorpus(r: CorpusResult): void {
  const titles = r.stores.map((s) => s.title);
  const qualityRows: QualityRow[] = [];
  const groups = [...new Set(r.quality.map((q) => q.group))];
  for (const group of groups) {
    for (const mode of CONFIG.modes) {
      qualityRows.push({ group, mode, stores: r.stores.map((s) => r.quality.find((q) => q.group === group && q.mode === mode && q.store === s.key)!.scores) });
    }
  }
  const agreementRows: AgreementRow[] = r.agreement.map((a) => ({ group: a.group, mode: a.mode, pair: a.pair, agreement: a.scores, ...(a.maxSimilarityGap !== undefined ? { maxSimilarityGap: a.maxSimilarityGap } : {}) }));
  const suggestRows: SuggestRow[] = groups.map((group) => ({
    group,
    stores: r.stores.map((s) => r.suggest.find((x) => x.group === group && x.store === s.key)!),
    agreement: r.suggestAgreement.filter((a) => a.group === group).map((a) => ({ pair: a.pair, scores: a.scores })),
  }));
  const gaps = r.agreement.filter((a) => a.maxSimilarityGap !== undefined).map((a) => a.maxSimilarityGap!);
  const lines = [
    `## ${r.title}`,
    '',
    r.protocol,
    '',
    `### Retrieval quality (kb.search, k = ${CONFIG.k}; cells: ${titles.join(' / ')})`,
    '',
    qualityTable(qualityRows, titles),
    '',
    '### Agreement between the stores (same questions, same query vectors)',
    '',
    agreementTable(agreementRows),
    '',
    `Same first hit in vector mode: the similarities the stores report for it (rounded to 4 decimals) differ by at most ${gaps.length ? Math.max(...gaps).toFixed(4) : '–'}. Questions read in another language by one store: ${r.checks.languageReadDifferently}. Texts sent to the model while answering: ${r.checks.textsSentToModelWhileAnswering} (every query vector came from the cache).`,
    '',
    '### Suggest (kb.suggest, default thresholds)',
    '',
    suggestTable(suggestRows, titles),
    ...r.notes.map((note) => `\nNote: ${note}`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

// ------------------------------------------------------------------ main

function datasetsDir(): string {
  return path.resolve(process.env.ANSWERDESK_DATASETS ?? path.join(repoRoot, '..', 'shared', 'datasets'));
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  const databaseUrl = process.env.ANSWERDESK_BENCH_DATABASE_URL || process.env.ANSWERDESK_TEST_DATABASE_URL || undefined;
  const encoder = new MemoEncoder(new UseLiteEncoder());
  const specs = storeSpecs(encoder, databaseUrl);
  const results: CorpusResult[] = [];
  let modelLoadMs = 0;
  try {
    const loadStarted = performance.now();
    await encoder.load();
    modelLoadMs = Math.round(performance.now() - loadStarted);
    const corpora = [await docsContentCorpus(), await covidCorpus()];

    // Each question through the model once, alone, as a service embeds it: that time is the same whatever the store,
    // so it is reported on its own, and every search below reads its vector from the cache.
    const queryEmbedMs = new Map<string, number>();
    await encoder.embedQueries(['warm-up: the first call compiles the model']);
    const questions = [...new Set(corpora.flatMap((c) => c.queries.map((q) => q.text.trim())))];
    for (const [i, text] of questions.entries()) {
      progress('embedding questions, one at a time', i + 1, questions.length);
      const at = performance.now();
      await encoder.embedQueries([text]);
      queryEmbedMs.set(text, performance.now() - at);
    }
    progressDone();

    for (const corpus of corpora) {
      const result = await runCorpus(corpus, specs, encoder, queryEmbedMs);
      printCorpus(result);
      results.push(result);
    }
  } finally {
    await encoder.inner.close();
  }

  // Index and latency, every corpus and store together.
  const indexRows: IndexRow[] = results.flatMap((r) => r.stores.map((s) => ({ corpus: r.title, store: s.title, ...s.index })));
  const latencyRows: LatencyRow[] = [];
  for (const r of results) {
    latencyRows.push({ corpus: r.title, store: 'query embedding (USE-lite, every store)', embedding: r.queryEmbedding });
    for (const s of r.stores) latencyRows.push({ corpus: r.title, store: s.title, ...s.latency });
  }
  const allRecords = (key: string, pick: (s: Pick<StoreResult, 'search' | 'suggest'>) => number[]) => results.flatMap((r) => pick(r.records.stores.find((s) => s.key === key)!));
  const pooled = specs.map((spec) => ({
    corpus: 'both',
    store: spec.title,
    hybrid: percentiles(allRecords(spec.key, (s) => s.search.hybrid!.map((x) => x.ms))),
    vector: percentiles(allRecords(spec.key, (s) => s.search.vector!.map((x) => x.ms))),
    lexical: percentiles(allRecords(spec.key, (s) => s.search.lexical!.map((x) => x.ms))),
    suggest: percentiles(allRecords(spec.key, (s) => s.suggest.map((x) => x.ms))),
  }));
  latencyRows.push(...pooled);

  const runtimeMs = Math.round(performance.now() - started);
  const machine = machineInfo(loadAtStart);
  const stores = specs.map((spec) => ({ key: spec.key, title: spec.title, about: results[0]?.stores.find((s) => s.key === spec.key)?.about ?? '' }));
  process.stdout.write(
    [
      '## Index (passages embedded beforehand: the stores index from cached vectors)',
      '',
      indexTable(indexRows),
      '',
      results.map((r) => `${r.title}: ${r.passageEmbedding.texts} passage texts, ${r.passageEmbedding.sentToModel} distinct sent to the model in ${(r.passageEmbedding.ms / 1000).toFixed(1)} s before any store indexed.`).join(' '),
      '',
      `## Latency (ms, wall clock around each call, after ${CONFIG.warmup} warm-up questions per store; query vectors from the cache, so these are the store's own cost plus language detection and ranking, which both share)`,
      '',
      latencyTable(latencyRows),
      '',
      `Stores: ${stores.map((s) => `**${s.title}**: ${s.about}`).join('; ')}.${databaseUrl ? '' : ' No real PostgreSQL server was measured (set ANSWERDESK_BENCH_DATABASE_URL to add one).'}`,
      '',
      `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, load average ${machine.loadAverage1m.start.toFixed(1)} at start, ${machine.loadAverage1m.end.toFixed(1)} at end. Model ${encoder.id} loaded in ${(modelLoadMs / 1000).toFixed(1)} s. Total ${(runtimeMs / 1000).toFixed(0)} s.`,
      '',
    ].join('\n'),
  );

  const out = {
    benchmark: 'postgres',
    machine,
    config: CONFIG,
    stores,
    encoder: { id: encoder.id, loadMs: modelLoadMs, textsSentToModel: encoder.modelTexts },
    corpora: results,
    latency: latencyRows,
    runtimeMs,
  };
  const file = path.join(repoRoot, 'bench', 'results', 'postgres.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
}

main().catch((error: unknown) => {
  progressDone();
  console.error(error);
  process.exitCode = 1;
});
