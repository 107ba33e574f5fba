/** Worker thread body: one categorizer fit (see fit-model.ts), so a long training never blocks the caller's event loop. */
import { parentPort, workerData } from 'node:worker_threads';
import { fitModel, type FitJob } from './fit-model.js';

const port = parentPort!;
try {
  const result = fitModel(workerData as FitJob, (epoch, epochs) => port.postMessage({ epoch, epochs }));
  const { head } = result;
  port.postMessage({ result }, [head.denseWeights.buffer as ArrayBuffer, head.sparseWeights.buffer as ArrayBuffer, head.bias.buffer as ArrayBuffer, ...result.logits.map((l) => l.buffer as ArrayBuffer)]);
} catch (error) {
  port.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
