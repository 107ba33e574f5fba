/**
 * Ingestion benchmark: tickets indexed at scale (time, memory, store size,
 * reopen, durable writes), a one-file publish into a 1k-article knowledge
 * base, and the whole pipeline's throughput against the bare encoder. See
 * README.md beside this file.
 *
 *   pnpm bench:ingest                                   (from the workspace root)
 *   SIZES=1000 ARTICLES=100 THROUGHPUT_N=500 pnpm bench:ingest   (a quick run)
 *
 * Tables go to stdout, everything to bench/results/ingest.json. Every
 * measurement runs in a fresh child process on a fresh temporary store; the
 * temporary folder is removed at the end, on errors and on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { passagesOf, ticketDoc, type Ticket } from '@answerdesk/core';
import { progress, progressDone } from '../common/progress.js';
import { buildArticles, editOneSection, loadSources, TicketFactory } from './corpus.js';
import { machineInfo } from './measure.js';
import { count, other, publishTable, reopenTable, seconds, size, throughputTable, ticketTable, phaseTable, writeTable, BUSY_CORES } from './report.js';
import type { BareResult, EncoderName, PipelineResult, PublishResult, StoreKind, Task, TaskResult, TicketResult } from './tasks.js';

const STORE_KINDS: readonly StoreKind[] = ['sqlite'];

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

const list = (value: string | undefined, fallback: string) => (value ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
const whole = (name: string, value: string) => {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be whole numbers ≥ 1 (got "${value}")`);
  return n;
};

/** Everything that shapes the numbers (env overrides in brackets). */
const CONFIG = {
  /** Ticket counts, each indexed into a fresh store [SIZES]. */
  sizes: list(process.env.SIZES, '10000,50000,100000').map((s) => whole('SIZES', s)),
  /** Encoder of the ticket-scale runs only [ENCODER=use-lite|hashing]; publish and throughput always use USE-lite. */
  encoder: (process.env.ENCODER ?? 'use-lite') as EncoderName,
  /** Articles in the knowledge base the one-file change is published into [ARTICLES]. */
  articles: whole('ARTICLES', process.env.ARTICLES ?? '1000'),
  /** Tickets whose texts are embedded bare and through the pipeline [THROUGHPUT_N]. */
  throughputTickets: whole('THROUGHPUT_N', process.env.THROUGHPUT_N ?? '5000'),
  /** Runs of each side; the order alternates and the fastest of each is compared [THROUGHPUT_REPEATS]. */
  throughputRepeats: whole('THROUGHPUT_REPEATS', process.env.THROUGHPUT_REPEATS ?? '1'),
  /** What holds each size's knowledge base [STORES=sqlite]: the SQLite store folder (the old file format, `files`, is only read now, to convert it). */
  stores: list(process.env.STORES, 'sqlite').map((kind) => {
    if (!(STORE_KINDS as readonly string[]).includes(kind)) throw new Error(`STORES: "${kind}" is not one of ${STORE_KINDS.join(', ')}`);
    return kind as StoreKind;
  }),
  /** Which parts run [SECTIONS=tickets,publish,throughput]. */
  sections: new Set(list(process.env.SECTIONS, 'tickets,publish,throughput')),
  /** Also publish the one-file change with index([dir]) into its own store, when publish exists [INDEX_COMPARE=1]. */
  indexCompare: process.env.INDEX_COMPARE === '1',
  seed: whole('SEED', process.env.SEED ?? '1'),
  /** Tickets added one at a time into each size's store, and into the reopened largest store in one call. */
  singleWrites: 3,
  batchWrite: 100,
};

function datasetsDir(): string {
  return path.resolve(process.env.ANSWERDESK_DATASETS ?? path.join(repoRoot, '..', 'shared', 'datasets'));
}

const resultsFile = path.resolve(repoRoot, process.env.RESULTS ?? path.join('bench', 'results', 'ingest.json'));

/** ETA and other notes for a person watching: stderr, never in CI. */
const note = (line: string) => {
  if (process.env.CI) return;
  progressDone();
  process.stderr.write(`${line}\n`);
};

// ------------------------------------------------------------------ children and clean-up

let tmp: string | undefined;
let child: ChildProcess | undefined;

async function cleanUp(): Promise<void> {
  if (child && child.exitCode === null && child.pid !== undefined) child.kill('SIGTERM');
  if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  tmp = undefined;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progressDone();
    process.stderr.write(`\n${signal}: stopping, removing temporary files\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

class MeasurementError extends Error {
  constructor(readonly measurement: string, readonly reason: string) {
    super(`measurement "${measurement}" failed: ${reason}`);
  }
}

/** Run one measurement in a fresh Node process with this process's flags (heap limit, conditions, tsx). */
async function measure<R extends TaskResult>(name: string, task: Task): Promise<R> {
  const taskPath = path.join(tmp!, `${name}.task.json`);
  const resultPath = path.join(tmp!, `${name}.result.json`);
  await writeFile(taskPath, JSON.stringify(task));
  child = spawn(process.execPath, [...process.execArgv, path.join(here, 'child.ts'), taskPath, resultPath], { stdio: ['ignore', 'inherit', 'inherit'] });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  child = undefined;
  if (code !== 0) {
    const reason = await readFile(resultPath, 'utf8').then((text) => (JSON.parse(text) as { error?: string }).error, () => undefined);
    throw new MeasurementError(name, reason ?? `exit ${code ?? signal}${signal === 'SIGKILL' ? ' (killed: out of memory?)' : ''}`);
  }
  return JSON.parse(await readFile(resultPath, 'utf8')) as R;
}

async function writeJsonl(file: string, tickets: readonly Ticket[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  for (let i = 0; i < tickets.length; i += 1000) {
    const chunk = tickets.slice(i, i + 1000).map((t) => JSON.stringify(t)).join('\n') + '\n';
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Passages the knowledge base would embed for these tickets: all, and distinct (what the content-hash cache sends to the model). */
function passageTexts(tickets: readonly Ticket[]): { total: number; distinct: string[] } {
  const seen = new Set<string>();
  let total = 0;
  for (const ticket of tickets) {
    for (const passage of passagesOf(ticketDoc(ticket))) {
      total++;
      seen.add(passage.text);
    }
  }
  return { total, distinct: [...seen] };
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const started = performance.now();
  const machine = machineInfo();
  if (!['use-lite', 'hashing'].includes(CONFIG.encoder)) throw new Error(`ENCODER must be use-lite or hashing (got "${CONFIG.encoder}")`);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-ingest-'));
  const sources = await loadSources(datasetsDir());
  const factory = new TicketFactory(sources, CONFIG.seed);
  const sizes = [...new Set(CONFIG.sizes)].sort((a, b) => a - b);
  const out: Record<string, unknown> = {
    benchmark: 'ingest',
    startedAt: new Date().toISOString(),
    machine,
    config: { ...CONFIG, sections: [...CONFIG.sections] },
    command: { env: Object.fromEntries(['SIZES', 'ENCODER', 'ARTICLES', 'THROUGHPUT_N', 'THROUGHPUT_REPEATS', 'SECTIONS', 'INDEX_COMPARE', 'SEED', 'RESULTS'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]])), execArgv: process.execArgv },
    sources: { ...sources.counts, distinctBaseItems: factory.baseItems },
  };
  const lines: string[] = [];
  const print = (...text: string[]) => {
    lines.push(...text);
    process.stdout.write(text.join('\n') + '\n');
  };

  // ---------------------------------------------------------------- 1. tickets at scale
  if (CONFIG.sections.has('tickets') && sizes.length > 0) {
    const largest = sizes.at(-1)!;
    progress(`generating ${count(largest)} tickets`);
    const all = factory.tickets(0, largest);
    const corpus = passageTexts(all);
    out.ticketCorpus = { tickets: largest, passages: corpus.total, distinctPassages: corpus.distinct.length, passagesPerTicket: corpus.total / largest };
    const rows: TicketResult[] = [];
    const eta: Array<{ tickets: number; storeKind: StoreKind; predictedMs: number }> = [];
    const failures: Array<{ tickets: number; storeKind: StoreKind; reason: string }> = [];
    for (const n of sizes) {
      const dir = path.join(tmp, `tickets-${n}`);
      const file = path.join(dir, 'tickets.jsonl');
      progress(`writing ${count(n)} tickets`);
      await writeJsonl(file, all.slice(0, n));
      const extraFile = path.join(dir, 'extra.json');
      await writeFile(extraFile, JSON.stringify({ singles: factory.tickets(n + CONFIG.batchWrite, CONFIG.singleWrites), batch: n === largest ? factory.tickets(n, CONFIG.batchWrite) : [] }));
      for (const storeKind of CONFIG.stores) {
        const store = path.join(dir, `store-${storeKind}`);
        const label = `${count(n)} tickets (${storeKind})`;
        let row: TicketResult;
        try {
          row = await measure<TicketResult>(`tickets-${n}-${storeKind}`, { kind: 'tickets', label, storeKind, encoder: CONFIG.encoder, tickets: n, file, store, extraFile, reopen: n === largest });
        } catch (error) {
          // One size failing (e.g. out of memory at 100k) is a result too: recorded, and the run goes on.
          if (!(error instanceof MeasurementError)) throw error;
          failures.push({ tickets: n, storeKind, reason: error.reason });
          note(`${label}: FAILED (${error.reason})`);
          await rm(store, { recursive: true, force: true });
          continue;
        }
        rows.push(row);
        await rm(store, { recursive: true, force: true });
        // ETA for the remaining sizes from this one's pace (passages per ticket and passages/s both measured).
        const rest = sizes.filter((s) => s > n);
        if (rest.length) {
          const msPerTicket = row.index.wallMs / n;
          let left = 0;
          for (const s of rest) {
            const predicted = msPerTicket * s;
            left += predicted;
            eta.push({ tickets: s, storeKind, predictedMs: predicted });
          }
          note(`${label}: ${seconds(row.index.wallMs)} (${(row.index.embedded / (row.index.wallMs / 1000)).toFixed(0)} passages/s). ETA for ${rest.map(count).join(' + ')} tickets at this pace: ~${(left / 60000).toFixed(0)} min.`);
        }
      }
      await rm(dir, { recursive: true, force: true });
    }
    out.tickets = rows;
    out.ticketFailures = failures;
    out.ticketEta = eta;
    const encoderId = rows[0]?.encoder ?? CONFIG.encoder;
    print(
      `## Ticket indexing at scale (${encoderId}; kb.index([tickets.jsonl], { train: [] }) into a fresh store each)`,
      '',
      ticketTable(rows),
      '',
      ...failures.map((f) => `**${count(f.tickets)} tickets (${f.storeKind}): failed** — ${f.reason}\n`),
      'Wall time by phase (from the onProgress events):',
      '',
      phaseTable(rows),
      '',
      'Durable writes and suggest on the store just indexed (same process):',
      '',
      writeTable(rows),
      '',
    );
    const reopened = rows.filter((r) => r.reopen);
    if (reopened.length) print(`Reopening the ${count(reopened[0]!.tickets)}-ticket store, then one durable addTickets of ${CONFIG.batchWrite} new tickets and a suggest:`, '', reopenTable(reopened), '');
    print(`Corpus: ${count(corpus.total)} passages for ${count(largest)} tickets (${(corpus.total / largest).toFixed(2)} per ticket), ${count(corpus.distinct.length)} distinct (${((corpus.distinct.length / corpus.total) * 100).toFixed(1)}%); ${count(factory.baseItems)} distinct base items from the datasets, the rest varied copies.`, '');
  }

  // ---------------------------------------------------------------- 2. publish a one-file change
  if (CONFIG.sections.has('publish')) {
    const dir = path.join(tmp, 'articles');
    const articles = buildArticles(sources, CONFIG.articles, CONFIG.seed);
    progress(`writing ${count(articles.length)} articles`);
    for (const a of articles) {
      await mkdir(path.dirname(path.join(dir, a.file)), { recursive: true });
      await writeFile(path.join(dir, a.file), a.markdown);
    }
    const target = articles[Math.floor(articles.length / 2)]!;
    const edit = editOneSection(target.markdown);
    const results: PublishResult[] = [];
    const variants = [false, ...(CONFIG.indexCompare ? [true] : [])];
    for (const forceIndex of variants) {
      // Each variant starts from the original files in its own store.
      await writeFile(path.join(dir, target.file), target.markdown);
      const name = forceIndex ? 'publish-index' : 'publish';
      const result = await measure<PublishResult>(name, { kind: 'publish', dir, store: path.join(tmp, `${name}-store`), editFile: path.join(dir, target.file), editedMarkdown: edit.markdown, forceIndex });
      await rm(path.join(tmp, `${name}-store`), { recursive: true, force: true });
      results.push(result);
      if (result.method === 'index' && !forceIndex && !result.publishAvailable) note('KnowledgeBase.publish is not available in this checkout: the article measurements used index([dir]).');
      if (forceIndex && result.method !== 'index') break;
    }
    out.publish = { editedFile: target.file, editedHeading: edit.heading, results };
    for (const r of results) {
      print(
        `## Publishing a one-file change into ${count(r.articles)} articles (${count(r.sections)} sections, ${count(r.passages)} passages, store ${size(r.storeBytes)}) — ${r.method === 'publish' ? 'kb.publish(dir)' : 'kb.index([dir]) (publish not available)'}`,
        '',
        publishTable(r),
        '',
        `The change: one sentence added in the middle of section "${edit.heading}" of ${target.file}.`,
        '',
      );
    }
  }

  // ---------------------------------------------------------------- 3. pipeline vs bare encoder
  if (CONFIG.sections.has('throughput')) {
    const tickets = factory.tickets(0, CONFIG.throughputTickets);
    const passages = passageTexts(tickets);
    const textsFile = path.join(tmp, 'throughput-passages.json');
    const ticketsFile = path.join(tmp, 'throughput-tickets.json');
    await writeFile(textsFile, JSON.stringify(passages.distinct));
    await writeFile(ticketsFile, JSON.stringify(tickets));
    // With repeats, the order alternates (bare first, then pipeline first…) and the fastest run of each is compared.
    const bares: BareResult[] = [];
    const pipelines: PipelineResult[] = [];
    for (let r = 0; r < CONFIG.throughputRepeats; r++) {
      const runBare = async () => bares.push(await measure<BareResult>(`bare-${r}`, { kind: 'bare', textsFile }));
      const runPipeline = async () => {
        pipelines.push(await measure<PipelineResult>(`pipeline-${r}`, { kind: 'pipeline', ticketsFile, store: path.join(tmp!, 'pipeline-store') }));
        await rm(path.join(tmp!, 'pipeline-store'), { recursive: true, force: true });
      };
      if (r % 2 === 0) {
        await runBare();
        await runPipeline();
      } else {
        await runPipeline();
        await runBare();
      }
    }
    const bare = bares.reduce((a, b) => (b.ms < a.ms ? b : a));
    const pipeline = pipelines.reduce((a, b) => (b.ms < a.ms ? b : a));
    const barePerS = bare.texts / (bare.ms / 1000);
    const pipelinePerS = pipeline.embedded / (pipeline.ms / 1000);
    const ratio = pipelinePerS / barePerS;
    out.throughput = { tickets: tickets.length, passages: passages.total, distinctPassages: passages.distinct.length, repeats: CONFIG.throughputRepeats, bare, pipeline, allBare: bares, allPipeline: pipelines, ratioPerPassage: ratio, ratioPerTicket: bare.ms / pipeline.ms };
    print(
      `## Pipeline throughput vs the bare encoder (${count(tickets.length)} tickets → ${count(passages.total)} passages, ${count(passages.distinct.length)} distinct; USE-lite, ${os.cpus().length} cores${CONFIG.throughputRepeats > 1 ? `; fastest of ${CONFIG.throughputRepeats} runs each, order alternating — all: bare ${bares.map((b) => seconds(b.ms)).join(', ')}; pipeline ${pipelines.map((p) => seconds(p.ms)).join(', ')}` : ''})`,
      '',
      throughputTable(bare, pipeline),
      '',
      `Ratio pipeline/bare, per passage embedded: **${ratio.toFixed(2)}** (pipeline ${pipelinePerS.toFixed(1)} passages/s vs bare ${barePerS.toFixed(1)}). The pipeline's write went to the ${pipeline.durableAs === 'wal' ? 'write-ahead log' : pipeline.durableAs === 'snapshot' ? 'a new snapshot (too big for one log record)' : 'store'}.`,
      '',
      `Pipeline wall time: encoder ${seconds(pipeline.phases.encoderMs)} (${((pipeline.phases.encoderMs / pipeline.ms) * 100).toFixed(0)}%), index (HNSW + lexical) ${seconds(pipeline.phases.indexMs)}, everything else (documents, passages, hashes, write-ahead log) ${seconds(pipeline.phases.otherMs)}. Bare encoder: model load ${seconds(bare.loadMs)} (not counted), pipeline store open ${seconds(pipeline.openMs)} (not counted).`,
      '',
    );
  }

  machine.loadAverage.end = os.loadavg().map((v) => +v.toFixed(2));
  out.runtimeMs = performance.now() - started;
  out.finishedAt = new Date().toISOString();
  const busy = collectBusy(out);
  out.busyMeasurements = busy;
  print(
    `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}. Load average (1/5/15 min) ${machine.loadAverage.start.join(' / ')} at start, ${machine.loadAverage.end.join(' / ')} at end. Total ${seconds(out.runtimeMs as number)}.`,
    busy.length ? `Other processes kept ≥ ${BUSY_CORES} cores busy during: ${busy.join('; ')}.` : `No measurement saw other processes keep ${BUSY_CORES}+ cores busy.`,
    '',
  );
  out.markdown = lines.join('\n');
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(`Wrote ${path.relative(process.cwd(), resultsFile)}\n`);
}

/** Measurements during which other processes were busy, for the summary line. */
function collectBusy(out: Record<string, unknown>): string[] {
  const busy: string[] = [];
  for (const r of (out.tickets as TicketResult[] | undefined) ?? []) {
    if (r.index.cpu.otherCores >= BUSY_CORES) busy.push(`indexing ${count(r.tickets)} tickets (${other(r.index.cpu)} cores)`);
    if (r.reopen && r.reopen.cpu.otherCores >= BUSY_CORES) busy.push(`reopen of ${count(r.tickets)} (${other(r.reopen.cpu)} cores)`);
  }
  for (const r of ((out.publish as { results: PublishResult[] } | undefined)?.results ?? [])) {
    for (const s of r.steps) if (s.cpu.otherCores >= BUSY_CORES) busy.push(`${r.method} ${s.step} (${other(s.cpu)} cores)`);
  }
  const t = out.throughput as { bare: BareResult; pipeline: PipelineResult } | undefined;
  if (t && t.bare.cpu.otherCores >= BUSY_CORES) busy.push(`bare encoder (${other(t.bare.cpu)} cores)`);
  if (t && t.pipeline.cpu.otherCores >= BUSY_CORES) busy.push(`pipeline (${other(t.pipeline.cpu)} cores)`);
  return busy;
}

main()
  .catch((error: unknown) => {
    progressDone();
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
