/**
 * Long work (training, big publishes and imports) as jobs: the request that
 * starts one is answered 202 at once with the job, and `GET /v1/jobs/:id`
 * reports its progress and then its result. Jobs run one at a time per server
 * (two trainings at once would only slow each other and the answers); the
 * heavy parts run on worker threads, so answers keep their latency meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { AnswerdeskError, isAnswerdeskError, reasonOf, type ErrorCode } from '@answerdesk/core';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobProgress {
  phase: string;
  done: number;
  total: number;
}

/** What `GET /v1/jobs/:id` returns. */
export interface JobView {
  id: string;
  kind: string;
  state: JobState;
  progress?: JobProgress;
  result?: unknown;
  error?: { code: ErrorCode; message: string };
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

interface Job extends JobView {
  /** Knowledge base (tenant) it works on; another tenant's key never sees it. */
  tenant: string | undefined;
  run: (report: (progress: JobProgress) => void) => Promise<unknown>;
}

export interface JobsOptions {
  /** How long a finished job stays readable. Default 1 hour. */
  keepMs?: number;
  /** Most finished jobs kept (oldest go first). Default 200. */
  keepMax?: number;
}

export class Jobs {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running?: Promise<void>;
  private readonly keepMs: number;
  private readonly keepMax: number;

  constructor(options: JobsOptions = {}) {
    this.keepMs = options.keepMs ?? 3_600_000;
    this.keepMax = options.keepMax ?? 200;
  }

  /** Queue work; it starts when the jobs before it have finished. */
  start(kind: string, tenant: string | undefined, run: Job['run']): JobView {
    this.prune();
    const job: Job = { id: randomUUID(), kind, state: 'queued', createdAt: new Date().toISOString(), tenant, run };
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.running ??= this.drain();
    return view(job);
  }

  /** The job, if it exists and belongs to the caller's knowledge base. */
  get(id: string, tenant: string | undefined): JobView {
    const job = this.jobs.get(id);
    if (!job || job.tenant !== tenant) throw new AnswerdeskError('ADK_JOB_NOT_FOUND', { id, keptFor: `${Math.round(this.keepMs / 60_000)} min` });
    return view(job);
  }

  /** The caller's jobs, newest first. */
  list(tenant: string | undefined): JobView[] {
    return [...this.jobs.values()].filter((job) => job.tenant === tenant).reverse().map(view);
  }

  /** Jobs waiting or running (for metrics). */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Resolves once every queued job has finished (closing waits for it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        job.state = 'running';
        job.startedAt = new Date().toISOString();
        try {
          job.result = await job.run((progress) => (job.progress = { ...progress }));
          job.state = 'succeeded';
        } catch (error) {
          job.state = 'failed';
          const coded = isAnswerdeskError(error) ? error : new AnswerdeskError('ADK_JOB_FAILED', { id: job.id, kind: job.kind, reason: reasonOf(error) });
          job.error = { code: coded.code, message: coded.message };
        }
        job.finishedAt = new Date().toISOString();
      }
    } finally {
      this.running = undefined;
    }
  }

  private prune(): void {
    const now = Date.now();
    const finished = [...this.jobs.values()].filter((job) => job.finishedAt);
    for (const [i, job] of finished.entries()) {
      if (now - Date.parse(job.finishedAt!) > this.keepMs || finished.length - i > this.keepMax) this.jobs.delete(job.id);
    }
  }
}

function view(job: Job): JobView {
  const { tenant: _tenant, run: _run, ...rest } = job;
  return { ...rest, ...(job.progress ? { progress: { ...job.progress } } : {}) };
}
