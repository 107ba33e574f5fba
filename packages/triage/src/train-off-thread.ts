/**
 * Fit a categorizer's model on a worker thread. A fit is pure CPU for seconds
 * to minutes on a big helpdesk (vocabulary, features, head, held-out scores);
 * on the caller's thread it would freeze a server's event loop (health checks
 * and answers wait for it). The result is the one `fitModel` gives in-thread:
 * same code, same seed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fitModel, type FitJob, type FitResult } from './fit-model.js';

// The worker runs the compiled file (built by `tsc -b`): loader hooks such as tsx do not reach worker threads on Node 20.
const workerFile = fileURLToPath(new URL('../dist/head-worker.js', import.meta.url)); // same path from src/ and dist/

/** Where a fit runs: `worker` a worker thread, `inline` the calling thread, `auto` a worker thread unless the work is tiny (under ~20 ms). */
export type TrainingThread = 'worker' | 'inline' | 'auto';

/** Examples below which a fit takes less than starting a worker costs. */
const INLINE_EXAMPLES = 40;

export function fitOffThread(job: FitJob, thread: TrainingThread = 'auto', onEpoch?: (epoch: number, epochs: number) => void): Promise<FitResult> {
  const inline = thread === 'inline' || (thread === 'auto' && job.texts.length < INLINE_EXAMPLES);
  if (inline || !existsSync(workerFile)) return Promise.resolve(fitModel(job, onEpoch));
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: job, execArgv: [] });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: { epoch?: number; epochs?: number; result?: FitResult; error?: string }) => {
      if (message.result) settle(() => resolve(message.result!));
      else if (message.error !== undefined) settle(() => reject(new Error(`training failed: ${message.error}`)));
      else if (message.epoch !== undefined) onEpoch?.(message.epoch, message.epochs!);
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the training thread stopped (exit ${code}) before it finished`))));
  });
}
