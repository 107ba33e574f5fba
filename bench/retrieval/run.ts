/**
 * Retrieval benchmark: how well Answerdesk finds the right answer (lexical,
 * vector, hybrid RRF, hybrid weighted), against Orama fed the same vectors,
 * and where `suggest` should abstain. See README.md beside this file.
 *
 *   pnpm bench:retrieval          (from the workspace root)
 *
 * Tables go to stdout, everything to bench/results/retrieval.json.
 * ANSWERDESK_DATASETS overrides the datasets folder (default ../shared/datasets next to the repository).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  KnowledgeBase,
  DEFAULT_BANDS,
  UseLiteEncoder,
  passagesOf,
  ticketDoc,
  type KnowledgeBaseOptions,
  type SearchMode,
  type ConfidenceBands,
} from '@answerdesk/core';
import { loadBank, loadBitext, loadCovid, type Dataset, type Query } from './datasets.js';
import { MemoEncoder } from './encoder.js';
import { calibrateLevels, mean, scoreAbstention, scoreRankings, type AbstainScores, type LevelCalibration, type SuggestOutcome } from './metrics.js';
import { ORAMA_MODES, OramaPeer, oramaDocText, type OramaEntry, type OramaMode } from './orama.js';
import { sample } from './random.js';
import { calibrationTable, feedbackTable, markdownTable, percent, sweepTable, systemsTable, type SweepRow, type SystemRow } from './report.js';
import { progress, progressDone } from '../common/progress.js';
import { agentVerdicts, listedSources } from '../common/verdicts.js';
import { bandsAt } from '../common/bands.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

/** Everything that shapes the numbers. Fixed, so two runs print the same metrics. */
const CONFIG = {
  seed: 7,
  bitextPerIntent: 3,
  bitextQueries: 600,
  bankQueries: 600,
  /** Out-of-domain questions asked of each corpus. */
  outOfDomainQueries: 600,
  /** Depth of every ranking: MRR@10 and nDCG@10 need 10. */
  k: 10,
  /** Vector weights tried for both fusions (lexical weight is 1); 1 is the default. */
  vectorWeights: [0.5, 1, 2],
  /**
   * In the feedback replay, out-of-domain messages agents answer with a canned reply, per in-domain question
   * given feedback: real queues hold some, and without their outcomes nothing tells the recalibration where
   * the knowledge base ends.
   */
  outOfDomainFeedbackShare: 0.25,
  /** Abstain cut-offs tried on suggest's calibrated probability (`bands.abstain`); the default is added if missing. */
  sweep: [0.3, 0.4, 0.5, 0.6],
  /** In-domain questions asked of `suggest` at each cut-off (a sample where a dataset has more: suggest reads, ranks and drafts, ~30–80 ms each). */
  suggestQueries: 600,
} as const;

// ------------------------------------------------------------------ one dataset

interface SystemResult extends SystemRow {
  engine: 'answerdesk' | 'orama';
  mode: string;
  variant: string;
  /** `main` rows are the comparison; `fusion` rows the vector-weight ablation. */
  table: 'main' | 'fusion';
}

interface DatasetResult {
  key: string;
  title: string;
  protocol: string;
  counts: Record<string, number>;
  notes: string[];
  /** First load (model runs) and a second load of the same corpus (vectors reused: index building alone). */
  indexing: { ms: number; embedded: number; reused: number; passages: number; rebuildMs: number };
  systems: SystemResult[];
  checks: { answerdeskVsOramaVectorTop1Agreement: number };
  abstain: {
    outOfDomain: { from: string; questions: number };
    bands: ConfidenceBands;
    sweep: SweepRow[];
    calibration: ReturnType<typeof calibrateLevels>;
  };
  feedback: FeedbackStudy;
}

interface FeedbackStudy {
  /** Questions of the held-out half, measured before and after each step (and the other half of the out-of-domain ones). */
  questions: number;
  /** Out-of-domain messages given feedback on (a canned reply) along with the in-domain half. */
  outOfDomainGiven: number;
  before: FeedbackSide;
  /** After feedback on a quarter, then all of the other half: how many events it takes. */
  steps: Array<FeedbackSide & { questions: number; outOfDomainGiven: number; events: number }>;
}

interface FeedbackSide {
  inDomain: AbstainScores;
  outOfDomain: AbstainScores;
  levels: LevelCalibration[];
}

async function runDataset(ds: Dataset, encoder: MemoEncoder, outOfDomain: { from: string; texts: string[] }): Promise<DatasetResult> {
  const stores: string[] = [];
  const openKb = async (options: Partial<KnowledgeBaseOptions>) => {
    const store = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-bench-'));
    stores.push(store);
    const kb = await KnowledgeBase.open({ ...options, store, encoder });
    const report = await kb.addTickets(ds.corpus, {
      save: false,
      onProgress: (p) => progress(`${ds.title}: ${p.phase}`, p.done, p.total),
    });
    return { kb, report };
  };

  const indexStarted = performance.now();
  const { kb: rrf, report } = await openKb({ fusion: 'rrf' });
  const firstMs = Math.round(performance.now() - indexStarted);
  const rebuildStarted = performance.now();
  const { kb: weighted } = await openKb({ fusion: 'weighted' });
  const indexing = { ms: firstMs, embedded: report.embedded, reused: report.reused, passages: rrf.stats.passages, rebuildMs: Math.round(performance.now() - rebuildStarted) };

  const systems: SystemResult[] = [];
  const evaluate = async (
    label: { name: string; engine: SystemResult['engine']; mode: string; variant: string; table?: SystemResult['table'] },
    rank: (text: string) => Promise<{ ids: string[]; ms: number }>,
  ) => {
    const rankings: Array<{ ranked: string[]; relevant: ReadonlySet<string> }> = [];
    const times: number[] = [];
    for (const [i, q] of ds.queries.entries()) {
      progress(`${ds.title}: ${label.name}`, i + 1, ds.queries.length);
      const { ids, ms } = await rank(q.text);
      rankings.push({ ranked: ids, relevant: q.relevant });
      times.push(ms);
    }
    systems.push({ table: 'main', ...label, ...scoreRankings(rankings), msPerQuery: mean(times) });
    return rankings;
  };
  const answerdesk = (kb: KnowledgeBase, mode: SearchMode) => async (text: string) => {
    const result = await kb.search(text, { k: CONFIG.k, mode });
    return { ids: result.hits.map((hit) => hit.doc.id), ms: result.tookMs };
  };
  await evaluate({ name: 'answerdesk lexical', engine: 'answerdesk', mode: 'lexical', variant: 'default' }, answerdesk(rrf, 'lexical'));
  const adVector = await evaluate({ name: 'answerdesk vector', engine: 'answerdesk', mode: 'vector', variant: 'default' }, answerdesk(rrf, 'vector'));
  await evaluate({ name: 'answerdesk hybrid RRF', engine: 'answerdesk', mode: 'hybrid', variant: 'rrf' }, answerdesk(rrf, 'hybrid'));
  await evaluate({ name: 'answerdesk hybrid weighted (default)', engine: 'answerdesk', mode: 'hybrid', variant: 'weighted' }, answerdesk(weighted, 'hybrid'));
  // Ablation: how much the vector side should weigh in each fusion (the weight-1 rows are the two above).
  for (const fusion of ['rrf', 'weighted'] as const) {
    for (const vectorWeight of CONFIG.vectorWeights) {
      if (vectorWeight === 1) continue;
      const { kb } = await openKb({ fusion, vectorWeight });
      await evaluate(
        { name: `answerdesk hybrid ${fusion === 'rrf' ? 'RRF' : 'weighted'} vectorWeight ${vectorWeight}`, engine: 'answerdesk', mode: 'hybrid', variant: `${fusion} vectorWeight=${vectorWeight}`, table: 'fusion' },
        answerdesk(kb, 'hybrid'),
      );
      await kb.close();
    }
  }

  // Orama, variant "doc": one entry per ticket, its whole text embedded as one passage (how Orama is usually fed).
  const docTexts = ds.corpus.map(oramaDocText);
  const docVectors = await encoder.embedPassages(docTexts, { onProgress: (p) => progress(`${ds.title}: orama embed`, p.done, p.total) });
  const perDoc: OramaEntry[] = ds.corpus.map((t, i) => ({ id: t.id, group: t.id, title: t.subject, body: [t.body, t.resolution].filter(Boolean).join('\n'), vector: docVectors[i]! }));
  // Variant "passages": one entry per Answerdesk passage with Answerdesk's own vector, grouped back to tickets:
  // the same vectors and the same max-over-passages document score, so only the engines differ.
  const passages = ds.corpus.flatMap((t) => passagesOf(ticketDoc(t)).map((p) => ({ ...p, title: t.subject })));
  const passageVectors = await encoder.embedPassages(passages.map((p) => p.text));
  const perPassage: OramaEntry[] = passages.map((p, i) => ({ id: p.key, group: p.docId, title: p.title, body: p.text, vector: passageVectors[i]! }));
  let oramaVector: Array<{ ranked: string[] }> = [];
  const runOrama = async (variant: string, entries: readonly OramaEntry[], modes: readonly OramaMode[], stopWords: boolean) => {
    const peer = await OramaPeer.build(entries, { stopWords });
    for (const mode of modes) {
      const name = `orama ${mode} (${variant}${stopWords ? '' : ', no stop words'})`;
      const rankings = await evaluate({ name, engine: 'orama', mode, variant: stopWords ? variant : `${variant}, no stop words` }, async (text) => {
        const [vector] = await encoder.embedQueries([text]);
        const started = performance.now();
        const ids = await peer.rank(mode, text, vector!, CONFIG.k);
        return { ids, ms: performance.now() - started };
      });
      if (variant === 'passages' && mode === 'vector') oramaVector = rankings;
    }
  };
  await runOrama('doc', perDoc, ORAMA_MODES, true);
  // Orama's own default text analysis has no stop words; one row shows what that changes.
  await runOrama('doc', perDoc, ['fulltext'], false);
  await runOrama('passages', perPassage, ORAMA_MODES, true);
  // Same vectors, exact (Orama) vs HNSW (Answerdesk) search: the top hits should nearly always agree.
  const agreement = mean(adVector.map((r, i) => (r.ranked[0] === oramaVector[i]?.ranked[0] ? 1 : 0)));

  // Abstention: the real `suggest`, once per cut-off on its calibrated probability, over in-domain and out-of-domain questions.
  const base = DEFAULT_BANDS;
  const suggestQueries = sample(ds.queries, CONFIG.suggestQueries, CONFIG.seed + 20);
  const cutoffs = [...new Set([...CONFIG.sweep, base.abstain])].sort((a, b) => a - b);
  const sweep: SweepRow[] = [];
  let calibration: ReturnType<typeof calibrateLevels> = [];
  let atDefault: { inDomain: SuggestOutcome[]; outside: SuggestOutcome[] } = { inDomain: [], outside: [] };
  for (const abstain of cutoffs) {
    const current = abstain === base.abstain;
    // abstain ≤ medium ≤ high must hold, so cut-offs above `medium` lift the levels with them (only abstention is swept).
    const kb = current ? weighted : (await openKb({ bands: bandsAt(abstain) })).kb;
    const { inDomain, outside } = await askAll(kb, suggestQueries, outOfDomain.texts, `${ds.title}: suggest @${abstain.toFixed(2)}`);
    sweep.push({ abstain, current, inDomain: scoreAbstention(inDomain), outOfDomain: scoreAbstention(outside) });
    if (current) {
      calibration = calibrateLevels(inDomain);
      atDefault = { inDomain, outside };
    }
    if (kb !== weighted) await kb.close();
  }

  // Agents' feedback on half of the in-domain questions and on some out-of-domain messages (answered with a
  // canned reply), as the agent page sends it (sent when right, rejected when wrong, the right source picked where
  // it is listed); then the other half and the other out-of-domain messages again: what recalibrating on this
  // knowledge base's own outcomes (and ranking by its agents' picks) does.
  // Alternate questions: a file's questions come grouped by answer, and both halves should ask about the same things.
  const given = suggestQueries.filter((_q, i) => i % 2 === 0);
  const heldOut = suggestQueries.filter((_q, i) => i % 2 === 1);
  const outsideGiven = outOfDomain.texts.filter((_q, i) => i % 2 === 0).slice(0, Math.round(given.length * CONFIG.outOfDomainFeedbackShare));
  const outsideHeldOut = outOfDomain.texts.filter((_q, i) => i % 2 === 1);
  const side = (inDomain: readonly SuggestOutcome[], outside: readonly SuggestOutcome[]): FeedbackSide => ({ inDomain: scoreAbstention(inDomain), outOfDomain: scoreAbstention(outside), levels: calibrateLevels(inDomain) });
  const heldOutBefore = atDefault.inDomain.filter((_o, i) => i % 2 === 1);
  const feedback: FeedbackStudy = { questions: heldOut.length, outOfDomainGiven: outsideGiven.length, before: side(heldOutBefore, atDefault.outside.filter((_o, i) => i % 2 === 1)), steps: [] };
  const verdicts = async (text: string, right: (id: string) => boolean, agent: string, canned: boolean) => {
    const answer = (await weighted.suggest(text)).answers?.[0];
    const entries = answer ? agentVerdicts(text, answer, right, listedSources(answer), agent, canned) : [];
    for (const entry of entries) await weighted.recordFeedback(entry);
    return entries.length;
  };
  let events = 0;
  let done = 0;
  let outsideDone = 0;
  for (const upTo of [Math.round(given.length / 4), given.length]) {
    for (; done < upTo; done++) {
      progress(`${ds.title}: feedback`, done + 1, given.length);
      const q = given[done]!;
      events += await verdicts(q.text, (id) => q.relevant.has(id), `agent-${done % 3}`, false);
      // An out-of-domain message now and then, in proportion: nothing in the knowledge base is right for it.
      for (; outsideDone < Math.round((done + 1) * CONFIG.outOfDomainFeedbackShare) && outsideDone < outsideGiven.length; outsideDone++) {
        events += await verdicts(outsideGiven[outsideDone]!, () => false, `agent-${outsideDone % 3}`, true);
      }
    }
    const after = await askAll(weighted, heldOut, outsideHeldOut, `${ds.title}: after feedback on ${done}`);
    feedback.steps.push({ questions: done, outOfDomainGiven: outsideDone, events, ...side(after.inDomain, after.outside) });
  }

  await rrf.close();
  await weighted.close();
  await Promise.all(stores.map((dir) => rm(dir, { recursive: true, force: true })));
  return {
    key: ds.key,
    title: ds.title,
    protocol: ds.protocol,
    counts: ds.counts,
    notes: ds.notes,
    indexing,
    systems,
    checks: { answerdeskVsOramaVectorTop1Agreement: agreement },
    abstain: { outOfDomain: { from: outOfDomain.from, questions: outOfDomain.texts.length }, bands: base, sweep, calibration },
    feedback,
  };
}

/** `suggest` on in-domain questions (judged) and out-of-domain ones. */
async function askAll(kb: KnowledgeBase, queries: readonly Query[], outside: readonly string[], label: string): Promise<{ inDomain: SuggestOutcome[]; outside: SuggestOutcome[] }> {
  const inDomain: SuggestOutcome[] = [];
  for (const [i, q] of queries.entries()) {
    progress(`${label} in-domain`, i + 1, queries.length);
    const s = await kb.suggest(q.text);
    inDomain.push({ status: s.status, level: s.confidence.level, score: s.confidence.score, correct: s.status === 'answered' && s.source !== undefined && q.relevant.has(s.source.id) });
  }
  const out: SuggestOutcome[] = [];
  for (const [i, text] of outside.entries()) {
    progress(`${label} out-of-domain`, i + 1, outside.length);
    const s = await kb.suggest(text);
    out.push({ status: s.status, level: s.confidence.level, score: s.confidence.score });
  }
  return { inDomain, outside: out };
}


// ------------------------------------------------------------------ main

function datasetsDir(): string {
  return path.resolve(process.env.ANSWERDESK_DATASETS ?? path.join(repoRoot, '..', 'shared', 'datasets'));
}

/** The fusion ablation rows with the two default-weight rows slotted in, grouped by fusion. Pure. */
function fusionRows(systems: readonly SystemResult[]): SystemResult[] {
  const weightOf = (row: SystemResult) => Number(/vectorWeight=([\d.]+)/.exec(row.variant)?.[1] ?? 1);
  const fusionOf = (row: SystemResult) => (row.variant.startsWith('weighted') ? 'weighted' : 'rrf');
  return systems
    .filter((row) => row.engine === 'answerdesk' && row.mode === 'hybrid')
    .map((row) => (row.table === 'main' ? { ...row, name: row.variant === 'rrf' ? 'answerdesk hybrid RRF vectorWeight 1 (default)' : 'answerdesk hybrid weighted vectorWeight 1' } : row))
    .sort((a, b) => fusionOf(a).localeCompare(fusionOf(b)) || weightOf(a) - weightOf(b));
}

function printDataset(r: DatasetResult): void {
  const lines = [
    `## ${r.title}`,
    '',
    r.protocol,
    '',
    `Corpus ${r.counts.corpus} documents (${r.indexing.passages} passages; loaded in ${(r.indexing.ms / 1000).toFixed(1)} s with the model, ${(r.indexing.rebuildMs / 1000).toFixed(1)} s again from cached vectors), ${r.systems[0]?.queries ?? 0} queries. Recall@k = share of queries with a correct document in the top k; ms/query = search only (query vector precomputed).`,
    '',
    systemsTable(r.systems.filter((row) => row.table === 'main')),
    '',
    'Hybrid fusion, vector-side weight (lexical weight 1):',
    '',
    systemsTable(fusionRows(r.systems)),
    '',
    `Check: Answerdesk vector (HNSW) and Orama vector (passages, exact) agree on the top hit for ${percent(r.checks.answerdeskVsOramaVectorTop1Agreement)} of queries.`,
    '',
    `Abstention (kb.suggest, default options but the abstain cut-off): ${r.abstain.sweep[0]?.inDomain.questions ?? 0} in-domain questions vs ${r.abstain.outOfDomain.questions} out-of-domain ${r.abstain.outOfDomain.from} questions. "answers correct" = share of the answered in-domain questions whose cited source is correct.`,
    '',
    sweepTable(r.abstain.sweep),
    '',
    `Confidence levels at the default bands (abstain ${r.abstain.bands.abstain}, medium ${r.abstain.bands.medium}, high ${r.abstain.bands.high}: the score is the calibrated probability that the answer shown is right), answered in-domain questions:`,
    '',
    calibrationTable(r.abstain.calibration, r.abstain.bands),
    '',
    `Agents' feedback on the other in-domain questions (sent when right, rejected when wrong, the right source picked where it was listed; after an abstention, the likeliest source picked or passed over) and on ${r.feedback.outOfDomainGiven} out-of-domain messages (one per ${Math.round(1 / CONFIG.outOfDomainFeedbackShare)} in-domain questions, answered with a canned reply), first on a quarter of them, then on all; after each, these ${r.feedback.questions} questions and the other half of the out-of-domain ones asked again at the default bands:`,
    '',
    feedbackTable(r.feedback),
    ...r.notes.map((note) => `\nNote: ${note}`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** One line per cut-off with every dataset's in/out abstain rates side by side, to pick one cut-off for all. */
function printSweepSummary(results: readonly DatasetResult[]): void {
  const cutoffs = results[0]?.abstain.sweep.map((row) => row.abstain) ?? [];
  const headers = ['abstain cut-off', ...results.flatMap((r) => [`${r.title} in`, `${r.title} out`])];
  const rows = cutoffs.map((cutoff, i) => [
    `${cutoff.toFixed(2)}${cutoff === DEFAULT_BANDS.abstain ? ' (default)' : ''}`,
    ...results.flatMap((r) => [percent(r.abstain.sweep[i]!.inDomain.abstainRate), percent(r.abstain.sweep[i]!.outOfDomain.abstainRate)]),
  ]);
  process.stdout.write(`## Abstain rate by cut-off (in-domain: lower is better; out-of-domain: higher is better)\n\n${markdownTable(headers, rows, headers.map((_, c) => (c === 0 ? 'l' : 'r')))}\n\n`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const dir = datasetsDir();
  const covid = await loadCovid(path.join(dir, 'covid-faq-retrieval'));
  const bitext = await loadBitext(path.join(dir, 'bitext-customer-support', 'Bitext_Sample_Customer_Support_Training_Dataset.csv'), {
    perIntent: CONFIG.bitextPerIntent,
    queries: CONFIG.bitextQueries,
    seed: CONFIG.seed,
  });
  const bank = await loadBank(path.join(dir, 'bank-faqs', 'BankFAQs.csv'), { queries: CONFIG.bankQueries, seed: CONFIG.seed });

  // Out-of-domain pairs are chosen so no question could have a right answer in the other corpus:
  // public health vs e-commerce support vs retail banking. (Bitext ↔ Bank overlap: both have payments and accounts.)
  const texts = (ds: Dataset, seed: number) => sample(ds.queries.map((q) => q.text), CONFIG.outOfDomainQueries, seed);
  const plan: Array<{ ds: Dataset; outOfDomain: { from: string; texts: string[] } }> = [
    { ds: covid, outOfDomain: { from: 'Bitext', texts: texts(bitext, CONFIG.seed + 10) } },
    { ds: bitext, outOfDomain: { from: 'CovidFAQ', texts: texts(covid, CONFIG.seed + 11) } },
    { ds: bank, outOfDomain: { from: 'CovidFAQ', texts: texts(covid, CONFIG.seed + 12) } },
  ];

  const encoder = new MemoEncoder(new UseLiteEncoder());
  let loadMs = performance.now();
  await encoder.load();
  loadMs = performance.now() - loadMs;
  // Every question is embedded once, in one big batch (the encoder's worker threads), then answered from memory.
  const questions = [...new Set(plan.flatMap((p) => [...p.ds.queries.map((q) => q.text), ...p.outOfDomain.texts]))];
  let queryEmbedMs = performance.now();
  await encoder.embedQueries(questions, { onProgress: (p) => progress('embedding questions', p.done, p.total) });
  queryEmbedMs = performance.now() - queryEmbedMs;

  const results: DatasetResult[] = [];
  try {
    for (const { ds, outOfDomain } of plan) {
      const result = await runDataset(ds, encoder, outOfDomain);
      progressDone();
      printDataset(result);
      results.push(result);
    }
  } finally {
    await encoder.inner.close();
  }
  printSweepSummary(results);

  const runtimeMs = Math.round(performance.now() - started);
  const cpus = os.cpus();
  const machine = { cores: cpus.length, cpu: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.arch()}` };
  const out = {
    benchmark: 'retrieval',
    machine,
    config: CONFIG,
    encoder: {
      id: encoder.id,
      loadMs: Math.round(loadMs),
      questionsEmbedded: questions.length,
      questionEmbedMsEach: queryEmbedMs / questions.length,
      textsSentToModel: encoder.modelTexts,
    },
    datasets: results,
    runtimeMs,
  };
  const file = path.join(repoRoot, 'bench', 'results', 'retrieval.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(
    `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}. Model ${encoder.id}: ${questions.length} questions embedded in ${(queryEmbedMs / 1000).toFixed(1)} s (${(queryEmbedMs / questions.length).toFixed(1)} ms each, batched). Total ${(runtimeMs / 1000).toFixed(0)} s.\nWrote ${path.relative(process.cwd(), file)}\n`,
  );
}

main().catch((error: unknown) => {
  progressDone();
  console.error(error);
  process.exitCode = 1;
});
