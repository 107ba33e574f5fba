import { seededRandom, shuffleInPlace } from './linear-head.js';

/** Positions of each label's items, in order. */
function indicesByLabel(labels: readonly string[]): Map<string, number[]> {
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const list = byLabel.get(label);
    if (list) list.push(i);
    else byLabel.set(label, [i]);
  });
  return byLabel;
}

/**
 * Stratified k-fold assignment with a fixed seed: every label is spread over
 * the folds as evenly as its count allows, so a rare category still appears
 * in training and in test. Returns the fold number of each item.
 */
export function stratifiedFolds(labels: readonly string[], folds: number, seed = 1): number[] {
  const random = seededRandom(seed);
  const byLabel = indicesByLabel(labels);
  const assignment = new Array<number>(labels.length).fill(0);
  // Each label starts where the previous one stopped, so small labels do not all land in fold 0.
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const index of shuffleInPlace(byLabel.get(label)!, random)) {
      assignment[index] = next;
      next = (next + 1) % folds;
    }
  }
  return assignment;
}

/** Stratified train/test split with a fixed seed: about `testShare` of each label goes to test (none from a label with one example). */
export function stratifiedSplit(labels: readonly string[], testShare: number, seed = 1): { train: number[]; test: number[] } {
  const random = seededRandom(seed);
  const byLabel = indicesByLabel(labels);
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const items = shuffleInPlace(byLabel.get(label)!, random);
    // At least one to test and, however large testShare is, at least one left to train on.
    const testCount = items.length < 2 ? 0 : Math.min(items.length - 1, Math.max(1, Math.round(items.length * testShare)));
    test.push(...items.slice(0, testCount));
    train.push(...items.slice(testCount));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
