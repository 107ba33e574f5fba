// Stratified splits and classification metrics: pure functions on hand-made label lists (no encoder involved).
import t from 'tap';
import { classificationMetrics, stratifiedFolds, stratifiedSplit } from '../src/index.js';

/** 10 × a, 5 × b, 2 × c, 1 × d, interleaved so that positions carry no label order. */
const labels = [...'abacabadabaabcabaa'];

const countOf = (label: string) => labels.filter((l) => l === label).length;
const labelsAt = (indices: readonly number[]) => new Set(indices.map((i) => labels[i]!));

t.test('stratifiedFolds', async (t) => {
  for (const k of [2, 3, 5]) {
    const assignment = stratifiedFolds(labels, k, 1);
    t.equal(assignment.length, labels.length, `k=${k}: one fold per item`);
    t.ok(assignment.every((f) => Number.isInteger(f) && f >= 0 && f < k), `k=${k}: fold numbers in [0, k)`);
    const sizes = Array.from({ length: k }, (_, f) => assignment.filter((a) => a === f).length);
    t.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `k=${k}: folds differ in size by at most one (${sizes.join(', ')})`);
    for (let f = 0; f < k; f++) {
      const test = assignment.flatMap((a, i) => (a === f ? [i] : []));
      const train = assignment.flatMap((a, i) => (a === f ? [] : [i]));
      for (const label of ['a', 'b', 'c', 'd']) {
        // A label with at least k examples is in every test fold; a label with at least 2 is always left in training.
        if (countOf(label) >= k) t.ok(labelsAt(test).has(label), `k=${k} fold ${f}: ${label} is tested`);
        if (countOf(label) >= 2) t.ok(labelsAt(train).has(label), `k=${k} fold ${f}: ${label} is trained on`);
      }
      // Each label is spread as evenly as its count allows.
      for (const label of ['a', 'b']) {
        const inFold = test.filter((i) => labels[i] === label).length;
        t.ok(Math.abs(inFold - countOf(label) / k) < 1, `k=${k} fold ${f}: ${inFold} × ${label}`);
      }
    }
  }
  t.same(stratifiedFolds(labels, 5, 1), stratifiedFolds(labels, 5, 1), 'same seed, same folds');
  t.notSame(stratifiedFolds(labels, 5, 1), stratifiedFolds(labels, 5, 2), 'another seed, other folds');
  t.same(stratifiedFolds(labels, 5), stratifiedFolds(labels, 5, 1), 'default seed is 1');
  t.same(stratifiedFolds([], 3, 1), [], 'no items');
});

t.test('stratifiedSplit', async (t) => {
  for (const share of [0.1, 0.2, 0.5, 0.9]) {
    const { train, test } = stratifiedSplit(labels, share, 1);
    t.same([...train, ...test].sort((x, y) => x - y), labels.map((_, i) => i), `share ${share}: every item once`);
    t.same(train, [...train].sort((x, y) => x - y), `share ${share}: train indices ascending`);
    t.same(test, [...test].sort((x, y) => x - y), `share ${share}: test indices ascending`);
    for (const label of ['a', 'b', 'c']) {
      t.ok(labelsAt(test).has(label), `share ${share}: ${label} in test`);
      t.ok(labelsAt(train).has(label), `share ${share}: ${label} in train`);
    }
    t.ok(labelsAt(train).has('d') && !labelsAt(test).has('d'), `share ${share}: the single d goes to train`);
  }
  const split = stratifiedSplit(labels, 0.2, 1);
  t.equal(split.test.filter((i) => labels[i] === 'a').length, 2, '20% of 10 a');
  t.equal(split.test.filter((i) => labels[i] === 'b').length, 1, '20% of 5 b');
  t.equal(split.test.filter((i) => labels[i] === 'c').length, 1, 'at least one of 2 c');
  t.same(stratifiedSplit(labels, 0.3, 4), stratifiedSplit(labels, 0.3, 4), 'same seed, same split');
  t.notSame(stratifiedSplit(labels, 0.3, 4).test, stratifiedSplit(labels, 0.3, 5).test, 'another seed, another split');
  t.same(stratifiedSplit(['x', 'x'], 0.99, 1).train.length, 1, 'even a huge test share leaves one example to train on');
});

t.test('classificationMetrics on a hand-computed table', async (t) => {
  //          a  a  a  a  b  b  b  c  c  c
  const actual = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c'];
  const predicted = ['a', 'a', 'b', 'b', 'b', 'b', 'c', 'c', 'c', 'a'];
  const m = classificationMetrics(actual, predicted);
  t.equal(m.count, 10);
  t.equal(m.accuracy, 0.6);
  // a: tp 2, predicted 3 → P 2/3, R 2/4, F1 4/7; b: tp 2, predicted 4 → P 1/2, R 2/3, F1 4/7; c: tp 2, predicted 3 → P 2/3, R 2/3, F1 2/3.
  const expected = [
    { label: 'a', support: 4, precision: 2 / 3, recall: 0.5, f1: 4 / 7 },
    { label: 'b', support: 3, precision: 0.5, recall: 2 / 3, f1: 4 / 7 },
    { label: 'c', support: 3, precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 },
  ];
  t.equal(m.perClass.length, 3);
  expected.forEach((want, i) => {
    const got = m.perClass[i]!;
    t.equal(got.label, want.label);
    t.equal(got.support, want.support, `${want.label} support`);
    for (const key of ['precision', 'recall', 'f1'] as const) t.ok(Math.abs(got[key] - want[key]) < 1e-12, `${want.label} ${key} ${got[key]} ≈ ${want[key]}`);
  });
  t.ok(Math.abs(m.macroF1 - 38 / 63) < 1e-12, `macro-F1 = (4/7 + 4/7 + 2/3) / 3 (got ${m.macroF1})`);
  t.same(m.confusions, [
    { actual: 'a', predicted: 'b', count: 2 },
    { actual: 'b', predicted: 'c', count: 1 },
    { actual: 'c', predicted: 'a', count: 1 },
  ], 'most frequent mistake first, then by actual label');
  t.same(classificationMetrics(actual, predicted, 1).confusions, [{ actual: 'a', predicted: 'b', count: 2 }], 'topConfusions');
});

t.test('classificationMetrics edge cases', async (t) => {
  const perfect = classificationMetrics(['x', 'y'], ['x', 'y']);
  t.equal(perfect.accuracy, 1);
  t.equal(perfect.macroF1, 1);
  t.same(perfect.confusions, []);
  // A label predicted but never true is not a class of the table; it only costs the true label its recall.
  const stranger = classificationMetrics(['x', 'x'], ['x', 'z']);
  t.same(stranger.perClass.map((c) => c.label), ['x']);
  t.match(stranger.perClass[0], { precision: 1, recall: 0.5 });
  t.same(stranger.confusions, [{ actual: 'x', predicted: 'z', count: 1 }]);
  // A true label never predicted: precision and F1 0, no division by zero.
  const missed = classificationMetrics(['x', 'y'], ['x', 'x']);
  t.match(missed.perClass.find((c) => c.label === 'y'), { precision: 0, recall: 0, f1: 0 });
  t.same(classificationMetrics([], []), { count: 0, accuracy: 0, macroF1: 0, perClass: [], confusions: [] });
  t.throws(() => classificationMetrics(['x'], []), RangeError);
});
