// Calibration maths, table-driven: pure functions on hand-made held-out outcomes (no encoder involved).
import t from 'tap';
import { coverageAt, defaultLevelTargets, fitTemperature, isotonicAccuracy, levelThresholds, type HeldOutPrediction, type ScoredOutcome } from '../src/index.js';

/** Outcomes from compact rows: [probability, correct]. */
const outcomes = (rows: Array<[number, boolean]>): ScoredOutcome[] => rows.map(([probability, correct]) => ({ probability, correct }));

/** 15 outcomes in three clear bands: 0.20–0.24 all wrong, 0.50–0.54 right 4 in 5, 0.80–0.84 all right. */
const bands = outcomes([
  [0.2, false], [0.21, false], [0.22, false], [0.23, false], [0.24, false],
  [0.5, true], [0.51, true], [0.52, true], [0.53, true], [0.54, false],
  [0.8, true], [0.81, true], [0.82, true], [0.83, true], [0.84, true],
]);

t.test('isotonicAccuracy pools adjacent violators', async (t) => {
  const cases: Array<{ name: string; input: Array<[number, boolean]>; blocks: Array<{ from: number; accuracy: number; count: number }> }> = [
    { name: 'nothing', input: [], blocks: [] },
    { name: 'a single outcome', input: [[0.4, true]], blocks: [{ from: 0.4, accuracy: 1, count: 1 }] },
    { name: 'already increasing: blocks kept', input: [[0.2, false], [0.5, true]], blocks: [{ from: 0.2, accuracy: 0, count: 1 }, { from: 0.5, accuracy: 1, count: 1 }] },
    { name: 'a violator is merged into the block below', input: [[0.3, true], [0.6, false]], blocks: [{ from: 0.3, accuracy: 0.5, count: 2 }] },
    { name: 'equal accuracy is pooled too', input: [[0.2, false], [0.5, true], [0.9, true]], blocks: [{ from: 0.2, accuracy: 0, count: 1 }, { from: 0.5, accuracy: 1, count: 2 }] },
    {
      name: 'a chain of violators',
      input: [[0.1, false], [0.2, true], [0.3, false], [0.4, true], [0.5, true]],
      blocks: [{ from: 0.1, accuracy: 0, count: 1 }, { from: 0.2, accuracy: 0.5, count: 2 }, { from: 0.4, accuracy: 1, count: 2 }],
    },
    {
      name: 'a late wrong answer pulls several blocks down',
      input: [[0.1, false], [0.2, true], [0.3, true], [0.4, false], [0.5, false]],
      blocks: [{ from: 0.1, accuracy: 0, count: 1 }, { from: 0.2, accuracy: 0.5, count: 4 }],
    },
    { name: 'ties: right then wrong at one probability', input: [[0.3, false], [0.5, true], [0.5, false]], blocks: [{ from: 0.3, accuracy: 0, count: 1 }, { from: 0.5, accuracy: 0.5, count: 2 }] },
    { name: 'ties: wrong then right at one probability', input: [[0.3, false], [0.5, false], [0.5, true]], blocks: [{ from: 0.3, accuracy: 0, count: 1 }, { from: 0.5, accuracy: 0.5, count: 2 }] },
    { name: 'ties only', input: [[0.7, true], [0.7, false], [0.7, true], [0.7, true]], blocks: [{ from: 0.7, accuracy: 0.75, count: 4 }] },
    {
      name: 'three bands',
      input: bands.map((o) => [o.probability, o.correct]),
      blocks: [{ from: 0.2, accuracy: 0, count: 5 }, { from: 0.5, accuracy: 0.8, count: 5 }, { from: 0.8, accuracy: 1, count: 5 }],
    },
  ];
  for (const { name, input, blocks } of cases) {
    t.same(isotonicAccuracy(outcomes(input)), blocks, name);
    // Same outcomes in reverse order: the fit depends on probabilities, never on input order.
    t.same(isotonicAccuracy(outcomes([...input].reverse())), blocks, `${name} (reversed input)`);
  }
});

t.test('isotonicAccuracy is non-decreasing and keeps every outcome', async (t) => {
  const random = Array.from({ length: 200 }, (_, i): [number, boolean] => [((i * 37) % 101) / 100, (i * 7) % 3 !== 0]);
  const blocks = isotonicAccuracy(outcomes(random));
  t.equal(blocks.reduce((sum, b) => sum + b.count, 0), 200);
  for (let i = 1; i < blocks.length; i++) {
    t.ok(blocks[i]!.accuracy > blocks[i - 1]!.accuracy, `block ${i} is more accurate than block ${i - 1}`);
    t.ok(blocks[i]!.from > blocks[i - 1]!.from, `block ${i} starts higher`);
  }
});

t.test('levelThresholds', async (t) => {
  const allTies = outcomes([...Array.from({ length: 5 }, (): [number, boolean] => [0.6, false]), ...Array.from({ length: 5 }, (): [number, boolean] => [0.6, true]), [0.4, false]]);
  const cases: Array<{ name: string; input: ScoredOutcome[]; targets?: { high: number; medium: number }; minSupport?: number; expected: { high: number | null; medium: number | null } }> = [
    { name: 'both targets reached, in different bands', input: bands, expected: { high: 0.8, medium: 0.5 } },
    { name: 'defaults are high 0.9, medium 0.7', input: bands, targets: defaultLevelTargets, minSupport: 5, expected: { high: 0.8, medium: 0.5 } },
    { name: 'stricter targets: both in the top band', input: bands, targets: { high: 0.95, medium: 0.85 }, expected: { high: 0.8, medium: 0.8 } },
    { name: 'no band reaches the target: null', input: bands.map((o) => ({ ...o, correct: o.probability >= 0.5 && o.probability < 0.53 })), expected: { high: null, medium: null } },
    { name: 'nothing held out: null', input: [], expected: { high: null, medium: null } },
    { name: 'all wrong: null', input: bands.map((o) => ({ ...o, correct: false })), expected: { high: null, medium: null } },
    { name: 'minSupport 6: the top band (5) is too small for high', input: bands, minSupport: 6, expected: { high: null, medium: 0.5 } },
    { name: 'minSupport 11: nothing has the support', input: bands, minSupport: 11, expected: { high: null, medium: null } },
    { name: 'minSupport 1', input: outcomes([[0.3, false], [0.9, true]]), minSupport: 1, expected: { high: 0.9, medium: 0.9 } },
    { name: 'default minSupport 5 rejects a two-outcome table', input: outcomes([[0.3, false], [0.9, true]]), expected: { high: null, medium: null } },
    // Medium's own cut-off (0.8) is above High's (0.5) with inverted targets: it is brought down to High.
    { name: 'medium never above high', input: bands, targets: { high: 0.7, medium: 0.9 }, expected: { high: 0.5, medium: 0.5 } },
    { name: 'medium unreachable but high reached: medium = high', input: bands.filter((o) => o.probability < 0.8), targets: { high: 0.7, medium: 0.9 }, expected: { high: 0.5, medium: 0.5 } },
    // Half right at one probability is never "high", whatever order the tied outcomes came in.
    { name: 'tied probabilities are judged together', input: allTies, minSupport: 1, expected: { high: null, medium: null } },
    { name: 'tied probabilities, reversed', input: [...allTies].reverse(), minSupport: 1, expected: { high: null, medium: null } },
  ];
  for (const { name, input, targets, minSupport, expected } of cases) {
    const got = levelThresholds(input, targets, minSupport);
    t.same(got, expected, name);
    if (got.high !== null && got.medium !== null) t.ok(got.medium <= got.high, `${name}: medium ≤ high`);
  }
});

t.test('fitTemperature', async (t) => {
  /** n held-out predictions with the same logits, `rightShare` of them labelled with the argmax (class 0), the rest class 1. */
  const repeated = (logits: number[], n: number, rightShare: number): HeldOutPrediction[] =>
    Array.from({ length: n }, (_, i) => ({ logits: Float32Array.from(logits), label: i < n * rightShare ? 0 : 1 }));
  const cases: Array<{ name: string; input: HeldOutPrediction[]; check: (temperature: number) => boolean; expect: string }> = [
    { name: 'nothing held out', input: [], check: (temperature) => temperature === 1, expect: '= 1' },
    // Softmax says 0.9999 but only 60% are right: probabilities must be flattened.
    { name: 'overconfident logits', input: repeated([10, 0, 0], 50, 0.6), check: (temperature) => temperature > 1, expect: '> 1' },
    // Softmax says 0.45 but every one is right: probabilities must be sharpened.
    { name: 'underconfident logits', input: repeated([0.5, 0, 0], 50, 1), check: (temperature) => temperature < 1, expect: '< 1' },
    // Logits are log-frequencies already: softmax at T = 1 is the truth.
    {
      name: 'calibrated logits',
      input: Array.from({ length: 20 }, (_, i) => ({ logits: Float32Array.from([Math.log(0.7), Math.log(0.15), Math.log(0.15)]), label: i < 14 ? 0 : i < 17 ? 1 : 2 })),
      check: (temperature) => Math.abs(temperature - 1) < 0.05,
      expect: '≈ 1',
    },
  ];
  for (const { name, input, check, expect } of cases) {
    const temperature = fitTemperature(input);
    t.ok(check(temperature), `${name}: T ${expect} (got ${temperature.toFixed(3)})`);
    t.ok(temperature >= 0.05 && temperature <= 20, `${name}: inside the searched range`);
  }
  // The flattened probability should land near the observed 60%.
  const temperature = fitTemperature(repeated([10, 0, 0], 50, 0.6));
  const top = Math.exp(10 / temperature) / (Math.exp(10 / temperature) + 2);
  t.ok(Math.abs(top - 0.6) < 0.05, `calibrated top probability ≈ 0.6 (got ${top.toFixed(3)})`);
});

t.test('coverageAt', async (t) => {
  const cases: Array<{ name: string; input: ScoredOutcome[]; threshold: number | null; expected: { share: number; accuracy: number | null; count: number } }> = [
    { name: 'no threshold: nothing covered', input: bands, threshold: null, expected: { share: 0, accuracy: null, count: 0 } },
    { name: 'top band', input: bands, threshold: 0.8, expected: { share: 5 / 15, accuracy: 1, count: 5 } },
    { name: 'the threshold itself counts (≥)', input: bands, threshold: 0.84, expected: { share: 1 / 15, accuracy: 1, count: 1 } },
    { name: 'two bands', input: bands, threshold: 0.5, expected: { share: 10 / 15, accuracy: 9 / 10, count: 10 } },
    { name: 'everything', input: bands, threshold: 0, expected: { share: 1, accuracy: 9 / 15, count: 15 } },
    { name: 'above every outcome', input: bands, threshold: 0.95, expected: { share: 0, accuracy: null, count: 0 } },
    { name: 'no outcomes', input: [], threshold: 0.5, expected: { share: 0, accuracy: null, count: 0 } },
  ];
  for (const { name, input, threshold, expected } of cases) t.same(coverageAt(input, threshold), expected, name);
});
