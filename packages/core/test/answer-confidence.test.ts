// The calibrated answer confidence and the choice of answer among candidates: pure functions, table-driven.
import t from 'tap';
import { answerProbability, confidenceFrom, shownProbability, DEFAULT_BANDS, DEFAULT_CONFIDENCE_MODEL, fitConfidenceModel, levelOf, validateBands, zeroFeatures, type AnswerFeatures } from '../src/answer-confidence.js';
import { chooseAnswer, rivalOf, type RatedCandidate } from '../src/answer-question.js';
import type { KnowledgeDoc } from '@answerdesk/types';

const features = (over: Partial<AnswerFeatures>): AnswerFeatures => ({ ...zeroFeatures(), ...over });

t.test('levels are bands of the probability, the same on every corpus', async (t) => {
  const cases: Array<[number, string | undefined]> = [
    [0.05, undefined],
    [DEFAULT_BANDS.abstain - 0.001, undefined],
    [DEFAULT_BANDS.abstain, 'low'],
    [DEFAULT_BANDS.medium, 'medium'],
    [DEFAULT_BANDS.high - 0.001, 'medium'],
    [DEFAULT_BANDS.high, 'high'],
    [1, 'high'],
    [Number.NaN, undefined],
  ];
  for (const [p, level] of cases) t.equal(levelOf(p), level, `p=${p}`);
  t.same(confidenceFrom(0.97, DEFAULT_BANDS, 'medium'), { level: 'medium', score: 0.97 }, 'a cap lowers the level, never the probability');
  t.same(confidenceFrom(0.5, DEFAULT_BANDS, 'medium'), { level: 'low', score: 0.5 }, 'a cap never raises it');
  t.equal(validateBands({ abstain: 0.7, medium: 0.6, high: 0.9 }), 'must satisfy abstain ≤ medium ≤ high');
  t.equal(validateBands({ abstain: -1, medium: 0.6, high: 0.9 }), 'values must be probabilities between 0 and 1');
  t.equal(validateBands(DEFAULT_BANDS), undefined);
  t.match(validateBands({ abstain: 0.4, medium: 0.6, high: 0.85, rival: 2 }), /^rival must be a probability/);
});

t.test('the shipped model: closer and better-covered answers are more probable', async (t) => {
  const typical = { length: 2, bestSimilarity: 0.6, categoryAgreement: 0.5 };
  const weak = shownProbability(features({ ...typical, similarity: 0.3, unitSimilarity: 0.3, headingSimilarity: 0.3, coverage: 0.2, lead: -0.2, headingLead: -0.2, coverageLead: -0.3 }), -1, DEFAULT_CONFIDENCE_MODEL);
  const strong = shownProbability(
    features({ ...typical, similarity: 0.8, unitSimilarity: 0.8, headingSimilarity: 0.8, headingCoverage: 0.8, coverage: 0.9, bestSimilarity: 0.8, lead: 0.15, headingLead: 0.15, coverageLead: 0.3, categoryAgreement: 0.9 }),
    2,
    DEFAULT_CONFIDENCE_MODEL,
  );
  t.ok(strong > weak, `${strong} > ${weak}`);
  t.ok(weak < DEFAULT_BANDS.abstain, `a weak match abstains (${weak})`);
  t.ok(strong >= DEFAULT_BANDS.medium, `a strong match is at least medium (${strong})`);
});

t.test('fitting learns a separable rule and is deterministic', async (t) => {
  const examples = Array.from({ length: 200 }, (_v, i) => {
    const similarity = (i % 100) / 100;
    return { features: features({ similarity, unitSimilarity: similarity }), right: similarity > 0.5 };
  });
  const a = fitConfidenceModel(examples, { fittedOn: 'test', epochs: 800 });
  const b = fitConfidenceModel(examples, { fittedOn: 'test', epochs: 800 });
  t.same(a, b, 'same examples, same weights');
  t.ok(answerProbability(features({ similarity: 0.9, unitSimilarity: 0.9 }), a) > 0.8);
  t.ok(answerProbability(features({ similarity: 0.1, unitSimilarity: 0.1 }), a) < 0.2);
});

const doc = (id: string, kind: 'article' | 'ticket'): KnowledgeDoc => ({
  id,
  kind,
  title: id,
  text: id,
  answer: id,
  language: 'en',
  tags: [],
  hash: id,
  source: { id, kind, title: id },
});

const candidate = (id: string, kind: 'article' | 'ticket', probability: number, empty = false): RatedCandidate => ({
  hit: { doc: doc(id, kind), score: probability, rank: 1 },
  passage: { markdown: empty ? '' : id, whole: true, basis: kind },
  features: zeroFeatures(),
  probability,
  placeholders: [],
  notes: [],
  empty,
  ready: async () => undefined,
});

t.test('the answer is the most probable sendable candidate, an article over a ticket about as probable', async (t) => {
  const cases: Array<[string, RatedCandidate[], string | undefined]> = [
    ['most probable wins, whatever the rank', [candidate('a', 'article', 0.5), candidate('b', 'article', 0.8)], 'b'],
    ['an article within the margin beats a ticket', [candidate('t', 'ticket', 0.8), candidate('a', 'article', 0.7)], 'a'],
    ['a much better ticket stays', [candidate('t', 'ticket', 0.9), candidate('a', 'article', 0.5)], 't'],
    ['a ticket with nothing sendable is skipped', [candidate('t', 'ticket', 0.9, true), candidate('b', 'article', 0.45)], 'b'],
    ['below the abstain band, nothing', [candidate('a', 'article', 0.1), candidate('t', 'ticket', 0.2)], undefined],
  ];
  for (const [name, rated, expected] of cases) t.equal((await chooseAnswer(rated, {}))?.hit.doc.id, expected, name);
});

t.test('rivalOf: the most probable other candidate with something to send, not a translation of the answer', async (t) => {
  const translated = (id: string, language: string, family: string, probability: number): RatedCandidate => {
    const c = candidate(id, 'article', probability);
    return { ...c, hit: { ...c.hit, doc: { ...c.hit.doc, language, family } } };
  };
  const best = translated('refunds#timing', 'en', 'refunds', 0.95);
  const ids = (rated: RatedCandidate[]) => rivalOf(best, rated)?.hit.doc.id;
  t.equal(ids([best, candidate('b', 'article', 0.5), candidate('c', 'ticket', 0.82)]), 'c');
  t.equal(ids([best, candidate('t', 'ticket', 0.9, true), candidate('b', 'article', 0.5)]), 'b', 'a ticket with nothing to send is no rival');
  t.equal(ids([best, translated('refunds.it#tempi', 'it', 'refunds', 0.9), candidate('b', 'article', 0.3)]), 'b', 'the answer in another language is the same answer');
  t.equal(ids([best]), undefined);
});

t.test('candidates are made ready most probable first, only until one is sendable (a ticket is adapted only then)', async (t) => {
  const readied: string[] = [];
  const tracked = (id: string, kind: 'article' | 'ticket', probability: number, emptyOnceReady = false) => {
    const c: RatedCandidate = { ...candidate(id, kind, probability), ready: async () => void (readied.push(id), (c.empty = emptyOnceReady)) };
    return c;
  };
  t.equal((await chooseAnswer([tracked('t1', 'ticket', 0.9), tracked('t2', 'ticket', 0.3), tracked('t3', 'ticket', 0.5), tracked('a', 'article', 0.5)], {}))?.hit.doc.id, 't1');
  t.same(readied, ['t1'], 'the first is sendable: no other ticket is adapted, and none below the abstain band ever is');
  readied.length = 0;
  t.equal((await chooseAnswer([tracked('t1', 'ticket', 0.9, true), tracked('t3', 'ticket', 0.6), tracked('t2', 'ticket', 0.3)], {}))?.hit.doc.id, 't3');
  t.same(readied, ['t1', 't3'], 'a resolution with nothing to send leads to the next');
});
