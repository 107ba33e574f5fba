/**
 * The categorizer: frozen sentence embeddings + TF-IDF lexical features into
 * a linear softmax head, with probabilities calibrated on held-out tickets.
 * Works for any label field (category, queue, priority, type).
 */
import type { EncodeProgress, Encoder } from '@answerdesk/embeddings';
import { AnswerdeskError, reasonOf, type ConfidenceLevel, type LabelPrediction, type LabelScore } from '@answerdesk/types';
import { coverageAt, defaultLevelTargets, fitTemperature, levelThresholds, type HeldOutPrediction, type LevelTargets, type LevelThresholds, type ScoredOutcome } from './calibration.js';
import { fitOffThread, type TrainingThread } from './train-off-thread.js';
import { lexicalFeaturizer, type LexicalOptions, type LexicalVocabulary, type SparseVector } from './lexical-features.js';
import { headLogits, softmaxInPlace, type HeadOptions, type LinearHead } from './linear-head.js';
import { stratifiedFolds, stratifiedSplit } from './split.js';

/** One labeled text to learn from; `vector` skips embedding when the caller already has it. */
export interface LabeledText {
  text: string;
  label: string;
  vector?: Float32Array;
}

export interface TrainProgress {
  phase: 'embed' | 'calibrate' | 'train';
  done: number;
  total: number;
}

export interface CategorizerOptions {
  /** Label field this categorizer predicts. Default `category`. */
  field?: string;
  /** Label → description. A label with no examples is learned from its description alone (zero-shot) until examples exist. */
  descriptions?: Record<string, string>;
  lexical?: LexicalOptions;
  head?: HeadOptions;
  /** Where the heads are trained: `auto` (default) on a worker thread unless the set is tiny, so a server's event loop never waits for training; `inline` on the calling thread. */
  thread?: TrainingThread;
  /** Loss weight per class: `sqrt` (default) = (n / (classes·count))^½, so a rare queue is not drowned by a big one; `full` = fully balanced; `none`. */
  balance?: 'sqrt' | 'full' | 'none';
  /** Held-out accuracy each confidence level must reach. Default high 0.9, medium 0.7. */
  levels?: LevelTargets;
  /** How held-out predictions are made: `auto` (default) = 4 folds up to 4,000 examples, one 15% hold-out above; or a fold count ≥ 2. */
  calibrationFolds?: 'auto' | number;
  /**
   * Train the kept model again on every example after calibration. Default: yes up to 4,000
   * examples; above that the hold-out model is kept — its calibration is then exact, and training
   * 10k tickets stays under a minute on 2 cores (refitting measured +0.7 points on BANKING77 for twice the time).
   */
  refit?: boolean;
  /** Runners-up returned with each prediction. Default 3. */
  alternatives?: number;
  /** Seed of splits and training. Default 1. */
  seed?: number;
  onProgress?: (progress: TrainProgress) => void;
}

/** What training measured on held-out tickets; kept with the model. */
export interface CalibrationReport {
  /** Held-out predictions the calibration saw (0: too few examples to calibrate). */
  heldOut: number;
  accuracy: number | null;
  temperature: number;
  thresholds: LevelThresholds;
  /** Share of held-out tickets given High, and how many of those were right. */
  high: { share: number; accuracy: number | null };
  medium: { share: number; accuracy: number | null };
}

export interface CategorizerInfo {
  field: string;
  encoder: { id: string; dimension: number };
  labels: string[];
  /** Real examples per label (descriptions not counted). */
  support: Record<string, number>;
  descriptions: Record<string, string>;
  calibration: CalibrationReport;
  trainedAt: string;
  trainMs: number;
}

interface SavedCategorizer extends CategorizerInfo {
  format: 1;
  vocabulary: LexicalVocabulary;
  alternatives: number;
}

const MIN_CALIBRATION = 10;
/** Above this many examples one hold-out split calibrates (folds would cost too much time) and the hold-out model is kept. */
const LARGE = 4000;
const MIN_STEPS = 200;

/** Cut a description into training sentences: each sentence, and the whole with the label name in front. */
export function descriptionExamples(label: string, description: string): string[] {
  const sentences = description.split(/(?<=[.!?;])\s+|\n+/).map((s) => s.trim()).filter((s) => s.length > 3);
  const name = label.replace(/[-_]+/g, ' ');
  return [...new Set([`${name}: ${description.trim()}`, ...sentences])];
}

function classWeights(counts: number[], balance: CategorizerOptions['balance']): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((count) => {
    if (balance === 'none' || count === 0) return 1;
    const ratio = total / (counts.length * count);
    return balance === 'full' ? ratio : Math.sqrt(ratio);
  });
}

function autoEpochs(examples: number, head: HeadOptions): number {
  if (head.epochs !== undefined) return head.epochs;
  const stepsPerEpoch = Math.max(1, Math.ceil(examples / (head.batchSize ?? 64)));
  // Small sets need many passes to take enough steps; big sets converge in a few.
  return Math.min(40, Math.max(5, Math.ceil(MIN_STEPS / stepsPerEpoch)));
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function validateExamples(examples: readonly LabeledText[], field: string, descriptions: Record<string, string>): void {
  if (!Array.isArray(examples)) throw new AnswerdeskError('ADK_TRAINING_DATA_INVALID', { field, reason: 'examples must be an array of {text, label}' });
  examples.forEach((example, i) => {
    if (typeof example?.text !== 'string' || example.text.trim() === '') {
      throw new AnswerdeskError('ADK_TRAINING_DATA_INVALID', { field, reason: `example ${i + 1} has no text` });
    }
    if (typeof example.label !== 'string' || example.label.trim() === '') {
      throw new AnswerdeskError('ADK_TRAINING_DATA_INVALID', { field, reason: `example ${i + 1} has no ${field} label` });
    }
  });
  for (const [label, description] of Object.entries(descriptions)) {
    if (typeof description !== 'string' || description.trim() === '') {
      throw new AnswerdeskError('ADK_TRAINING_DATA_INVALID', { field, reason: `the description of "${label}" is empty` });
    }
  }
  const labels = new Set([...examples.map((e) => e.label), ...Object.keys(descriptions)]);
  if (labels.size < 2) {
    throw new AnswerdeskError('ADK_TRAINING_DATA_INVALID', { field, reason: `it needs at least 2 different labels (examples or descriptions), found ${labels.size}` });
  }
}

/** Train a categorizer from labeled texts (and optional label descriptions). */
export async function trainCategorizer(examples: readonly LabeledText[], encoder: Encoder, options: CategorizerOptions = {}): Promise<Categorizer> {
  const started = Date.now();
  const field = options.field ?? 'category';
  const descriptions = options.descriptions ?? {};
  validateExamples(examples, field, descriptions);
  const folds = options.calibrationFolds ?? 'auto';
  // Checked up front: a bad value must fail whatever the size of the training set, and before any embedding.
  if (folds !== 'auto' && (!Number.isInteger(folds) || folds < 2)) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'calibrationFolds', reason: 'must be "auto" or a whole number ≥ 2' });
  }
  const seed = options.seed ?? 1;
  const progress = options.onProgress;
  const labels = [...new Set([...examples.map((e) => e.label), ...Object.keys(descriptions)])].sort();
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const support = Object.fromEntries(labels.map((label) => [label, 0]));
  for (const example of examples) support[example.label]!++;

  // Descriptions become examples only for labels without real ones: once tickets exist, they speak for the label.
  const pseudo: LabeledText[] = [];
  for (const [label, description] of Object.entries(descriptions)) {
    if (support[label] === 0) for (const text of descriptionExamples(label, description)) pseudo.push({ text, label });
  }
  const all = [...examples, ...pseudo];
  const missing = all.filter((e) => !e.vector);
  const vectors = new Map<LabeledText, Float32Array>();
  if (missing.length > 0) {
    progress?.({ phase: 'embed', done: 0, total: missing.length });
    const fresh = await encoder.embedQueries(
      missing.map((e) => e.text),
      // Training is background work: an encoder with worker threads leaves a core to the answers meanwhile.
      { background: true, onProgress: (p: EncodeProgress) => progress?.({ phase: 'embed', done: p.done, total: p.total }) },
    );
    missing.forEach((e, i) => vectors.set(e, fresh[i]!));
  }
  const vectorOf = (e: LabeledText): Float32Array => {
    const vector = e.vector ?? vectors.get(e)!;
    if (vector.length !== encoder.dimension) throw new AnswerdeskError('ADK_DIMENSION_MISMATCH', { expected: encoder.dimension, actual: vector.length });
    return vector;
  };

  const counts = labels.map((label) => support[label]! || pseudo.filter((p) => p.label === label).length);
  const weights = classWeights(counts, options.balance ?? 'sqrt');
  const fit = async (items: readonly LabeledText[], predict: readonly LabeledText[] = []) => {
    const headOptions = { batchSize: 64, learningRate: 0.01, seed, ...options.head };
    const { onEpoch: _onEpoch, ...plainHead } = headOptions;
    const result = await fitOffThread(
      {
        texts: items.map((e) => e.text),
        dense: items.map(vectorOf),
        labels: items.map((e) => labelIndex.get(e.label)!),
        weights: items.map((e) => weights[labelIndex.get(e.label)!]!),
        classes: labels.length,
        ...(options.lexical ? { lexical: options.lexical } : {}),
        head: { ...plainHead, epochs: autoEpochs(items.length, headOptions) },
        ...(predict.length ? { predict: { texts: predict.map((e) => e.text), dense: predict.map(vectorOf) } } : {}),
      },
      options.thread ?? 'auto',
      headOptions.onEpoch,
    );
    return { vocabulary: result.vocabulary, featurize: lexicalFeaturizer(result.vocabulary), head: result.head, logits: result.logits };
  };

  // Held-out predictions, from models that never saw those tickets.
  const heldOut: HeldOutPrediction[] = [];
  let kept: Awaited<ReturnType<typeof fit>> | undefined;
  const calibratable = examples.length >= MIN_CALIBRATION && labels.filter((l) => support[l]! >= 2).length >= 2;
  if (calibratable) {
    const exampleLabels = examples.map((e) => e.label);
    const rounds: Array<{ train: number[]; test: number[] }> = [];
    if (folds === 'auto' && examples.length > LARGE) {
      rounds.push(stratifiedSplit(exampleLabels, 0.15, seed));
    } else {
      const k = folds === 'auto' ? 4 : folds;
      const assignment = stratifiedFolds(exampleLabels, k, seed);
      for (let f = 0; f < k; f++) {
        rounds.push({ train: assignment.flatMap((a, i) => (a === f ? [] : [i])), test: assignment.flatMap((a, i) => (a === f ? [i] : [])) });
      }
    }
    for (const [r, round] of rounds.entries()) {
      progress?.({ phase: 'calibrate', done: r, total: rounds.length });
      const test = round.test.map((i) => examples[i]!);
      const model = await fit([...round.train.map((i) => examples[i]!), ...pseudo], test);
      if (rounds.length === 1) kept = model;
      test.forEach((e, i) => heldOut.push({ logits: model.logits[i]!, label: labelIndex.get(e.label)! }));
    }
    progress?.({ phase: 'calibrate', done: rounds.length, total: rounds.length });
  }
  const temperature = heldOut.length > 0 ? fitTemperature(heldOut) : 1;
  const outcomes: ScoredOutcome[] = heldOut.map(({ logits, label }) => {
    const p = softmaxInPlace(Float32Array.from(logits), temperature);
    const best = argmax(p);
    return { probability: p[best]!, correct: best === label };
  });
  const thresholds = heldOut.length > 0 ? levelThresholds(outcomes, options.levels ?? defaultLevelTargets) : { high: null, medium: null };
  const high = coverageAt(outcomes, thresholds.high);
  const medium = coverageAt(outcomes, thresholds.medium);

  const refit = options.refit ?? examples.length <= LARGE;
  let final = kept;
  progress?.({ phase: 'train', done: 0, total: 1 });
  if (refit || !final) final = await fit(all);
  progress?.({ phase: 'train', done: 1, total: 1 });
  const info: CategorizerInfo = {
    field,
    encoder: { id: encoder.id, dimension: encoder.dimension },
    labels,
    support,
    descriptions,
    calibration: {
      heldOut: heldOut.length,
      accuracy: outcomes.length ? outcomes.filter((o) => o.correct).length / outcomes.length : null,
      temperature,
      thresholds,
      high: { share: high.share, accuracy: high.accuracy },
      // Medium's own band: at or above its cut-off, below High's.
      medium: { share: Math.max(0, medium.share - high.share), accuracy: bandAccuracy(outcomes, thresholds.medium, thresholds.high) },
    },
    trainedAt: new Date().toISOString(),
    trainMs: Date.now() - started,
  };
  return new Categorizer(info, final.vocabulary, final.head, options.alternatives ?? 3);
}

function bandAccuracy(outcomes: readonly ScoredOutcome[], from: number | null, to: number | null): number | null {
  if (from === null) return null;
  const band = outcomes.filter((o) => o.probability >= from && (to === null || o.probability < to));
  return band.length ? band.filter((o) => o.correct).length / band.length : null;
}

/** A trained categorizer. Predicts from an embedding + the text; saves to and loads from two files. */
export class Categorizer {
  private readonly featurize: (text: string) => SparseVector;

  constructor(
    readonly info: CategorizerInfo,
    private readonly vocabulary: LexicalVocabulary,
    private readonly head: LinearHead,
    private readonly alternativeCount = 3,
  ) {
    this.featurize = lexicalFeaturizer(vocabulary);
  }

  get field(): string {
    return this.info.field;
  }

  get labels(): readonly string[] {
    return this.info.labels;
  }

  /** Calibrated probability of every label for one text whose embedding is `vector`. */
  probabilities(vector: Float32Array, text: string): Float32Array {
    if (vector.length !== this.head.denseSize) throw new AnswerdeskError('ADK_DIMENSION_MISMATCH', { expected: this.head.denseSize, actual: vector.length });
    return softmaxInPlace(headLogits(this.head, vector, this.featurize(text)), this.info.calibration.temperature);
  }

  predictVector(vector: Float32Array, text: string): LabelPrediction {
    return this.predictionOf(this.probabilities(vector, text));
  }

  /** The prediction for probabilities over `labels` (from `probabilities`, perhaps moved by agents' corrections). */
  predictionOf(p: ArrayLike<number>): LabelPrediction {
    const ranked: LabelScore[] = this.info.labels.map((label, i) => ({ label, probability: p[i]! })).sort((a, b) => b.probability - a.probability);
    const best = ranked[0]!;
    const fromDescription = this.info.support[best.label] === 0;
    return {
      field: this.info.field,
      label: best.label,
      probability: best.probability,
      // A label learned from its description alone was never checked on held-out tickets: never more than Low.
      level: fromDescription ? 'low' : this.levelOf(best.probability),
      alternatives: ranked.slice(1, 1 + this.alternativeCount),
      basis: fromDescription ? 'description' : 'examples',
    };
  }

  levelOf(probability: number): ConfidenceLevel {
    const { high, medium } = this.info.calibration.thresholds;
    if (high !== null && probability >= high) return 'high';
    if (medium !== null && probability >= medium) return 'medium';
    return 'low';
  }

  /** Embed and categorize texts with the encoder the categorizer was trained with. */
  async categorize(texts: readonly string[], encoder: Encoder): Promise<LabelPrediction[]> {
    this.checkEncoder(encoder);
    const vectors = await encoder.embedQueries(texts);
    return texts.map((text, i) => this.predictVector(vectors[i]!, text));
  }

  checkEncoder(encoder: Encoder): void {
    if (encoder.id !== this.info.encoder.id || encoder.dimension !== this.info.encoder.dimension) {
      throw new AnswerdeskError('ADK_CATEGORIZER_MODEL_MISMATCH', { field: this.field, stored: this.info.encoder.id, current: encoder.id });
    }
  }

  /** The model as a JSON document and a binary weight file (little-endian float32). */
  toFiles(): { json: string; weights: Uint8Array } {
    const saved: SavedCategorizer = { format: 1, ...this.info, vocabulary: this.vocabulary, alternatives: this.alternativeCount };
    const { denseWeights, sparseWeights, bias } = this.head;
    const all = new Float32Array(denseWeights.length + sparseWeights.length + bias.length);
    all.set(denseWeights, 0);
    all.set(sparseWeights, denseWeights.length);
    all.set(bias, denseWeights.length + sparseWeights.length);
    return { json: JSON.stringify(saved), weights: new Uint8Array(all.buffer) };
  }

  static fromFiles(json: string, weights: Uint8Array): Categorizer {
    let field = '(unknown)';
    try {
      const saved = JSON.parse(json) as SavedCategorizer;
      field = saved.field ?? field;
      if (saved.format !== 1) throw new Error(`unknown format ${String(saved.format)}`);
      const classes = saved.labels.length;
      const denseSize = saved.encoder.dimension;
      const sparseSize = saved.vocabulary.terms.length;
      const expected = classes * denseSize + sparseSize * classes + classes;
      if (weights.byteLength !== expected * 4) throw new Error(`weights hold ${weights.byteLength / 4} numbers, expected ${expected}`);
      const all = new Float32Array(weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength));
      const head: LinearHead = {
        classes,
        denseSize,
        sparseSize,
        denseWeights: all.subarray(0, classes * denseSize),
        sparseWeights: all.subarray(classes * denseSize, classes * denseSize + sparseSize * classes),
        bias: all.subarray(classes * denseSize + sparseSize * classes),
      };
      const { format: _format, vocabulary, alternatives, ...info } = saved;
      return new Categorizer(info, vocabulary, head, alternatives);
    } catch (error) {
      throw new AnswerdeskError('ADK_CATEGORIZER_CORRUPT', { field, reason: reasonOf(error) }, { cause: error });
    }
  }
}
