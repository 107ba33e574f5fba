import { AnswerdeskError, reasonOf } from '@answerdesk/types';
import type { Encoder, EncodeOptions } from './encoder.js';

export interface TransformersEncoderOptions {
  /** Hugging Face model id, e.g. `Xenova/all-MiniLM-L6-v2` or `Xenova/multilingual-e5-small`. */
  model: string;
  /** Folder searched first for `<model id>/…` files. Default: transformers.js' own (`/models/`). */
  localModelPath?: string;
  /** Where downloaded files are cached. Default: transformers.js' own (`./.cache`). */
  cacheDir?: string;
  /** Download from the hub when files are not local. Default true; set false for air-gapped machines. */
  allowRemoteModels?: boolean;
  /** Use the 8-bit quantized ONNX weights. Default true (4× smaller, near-identical quality). */
  quantized?: boolean;
  /** Prefix for questions. Default: `query: ` for e5 models, none otherwise. */
  queryPrefix?: string;
  /** Prefix for knowledge passages. Default: `passage: ` for e5 models, none otherwise. */
  passagePrefix?: string;
  /** Texts per model call. Default 16. */
  batchSize?: number;
  /** Languages the model matches; default `multilingual` for models named multilingual, else `['en']`. */
  languages?: readonly string[] | 'multilingual';
}

type FeatureExtractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;

/** Resolved options with every default filled in; pure, so it is testable without a model. */
export function resolveTransformersOptions(options: TransformersEncoderOptions): Required<Omit<TransformersEncoderOptions, 'localModelPath' | 'cacheDir'>> &
  Pick<TransformersEncoderOptions, 'localModelPath' | 'cacheDir'> {
  if (typeof options?.model !== 'string' || !/^[\w.-]+(\/[\w.-]+)?$/.test(options.model)) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'model', reason: 'must be a Hugging Face model id such as "Xenova/all-MiniLM-L6-v2"' });
  }
  const isE5 = /(^|\/)(multilingual-)?e5-/i.test(options.model);
  const batchSize = options.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'batchSize', reason: 'must be a positive integer' });
  }
  return {
    model: options.model,
    localModelPath: options.localModelPath,
    cacheDir: options.cacheDir,
    allowRemoteModels: options.allowRemoteModels ?? true,
    quantized: options.quantized ?? true,
    queryPrefix: options.queryPrefix ?? (isE5 ? 'query: ' : ''),
    passagePrefix: options.passagePrefix ?? (isE5 ? 'passage: ' : ''),
    batchSize,
    languages: options.languages ?? (/multilingual/i.test(options.model) ? 'multilingual' : ['en']),
  };
}

/**
 * Sentence embeddings from a Hugging Face ONNX model through transformers.js
 * (mean pooling, unit length). Needs the hub or a local copy of the model.
 */
export class TransformersEncoder implements Encoder {
  readonly id: string;
  readonly languages: readonly string[] | 'multilingual';
  readonly symmetric: boolean;
  private readonly options: ReturnType<typeof resolveTransformersOptions>;
  private extractor?: FeatureExtractor;
  private loading?: Promise<void>;
  private dim = 0;

  constructor(options: TransformersEncoderOptions) {
    this.options = resolveTransformersOptions(options);
    this.id = `hf:${this.options.model}${this.options.quantized ? ':q8' : ''}`;
    this.languages = this.options.languages;
    this.symmetric = this.options.queryPrefix === this.options.passagePrefix;
  }

  get dimension(): number {
    if (this.dim === 0) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'dimension', reason: 'is known only after load() has finished' });
    return this.dim;
  }

  load(): Promise<void> {
    this.loading ??= this.loadModel();
    return this.loading;
  }

  private async loadModel(): Promise<void> {
    // An optional peer dependency: it brings onnxruntime and sharp, which the default offline encoder never needs.
    let transformers: typeof import('@xenova/transformers');
    try {
      transformers = await import('@xenova/transformers');
    } catch (error) {
      this.loading = undefined;
      const reason = `the package @xenova/transformers is needed for Hugging Face models; install it beside Answerdesk (npm install @xenova/transformers@2.17.2): ${reasonOf(error)}`;
      throw new AnswerdeskError('ADK_ENCODER_LOAD_FAILED', { model: this.options.model, reason }, { cause: error });
    }
    const { env } = transformers;
    // transformers.js reads these process-wide settings when the pipeline loads files.
    if (this.options.localModelPath !== undefined) env.localModelPath = this.options.localModelPath;
    if (this.options.cacheDir !== undefined) env.cacheDir = this.options.cacheDir;
    env.allowRemoteModels = this.options.allowRemoteModels;
    try {
      this.extractor = (await transformers.pipeline('feature-extraction', this.options.model, {
        quantized: this.options.quantized,
      })) as unknown as FeatureExtractor;
      const probe = await this.extractor(['probe'], { pooling: 'mean', normalize: true });
      this.dim = probe.dims[probe.dims.length - 1]!;
    } catch (error) {
      this.loading = undefined;
      const reason = reasonOf(error);
      if (/not found locally|local_files_only|Could not locate file|404/i.test(reason)) {
        throw new AnswerdeskError(
          'ADK_MODEL_NOT_FOUND',
          { model: this.options.model, reason, localModelPath: env.localModelPath },
          { cause: error },
        );
      }
      throw new AnswerdeskError('ADK_ENCODER_LOAD_FAILED', { model: this.options.model, reason }, { cause: error });
    }
  }

  embedQueries(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    return this.embed(texts, this.options.queryPrefix, options);
  }

  embedPassages(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    return this.embed(texts, this.options.passagePrefix, options);
  }

  private async embed(texts: readonly string[], prefix: string, options: EncodeOptions = {}): Promise<Float32Array[]> {
    texts.forEach((text, index) => {
      if (typeof text !== 'string' || text.trim() === '') throw new AnswerdeskError('ADK_ENCODER_INPUT_INVALID', { index });
    });
    await this.load();
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.options.batchSize) {
      const batch = texts.slice(i, i + this.options.batchSize).map((text) => prefix + text);
      const result = await this.extractor!(batch, { pooling: 'mean', normalize: true });
      for (let row = 0; row < batch.length; row++) out.push(result.data.slice(row * this.dim, (row + 1) * this.dim));
      options.onProgress?.({ done: out.length, total: texts.length });
    }
    return out;
  }

  async close(): Promise<void> {
    this.extractor = undefined;
    this.loading = undefined;
  }
}
