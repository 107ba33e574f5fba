// The linear softmax head on hand-made toy problems (no encoder involved): learning, determinism, class weights.
import t from 'tap';
import { defaultHeadOptions, headLogits, seededRandom, shuffleInPlace, softmaxInPlace, trainHead, fitModel, fitOffThread, type FitJob, type HeadExample, type LinearHead, type SparseVector } from '../src/index.js';

const noSparse: SparseVector = { indices: new Int32Array(0), values: new Float32Array(0) };
const sparse = (entries: Array<[number, number]>): SparseVector => ({ indices: Int32Array.from(entries.map(([i]) => i)), values: Float32Array.from(entries.map(([, v]) => v)) });

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

const predict = (head: LinearHead, example: HeadExample) => argmax(headLogits(head, example.dense, example.sparse));
const accuracy = (head: LinearHead, examples: readonly HeadExample[]) => examples.filter((e) => predict(head, e) === e.label).length / examples.length;

/** 4 classes, 10 examples each. Dense part: 2 dims telling class >> 1 apart; sparse part: features 0/1 telling class & 1 apart. */
function toyProblem(): { denseOnly: HeadExample[]; sparseOnly: HeadExample[]; both: HeadExample[] } {
  const random = seededRandom(7);
  const denseOnly: HeadExample[] = [];
  const sparseOnly: HeadExample[] = [];
  const both: HeadExample[] = [];
  for (let label = 0; label < 4; label++) {
    for (let i = 0; i < 10; i++) {
      const jitter = () => (random() - 0.5) * 0.2;
      // Four well-separated points in 4-d for the dense-only problem.
      const onehot = new Float32Array(4).map((_, d) => (d === label ? 1 : 0) + jitter());
      denseOnly.push({ dense: onehot, sparse: noSparse, label });
      // Four separate features (plus a shared one that says nothing) for the sparse-only problem.
      sparseOnly.push({ dense: new Float32Array(0), sparse: sparse([[label, 0.9 + jitter() / 2], [4, 0.4]]), label });
      // Neither half alone separates the four classes: the dense half knows label >> 1, the sparse half label & 1.
      const high = label >> 1;
      both.push({ dense: Float32Array.from([high === 0 ? 1 + jitter() : jitter(), high === 1 ? 1 + jitter() : jitter()]), sparse: sparse([[label & 1, 1]]), label });
    }
  }
  return { denseOnly, sparseOnly, both };
}

const options = { epochs: 60, learningRate: 0.05, batchSize: 8 };

t.test('learns linearly separable toy problems to 100% training accuracy', async (t) => {
  const { denseOnly, sparseOnly, both } = toyProblem();
  const dense = trainHead(denseOnly, { classes: 4, denseSize: 4, sparseSize: 0 }, options);
  t.equal(accuracy(dense, denseOnly), 1, 'dense features only');
  t.equal(dense.sparseWeights.length, 0);
  const sparseHead = trainHead(sparseOnly, { classes: 4, denseSize: 0, sparseSize: 5 }, options);
  t.equal(accuracy(sparseHead, sparseOnly), 1, 'sparse features only');
  const combined = trainHead(both, { classes: 4, denseSize: 2, sparseSize: 2 }, options);
  t.equal(accuracy(combined, both), 1, 'dense and sparse together');
  // Proof that the combined problem needs both halves: drop the sparse half at prediction time and the head is lost.
  const withoutSparse = both.map((e) => ({ ...e, sparse: noSparse }));
  t.ok(accuracy(combined, withoutSparse) <= 0.5, 'without its sparse half the same head gets at most half right');
});

t.test('training is reproducible per seed', async (t) => {
  const { both } = toyProblem();
  const sizes = { classes: 4, denseSize: 2, sparseSize: 2 };
  const weights = (head: LinearHead) => [...head.denseWeights, ...head.sparseWeights, ...head.bias];
  const a = trainHead(both, sizes, { ...options, seed: 3 });
  const b = trainHead(both, sizes, { ...options, seed: 3 });
  const c = trainHead(both, sizes, { ...options, seed: 4 });
  t.same(weights(a), weights(b), 'same seed: identical weights');
  t.notSame(weights(a), weights(c), 'another seed shuffles differently: different weights');
  t.ok(weights(a).every(Number.isFinite), 'weights are finite');
});

t.test('onEpoch reports every pass', async (t) => {
  const { denseOnly } = toyProblem();
  const seen: Array<[number, number]> = [];
  trainHead(denseOnly, { classes: 4, denseSize: 4, sparseSize: 0 }, { epochs: 3, onEpoch: (epoch, epochs) => seen.push([epoch, epochs]) });
  t.same(seen, [[1, 3], [2, 3], [3, 3]]);
});

t.test('class weights tilt an ambiguous problem', async (t) => {
  // One input feature x on a grid; class 0 covers x ≤ 0.2, class 1 covers x ≥ -0.2, so [-0.2, 0.2] carries both labels.
  const examples: HeadExample[] = [];
  for (let i = -10; i <= 10; i++) {
    const x = i / 10;
    if (x <= 0.2) examples.push({ dense: Float32Array.from([1, x]), sparse: noSparse, label: 0 });
    if (x >= -0.2) examples.push({ dense: Float32Array.from([1, x]), sparse: noSparse, label: 1 });
  }
  const sizes = { classes: 2, denseSize: 2, sparseSize: 0 };
  const countOnes = (head: LinearHead) => examples.filter((e) => predict(head, e) === 1).length;
  const plain = countOnes(trainHead(examples, sizes, { epochs: 150, learningRate: 0.05, batchSize: 8 }));
  const weighted = countOnes(trainHead(examples.map((e) => ({ ...e, weight: e.label === 1 ? 5 : 1 })), sizes, { epochs: 150, learningRate: 0.05, batchSize: 8 }));
  const against = countOnes(trainHead(examples.map((e) => ({ ...e, weight: e.label === 0 ? 5 : 1 })), sizes, { epochs: 150, learningRate: 0.05, batchSize: 8 }));
  t.ok(weighted > plain, `weighting class 1 gives it more predictions (${weighted} > ${plain} of ${examples.length})`);
  t.ok(against < plain, `weighting class 0 gives class 1 fewer (${against} < ${plain})`);
});

t.test('headLogits: bias + dense row + sparse rows', async (t) => {
  const head: LinearHead = {
    classes: 2,
    denseSize: 2,
    sparseSize: 3,
    denseWeights: Float32Array.from([1, 2, /* class 1 */ -1, 0.5]),
    sparseWeights: Float32Array.from([/* feature 0 */ 1, 0, /* feature 1 */ 0, 0, /* feature 2 */ 0.5, -2]),
    bias: Float32Array.from([0.25, -0.25]),
  };
  // class 0: 0.25 + 1·1 + 2·2 + 1·0.5 + 0.5·1 = 6.25; class 1: -0.25 - 1 + 1 + 0 - 2·1 = -2.25
  t.same([...headLogits(head, Float32Array.from([1, 2]), sparse([[0, 0.5], [2, 1]]))], [6.25, -2.25]);
  const out = new Float32Array(2);
  t.equal(headLogits(head, Float32Array.from([0, 0]), noSparse, out), out, 'writes into the given array');
  t.same([...out], [0.25, -0.25], 'bias alone');
});

t.test('softmaxInPlace', async (t) => {
  const cases: Array<[string, number[], number]> = [
    ['small logits', [1, 2, 3], 1],
    ['huge logits do not overflow', [1000, 999, -1000], 1],
    ['negative logits', [-5, -6, -7, -8], 1],
    ['hot', [1, 2, 3], 0.1],
    ['flat', [1, 2, 3], 10],
    ['one class', [42], 1],
  ];
  for (const [name, logits, temperature] of cases) {
    const values = Float32Array.from(logits);
    const result = softmaxInPlace(values, temperature);
    t.equal(result, values, `${name}: in place`);
    const sum = result.reduce((a, b) => a + b, 0);
    t.ok(Math.abs(sum - 1) < 1e-6, `${name}: sums to 1 (${sum})`);
    t.ok(result.every((p) => p >= 0 && p <= 1 && !Number.isNaN(p)), `${name}: probabilities`);
    t.equal(argmax(result), argmax(Float32Array.from(logits)), `${name}: order kept`);
  }
  const top = (temperature: number) => Math.max(...softmaxInPlace(Float32Array.from([1, 2, 3]), temperature));
  t.ok(top(1) > top(2) && top(2) > top(10), 'a higher temperature flattens');
  t.ok(top(0.5) > top(1), 'a lower temperature sharpens');
  t.ok(Math.abs(top(1e6) - 1 / 3) < 1e-4, 'an enormous temperature is uniform');
  t.ok(Math.abs(top(1) - Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3))) < 1e-6, 'T = 1 is the plain softmax');
});

t.test('seededRandom and shuffleInPlace are reproducible', async (t) => {
  const draw = (seed: number) => Array.from({ length: 20 }, seededRandom(seed));
  t.same(draw(1), draw(1), 'same seed, same sequence');
  t.notSame(draw(1), draw(2), 'another seed, another sequence');
  t.ok(draw(0).every((x) => x >= 0 && x < 1), 'in [0, 1)');
  t.equal(new Set(draw(5)).size, 20, 'no repeats in 20 draws');
  const mean = Array.from({ length: 10_000 }, seededRandom(9)).reduce((a, b) => a + b, 0) / 10_000;
  t.ok(Math.abs(mean - 0.5) < 0.02, `roughly uniform (mean ${mean.toFixed(3)})`);
  const items = Array.from({ length: 30 }, (_, i) => i);
  const a = shuffleInPlace([...items], seededRandom(11));
  t.same(a, shuffleInPlace([...items], seededRandom(11)), 'same seed, same permutation');
  t.notSame(a, items, 'the order changed');
  t.same([...a].sort((x, y) => x - y), items, 'a permutation: every item kept once');
});

t.test('defaults', async (t) => {
  t.same(defaultHeadOptions, { epochs: 40, learningRate: 0.005, weightDecay: 1e-4, batchSize: 32, seed: 1 });
});

t.test('a fit on a worker thread is the one made in-thread, and the thread keeps the event loop free', async (t) => {
  const random = seededRandom(11);
  const words = ['refund', 'parcel', 'invoice', 'password', 'voucher', 'return', 'address', 'card'];
  const job = (n: number, dim: number): FitJob => {
    const texts = Array.from({ length: n }, (_, i) => `my ${words[i % 8]} and the ${words[(i * 3) % 8]} question ${i % 17}`);
    return {
      texts,
      dense: texts.map(() => Float32Array.from({ length: dim }, () => random() - 0.5)),
      labels: texts.map((_, i) => i % 8),
      weights: texts.map(() => 1),
      classes: 8,
      head: { epochs: 20, seed: 5 },
    };
  };
  const small = job(60, 16);
  small.predict = { texts: small.texts.slice(0, 5), dense: small.dense.slice(0, 5) };
  const epochs: number[] = [];
  const inThread = fitModel(small);
  const offThread = await fitOffThread(small, 'worker', (epoch) => epochs.push(epoch));
  const weights = (head: LinearHead) => [...head.denseWeights, ...head.sparseWeights, ...head.bias];
  t.same(weights(offThread.head), weights(inThread.head), 'same weights');
  t.same(offThread.vocabulary.terms, inThread.vocabulary.terms, 'same vocabulary');
  t.same(offThread.logits.map((l) => [...l]), inThread.logits.map((l) => [...l]), 'same held-out logits');
  t.equal(epochs.length, 20, 'epoch progress crosses the thread');

  // A big fit: while it runs on the worker, timers on this thread keep firing.
  const big = job(3000, 256);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const started = Date.now();
  await fitOffThread(big, 'auto').finally(() => clearInterval(timer));
  const took = Date.now() - started;
  // In-thread, no tick could fire until the fit ended; off-thread they fire throughout (allow for a loaded machine).
  t.ok(ticks >= Math.min(10, took / 50), `${ticks} timer ticks during ${took} ms of fitting`);
});
