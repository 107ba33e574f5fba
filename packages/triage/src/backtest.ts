/**
 * The "is my history good enough" gate: train on part of the labeled tickets,
 * categorize the rest, and report what automatic routing would have done.
 */
import type { Encoder } from '@answerdesk/embeddings';
import { AnswerdeskError, type ConfidenceLevel } from '@answerdesk/types';
import { trainCategorizer, type CategorizerOptions, type LabeledText, type TrainProgress } from './categorizer.js';
import { classificationMetrics, type ClassificationMetrics } from './metrics.js';
import { stratifiedFolds, stratifiedSplit } from './split.js';

export interface BacktestOptions extends Omit<CategorizerOptions, 'onProgress'> {
  /** k-fold cross-validation when ≥ 2; otherwise one stratified split. */
  folds?: number;
  /** Share of each label held out for test in a single split. Default 0.2. */
  testShare?: number;
  onProgress?: (progress: { round: number; rounds: number } & Partial<TrainProgress>) => void;
}

export interface LevelOutcome {
  /** Share of test tickets given this level. */
  share: number;
  /** How many of them were categorized right (null when none got it). */
  accuracy: number | null;
  count: number;
}

export interface BacktestReport extends ClassificationMetrics {
  field: string;
  examples: number;
  labels: number;
  split: { kind: 'holdout'; testShare: number; seed: number } | { kind: 'folds'; folds: number; seed: number };
  /** What routing on each confidence level would have done: `high` is the share routed automatically, and its accuracy. */
  levels: Record<ConfidenceLevel, LevelOutcome>;
  /** Mean time to train one categorizer (embedding excluded), and to categorize one message from its embedding. */
  trainMs: number;
  predictMs: number;
  embedMs: number;
}

export async function backtestCategorizer(examples: readonly LabeledText[], encoder: Encoder, options: BacktestOptions = {}): Promise<BacktestReport> {
  const field = options.field ?? 'category';
  const seed = options.seed ?? 1;
  const testShare = options.testShare ?? 0.2;
  if (!(testShare > 0 && testShare < 1)) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'testShare', reason: 'must be between 0 and 1' });
  if (options.folds !== undefined && (!Number.isInteger(options.folds) || options.folds < 2)) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'folds', reason: 'must be a whole number ≥ 2' });
  }
  if (examples.length < 4) throw new AnswerdeskError('ADK_TRAINING_DATA_INVALID', { field, reason: `a backtest needs at least 4 labeled tickets, found ${examples.length}` });
  // Embed once; every round reuses the vectors.
  const embedStarted = Date.now();
  const missing = examples.filter((e) => !e.vector);
  const fresh = missing.length ? await encoder.embedQueries(missing.map((e) => e.text), {
    onProgress: (p) => options.onProgress?.({ round: 0, rounds: 0, phase: 'embed', done: p.done, total: p.total }),
  }) : [];
  const embedMs = Date.now() - embedStarted;
  let next = 0;
  const withVectors: LabeledText[] = examples.map((e) => (e.vector ? e : { ...e, vector: fresh[next++]! }));

  const labels = withVectors.map((e) => e.label);
  const rounds: Array<{ train: number[]; test: number[] }> = [];
  if (options.folds) {
    const assignment = stratifiedFolds(labels, options.folds, seed);
    for (let f = 0; f < options.folds; f++) {
      rounds.push({ train: assignment.flatMap((a, i) => (a === f ? [] : [i])), test: assignment.flatMap((a, i) => (a === f ? [i] : [])) });
    }
  } else {
    rounds.push(stratifiedSplit(labels, testShare, seed));
  }
  const actual: string[] = [];
  const predicted: string[] = [];
  const levels: ConfidenceLevel[] = [];
  let trainMs = 0;
  let predictMs = 0;
  for (const [r, round] of rounds.entries()) {
    const started = Date.now();
    const categorizer = await trainCategorizer(round.train.map((i) => withVectors[i]!), encoder, {
      ...options,
      field,
      onProgress: (p) => options.onProgress?.({ round: r + 1, rounds: rounds.length, ...p }),
    });
    trainMs += Date.now() - started;
    const predictStarted = Date.now();
    for (const i of round.test) {
      const e = withVectors[i]!;
      const prediction = categorizer.predictVector(e.vector!, e.text);
      actual.push(e.label);
      predicted.push(prediction.label);
      levels.push(prediction.level);
    }
    predictMs += Date.now() - predictStarted;
  }
  const levelOutcome = (level: ConfidenceLevel): LevelOutcome => {
    const picked = levels.flatMap((l, i) => (l === level ? [i] : []));
    return {
      share: levels.length ? picked.length / levels.length : 0,
      accuracy: picked.length ? picked.filter((i) => actual[i] === predicted[i]).length / picked.length : null,
      count: picked.length,
    };
  };
  return {
    field,
    examples: examples.length,
    labels: new Set(labels).size,
    split: options.folds ? { kind: 'folds', folds: options.folds, seed } : { kind: 'holdout', testShare, seed },
    ...classificationMetrics(actual, predicted),
    levels: { high: levelOutcome('high'), medium: levelOutcome('medium'), low: levelOutcome('low') },
    trainMs: trainMs / rounds.length,
    predictMs: actual.length ? predictMs / actual.length : 0,
    embedMs,
  };
}
