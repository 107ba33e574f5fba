/**
 * Calibration of categorizer scores on held-out predictions: a softmax
 * temperature fitted by likelihood, then the probability above which
 * held-out predictions were right at least as often as each level asks.
 */
import { softmaxInPlace } from './linear-head.js';

export interface HeldOutPrediction {
  logits: Float32Array;
  label: number;
}

/** Held-out accuracy asked of each confidence level. */
export interface LevelTargets {
  /** Default 0.9: at High, 9 in 10 held-out tickets were categorized right (safe to route automatically). */
  high: number;
  /** Default 0.7. */
  medium: number;
}

export const defaultLevelTargets: LevelTargets = { high: 0.9, medium: 0.7 };

/** Probability cut-offs; `null` when no cut-off reached the target on held-out data (that level is never given). */
export interface LevelThresholds {
  high: number | null;
  medium: number | null;
}

function negativeLogLikelihood(predictions: readonly HeldOutPrediction[], temperature: number): number {
  let total = 0;
  for (const { logits, label } of predictions) {
    const p = softmaxInPlace(Float32Array.from(logits), temperature);
    total -= Math.log(Math.max(p[label]!, 1e-12));
  }
  return total / Math.max(1, predictions.length);
}

/** The temperature (0.05–20) that makes held-out probabilities most likely; golden-section search on its log. */
export function fitTemperature(predictions: readonly HeldOutPrediction[]): number {
  if (predictions.length === 0) return 1;
  let low = Math.log(0.05);
  let high = Math.log(20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let fa = negativeLogLikelihood(predictions, Math.exp(a));
  let fb = negativeLogLikelihood(predictions, Math.exp(b));
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      high = b;
      b = a;
      fb = fa;
      a = high - ratio * (high - low);
      fa = negativeLogLikelihood(predictions, Math.exp(a));
    } else {
      low = a;
      a = b;
      fa = fb;
      b = low + ratio * (high - low);
      fb = negativeLogLikelihood(predictions, Math.exp(b));
    }
  }
  return Math.exp((low + high) / 2);
}

export interface ScoredOutcome {
  probability: number;
  correct: boolean;
}

/**
 * Accuracy as a non-decreasing function of probability, fitted to held-out
 * outcomes by isotonic regression (pool adjacent violators). Returns blocks
 * sorted by probability: from `from` upwards predictions were right `accuracy` of the time.
 */
export function isotonicAccuracy(outcomes: readonly ScoredOutcome[]): Array<{ from: number; accuracy: number; count: number }> {
  const sorted = [...outcomes].sort((a, b) => a.probability - b.probability);
  const blocks: Array<{ from: number; correct: number; count: number }> = [];
  for (let i = 0; i < sorted.length; ) {
    // Equal probabilities form one block before pooling, so the fit does not depend on the order ties came in.
    const block = { from: sorted[i]!.probability, correct: 0, count: 0 };
    for (; i < sorted.length && sorted[i]!.probability === block.from; i++) {
      block.count++;
      if (sorted[i]!.correct) block.correct++;
    }
    blocks.push(block);
    // Merge while a block is not more accurate than the one below it.
    while (blocks.length > 1) {
      const top = blocks[blocks.length - 1]!;
      const below = blocks[blocks.length - 2]!;
      if (top.correct / top.count > below.correct / below.count) break;
      below.correct += top.correct;
      below.count += top.count;
      blocks.pop();
    }
  }
  return blocks.map((b) => ({ from: b.from, accuracy: b.correct / b.count, count: b.count }));
}

/**
 * For each level, the lowest probability from which held-out predictions were
 * right at least `target` of the time *at that probability* (isotonic fit),
 * not merely on average over everything above it. `null` when no probability
 * reached the target, or fewer than `minSupport` held-out predictions did. Pure; table-tested.
 */
export function levelThresholds(outcomes: readonly ScoredOutcome[], targets: LevelTargets = defaultLevelTargets, minSupport = 5): LevelThresholds {
  const blocks = isotonicAccuracy(outcomes);
  const cutoff = (target: number): number | null => {
    const first = blocks.findIndex((b) => b.accuracy >= target);
    if (first < 0) return null;
    const support = blocks.slice(first).reduce((sum, b) => sum + b.count, 0);
    return support >= minSupport ? blocks[first]!.from : null;
  };
  const high = cutoff(targets.high);
  const medium = cutoff(targets.medium);
  // Medium can never sit above High.
  return { high, medium: high !== null && (medium === null || medium > high) ? high : medium };
}

/** Share of outcomes at or above a probability, and how many of those were right. */
export function coverageAt(outcomes: readonly ScoredOutcome[], threshold: number | null): { share: number; accuracy: number | null; count: number } {
  if (threshold === null) return { share: 0, accuracy: null, count: 0 };
  const kept = outcomes.filter((o) => o.probability >= threshold);
  return {
    share: outcomes.length ? kept.length / outcomes.length : 0,
    accuracy: kept.length ? kept.filter((o) => o.correct).length / kept.length : null,
    count: kept.length,
  };
}
