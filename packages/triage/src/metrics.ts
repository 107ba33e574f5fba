/** Classification metrics for backtests and benchmarks. Pure. */

export interface ClassMetrics {
  label: string;
  /** Test items whose true label this is. */
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Confusion {
  actual: string;
  predicted: string;
  count: number;
}

export interface ClassificationMetrics {
  count: number;
  accuracy: number;
  /** Mean F1 over labels present in the test set (a rare queue counts as much as a big one). */
  macroF1: number;
  perClass: ClassMetrics[];
  /** Most frequent mistakes, most frequent first. */
  confusions: Confusion[];
}

export function classificationMetrics(actual: readonly string[], predicted: readonly string[], topConfusions = 10): ClassificationMetrics {
  if (actual.length !== predicted.length) throw new RangeError('actual and predicted differ in length');
  const labels = [...new Set(actual)].sort();
  const truePositive = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const actualCount = new Map<string, number>();
  const confusions = new Map<string, Confusion>();
  let correct = 0;
  actual.forEach((truth, i) => {
    const guess = predicted[i]!;
    actualCount.set(truth, (actualCount.get(truth) ?? 0) + 1);
    predictedCount.set(guess, (predictedCount.get(guess) ?? 0) + 1);
    if (truth === guess) {
      correct++;
      truePositive.set(truth, (truePositive.get(truth) ?? 0) + 1);
    } else {
      const key = `${truth}\u0000${guess}`;
      const entry = confusions.get(key) ?? { actual: truth, predicted: guess, count: 0 };
      entry.count++;
      confusions.set(key, entry);
    }
  });
  const perClass = labels.map((label) => {
    const tp = truePositive.get(label) ?? 0;
    const precision = tp / (predictedCount.get(label) || 1);
    const recall = tp / (actualCount.get(label) || 1);
    return { label, support: actualCount.get(label) ?? 0, precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
  });
  return {
    count: actual.length,
    accuracy: actual.length ? correct / actual.length : 0,
    macroF1: perClass.length ? perClass.reduce((sum, c) => sum + c.f1, 0) / perClass.length : 0,
    perClass,
    confusions: [...confusions.values()].sort((a, b) => b.count - a.count || a.actual.localeCompare(b.actual)).slice(0, topConfusions),
  };
}
