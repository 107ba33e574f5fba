/**
 * The embedding baselines the categorizer is compared against: nearest
 * centroid and k-nearest neighbours, both by cosine similarity on the same
 * USE-lite vectors. Plain functions on typed arrays, no training loop, so
 * what they score is what the embedding alone knows.
 */
import { stratifiedSplit } from '@answerdesk/triage';

export interface VectorExample {
  vector: Float32Array;
  label: string;
}

/** Dot product; USE-lite vectors are unit length, so this is the cosine similarity. */
function dot(a: Float32Array, aOffset: number, b: Float32Array, dimension: number): number {
  let sum = 0;
  for (let j = 0; j < dimension; j++) sum += a[aOffset + j]! * b[j]!;
  return sum;
}

/** Rows packed into one array: one tight loop per query instead of one object per row. Pure. */
function pack(vectors: readonly Float32Array[], dimension: number): Float32Array {
  const rows = new Float32Array(vectors.length * dimension);
  vectors.forEach((vector, i) => rows.set(vector, i * dimension));
  return rows;
}

function dimensionOf(examples: readonly VectorExample[]): number {
  const dimension = examples[0]?.vector.length ?? 0;
  if (dimension === 0) throw new RangeError('baselines need at least one example with a non-empty vector');
  return dimension;
}

// ------------------------------------------------------------------ nearest centroid

export interface CentroidModel {
  labels: string[];
  dimension: number;
  /** labels.length × dimension, each row unit length. */
  centroids: Float32Array;
}

/** Mean vector per label, renormalised so the score is a cosine. Pure. */
export function fitCentroids(examples: readonly VectorExample[]): CentroidModel {
  const dimension = dimensionOf(examples);
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const row = new Map(labels.map((label, i) => [label, i]));
  const centroids = new Float32Array(labels.length * dimension);
  for (const e of examples) {
    const offset = row.get(e.label)! * dimension;
    for (let j = 0; j < dimension; j++) centroids[offset + j]! += e.vector[j]!;
  }
  for (let c = 0; c < labels.length; c++) {
    const offset = c * dimension;
    let norm = 0;
    for (let j = 0; j < dimension; j++) norm += centroids[offset + j]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < dimension; j++) centroids[offset + j]! /= norm;
  }
  return { labels, dimension, centroids };
}

export function predictCentroid(model: CentroidModel, vector: Float32Array): string {
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0; c < model.labels.length; c++) {
    const score = dot(model.centroids, c * model.dimension, vector, model.dimension);
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return model.labels[best]!;
}

// ------------------------------------------------------------------ k nearest neighbours

export interface KnnModel {
  dimension: number;
  size: number;
  rows: Float32Array;
  labels: string[];
}

/** "Training" kNN is storing the vectors. Pure. */
export function fitKnn(examples: readonly VectorExample[]): KnnModel {
  const dimension = dimensionOf(examples);
  return { dimension, size: examples.length, rows: pack(examples.map((e) => e.vector), dimension), labels: examples.map((e) => e.label) };
}

export interface Neighbour {
  index: number;
  similarity: number;
}

/** The k most similar stored rows, most similar first (exact search; ties keep the earlier row). */
export function neighbours(model: KnnModel, vector: Float32Array, k: number): Neighbour[] {
  const top: Neighbour[] = [];
  for (let i = 0; i < model.size; i++) {
    const similarity = dot(model.rows, i * model.dimension, vector, model.dimension);
    if (top.length === k && similarity <= top[k - 1]!.similarity) continue;
    // Insertion into a short sorted list: k is small, and most rows are rejected by the check above.
    let at = Math.min(top.length, k - 1);
    while (at > 0 && top[at - 1]!.similarity < similarity) at--;
    top.splice(at, 0, { index: i, similarity });
    if (top.length > k) top.pop();
  }
  return top;
}

/**
 * The label the first `k` neighbours vote for: each votes with its similarity
 * (`weighted`) or with 1. A tie goes to the label met first, i.e. the one
 * with the nearest neighbour. Pure.
 */
export function vote(model: KnnModel, hits: readonly Neighbour[], k: number, weighted: boolean): string {
  const scores = new Map<string, number>();
  let best = '';
  let bestScore = -Infinity;
  for (const hit of hits.slice(0, k)) {
    const label = model.labels[hit.index]!;
    scores.set(label, (scores.get(label) ?? 0) + (weighted ? hit.similarity : 1));
  }
  for (const [label, score] of scores) {
    if (score > bestScore) {
      bestScore = score;
      best = label;
    }
  }
  return best;
}

export interface KChoice {
  k: number;
  /** Validation accuracy of every candidate k. */
  validation: Record<number, number>;
  validationSize: number;
}

/**
 * Pick k for the similarity-weighted vote on a stratified validation split of
 * the training examples only (BANKING77's README: tune on train, never on
 * test). Neighbours are found once at the largest k and cut for the smaller
 * ones. Ties go to the smaller k.
 */
export function chooseK(examples: readonly VectorExample[], candidates: readonly number[], seed: number, validationShare = 0.2): KChoice {
  const split = stratifiedSplit(examples.map((e) => e.label), validationShare, seed);
  const model = fitKnn(split.train.map((i) => examples[i]!));
  const ks = [...candidates].sort((a, b) => a - b);
  const correct = new Map(ks.map((k) => [k, 0]));
  for (const i of split.test) {
    const e = examples[i]!;
    const hits = neighbours(model, e.vector, ks.at(-1)!);
    for (const k of ks) if (vote(model, hits, k, true) === e.label) correct.set(k, correct.get(k)! + 1);
  }
  const n = split.test.length || 1;
  const validation = Object.fromEntries(ks.map((k) => [k, correct.get(k)! / n]));
  const k = ks.reduce((best, k) => (validation[k]! > validation[best]! ? k : best), ks[0]!);
  return { k, validation, validationSize: split.test.length };
}
