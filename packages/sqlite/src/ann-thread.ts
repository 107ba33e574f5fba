import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { VectorIndexOptions } from '@answerdesk/index';
import type { CacheExpectation } from './ann.js';

// The worker runs the compiled file (built by `tsc -b`): loader hooks such as tsx do not reach worker threads on Node 20.
const workerFile = fileURLToPath(new URL('../dist/ann-worker.js', import.meta.url)); // same path from src/ and dist/

/** What the worker is given. */
export interface AnnWorkerJob {
  file: string;
  expect: CacheExpectation;
  options: Partial<VectorIndexOptions>;
}

/**
 * Builds the vector cache of a database on a worker thread (its own read-only connection, one
 * read transaction) and writes it beside the database. Resolves true once the cache is written;
 * false when it could not be (no compiled worker, the thread failed): the caller builds it in-thread.
 */
export function buildCacheInWorker(file: string, expect: CacheExpectation, options: Partial<VectorIndexOptions>, onProgress?: (progress: { done: number; total: number }) => void): Promise<boolean> {
  if (!existsSync(workerFile)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const job: AnnWorkerJob = { file, expect, options };
    const worker = new Worker(workerFile, { workerData: job, execArgv: [] });
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      resolve(ok);
      void worker.terminate();
    };
    worker.on('message', (message: { done?: number; total?: number; written?: boolean }) => {
      if (message.written !== undefined) settle(message.written);
      else if (message.done !== undefined) onProgress?.({ done: message.done, total: message.total! });
    });
    worker.on('error', () => settle(false));
    worker.on('exit', () => settle(false));
  });
}
