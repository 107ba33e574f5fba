/**
 * The measurements themselves. Each runs in a fresh child process (see
 * child.ts), so peak memory, `maxRSS`, the V8 heap and the encoder's worker
 * threads belong to that measurement alone and nothing carries over from the
 * previous one. Inputs come from files written by run.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HashingEncoder, KnowledgeBase, UseLiteEncoder, type Encoder, type IndexProgress, type KnowledgeService, type Ticket } from '@answerdesk/core';
import type { EncodeOptions } from '@answerdesk/embeddings';
import { progress, progressDone } from '../common/progress.js';
import { cpuWatch, dirSize, maxRssBytes, RssSampler, storeFiles, type CpuReport, type RssReport } from './measure.js';

export type EncoderName = 'use-lite' | 'hashing';

export function makeEncoder(name: EncoderName): TimedEncoder {
  // 512 dimensions like USE-lite, so the vector index and the store hold the same amount of data.
  return new TimedEncoder(name === 'hashing' ? new HashingEncoder(512) : new UseLiteEncoder());
}

/** Questions for the suggest timings (helpdesk English, like the corpus). */
export const QUERIES = [
  'my card still has not arrived after two weeks',
  'how do I cancel my order and get a refund',
  'I was charged twice for the same payment',
  'where can I download my invoice',
  'I forgot my password and cannot log in',
];

// ------------------------------------------------------------------ phases

/**
 * The encoder with a stopwatch: time spent inside embedPassages/embedQueries
 * (tokenizing, the model, worker round trips), so the rest of the pipeline's
 * time is known exactly whatever progress events the encoder sends.
 */
export class TimedEncoder implements Encoder {
  ms = 0;
  texts = 0;
  calls = 0;
  constructor(readonly inner: Encoder) {}
  get id() {
    return this.inner.id;
  }
  get dimension() {
    return this.inner.dimension;
  }
  get symmetric() {
    return this.inner.symmetric;
  }
  get languages() {
    return this.inner.languages;
  }
  load() {
    return this.inner.load();
  }
  close() {
    return this.inner.close();
  }
  private async time(texts: readonly string[], run: () => Promise<Float32Array[]>): Promise<Float32Array[]> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      this.ms += performance.now() - started;
      this.texts += texts.length;
      this.calls++;
    }
  }
  embedQueries(texts: readonly string[], options?: EncodeOptions) {
    return this.time(texts, () => this.inner.embedQueries(texts, options));
  }
  embedPassages(texts: readonly string[], options?: EncodeOptions) {
    return this.time(texts, () => this.inner.embedPassages(texts, options));
  }
  reset() {
    this.ms = 0;
    this.texts = 0;
    this.calls = 0;
  }
}

/** Where one write's wall time went. */
export interface Phases {
  wallMs: number;
  /** Inside the encoder (tokenize + model + worker round trips). */
  encoderMs: number;
  /** From the first `index` progress event to the next phase or the end: HNSW inserts, lexical index, cache bookkeeping. */
  indexMs: number;
  /** From the first `save` event to the end: the snapshot write (index() only; addTickets logs before indexing). */
  saveMs: number;
  /** Everything else: reading and validating files, documents, diff, passages, content hashes, the write-ahead log append. */
  otherMs: number;
  /** RSS at each phase's first event, bytes. */
  rssAt: Record<string, number>;
}

/** Phase boundaries from the `onProgress` events (taken synchronously, so exact even while the event loop is blocked). */
class PhaseClock {
  private readonly started = performance.now();
  private readonly first = new Map<string, { at: number; rss: number }>();
  private readonly order: string[] = [];

  constructor(private readonly label: string, private readonly encoder: TimedEncoder) {
    encoder.reset();
  }

  readonly onProgress = (p: IndexProgress): void => {
    if (!this.first.has(p.phase)) {
      this.first.set(p.phase, { at: performance.now(), rss: process.memoryUsage.rss() });
      this.order.push(p.phase);
    }
    progress(`${this.label}: ${p.phase}`, p.done, p.total);
  };

  finish(): Phases {
    const end = performance.now();
    progressDone();
    const span = (phase: string) => {
      const at = this.first.get(phase)?.at;
      if (at === undefined) return 0;
      const next = this.order.slice(this.order.indexOf(phase) + 1).map((p) => this.first.get(p)!.at)[0];
      return (next ?? end) - at;
    };
    const wallMs = end - this.started;
    const indexMs = span('index') + span('train');
    const saveMs = span('save');
    return {
      wallMs,
      encoderMs: this.encoder.ms,
      indexMs,
      saveMs,
      otherMs: Math.max(0, wallMs - this.encoder.ms - indexMs - saveMs),
      rssAt: Object.fromEntries([...this.first].map(([phase, mark]) => [phase, mark.rss])),
    };
  }
}

const timed = async <T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
};

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

const memory = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
};

// ------------------------------------------------------------------ 1. tickets at scale

/** What holds the knowledge base: a store folder's SQLite database (the default), or the old file format. */
export type StoreKind = 'sqlite';

function openStore(_kind: StoreKind, store: string, encoder: Encoder): Promise<KnowledgeService> {
  return KnowledgeBase.open({ store, encoder });
}

export interface TicketTask {
  kind: 'tickets';
  label: string;
  storeKind: StoreKind;
  encoder: EncoderName;
  tickets: number;
  file: string;
  store: string;
  /** JSON file with { singles: Ticket[3], batch: Ticket[100] }: tickets not in `file`. */
  extraFile: string;
  /** Also close, reopen, add the batch and suggest (done for the largest size). */
  reopen: boolean;
}

export interface TicketResult {
  kind: 'tickets';
  storeKind: StoreKind;
  encoder: string;
  tickets: number;
  openMs: number;
  index: {
    wallMs: number;
    documents: number;
    passages: number;
    embedded: number;
    reused: number;
    errors: number;
    phases: Phases;
    rss: RssReport;
    maxRssBytes: number;
    memoryAfter: ReturnType<typeof memory>;
    cpu: CpuReport;
  };
  storeBytes: number;
  storeFiles: Record<string, number>;
  /** Durable writes into the store just indexed (same process, warm). */
  writes: {
    singleTicketMs: number[];
    singleTicketMedianMs: number;
    /** addTickets of a ticket already in the store, unchanged: nothing to embed or log, only the write's fixed costs. */
    unchangedTicketMs: number[];
    unchangedTicketMedianMs: number;
    /** The first suggest after the writes (lexical: rebuilds the open segment's index), then the warm ones. */
    firstSuggestAfterWriteMs: number;
    suggestMs: number[];
    suggestMedianMs: number;
  };
  reopen?: {
    encoderLoadMs: number;
    openMs: number;
    rssAfterOpen: number;
    heapUsedAfterOpen: number;
    addTickets: { tickets: number; ms: number; embedded: number; walBytesAfter: number };
    firstSuggestMs: number;
    secondSuggestMs: number;
    suggestStatus: string;
    cpu: CpuReport;
  };
}

export async function runTickets(task: TicketTask): Promise<TicketResult> {
  const extra = JSON.parse(await readFile(task.extraFile, 'utf8')) as { singles: Ticket[]; batch: Ticket[] };
  const encoder = makeEncoder(task.encoder);
  const opened = await timed(() => openStore(task.storeKind, task.store, encoder));
  const kb = opened.value;
  let indexResult: TicketResult['index'];
  const sampler = new RssSampler();
  await sampler.started();
  const clock = new PhaseClock(`${task.label}: index ${task.tickets} tickets`, encoder);
  const cpu = cpuWatch();
  try {
    const { value: report, ms } = await timed(() => kb.index([task.file], { train: [], onProgress: clock.onProgress }));
    const cpuReport = cpu();
    const phases = clock.finish();
    const rss = await sampler.stop();
    indexResult = {
      wallMs: ms,
      documents: kb.stats.documents,
      passages: kb.stats.passages,
      embedded: report.embedded,
      reused: report.reused,
      errors: report.errors.length,
      phases,
      rss,
      maxRssBytes: maxRssBytes(),
      memoryAfter: memory(),
      cpu: cpuReport,
    };
  } catch (error) {
    await sampler.stop().catch(() => undefined);
    throw error;
  }
  const storeBytes = await dirSize(task.store);
  const files = await storeFiles(task.store);

  progress(`${task.label}: single-ticket writes`);
  const singleTicketMs: number[] = [];
  for (const ticket of extra.singles) singleTicketMs.push((await timed(() => kb.addTickets([ticket]))).ms);
  const unchangedTicketMs: number[] = [];
  for (const ticket of extra.singles) unchangedTicketMs.push((await timed(() => kb.addTickets([ticket]))).ms);
  const firstSuggest = await timed(() => kb.suggest(QUERIES.at(-1)!));
  const suggestMs: number[] = [];
  for (const query of QUERIES) suggestMs.push((await timed(() => kb.suggest(query))).ms);
  await kb.close();
  progressDone();

  const result: TicketResult = {
    kind: 'tickets',
    storeKind: task.storeKind,
    encoder: kb.encoder.id,
    tickets: task.tickets,
    openMs: opened.ms,
    index: indexResult,
    storeBytes,
    storeFiles: files,
    writes: {
      singleTicketMs,
      singleTicketMedianMs: median(singleTicketMs),
      unchangedTicketMs,
      unchangedTicketMedianMs: median(unchangedTicketMs),
      firstSuggestAfterWriteMs: firstSuggest.ms,
      suggestMs,
      suggestMedianMs: median(suggestMs),
    },
  };

  if (task.reopen) {
    progress(`${task.label}: reopening the store`);
    const cpuReopen = cpuWatch();
    const fresh = makeEncoder(task.encoder);
    const load = await timed(() => fresh.load());
    const open = await timed(() => openStore(task.storeKind, task.store, fresh));
    const again = open.value;
    const afterOpen = memory();
    progress(`${task.label}: adding ${extra.batch.length} tickets`);
    const add = await timed(() => again.addTickets(extra.batch));
    const walBytesAfter = Object.entries(await storeFiles(task.store)).filter(([name]) => /^wal-/.test(name)).reduce((sum, [, bytes]) => sum + bytes, 0);
    const first = await timed(() => again.suggest(QUERIES[0]!));
    const second = await timed(() => again.suggest(QUERIES[1]!));
    await again.close();
    progressDone();
    result.reopen = {
      encoderLoadMs: load.ms,
      openMs: open.ms,
      rssAfterOpen: afterOpen.rss,
      heapUsedAfterOpen: afterOpen.heapUsed,
      addTickets: { tickets: extra.batch.length, ms: add.ms, embedded: add.value.embedded, walBytesAfter },
      firstSuggestMs: first.ms,
      secondSuggestMs: second.ms,
      suggestStatus: first.value.status,
      cpu: cpuReopen(),
    };
  }
  return result;
}

// ------------------------------------------------------------------ 2. publishing articles

export interface PublishTask {
  kind: 'publish';
  dir: string;
  store: string;
  editFile: string;
  editedMarkdown: string;
  /** Use `index([dir])` even when `publish` exists (to compare the two). */
  forceIndex: boolean;
}

/** The incremental publish being added to KnowledgeBase; typed here so the bench compiles before and after it lands. */
interface Publisher {
  publish(dir: string, options?: { dryRun?: boolean; onProgress?: (p: IndexProgress) => void }): Promise<Record<string, unknown> & { embedded?: number }>;
}

export interface PublishStep {
  step: string;
  ms: number;
  embedded: number;
  /** Sections added or changed, and removed, as the report says. */
  updated?: number;
  removed?: number;
  phases: Phases;
  report: Record<string, unknown>;
  cpu: CpuReport;
}

export interface PublishResult {
  kind: 'publish';
  method: 'publish' | 'index';
  publishAvailable: boolean;
  articles: number;
  sections: number;
  passages: number;
  storeBytes: number;
  steps: PublishStep[];
}

/** A report with long lists replaced by their length, so the JSON stays readable. */
function summarize(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.length <= 5 && depth < 3 ? value.map((v) => summarize(v, depth + 1)) : { items: value.length, first: value.slice(0, 2).map((v) => summarize(v, depth + 1)) };
  if (value && typeof value === 'object') {
    if (value instanceof Error) return { error: value.message };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, depth > 3 ? '…' : summarize(v, depth + 1)]));
  }
  return value;
}

export async function runPublish(task: PublishTask): Promise<PublishResult> {
  const encoder = makeEncoder('use-lite');
  const kb = await KnowledgeBase.open({ store: task.store, encoder });
  const publisher = kb as unknown as Partial<Publisher>;
  const publishAvailable = typeof publisher.publish === 'function';
  const method = publishAvailable && !task.forceIndex ? 'publish' : 'index';
  const steps: PublishStep[] = [];
  const run = async (step: string, dryRun = false) => {
    const clock = new PhaseClock(`articles: ${step}`, encoder);
    const cpu = cpuWatch();
    const { value, ms } = await timed(async (): Promise<Record<string, unknown>> => {
      if (method === 'publish') return publisher.publish!.call(kb, task.dir, { dryRun, onProgress: clock.onProgress });
      return { ...(await kb.index([task.dir], { onProgress: clock.onProgress })) };
    });
    const phases = clock.finish();
    // publish reports sections in its plan; index reports changed documents (sections) as `updated`.
    const plan = (value.plan as { sections?: { added: number; changed: number; removed: number } } | undefined)?.sections;
    const updated = plan ? plan.added + plan.changed : typeof value.updated === 'number' ? value.updated : undefined;
    const removed = plan ? plan.removed : typeof value.removed === 'number' ? value.removed : undefined;
    steps.push({ step, ms, embedded: typeof value.embedded === 'number' ? value.embedded : Number.NaN, ...(updated !== undefined ? { updated } : {}), ...(removed !== undefined ? { removed } : {}), phases, report: summarize(value) as Record<string, unknown>, cpu: cpu() });
  };
  await run('initial publish (empty store)');
  await writeFile(task.editFile, task.editedMarkdown);
  if (method === 'publish') await run('one-file change, dry run', true);
  await run('one-file change');
  await run('no change');
  const stats = kb.stats;
  await kb.close();
  return { kind: 'publish', method, publishAvailable, articles: kb.articleIds.length, sections: stats.documents, passages: stats.passages, storeBytes: await dirSize(task.store), steps };
}

// ------------------------------------------------------------------ 3. pipeline vs bare encoder

export interface BareTask {
  kind: 'bare';
  /** JSON array of passage texts. */
  textsFile: string;
}

export interface BareResult {
  kind: 'bare';
  texts: number;
  loadMs: number;
  ms: number;
  maxRssBytes: number;
  cpu: CpuReport;
}

export async function runBare(task: BareTask): Promise<BareResult> {
  const texts = JSON.parse(await readFile(task.textsFile, 'utf8')) as string[];
  const encoder = new UseLiteEncoder();
  const load = await timed(() => encoder.load());
  const cpu = cpuWatch();
  // Same call the pipeline makes (EmbeddingCache → encoder.embedPassages with a progress callback), minus everything around it.
  const { ms } = await timed(() => encoder.embedPassages(texts, { onProgress: (p) => progress('bare encoder: embedding', p.done, p.total) }));
  const cpuReport = cpu();
  progressDone();
  await encoder.close();
  return { kind: 'bare', texts: texts.length, loadMs: load.ms, ms, maxRssBytes: maxRssBytes(), cpu: cpuReport };
}

export interface PipelineTask {
  kind: 'pipeline';
  /** JSON array of tickets. */
  ticketsFile: string;
  store: string;
}

export interface PipelineResult {
  kind: 'pipeline';
  tickets: number;
  openMs: number;
  ms: number;
  embedded: number;
  reused: number;
  passages: number;
  phases: Phases;
  /** Where the write went: the write-ahead log, or (too big for one log record) a new snapshot. */
  durableAs: 'wal' | 'snapshot' | 'unknown';
  storeFiles: Record<string, number>;
  maxRssBytes: number;
  cpu: CpuReport;
}

export async function runPipeline(task: PipelineTask): Promise<PipelineResult> {
  const tickets = JSON.parse(await readFile(task.ticketsFile, 'utf8')) as Ticket[];
  const encoder = makeEncoder('use-lite');
  const opened = await timed(() => KnowledgeBase.open({ store: task.store, encoder }));
  const kb = opened.value;
  const clock = new PhaseClock('pipeline: addTickets', encoder);
  const cpu = cpuWatch();
  const { value: report, ms } = await timed(() => kb.addTickets(tickets, { onProgress: clock.onProgress }));
  const cpuReport = cpu();
  const phases = clock.finish();
  const passages = kb.stats.passages;
  await kb.close();
  const files = await storeFiles(task.store);
  const names = Object.keys(files);
  const durableAs = names.some((n) => /^snap-/.test(n)) ? 'snapshot' : names.some((n) => /^wal-/.test(n)) ? 'wal' : 'unknown';
  return { kind: 'pipeline', tickets: tickets.length, openMs: opened.ms, ms, embedded: report.embedded, reused: report.reused, passages, phases, durableAs, storeFiles: files, maxRssBytes: maxRssBytes(), cpu: cpuReport };
}

export type Task = TicketTask | PublishTask | BareTask | PipelineTask;
export type TaskResult = TicketResult | PublishResult | BareResult | PipelineResult;

export async function runTask(task: Task): Promise<TaskResult> {
  switch (task.kind) {
    case 'tickets':
      return runTickets(task);
    case 'publish':
      return runPublish(task);
    case 'bare':
      return runBare(task);
    case 'pipeline':
      return runPipeline(task);
  }
}

export const taskFile = (dir: string, name: string) => path.join(dir, `${name}.task.json`);
