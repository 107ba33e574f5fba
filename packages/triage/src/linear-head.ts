/**
 * A multinomial logistic-regression head over frozen sentence embeddings and
 * sparse lexical features, trained in-process with mini-batch AdamW. Pure
 * TypeScript on typed arrays: no Python, no native code.
 */
import type { SparseVector } from './lexical-features.js';

export interface HeadExample {
  dense: Float32Array;
  sparse: SparseVector;
  label: number;
  /** Loss weight (class balancing). Default 1. */
  weight?: number;
}

export interface HeadOptions {
  /** Passes over the training set. Default 40. */
  epochs?: number;
  /** AdamW step size. Default 0.005. */
  learningRate?: number;
  /** Decoupled weight decay per step, relative to the learning rate. Default 1e-4. */
  weightDecay?: number;
  /** Examples per step. Default 32. */
  batchSize?: number;
  /** Seed of the shuffling, so training is reproducible. Default 1. */
  seed?: number;
  onEpoch?: (epoch: number, epochs: number) => void;
}

export const defaultHeadOptions = { epochs: 40, learningRate: 0.005, weightDecay: 1e-4, batchSize: 32, seed: 1 } as const;

/** Trained weights; plain typed arrays, serialisable. */
export interface LinearHead {
  classes: number;
  denseSize: number;
  sparseSize: number;
  /** classes × denseSize, row per class. */
  denseWeights: Float32Array;
  /** sparseSize × classes, row per feature (updates touch only the features a text has). */
  sparseWeights: Float32Array;
  bias: Float32Array;
}

/** Seeded PRNG (mulberry32): fixed seeds give the same split and the same model on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Raw class scores (before softmax). */
export function headLogits(head: LinearHead, dense: Float32Array, sparse: SparseVector, out = new Float32Array(head.classes)): Float32Array {
  const { classes, denseSize, denseWeights, sparseWeights, bias } = head;
  for (let c = 0; c < classes; c++) {
    let sum = bias[c]!;
    const row = c * denseSize;
    for (let j = 0; j < denseSize; j++) sum += denseWeights[row + j]! * dense[j]!;
    out[c] = sum;
  }
  for (let k = 0; k < sparse.indices.length; k++) {
    const row = sparse.indices[k]! * classes;
    const value = sparse.values[k]!;
    for (let c = 0; c < classes; c++) out[c]! += sparseWeights[row + c]! * value;
  }
  return out;
}

/** Softmax with a temperature, in place. */
export function softmaxInPlace(logits: Float32Array, temperature = 1): Float32Array {
  let max = -Infinity;
  for (const value of logits) if (value > max) max = value;
  let sum = 0;
  for (let c = 0; c < logits.length; c++) {
    const e = Math.exp((logits[c]! - max) / temperature);
    logits[c] = e;
    sum += e;
  }
  for (let c = 0; c < logits.length; c++) logits[c]! /= sum;
  return logits;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/** One AdamW update of weights[from..to) from gradient g (same indexing). A plain function so V8 inlines the hot loop. */
function adamStep(
  weights: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  from: number,
  to: number,
  adam: { stepSize: number; correction2: number; decay: number },
  decayed: boolean,
): void {
  const { stepSize, correction2, decay } = adam;
  for (let at = from; at < to; at++) {
    const grad = g[at]!;
    const mt = BETA1 * m[at]! + (1 - BETA1) * grad;
    const vt = BETA2 * v[at]! + (1 - BETA2) * grad * grad;
    m[at] = mt;
    v[at] = vt;
    let w = weights[at]!;
    if (decayed) w *= decay;
    weights[at] = w - (stepSize * mt) / (Math.sqrt(vt / correction2) + EPSILON);
  }
}

export function trainHead(examples: readonly HeadExample[], sizes: { classes: number; denseSize: number; sparseSize: number }, options: HeadOptions = {}): LinearHead {
  const { epochs, learningRate, weightDecay, batchSize, seed } = { ...defaultHeadOptions, ...options };
  const { classes, denseSize, sparseSize } = sizes;
  const head: LinearHead = {
    classes,
    denseSize,
    sparseSize,
    denseWeights: new Float32Array(classes * denseSize),
    sparseWeights: new Float32Array(sparseSize * classes),
    bias: new Float32Array(classes),
  };
  // Adam moments; sparse ones are updated lazily, only for features present in the batch.
  const mDense = new Float32Array(head.denseWeights.length);
  const vDense = new Float32Array(head.denseWeights.length);
  const mSparse = new Float32Array(head.sparseWeights.length);
  const vSparse = new Float32Array(head.sparseWeights.length);
  const mBias = new Float32Array(classes);
  const vBias = new Float32Array(classes);
  const gDense = new Float32Array(head.denseWeights.length);
  const gBias = new Float32Array(classes);
  // Sparse gradient rows live in one buffer; only rows touched in a batch are read and reset.
  const gSparse = new Float32Array(head.sparseWeights.length);
  const touched = new Uint8Array(sparseSize);
  const touchedList: number[] = [];
  const probabilities = new Float32Array(classes);
  const order = examples.map((_, i) => i);
  const random = seededRandom(seed);
  let step = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      gDense.fill(0);
      gBias.fill(0);
      for (const feature of touchedList) {
        touched[feature] = 0;
        gSparse.fill(0, feature * classes, (feature + 1) * classes);
      }
      touchedList.length = 0;
      let totalWeight = 0;
      for (const index of batch) totalWeight += examples[index]!.weight ?? 1;
      for (const index of batch) {
        const example = examples[index]!;
        headLogits(head, example.dense, example.sparse, probabilities);
        softmaxInPlace(probabilities);
        const scale = (example.weight ?? 1) / totalWeight;
        // Gradient of cross-entropy w.r.t. logits: p - onehot.
        probabilities[example.label]! -= 1;
        for (let c = 0; c < classes; c++) {
          const g = probabilities[c]! * scale;
          if (g === 0) continue;
          gBias[c]! += g;
          const row = c * denseSize;
          for (let j = 0; j < denseSize; j++) gDense[row + j]! += g * example.dense[j]!;
        }
        for (let k = 0; k < example.sparse.indices.length; k++) {
          const feature = example.sparse.indices[k]!;
          if (touched[feature] === 0) {
            touched[feature] = 1;
            touchedList.push(feature);
          }
          const row = feature * classes;
          const value = example.sparse.values[k]! * scale;
          for (let c = 0; c < classes; c++) gSparse[row + c]! += probabilities[c]! * value;
        }
      }
      step++;
      const correction1 = 1 - BETA1 ** step;
      const correction2 = 1 - BETA2 ** step;
      const stepSize = learningRate / correction1;
      const decay = 1 - learningRate * weightDecay;
      const adam = { stepSize, correction2, decay };
      adamStep(head.denseWeights, mDense, vDense, gDense, 0, gDense.length, adam, true);
      adamStep(head.bias, mBias, vBias, gBias, 0, classes, adam, false);
      for (const feature of touchedList) adamStep(head.sparseWeights, mSparse, vSparse, gSparse, feature * classes, (feature + 1) * classes, adam, true);
    }
    options.onEpoch?.(epoch + 1, epochs);
  }
  return head;
}
