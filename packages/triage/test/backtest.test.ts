// Plumbing tests of backtestCategorizer: the hashing encoder is a deterministic toy with no notion of
// meaning, so nothing here is about how well the model categorizes — only report shape, splits and errors.
import t from 'tap';
import { HashingEncoder, type Encoder } from '@answerdesk/embeddings';
import { backtestCategorizer, type BacktestReport, type LabeledText } from '../src/index.js';

const encoder = new HashingEncoder();

/** 3 labels × 8 texts that share words within a label. */
const topics: Record<string, string[]> = {
  refund: ['refund', 'money back', 'card credited', 'reimburse'],
  delivery: ['parcel', 'courier', 'tracking', 'late delivery'],
  password: ['password', 'login', 'locked account', 'reset link'],
};
const examples: LabeledText[] = Object.entries(topics).flatMap(([label, words]) =>
  Array.from({ length: 8 }, (_, i) => ({ label, text: `${words[i % 4]} ${words[(i + 1) % 4]} question number ${i}` })),
);

/** The report without its timings, which differ from run to run. */
const withoutTimings = ({ trainMs: _t, predictMs: _p, embedMs: _e, ...rest }: BacktestReport) => rest;

t.test('k-fold report shape', async (t) => {
  const progress: Array<{ round: number; rounds: number; phase?: string }> = [];
  const report = await backtestCategorizer(examples, encoder, { folds: 4, onProgress: (p) => progress.push(p) });
  t.equal(report.field, 'category');
  t.equal(report.examples, 24);
  t.equal(report.labels, 3);
  t.same(report.split, { kind: 'folds', folds: 4, seed: 1 });
  t.equal(report.count, 24, 'with folds every example is tested once');
  t.same(report.perClass.map((c) => c.label), ['delivery', 'password', 'refund']);
  t.same(report.perClass.map((c) => c.support), [8, 8, 8]);
  for (const c of report.perClass) t.ok([c.precision, c.recall, c.f1].every((x) => x >= 0 && x <= 1), `${c.label}: metrics in [0, 1]`);
  t.ok(report.accuracy >= 0 && report.accuracy <= 1);
  const mistakes = report.confusions.reduce((sum, c) => sum + c.count, 0);
  t.ok(report.confusions.every((c) => c.actual !== c.predicted && c.count > 0), 'confusions are mistakes');
  t.ok(mistakes <= Math.round(report.count * (1 - report.accuracy)), 'no more confusions than mistakes');
  const { high, medium, low } = report.levels;
  t.ok(Math.abs(high.share + medium.share + low.share - 1) < 1e-9, 'level shares sum to 1');
  t.equal(high.count + medium.count + low.count, report.count, 'level counts sum to the test count');
  for (const [level, outcome] of Object.entries(report.levels)) {
    t.equal(outcome.share, outcome.count / report.count, `${level}: share = count / tested`);
    t.ok(outcome.count === 0 ? outcome.accuracy === null : outcome.accuracy! >= 0 && outcome.accuracy! <= 1, `${level}: accuracy null only when empty`);
  }
  t.ok(report.trainMs >= 0 && report.predictMs >= 0 && report.embedMs >= 0, 'timings are reported');
  // (The hashing encoder reports no embedding progress, so there is no round 0 here.)
  t.same([...new Set(progress.map((p) => p.round))].sort(), [1, 2, 3, 4], 'progress: rounds 1–4');
  t.ok(progress.every((p) => p.rounds === 4));
  t.ok(progress.some((p) => p.phase === 'train') && progress.some((p) => p.phase === 'calibrate'), 'training phases pass through');
});

t.test('hold-out report', async (t) => {
  const report = await backtestCategorizer(examples, encoder, { testShare: 0.25, seed: 3, field: 'queue' });
  t.same(report.split, { kind: 'holdout', testShare: 0.25, seed: 3 });
  t.equal(report.field, 'queue');
  t.equal(report.count, 6, 'a quarter of each label: 2 × 3');
  t.same(report.perClass.map((c) => c.support), [2, 2, 2]);
  const defaults = await backtestCategorizer(examples, encoder);
  t.same(defaults.split, { kind: 'holdout', testShare: 0.2, seed: 1 }, 'default: one 20% hold-out, seed 1');
  t.equal(defaults.count, 6, 'round(8 × 0.2) = 2 per label');
});

t.test('the same seed gives the same report', async (t) => {
  const a = await backtestCategorizer(examples, encoder, { folds: 3, seed: 7 });
  const b = await backtestCategorizer(examples, encoder, { folds: 3, seed: 7 });
  t.same(withoutTimings(a), withoutTimings(b));
  const c = await backtestCategorizer(examples, encoder, { folds: 3, seed: 8 });
  t.same(c.split, { kind: 'folds', folds: 3, seed: 8 });
  t.equal(c.count, 24);
});

t.test('texts are embedded once; given vectors are not embedded again', async (t) => {
  const calls: number[] = [];
  const counting: Encoder = Object.assign(Object.create(encoder) as HashingEncoder, {
    embedQueries: (texts: readonly string[]) => {
      calls.push(texts.length);
      return encoder.embedQueries(texts);
    },
  });
  const [first] = await encoder.embedQueries([examples[0]!.text]);
  const mixed = examples.map((e, i) => (i === 0 ? { ...e, vector: first! } : e));
  const report = await backtestCategorizer(mixed, counting, { folds: 3 });
  t.same(calls, [23], 'one call for the 23 texts without a vector, none per round');
  t.equal(report.count, 24);
});

t.test('invalid options and data', async (t) => {
  for (const folds of [0, 1, 2.5, -3]) {
    await t.rejects(backtestCategorizer(examples, encoder, { folds }), { code: 'ADK_OPTION_INVALID', details: { option: 'folds' } }, `folds ${folds}`);
  }
  for (const testShare of [0, 1, 1.5, -0.2, Number.NaN]) {
    await t.rejects(backtestCategorizer(examples, encoder, { testShare }), { code: 'ADK_OPTION_INVALID', details: { option: 'testShare' } }, `testShare ${testShare}`);
  }
  for (const n of [0, 1, 3]) {
    await t.rejects(backtestCategorizer(examples.slice(0, n), encoder), { code: 'ADK_TRAINING_DATA_INVALID' }, `${n} examples`);
  }
  await t.rejects(backtestCategorizer(examples.map((e) => ({ ...e, label: 'same' })), encoder, { folds: 2 }), { code: 'ADK_TRAINING_DATA_INVALID' }, 'one label only');
});
