/**
 * Every compared method behind one shape: train on labeled texts that already
 * carry their vectors, then predict one message from its vector and text. The
 * run times `train` and each `predict` the same way for all of them, and no
 * method ever embeds: embedding is measured once, separately.
 */
import type { Encoder } from '@answerdesk/embeddings';
import { trainCategorizer, type CategorizerOptions, type LabeledText, type TrainProgress } from '@answerdesk/triage';
import type { ConfidenceLevel } from '@answerdesk/types';
import { chooseK, fitCentroids, fitKnn, neighbours, predictCentroid, vote, type KChoice } from './baselines.js';

export interface TrainingExample {
  text: string;
  label: string;
  vector: Float32Array;
}

export interface Prediction {
  label: string;
  /** Only the categorizer's heads have calibrated levels. */
  level?: ConfidenceLevel;
}

export interface Trained {
  predict(vector: Float32Array, text: string): Prediction;
  /** Row name when it depends on training (the k kNN chose). */
  name?: string;
  /** Method-specific facts for the JSON (chosen k, calibration, time per training phase). */
  details: Record<string, unknown>;
}

export interface Method {
  key: string;
  name: string;
  /** One line for the README/JSON: what exactly is run. */
  description: string;
  train(examples: readonly TrainingExample[], field: string): Promise<Trained>;
}

/** Candidate k for the tuned kNN; chosen per task on a validation split of train. */
export const K_CANDIDATES = [3, 5, 10, 20, 40] as const;

/** Lexical options that produce no features: the head then sees the embedding alone. */
const NO_LEXICAL = { wordNgrams: [], charNgrams: [] };

/**
 * An encoder of zero-dimensional vectors, so `trainCategorizer` can train its
 * own head, with its own recipe (epochs, class weights, calibration), on the
 * lexical features alone. It never embeds: every example carries its (empty) vector.
 */
const lexicalOnlyEncoder: Encoder = {
  id: 'none (lexical features only)',
  dimension: 0,
  languages: 'multilingual',
  load: async () => {},
  embedQueries: async () => {
    throw new Error('lexical-only: every example must carry its empty vector');
  },
  embedPassages: async () => {
    throw new Error('lexical-only: every example must carry its empty vector');
  },
  close: async () => {},
};
const EMPTY = new Float32Array(0);

/**
 * Train with `trainCategorizer` (vectors given, so no embedding), and time its
 * phases from its progress events: the held-out calibration rounds (above
 * 4,000 examples a single hold-out split whose model may be kept), then the
 * refit on every example when the categorizer does one. `inputOf` maps a
 * message's vector to what the head was trained on (the lexical-only head
 * gets an empty one).
 */
async function trainTimed(
  examples: readonly LabeledText[],
  encoder: Encoder,
  options: CategorizerOptions,
  inputOf: (vector: Float32Array) => Float32Array = (vector) => vector,
): Promise<Trained> {
  let calibrateStarted: number | undefined;
  let refitStarted: number | undefined;
  const onProgress = (p: TrainProgress) => {
    if (p.phase === 'calibrate') calibrateStarted ??= performance.now();
    if (p.phase === 'train' && p.done === 0) refitStarted = performance.now();
  };
  const categorizer = await trainCategorizer(examples, encoder, { ...options, onProgress });
  const ended = performance.now();
  return {
    predict: (vector, text) => {
      const p = categorizer.predictVector(inputOf(vector), text);
      return { label: p.label, level: p.level };
    },
    details: {
      calibrateMs: calibrateStarted === undefined ? 0 : (refitStarted ?? ended) - calibrateStarted,
      refit: refitStarted !== undefined,
      refitMs: refitStarted === undefined ? 0 : ended - refitStarted,
      reportedTrainMs: categorizer.info.trainMs,
      calibration: categorizer.info.calibration,
    },
  };
}

/** The methods, in table order. `encoder` is the one the vectors came from (the categorizer records its id). */
export function methods(encoder: Encoder, seed: number): Method[] {
  return [
    {
      key: 'answerdesk',
      name: 'answerdesk',
      description: 'trainCategorizer with default options (USE-lite embedding + TF-IDF word 1–2-grams and char 3–4-grams → softmax head, calibrated), then Categorizer.predictVector',
      train: (examples, field) => trainTimed(examples, encoder, { field }),
    },
    {
      key: 'embedding-softmax',
      name: 'embedding-only softmax',
      description: 'the same trainCategorizer with no lexical features (lexical: { wordNgrams: [], charNgrams: [] }): a softmax head on the frozen embedding',
      train: (examples, field) => trainTimed(examples, encoder, { field, lexical: NO_LEXICAL }),
    },
    {
      key: 'lexical-softmax',
      name: 'lexical-only (TF-IDF softmax)',
      description: 'the same trainCategorizer on lexical features alone: a zero-dimensional encoder and empty vectors, so the head sees TF-IDF only',
      train: (examples, field) => trainTimed(examples.map((e) => ({ ...e, vector: EMPTY })), lexicalOnlyEncoder, { field }, () => EMPTY),
    },
    {
      key: 'nearest-centroid',
      name: 'nearest centroid',
      description: 'mean embedding per label (renormalised), highest cosine wins',
      train: async (examples) => {
        const model = fitCentroids(examples);
        return { predict: (vector) => ({ label: predictCentroid(model, vector) }), details: {} };
      },
    },
    {
      key: 'knn-1',
      name: 'kNN k=1',
      description: 'label of the single most similar training message (cosine, exact search)',
      train: async (examples) => {
        const model = fitKnn(examples);
        return { predict: (vector) => ({ label: vote(model, neighbours(model, vector, 1), 1, false) }), details: {} };
      },
    },
    {
      key: 'knn-tuned',
      name: 'kNN weighted (k tuned)',
      description: `similarity-weighted vote of the k most similar training messages; k from ${K_CANDIDATES.join(', ')} chosen on a stratified 20% validation split of train (seed ${seed}), then refit on all of train`,
      train: async (examples) => {
        const choice: KChoice = chooseK(examples, K_CANDIDATES, seed);
        const model = fitKnn(examples);
        return {
          predict: (vector) => ({ label: vote(model, neighbours(model, vector, choice.k), choice.k, true) }),
          name: `kNN weighted k=${choice.k} (tuned)`,
          details: { ...choice },
        };
      },
    },
  ];
}
