/** A small pool of worker threads, each with its own USE-lite runtime (TF.js wasm runs on one core per thread). */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AnswerdeskError } from '@answerdesk/types';
import type { UseRuntimeOptions } from './use-runtime.js';

interface Pending {
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

// The worker always runs the compiled file (built by `tsc -b` at install): loader hooks such as
// tsx do not reach worker threads on Node 20, and the runtime code it runs is plain and stable.
const workerFile = fileURLToPath(new URL('../dist/use-worker.js', import.meta.url)); // same path from src/ and dist/

function startWorker(options: UseRuntimeOptions): Worker {
  if (!existsSync(workerFile)) {
    throw new AnswerdeskError('ADK_ENCODER_LOAD_FAILED', { model: 'use-lite worker', reason: `${workerFile} is missing; run \`pnpm build\`` });
  }
  // Drop source-mode flags (tsx, source conditions) so the worker resolves compiled packages.
  return new Worker(workerFile, { workerData: options, execArgv: [] });
}

export class UsePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ batch: number[][]; pending: Pending }> = [];
  private readonly inFlight = new Map<Worker, { id: number; pending: Pending }>();
  private nextId = 1;
  private failure?: Error;

  constructor(size: number, options: UseRuntimeOptions) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker(options);
      worker.on('message', (message: { id: number; vectors?: Float32Array[]; error?: string }) => {
        const job = this.inFlight.get(worker);
        this.inFlight.delete(worker);
        if (job) {
          if (message.error !== undefined) job.pending.reject(new Error(message.error));
          else job.pending.resolve(message.vectors!);
        }
        this.release(worker);
      });
      worker.on('error', (error) => this.fail(error));
      worker.unref();
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  run(batch: number[][]): Promise<Float32Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, pending: { resolve, reject } });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      this.inFlight.set(worker, { id, pending: job.pending });
      worker.ref();
      worker.postMessage({ id, batch: job.batch });
    }
  }

  private release(worker: Worker): void {
    worker.unref();
    this.idle.push(worker);
    this.dispatch();
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const job of this.inFlight.values()) job.pending.reject(error);
    for (const job of this.queue) job.pending.reject(error);
    this.inFlight.clear();
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }
}
