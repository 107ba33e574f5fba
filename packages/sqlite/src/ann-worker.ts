/**
 * The worker of `buildCacheInWorker`: reads every passage vector of the database in one read
 * transaction, builds the hnswlib graph and writes the cache (graph, then stamp) for the main
 * thread to read. Only reads the database; a failure is reported as `written: false`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { buildAnn, lastChange, writeCache } from './ann.js';
import type { AnnWorkerJob } from './ann-thread.js';

const job = workerData as AnnWorkerJob;
let written = false;
try {
  const db = new Database(job.file, { readonly: true, fileMustExist: true });
  try {
    const ann = db
      .transaction(() => buildAnn(db, job.expect.model, job.expect.dimension, lastChange(db), job.options, (done, total) => parentPort?.postMessage({ done, total })))
      .deferred();
    written = writeCache(job.file, ann, job.expect.databaseId);
  } finally {
    db.close();
  }
} catch {
  written = false;
}
parentPort?.postMessage({ written });
