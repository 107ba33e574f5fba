import { STYLE_REMOVED_SUFFIX, TransformersEncoder, USE_LITE_ID, UseLiteEncoder, type Encoder } from '@answerdesk/core';

/** The global model options: the offline USE-lite encoder by default, or a Hugging Face model through transformers.js. */
export interface ModelCli {
  model?: string;
  modelsDir?: string;
  modelCache?: string;
  /** Commander's `--no-remote-models` sets this to false. */
  remoteModels?: boolean;
}

/** Names of the built-in offline encoder, as `--model` accepts them. */
const OFFLINE = new Set(['use-lite', 'use-lite-en', `${USE_LITE_ID}${STYLE_REMOVED_SUFFIX}`]);
/** USE-lite's own vectors, the customer-style direction kept: how stores were built before it was removed, so they open as they are. */
const OFFLINE_STYLE_KEPT = USE_LITE_ID;

/**
 * The encoder the options ask for. `workerThreshold` (the service): USE-lite embeds batches of that
 * many passages, and every question, on worker threads, so questions keep being answered during big
 * writes, the event loop never runs the model, and a suggest's word search runs while its question is
 * embedded.
 */
export function encoderFrom(options: ModelCli, env: Record<string, string | undefined>, workerThreshold?: number): Encoder {
  const model = options.model ?? env.ANSWERDESK_MODEL;
  if (model === undefined || OFFLINE.has(model) || model === OFFLINE_STYLE_KEPT) {
    return new UseLiteEncoder({ ...(workerThreshold ? { workerThreshold, offThread: true } : {}), ...(model === OFFLINE_STYLE_KEPT ? { keepStyle: true } : {}) });
  }
  const modelsDir = options.modelsDir ?? env.ANSWERDESK_MODELS_DIR;
  const cacheDir = options.modelCache ?? env.ANSWERDESK_MODEL_CACHE;
  const remote = options.remoteModels === false || env.ANSWERDESK_REMOTE_MODELS === '0' ? false : undefined;
  return new TransformersEncoder({
    model,
    ...(modelsDir ? { localModelPath: modelsDir } : {}),
    ...(cacheDir ? { cacheDir } : {}),
    ...(remote === false ? { allowRemoteModels: false } : {}),
  });
}
