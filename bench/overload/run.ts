/**
 * Overload on the loopback: `answerdesk serve` in a child process (an admin key, --rate-limit off)
 * on docs-content indexed with its categorizers, driven by realistic customer messages
 * (bench/answers/messages.jsonl) in an open loop at 1× and 2× the saturated rate, without and
 * with training jobs running, while GET /v1/health is sampled every 100 ms. What a client sees when
 * more questions arrive than the server can answer: are the excess ones refused quickly with a
 * code (503 ADK_OVERLOADED / 429), do the accepted ones keep their latency, does anything time out
 * or get reset, and does a training job slow the answers or the health check.
 *
 * Phases: unloaded (sequential suggests) → saturation (closed loop, 4 clients, 10 s: rate R) →
 * open loop at R and 2R for --seconds each → the same with training jobs back to back (and
 * sequential suggests with training, the same count as unloaded). Bounded: a fixed number of
 * requests per phase, each with a 10 s client time-out; the server is stopped on exit and signals.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo } from '../common/machine.js';
import { progress, progressDone } from '../common/progress.js';
import { buildStore, childEnv, handleSignals, interrupted, repoRoot, serverAlive, serverUsage, startServer, stopChildren, tail, waitReady, type ServerProcess } from '../common/serve.js';
import { mean, percentile, table, type Cell } from '../common/table.js';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, warmup: { type: 'string' }, help: { type: 'boolean', default: false } } });
if (args.help) {
  process.stdout.write(
    'usage: pnpm bench:overload [--seconds N] [--warmup M]\n' +
      '  --seconds N  seconds per open-loop phase (default 60)\n' +
      '  --warmup M   messages sent one by one first, to fill the server\'s caches (default: every message once)\n',
  );
  process.exit(0);
}
const seconds = Number(args.seconds);
if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new Error(`--seconds must be a number of seconds in (0, 600], got "${args.seconds}"`);
const warmupArg = args.warmup === undefined ? undefined : Number(args.warmup);
if (warmupArg !== undefined && !(Number.isInteger(warmupArg) && warmupArg >= 1 && warmupArg <= 10_000)) throw new Error(`--warmup must be a whole number of messages in [1, 10000], got "${args.warmup}"`);

const UNLOADED_REQUESTS = 40;
const SATURATION_CLIENTS = 4;
const SATURATION_SECONDS = 10;
const IDLE_SECONDS = 5;
const CLIENT_TIMEOUT_MS = 10_000;
const HEALTH_EVERY_MS = 100;
const JOB_POLL_MS = 250;
/** Targets (issue 15, item 6). */
const TARGET = { shedMaxMs: 100, acceptedP99Factor: 3, trainingP99Factor: 2, healthMaxMs: 50 };

const storeDir = path.join(repoRoot, 'bench', 'results', 'overload-store');
const resultsFile = path.join(repoRoot, 'bench', 'results', 'overload.json');
const secret = randomBytes(24).toString('hex');
const auth = { authorization: `Bearer ${secret}` };
const jsonHeaders = { ...auth, 'content-type': 'application/json' };

// Realistic customer messages (greetings, signatures, several questions, a few languages), in rotation.
const messages = (await readFile(path.join(repoRoot, 'bench', 'answers', 'messages.jsonl'), 'utf8'))
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => (JSON.parse(line) as { text: string }).text);
const bodies = messages.map((text) => JSON.stringify({ text }));
const warmupRequests = warmupArg ?? bodies.length;
let nextBody = 0;
const body = () => bodies[nextBody++ % bodies.length]!;
/**
 * The sequential phases (unloaded, and unloaded with training) answer the same messages, spread
 * evenly over the file: the cost of a message varies a lot (one short question or several in a long
 * e-mail), so comparing two different slices of the rotation would compare messages, not conditions.
 */
const sequentialBodies = (count: number) => Array.from({ length: count }, (_, i) => bodies[Math.floor((i * bodies.length) / count)]!);

// ---- the server child, and stopping it ---------------------------------------------------------

let server: ServerProcess | undefined;
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= stopChildren();
  return cleaning;
}
handleSignals(cleanup);

/** Times in the JSON (requests, phases, training jobs) count from here. */
const runStart = performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 1) => +value.toFixed(digits);

// ---- one request ---------------------------------------------------------------------------------

type Outcome = 'accepted' | 'shed' | 'http-error' | 'timeout' | 'reset' | 'other';
interface Result {
  /** When it was sent, ms since the run started (`runStart`). */
  at: number;
  ms: number;
  outcome: Outcome;
  status?: number;
  /** The error code of a non-2xx body, or the client error's code. */
  code?: string;
  /** The server's own `tookMs` for kb.suggest (200s). */
  tookMs?: number;
  /** Seconds in the Retry-After header of a refusal. */
  retryAfter?: number;
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Classify a fetch failure: the client's time-out, a reset/closed connection, or something else (with its code). */
function clientError(error: unknown): { outcome: Outcome; code: string } {
  const e = error as { name?: string; code?: string; cause?: { code?: string; name?: string; cause?: { code?: string } } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return { outcome: 'timeout', code: 'TimeoutError' };
  const code = e?.cause?.code ?? e?.cause?.cause?.code ?? e?.code ?? e?.name ?? 'unknown';
  return { outcome: RESET_CODES.has(code) ? 'reset' : 'other', code };
}

/** POST /v1/suggest with the next message; never throws. */
async function suggest(base: string, payload = body()): Promise<Result> {
  const sent = performance.now();
  const at = sent - runStart;
  try {
    const response = await fetch(`${base}/v1/suggest`, { method: 'POST', headers: jsonHeaders, body: payload, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    const text = await response.text();
    const ms = performance.now() - sent;
    if (response.status === 200) {
      // The top-level tookMs is the last key of the answer; no JSON.parse of the whole body on the load generator.
      const took = /"tookMs":([\d.]+)\}\s*$/.exec(text);
      return { at, ms, outcome: 'accepted', status: 200, ...(took ? { tookMs: Number(took[1]) } : {}) };
    }
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    const shed = (response.status === 503 && code === 'ADK_OVERLOADED') || (response.status === 429 && code === 'ADK_RATE_LIMITED');
    const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
    return { at, ms, outcome: shed ? 'shed' : 'http-error', status: response.status, ...(code ? { code } : {}), ...(Number.isFinite(retryAfter) ? { retryAfter } : {}) };
  } catch (error) {
    return { at, ms: performance.now() - sent, ...clientError(error) };
  }
}

// ---- health sampling, server metrics -----------------------------------------------------------

interface HealthSample {
  /** ms since the run started */
  at: number;
  ms: number;
  ok: boolean;
}

/** GET /v1/health every 100 ms (not waiting for the last answer) until stopped; resolves with every sample. */
function sampleHealth(base: string): { stop: () => Promise<HealthSample[]> } {
  const samples: HealthSample[] = [];
  const pending = new Set<Promise<void>>();
  const probe = () => {
    const sent = performance.now();
    const p = fetch(`${base}/v1/health`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) })
      .then(async (response) => {
        await response.arrayBuffer();
        samples.push({ at: sent - runStart, ms: performance.now() - sent, ok: response.status === 200 });
      })
      .catch(() => {
        samples.push({ at: sent - runStart, ms: performance.now() - sent, ok: false });
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  const timer = setInterval(probe, HEALTH_EVERY_MS);
  probe();
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.allSettled([...pending]);
      return samples;
    },
  };
}

interface ServerMetrics {
  shed: Record<string, number>;
  queueWaitCount: number;
  queueWaitSum: number;
  suggestCount: number;
  suggestSum: number;
}

/** The shed counters, the admission queue wait and the server-side time of POST /v1/suggest (onRequest → response). */
async function serverMetrics(base: string): Promise<ServerMetrics | undefined> {
  try {
    const response = await fetch(`${base}/v1/metrics`, { headers: auth, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    const text = await response.text();
    if (response.status !== 200) return undefined;
    const shed: Record<string, number> = {};
    for (const m of text.matchAll(/^answerdesk_shed_requests_total\{reason="([^"]+)"\} ([\d.e+-]+)$/gm)) shed[m[1]!] = Number(m[2]);
    const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
    return {
      shed,
      queueWaitCount: value(/^answerdesk_queue_wait_seconds_count ([\d.e+-]+)$/m),
      queueWaitSum: value(/^answerdesk_queue_wait_seconds_sum ([\d.e+-]+)$/m),
      suggestCount: value(/^answerdesk_http_request_duration_seconds_count\{[^}]*route="\/v1\/suggest"[^}]*\} ([\d.e+-]+)$/m),
      suggestSum: value(/^answerdesk_http_request_duration_seconds_sum\{[^}]*route="\/v1\/suggest"[^}]*\} ([\d.e+-]+)$/m),
    };
  } catch {
    return undefined;
  }
}

// ---- training jobs, back to back -----------------------------------------------------------------

interface JobRecord {
  startedAt: number;
  finishedAt?: number;
  state: string;
  error?: string;
}

/** POST /v1/train {field: category}; when the job finishes, start another, until stopped. */
class Trainer {
  readonly jobs: JobRecord[] = [];
  startFailures: Array<{ status: number | string; code?: string }> = [];
  private stopped = false;
  private loop?: Promise<void>;
  private firstRunning?: () => void;
  private finishWaiters: Array<() => void> = [];

  constructor(private readonly base: string) {}

  /** Start the loop; resolves once the first job runs. */
  async start(): Promise<void> {
    const running = new Promise<void>((resolve) => (this.firstRunning = resolve));
    this.loop = this.run();
    await Promise.race([running, this.loop]);
  }

  /** Resolves when the job running now (or the next one) finishes. */
  nextFinish(): Promise<void> {
    return new Promise((resolve) => this.finishWaiters.push(resolve));
  }

  /** Start no more jobs; wait (up to `waitMs`) for the current one to finish. */
  async stop(waitMs: number): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    while (!this.stopped && !interrupted()) {
      let id: string | undefined;
      try {
        const response = await fetch(`${this.base}/v1/train`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ field: 'category' }), signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
        const job = (await response.json()) as { id?: string; state?: string; error?: { code?: string } };
        if (response.status === 202 && job.id) id = job.id;
        else this.startFailures.push({ status: response.status, ...(job.error?.code ? { code: job.error.code } : {}) });
      } catch (error) {
        this.startFailures.push({ status: clientError(error).code });
      }
      if (!id) {
        await sleep(500);
        continue;
      }
      const record: JobRecord = { startedAt: performance.now(), state: 'queued' };
      this.jobs.push(record);
      for (;;) {
        try {
          const response = await fetch(`${this.base}/v1/jobs/${id}`, { headers: auth, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
          const job = (await response.json()) as { state?: string; error?: { code?: string; message?: string } };
          if (response.status === 200 && job.state) record.state = job.state;
          if (job.state === 'running' || job.state === 'succeeded') this.firstRunning?.();
          if (job.state === 'succeeded' || job.state === 'failed') {
            record.finishedAt = performance.now();
            if (job.error) record.error = `${job.error.code}: ${job.error.message}`;
            for (const resolve of this.finishWaiters.splice(0)) resolve();
            break;
          }
        } catch {
          // a slow poll: ask again
        }
        if (interrupted()) return;
        await sleep(JOB_POLL_MS);
      }
    }
  }
}

// ---- load ------------------------------------------------------------------------------------------

/** A well-behaved client waits as long as a refusal's Retry-After says (1 s if it says nothing) before its next request. */
const backOff = (r: Result) => (r.outcome === 'accepted' ? Promise.resolve() : sleep(1000 * (r.retryAfter ?? 1)));

/** Suggests one after another until each of `texts` is accepted (at most 3 requests per text), backing off after a refusal and sending the same text again. */
async function sequential(base: string, texts: readonly string[], label: string): Promise<Result[]> {
  const results: Result[] = [];
  let accepted = 0;
  for (let i = 0; accepted < texts.length && i < 3 * texts.length && !interrupted(); i++) {
    progress(label, accepted, texts.length);
    const r = await suggest(base, texts[accepted]);
    results.push(r);
    if (r.outcome === 'accepted') accepted++;
    await backOff(r);
  }
  return results;
}

/** `clients` clients, each sending its next suggest when the last is answered (after Retry-After if refused), for `durationS`. */
async function closedLoop(base: string, clients: number, durationS: number, label: string): Promise<Result[]> {
  const results: Result[] = [];
  const start = performance.now();
  const end = start + durationS * 1000;
  const ticker = setInterval(() => progress(`${label}: ${results.length} answers, second`, Math.round((performance.now() - start) / 1000), durationS), 1000);
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end && !interrupted()) {
        const r = await suggest(base);
        results.push(r);
        await backOff(r);
      }
    }),
  );
  clearInterval(ticker);
  return results;
}

/** No suggests: only the health samples, for `durationS` or until `until` resolves. */
async function idle(durationS: number, label: string, until?: Promise<unknown>): Promise<Result[]> {
  const start = performance.now();
  const ticker = setInterval(() => progress(`${label}, second`, Math.round((performance.now() - start) / 1000), durationS), 1000);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, durationS * 1000))), ...(until ? [until] : [])]);
  clearTimeout(timer);
  clearInterval(ticker);
  return [];
}

/**
 * Open loop: request i is sent at start + i/rate whether or not earlier ones were answered, for
 * `durationS`. Resolves once every request has its answer or its client error (≤ 10 s after the
 * last was sent). `lag`: how late each request left against its schedule (the generator's own delay).
 */
async function openLoop(base: string, rate: number, durationS: number, label: string): Promise<{ results: Result[]; lag: number[] }> {
  const total = Math.max(1, Math.round(rate * durationS));
  const results: Result[] = [];
  const lag: number[] = [];
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < total && start + (i * 1000) / rate <= now) {
        lag.push(now - (start + (i * 1000) / rate));
        i++;
        const p = suggest(base).then((r) => {
          results.push(r);
          pending.delete(p);
        });
        pending.add(p);
      }
      progress(`${label}: ${i} sent, ${results.length} answered, second`, Math.round((now - start) / 1000), durationS);
      if (i >= total || interrupted()) return resolve();
      setTimeout(tick, Math.max(0, start + (i * 1000) / rate - performance.now()));
    };
    tick();
  });
  await Promise.all([...pending]);
  return { results, lag };
}

/** After a phase: one suggest until answered (retrying a refusal), so requests the server still works on do not spill into the next phase. */
async function drain(base: string): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < 60_000 && !interrupted()) {
    const r = await suggest(base);
    if (r.outcome === 'accepted') break;
    await backOff(r);
  }
  return (performance.now() - start) / 1000;
}

// ---- phases ----------------------------------------------------------------------------------------

interface Latency {
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}
const latency = (values: readonly number[]): Latency =>
  values.length === 0
    ? { p50: null, p90: null, p99: null, max: null }
    : { p50: round(percentile(values, 50)), p90: round(percentile(values, 90)), p99: round(percentile(values, 99)), max: round(Math.max(...values)) };

interface PhaseSummary {
  phase: string;
  /** Seconds since the run started. */
  startedAtS: number;
  load: string;
  training: boolean;
  durationS: number;
  targetRate: number | null;
  sent: number;
  offeredRate: number;
  accepted: number;
  acceptedRate: number;
  acceptedMs: Latency;
  serverTookMs: Latency;
  shed: { total: number; overloaded: number; rateLimited: number; ms: Latency };
  httpErrors: Record<string, number>;
  clientErrors: { timeouts: number; resets: number; other: number; codes: Record<string, number> };
  health: { samples: number; failed: number; ms: Latency; slowest: Array<{ atS: number; ms: number }> };
  trainingJobs: { succeeded: number; failed: number; meanSeconds: number | null } | null;
  server: {
    cpuCores: number | null;
    rssMb: number | null;
    shedByReason: Record<string, number>;
    queueWait: { count: number; meanMs: number | null };
    suggestInServerMeanMs: number | null;
  };
  generator: { cpuCores: number; lagMs: Latency | null };
  /** The five slowest accepted suggests: when they were sent (s since the run started), client and server time. */
  slowest: Array<{ atS: number; ms: number; tookMs: number | null }>;
  drainSeconds: number;
}

let trainer: Trainer | undefined;

async function phase(
  srv: ServerProcess,
  name: string,
  load: string,
  targetRate: number | null,
  work: () => Promise<{ results: Result[]; lag?: number[] }>,
): Promise<PhaseSummary> {
  const base = srv.base;
  const metricsBefore = await serverMetrics(base);
  const usageBefore = await serverUsage(srv);
  const cpuBefore = process.cpuUsage();
  const health = sampleHealth(base);
  const jobsBefore = new Set(trainer?.jobs.filter((j) => j.finishedAt !== undefined));
  const start = performance.now();
  const { results, lag } = await work();
  const durationS = (performance.now() - start) / 1000;
  const healthSamples = await health.stop();
  const cpu = process.cpuUsage(cpuBefore);
  const usageAfter = await serverUsage(srv);
  const metricsAfter = await serverMetrics(base);
  const jobsDone = trainer ? trainer.jobs.filter((j) => j.finishedAt !== undefined && !jobsBefore.has(j)) : [];
  progressDone();
  serverAlive(srv);
  const drainSeconds = results.length ? await drain(base) : 0;
  if (interrupted()) throw new Error('interrupted');

  const by = (outcome: Outcome) => results.filter((r) => r.outcome === outcome);
  const accepted = by('accepted');
  const shed = by('shed');
  const count = (list: readonly Result[], key: (r: Result) => string) => list.reduce<Record<string, number>>((acc, r) => ((acc[key(r)] = (acc[key(r)] ?? 0) + 1), acc), {});
  const clientFailures = results.filter((r) => r.outcome === 'timeout' || r.outcome === 'reset' || r.outcome === 'other');
  const shedByReason: Record<string, number> = {};
  if (metricsBefore && metricsAfter) for (const [reason, n] of Object.entries(metricsAfter.shed)) shedByReason[reason] = n - (metricsBefore.shed[reason] ?? 0);
  const queueWaits = metricsBefore && metricsAfter ? metricsAfter.queueWaitCount - metricsBefore.queueWaitCount : 0;
  const suggestsInServer = metricsBefore && metricsAfter ? metricsAfter.suggestCount - metricsBefore.suggestCount : 0;
  return {
    phase: name,
    startedAtS: round((start - runStart) / 1000, 2),
    load,
    training: trainer !== undefined,
    durationS: round(durationS, 2),
    targetRate: targetRate === null ? null : round(targetRate, 2),
    sent: results.length,
    offeredRate: round(results.length / durationS, 2),
    accepted: accepted.length,
    acceptedRate: round(accepted.length / durationS, 2),
    acceptedMs: latency(accepted.map((r) => r.ms)),
    serverTookMs: latency(accepted.flatMap((r) => (r.tookMs === undefined ? [] : [r.tookMs]))),
    shed: { total: shed.length, overloaded: shed.filter((r) => r.status === 503).length, rateLimited: shed.filter((r) => r.status === 429).length, ms: latency(shed.map((r) => r.ms)) },
    httpErrors: count(by('http-error'), (r) => `${r.status} ${r.code ?? '(no code)'}`),
    clientErrors: { timeouts: by('timeout').length, resets: by('reset').length, other: by('other').length, codes: count(clientFailures, (r) => r.code ?? 'unknown') },
    health: {
      samples: healthSamples.length,
      failed: healthSamples.filter((s) => !s.ok).length,
      ms: latency(healthSamples.map((s) => s.ms)),
      slowest: [...healthSamples]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3)
        .map((h) => ({ atS: round(h.at / 1000, 2), ms: round(h.ms) })),
    },
    trainingJobs: trainer
      ? {
          succeeded: jobsDone.filter((j) => j.state === 'succeeded').length,
          failed: jobsDone.filter((j) => j.state !== 'succeeded').length,
          meanSeconds: jobsDone.length ? round(mean(jobsDone.map((j) => (j.finishedAt! - j.startedAt) / 1000)), 2) : null,
        }
      : null,
    server: {
      cpuCores: usageBefore && usageAfter ? round((usageAfter.cpuSeconds - usageBefore.cpuSeconds) / durationS, 2) : null,
      rssMb: usageAfter ? Math.round(usageAfter.rssMb) : null,
      shedByReason,
      queueWait: { count: queueWaits, meanMs: queueWaits ? round(((metricsAfter!.queueWaitSum - metricsBefore!.queueWaitSum) / queueWaits) * 1000, 1) : null },
      suggestInServerMeanMs: suggestsInServer ? round(((metricsAfter!.suggestSum - metricsBefore!.suggestSum) / suggestsInServer) * 1000, 1) : null,
    },
    generator: { cpuCores: round((cpu.user + cpu.system) / 1e6 / durationS, 2), lagMs: lag ? latency(lag) : null },
    slowest: [...accepted]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5)
      .map((r) => ({ atS: round(r.at / 1000, 2), ms: round(r.ms), tookMs: r.tookMs === undefined ? null : round(r.tookMs) })),
    drainSeconds: round(drainSeconds, 2),
  };
}

// ---- report ----------------------------------------------------------------------------------------

const ms = (value: number | null | undefined, digits = 0): string => (value === null || value === undefined ? '–' : value.toFixed(digits));

function phaseTable(rows: readonly PhaseSummary[]): string {
  return table(
    ['phase', 'offered/s', 'accepted/s', 'acc p50 ms', 'acc p99 ms', 'shed', 'shed p99 ms', 'shed max ms', 'time-outs', 'resets', 'other errors', 'health p99 ms', 'health max ms', 'train jobs done'],
    rows.map((r): Cell[] => [
      r.phase,
      r.offeredRate.toFixed(1),
      r.acceptedRate.toFixed(1),
      ms(r.acceptedMs.p50),
      ms(r.acceptedMs.p99),
      r.shed.total,
      ms(r.shed.ms.p99, 1),
      ms(r.shed.ms.max, 1),
      r.clientErrors.timeouts,
      r.clientErrors.resets,
      r.clientErrors.other + Object.values(r.httpErrors).reduce((a, b) => a + b, 0),
      ms(r.health.ms.p99, 1),
      ms(r.health.ms.max, 1),
      r.trainingJobs ? r.trainingJobs.succeeded + (r.trainingJobs.failed ? ` (+${r.trainingJobs.failed} failed)` : '') : '–',
    ]),
  );
}

function serverTable(rows: readonly PhaseSummary[]): string {
  return table(
    ['phase', 'sent', 'accepted', 'server tookMs p50', 'server tookMs p99', 'in-server ms (mean)', 'queue wait ms (mean)', 'shed: queue/deadline/event_loop', 'server CPU', 'generator CPU', 'send lag p99 ms'],
    rows.map((r): Cell[] => [
      r.phase,
      r.sent,
      r.accepted,
      ms(r.serverTookMs.p50),
      ms(r.serverTookMs.p99),
      ms(r.server.suggestInServerMeanMs),
      ms(r.server.queueWait.meanMs, 1),
      `${r.server.shedByReason.queue ?? 0}/${r.server.shedByReason.deadline ?? 0}/${r.server.shedByReason.event_loop ?? 0}`,
      r.server.cpuCores === null ? '–' : r.server.cpuCores.toFixed(2),
      r.generator.cpuCores.toFixed(2),
      r.generator.lagMs ? ms(r.generator.lagMs.p99, 1) : '–',
    ]),
  );
}

interface TargetRow {
  target: string;
  phase: string;
  value: string;
  pass: boolean;
}

function targets(unloaded: PhaseSummary, byName: Map<string, PhaseSummary>): TargetRow[] {
  const rows: TargetRow[] = [];
  const base = unloaded.acceptedMs.p99 ?? NaN;
  const ratio = (p99: number | null) => (p99 === null ? '–' : `${p99.toFixed(0)} ms = ${(p99 / base).toFixed(1)}× unloaded ${base.toFixed(0)} ms`);
  for (const name of ['2× R', 'training, 2× R']) {
    const r = byName.get(name);
    if (!r) continue;
    const uncoded = r.clientErrors.other + Object.values(r.httpErrors).reduce((a, b) => a + b, 0);
    rows.push({ target: '0 client time-outs', phase: name, value: String(r.clientErrors.timeouts), pass: r.clientErrors.timeouts === 0 });
    rows.push({ target: '0 connection resets', phase: name, value: String(r.clientErrors.resets), pass: r.clientErrors.resets === 0 });
    rows.push({
      target: 'every request not accepted is a coded 503/429',
      phase: name,
      value: `${r.shed.total} coded, ${uncoded + r.clientErrors.timeouts + r.clientErrors.resets} not`,
      pass: uncoded + r.clientErrors.timeouts + r.clientErrors.resets === 0,
    });
    rows.push({
      target: `shed answers within ${TARGET.shedMaxMs} ms (max)`,
      phase: name,
      value: r.shed.total ? `p99 ${ms(r.shed.ms.p99, 1)} / max ${ms(r.shed.ms.max, 1)} ms (${r.shed.total} shed)` : 'nothing shed',
      pass: r.shed.total === 0 || (r.shed.ms.max ?? Infinity) <= TARGET.shedMaxMs,
    });
    if (name === '2× R') {
      rows.push({ target: `accepted p99 ≤ ${TARGET.acceptedP99Factor}× unloaded p99`, phase: name, value: ratio(r.acceptedMs.p99), pass: (r.acceptedMs.p99 ?? Infinity) <= TARGET.acceptedP99Factor * base });
    }
  }
  for (const name of ['training, idle', 'training, unloaded', 'training, 1× R', 'training, 2× R']) {
    const r = byName.get(name);
    if (!r) continue;
    if (r.sent) rows.push({ target: `suggest p99 ≤ ${TARGET.trainingP99Factor}× unloaded p99`, phase: name, value: ratio(r.acceptedMs.p99), pass: (r.acceptedMs.p99 ?? Infinity) <= TARGET.trainingP99Factor * base });
    rows.push({
      target: `health ≤ ${TARGET.healthMaxMs} ms (max)`,
      phase: name,
      value: `p99 ${ms(r.health.ms.p99, 1)} / max ${ms(r.health.ms.max, 1)} ms${r.health.failed ? `, ${r.health.failed} failed` : ''}`,
      pass: r.health.failed === 0 && (r.health.ms.max ?? Infinity) <= TARGET.healthMaxMs,
    });
  }
  return rows;
}

// ---- the run ---------------------------------------------------------------------------------------

const loadAtStart = os.loadavg()[0]!;
const started = new Date();
try {
  await mkdir(path.dirname(storeDir), { recursive: true });
  const indexing = await buildStore(storeDir, { train: true, label: 'indexing docs-content (incremental, with categorizers)' });
  server = await startServer(storeDir, { args: ['--rate-limit', 'off'], env: childEnv({ ANSWERDESK_API_KEYS: `bench:read+write+admin:${secret}` }) });
  const srv = server;
  const { ready, seconds: readySeconds } = await waitReady(srv, auth);
  if (!ready.passages) throw new Error(`the store ${storeDir} is empty (GET /v1/ready: ${JSON.stringify(ready)})`);

  // One request by hand first: a broken route fails here with its body.
  const probe = await fetch(`${srv.base}/v1/suggest`, { method: 'POST', headers: jsonHeaders, body: bodies[0] });
  const probeBody = await probe.text();
  if (probe.status !== 200 || !/"status":"(answered|abstained)"/.test(probeBody)) throw new Error(`POST /v1/suggest answered ${probe.status}: ${probeBody.slice(0, 500)}`);

  const phases: PhaseSummary[] = [];
  const report = (r: PhaseSummary) => {
    phases.push(r);
    process.stderr.write(`${r.phase}: ${r.sent} sent, ${r.accepted} accepted (p99 ${ms(r.acceptedMs.p99)} ms), ${r.shed.total} shed, ${r.clientErrors.timeouts} time-outs, health max ${ms(r.health.ms.max, 1)} ms\n`);
    return r;
  };

  // (a) warm-up: every message once, one at a time. The server caches the vectors of answer units (the same sections
  // come back question after question), so a fresh server answers far slower than one that has been up a while; the
  // phases measure the steady state. The first pass is recorded too: what a client sees right after a (re)start.
  const warmupTexts = Array.from({ length: warmupRequests }, body);
  report(await phase(srv, 'warm-up (cold caches)', `${warmupRequests} sequential, each message once`, null, async () => ({ results: await sequential(srv.base, warmupTexts, 'warm-up') })));
  // The health check alone; then unloaded: one suggest at a time.
  report(await phase(srv, 'idle', `no requests but health, ${IDLE_SECONDS} s`, null, async () => ({ results: await idle(IDLE_SECONDS, 'idle') })));
  const unloaded = report(await phase(srv, 'unloaded', `${UNLOADED_REQUESTS} sequential`, null, async () => ({ results: await sequential(srv.base, sequentialBodies(UNLOADED_REQUESTS), 'unloaded') })));

  // (b) saturation: a closed loop of 4 clients; R = accepted answers per second.
  const saturation = report(
    await phase(srv, 'saturation', `closed loop, ${SATURATION_CLIENTS} clients, ${SATURATION_SECONDS} s`, null, async () => ({
      results: await closedLoop(srv.base, SATURATION_CLIENTS, SATURATION_SECONDS, 'saturation'),
    })),
  );
  const R = saturation.acceptedRate;
  if (!(R > 0)) throw new Error(`no suggest was accepted in the saturation phase (${JSON.stringify(saturation.httpErrors)}, ${JSON.stringify(saturation.clientErrors)}):\n${tail(srv.log)}`);

  // (c) open loop at R and 2R.
  for (const factor of [1, 2]) {
    report(await phase(srv, `${factor}× R`, `open loop, ${(factor * R).toFixed(2)} req/s, ${seconds} s`, factor * R, () => openLoop(srv.base, factor * R, seconds, `${factor}× R`)));
  }

  // (d) the same with training jobs back to back (and sequential suggests first, the unloaded case with training).
  trainer = new Trainer(srv.base);
  progress('starting a training job');
  await trainer.start();
  report(
    await phase(srv, 'training, idle', 'no requests but health, until a training job finishes', null, async () => ({
      results: await idle(60, 'training, idle', trainer!.nextFinish()),
    })),
  );
  report(
    await phase(srv, 'training, unloaded', `${UNLOADED_REQUESTS} sequential + training`, null, async () => ({ results: await sequential(srv.base, sequentialBodies(UNLOADED_REQUESTS), 'training, unloaded') })),
  );
  for (const factor of [1, 2]) {
    report(
      await phase(srv, `training, ${factor}× R`, `open loop, ${(factor * R).toFixed(2)} req/s, ${seconds} s + training`, factor * R, () =>
        openLoop(srv.base, factor * R, seconds, `training, ${factor}× R`),
      ),
    );
  }
  progress('waiting for the last training job');
  await trainer.stop(120_000);
  progressDone();
  serverAlive(srv);

  const byName = new Map(phases.map((p) => [p.phase, p]));
  const targetRows = targets(unloaded, byName);
  const machine = machineInfo(loadAtStart);
  const result = {
    date: started.toISOString(),
    machine,
    corpus: { model: ready.model, articles: ready.articles, sections: ready.sections, tickets: ready.tickets, passages: ready.passages },
    setup: {
      endpoint: 'POST /v1/suggest',
      server: 'answerdesk serve (child process), 127.0.0.1, --rate-limit off, one admin key (ANSWERDESK_API_KEYS), default overload settings',
      store: 'bench/results/overload-store, indexed incrementally from docs-content with the categorizers',
      texts: `${messages.length} messages from bench/answers/messages.jsonl: in rotation for the warm-up and the loops; the sequential phases use the same ${UNLOADED_REQUESTS}, spread evenly over the file`,
      indexSeconds: round(indexing.seconds, 1),
      indexReport: indexing.report ?? null,
      readySeconds: round(readySeconds, 1),
      warmupRequests: warmupRequests,
      unloadedRequests: UNLOADED_REQUESTS,
      saturation: { clients: SATURATION_CLIENTS, seconds: SATURATION_SECONDS },
      openLoopSeconds: seconds,
      saturatedRate: R,
      clientTimeoutMs: CLIENT_TIMEOUT_MS,
      healthEveryMs: HEALTH_EVERY_MS,
      training: 'POST /v1/train {"field":"category"}, polled every 250 ms; the next starts when one finishes',
    },
    targets: { ...TARGET, rows: targetRows },
    trainingJobs: trainer.jobs.map((j) => ({
      startedAtS: round((j.startedAt - runStart) / 1000, 2),
      finishedAtS: j.finishedAt ? round((j.finishedAt - runStart) / 1000, 2) : null,
      seconds: j.finishedAt ? round((j.finishedAt - j.startedAt) / 1000, 2) : null,
      state: j.state,
      ...(j.error ? { error: j.error } : {}),
    })),
    trainingStartFailures: trainer.startFailures,
    phases,
  };
  await writeFile(resultsFile, JSON.stringify(result, null, 2) + '\n');

  console.log(
    `POST /v1/suggest over loopback on docs-content (${ready.articles} articles, ${ready.tickets} tickets, ${ready.passages} passages), ${messages.length} customer messages in rotation; ` +
      `saturated rate R = ${R.toFixed(2)} req/s (closed loop, ${SATURATION_CLIENTS} clients); open-loop phases ${seconds} s each`,
  );
  console.log();
  console.log(phaseTable(phases));
  console.log();
  console.log(serverTable(phases));
  console.log();
  console.log(table(['target', 'phase', 'value', 'pass'], targetRows.map((t) => [t.target, t.phase, t.value, t.pass ? 'pass' : 'FAIL'])));
  console.log();
  console.log(
    `${machine.cores} cores, ${machine.cpu}, ${machine.memoryGiB} GiB, node ${machine.node}; 1-minute load average ${machine.loadAverage1m.start.toFixed(2)} at the start, ${machine.loadAverage1m.end.toFixed(2)} at the end. ` +
      `Training jobs: ${trainer.jobs.filter((j) => j.state === 'succeeded').length} succeeded, ${trainer.jobs.filter((j) => j.finishedAt && j.state !== 'succeeded').length} failed. Written to ${path.relative(repoRoot, resultsFile)}.`,
  );
} finally {
  progressDone();
  await cleanup();
}
