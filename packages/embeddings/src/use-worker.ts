/** Worker thread body: one USE-lite runtime answering batch requests from the pool. */
import { parentPort, workerData } from 'node:worker_threads';
import { UseRuntime, type UseRuntimeOptions } from './use-runtime.js';

interface Request {
  id: number;
  batch: number[][];
}

const runtime = new UseRuntime(workerData as UseRuntimeOptions);
const port = parentPort!;
const ready = runtime.load();

port.on('message', (request: Request) => {
  ready
    .then(() => runtime.embedTokenized(request.batch))
    .then((vectors) => port.postMessage({ id: request.id, vectors }, vectors.map((v) => v.buffer as ArrayBuffer)))
    .catch((error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }));
});
