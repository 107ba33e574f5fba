/**
 * Scoring one trained method on one task's test messages. The metric itself
 * is triage's `classificationMetrics` (the one `backtestCategorizer` reports),
 * so the benchmark and the product's backtest count the same way.
 */
import { classificationMetrics, type ClassificationMetrics } from '@answerdesk/triage';
import type { ConfidenceLevel } from '@answerdesk/types';
import type { Subset } from './datasets.js';
import type { Prediction, Trained } from './methods.js';

export interface TestMessage {
  text: string;
  label: string;
  vector: Float32Array;
}

export interface LevelOutcome {
  /** Share of test messages given this level. */
  share: number;
  count: number;
  /** How many of them were right; null when none got the level. */
  accuracy: number | null;
}

export interface SubsetScores {
  name: string;
  count: number;
  accuracy: number;
  macroF1: number;
}

export interface Scores {
  metrics: ClassificationMetrics;
  /** Mean and 95th percentile of one `predict` call, in ms (the vector is given: no embedding). */
  predictMs: { mean: number; p95: number };
  levels?: Record<ConfidenceLevel, LevelOutcome>;
  subsets: SubsetScores[];
}

/** Value at percentile p (nearest rank) of an ascending array. Pure. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** Untimed calls before timing, so the first calls' JIT compilation is not billed as prediction time. */
const WARM_UP = 50;

/** Predict every test message one at a time, timing each call: the per-message cost a live ticket pays after embedding. */
export function predictAll(trained: Trained, test: readonly TestMessage[]): { predictions: Prediction[]; times: number[] } {
  for (const message of test.slice(0, WARM_UP)) trained.predict(message.vector, message.text);
  const predictions: Prediction[] = [];
  const times: number[] = [];
  for (const message of test) {
    const started = performance.now();
    predictions.push(trained.predict(message.vector, message.text));
    times.push(performance.now() - started);
  }
  return { predictions, times };
}

/** Share and accuracy of each confidence level; undefined when the method has no levels. Pure. */
export function levelOutcomes(actual: readonly string[], predictions: readonly Prediction[]): Record<ConfidenceLevel, LevelOutcome> | undefined {
  if (predictions.length === 0 || predictions.some((p) => p.level === undefined)) return undefined;
  const outcome = (level: ConfidenceLevel): LevelOutcome => {
    const at = predictions.flatMap((p, i) => (p.level === level ? [i] : []));
    return {
      share: at.length / predictions.length,
      count: at.length,
      accuracy: at.length ? at.filter((i) => predictions[i]!.label === actual[i]).length / at.length : null,
    };
  };
  return { high: outcome('high'), medium: outcome('medium'), low: outcome('low') };
}

/** Accuracy and macro-F1 over the whole test set and over each subset. Pure. */
export function score(test: readonly TestMessage[], predictions: readonly Prediction[], times: readonly number[], subsets: readonly Subset[]): Scores {
  const actual = test.map((m) => m.label);
  const predicted = predictions.map((p) => p.label);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    metrics: classificationMetrics(actual, predicted),
    predictMs: { mean: mean(times), p95: percentile(sorted, 95) },
    levels: levelOutcomes(actual, predictions),
    subsets: subsets.map((subset) => {
      const m = classificationMetrics(
        subset.indices.map((i) => actual[i]!),
        subset.indices.map((i) => predicted[i]!),
      );
      return { name: subset.name, count: m.count, accuracy: m.accuracy, macroF1: m.macroF1 };
    }),
  };
}
