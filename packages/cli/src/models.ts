import { STYLE_REMOVED_SUFFIX, TransformersEncoder, USE_LITE_ID, UseLiteEncoder, type Encoder } from '@answerdesk/core';

/** The global model options: the offline USE-lite encoder by default, or a Hugging Face model through transformers.js. */
export interface ModelCli {
  model?: string;
  modelsDir?: string;
  modelCache?: string;
  /** Commander's `--no-remote-models` sets this to false. */
  remoteModels?: boolean;
}

/**
 * Names of the built-in offline encoder, as `--model` accepts them, each with whether it keeps the
 * customer-style direction: `use-lite-en@0.2.0` is USE-lite's own vectors, how stores were built before
 * it was removed, so they open as they are.
 */
const OFFLINE = new Map<string, boolean>([
  ['use-lite', false],
  ['use-lite-en', false],
  [`${USE_LITE_ID}${STYLE_REMOVED_SUFFIX}`, false],
  [USE_LITE_ID, true],
]);

/**
 * The encoder the options ask for. `workerThreshold` (the service): USE-lite embeds batches of that
 * many passages, and every question, on worker threads, so questions keep being answered during big
 * writes, the event loop never runs the model, and a suggest's word search runs while its question is
 * embedded.
 */
export function encoderFrom(options: ModelCli, env: Record<string, string | undefined>, workerThreshold?: number): Encoder {
  const model = options.model ?? env.ANSWERDESK_MODEL ?? 'use-lite';
  const keepStyle = OFFLINE.get(model);
  if (keepStyle !== undefined) return new UseLiteEncoder({ ...(workerThreshold ? { workerThreshold, offThread: true } : {}), ...(keepStyle ? { keepStyle } : {}) });
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
