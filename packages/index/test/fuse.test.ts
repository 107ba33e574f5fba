import t from 'tap';
import { fuseRrf, fuseWeighted, type RankedList } from '@answerdesk/index';

const list = (name: string, ids: string[], weight?: number, scores?: number[]): RankedList => ({
  name,
  weight,
  hits: ids.map((id, i) => ({ id, score: scores ? scores[i]! : ids.length - i })),
});

// The type of a subtest's `t` (the last overload of t.test takes only the callback).
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

const close = (t: Tap, actual: number, expected: number, message: string) =>
  t.ok(Math.abs(actual - expected) < 1e-12, `${message} (got ${actual}, want ${expected})`);

t.test('RRF scores are exactly Σ w/(k+rank)', async (t) => {
  const cases: Array<{ name: string; lists: RankedList[]; k?: number; expected: Record<string, number>; order: string[] }> = [
    {
      name: 'two lists, default k=60',
      lists: [list('vec', ['a', 'b', 'c']), list('lex', ['b', 'd'])],
      expected: { a: 1 / 61, b: 1 / 62 + 1 / 61, c: 1 / 63, d: 1 / 62 },
      order: ['b', 'a', 'd', 'c'],
    },
    {
      name: 'k=1',
      lists: [list('vec', ['a', 'b']), list('lex', ['c', 'a'])],
      k: 1,
      expected: { a: 1 / 2 + 1 / 3, b: 1 / 3, c: 1 / 2 },
      order: ['a', 'c', 'b'],
    },
    {
      name: 'k=0 edge: score is Σ w/rank',
      lists: [list('vec', ['a', 'b', 'c']), list('lex', ['c'])],
      k: 0,
      expected: { a: 1, b: 1 / 2, c: 1 / 3 + 1 },
      order: ['c', 'a', 'b'],
    },
    {
      name: 'weights multiply each list',
      lists: [list('vec', ['a', 'b'], 3), list('lex', ['b', 'a'], 0.5)],
      k: 10,
      expected: { a: 3 / 11 + 0.5 / 12, b: 3 / 12 + 0.5 / 11 },
      order: ['a', 'b'],
    },
    {
      name: 'three lists',
      lists: [list('x', ['a']), list('y', ['b', 'a']), list('z', ['c', 'b', 'a'])],
      k: 60,
      expected: { a: 1 / 61 + 1 / 62 + 1 / 63, b: 1 / 61 + 1 / 62, c: 1 / 61 },
      order: ['a', 'b', 'c'],
    },
  ];
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const fused = fuseRrf(c.lists, c.k === undefined ? undefined : { k: c.k });
      t.same(fused.map((h) => h.id), c.order, 'order');
      t.equal(fused.length, Object.keys(c.expected).length, 'one entry per distinct id');
      for (const hit of fused) close(t, hit.score, c.expected[hit.id]!, `score of ${hit.id}`);
    });
  }
});

t.test('RRF records ranks and raw scores per list', async (t) => {
  const fused = fuseRrf([list('vec', ['a', 'b'], 1, [0.9, 0.5]), list('lex', ['b'], 1, [12.5])]);
  const b = fused.find((h) => h.id === 'b')!;
  t.same(b.ranks, { vec: 2, lex: 1 });
  t.same(b.scores, { vec: 0.5, lex: 12.5 });
  const a = fused.find((h) => h.id === 'a')!;
  t.same(a.ranks, { vec: 1 });
  t.same(a.scores, { vec: 0.9 });
});

t.test('ids found by both lists beat ids found by one', async (t) => {
  // "m" is only 5th in each list; "a" and "x" are first in one list only.
  const vec = list('vec', ['a', 'b', 'c', 'd', 'm']);
  const lex = list('lex', ['x', 'y', 'z', 'w', 'm']);
  const fused = fuseRrf([vec, lex]);
  t.equal(fused[0]!.id, 'm', 'agreement wins over a single first place');
  t.ok(fused[0]!.score > fused[1]!.score);
});

t.test('weights change the order as expected', async (t) => {
  const vec = list('vec', ['v', 'shared']);
  const lex = list('lex', ['l', 'shared']);
  const even = fuseRrf([vec, lex], { k: 60 }).map((h) => h.id);
  t.same(even, ['shared', 'l', 'v'], 'equal weights: shared first, single-list ties break by id');
  const lexHeavy = fuseRrf([{ ...vec, weight: 1 }, { ...lex, weight: 5 }], { k: 1 }).map((h) => h.id);
  // k=1: l = 5/2 = 2.5; shared = 1/3 + 5/3 = 2; v = 1/2
  t.same(lexHeavy, ['l', 'shared', 'v']);
  const vecHeavy = fuseRrf([{ ...vec, weight: 5 }, { ...lex, weight: 1 }], { k: 1 }).map((h) => h.id);
  t.same(vecHeavy, ['v', 'shared', 'l']);
  const lexOff = fuseRrf([{ ...vec, weight: 1 }, { ...lex, weight: 0 }], { k: 60 });
  t.equal(lexOff[0]!.id, 'v', 'a zero-weight list cannot promote anything');
  t.equal(lexOff.find((h) => h.id === 'l')!.score, 0);
});

t.test('a duplicate id inside one list counts once, at its best rank', async (t) => {
  const fused = fuseRrf([list('vec', ['a', 'b', 'a', 'a'], 1, [0.9, 0.8, 0.7, 0.6])], { k: 0 });
  t.same(fused.map((h) => h.id), ['a', 'b']);
  t.equal(fused[0]!.score, 1, 'a: 1/1 only, not 1/1 + 1/3 + 1/4');
  t.equal(fused[1]!.score, 1 / 2);
  t.same(fused[0]!.ranks, { vec: 1 });
  t.same(fused[0]!.scores, { vec: 0.9 }, 'the score kept is the one at the best rank');
  const weighted = fuseWeighted([list('vec', ['a', 'b', 'a'], 1, [1, 0.5, 0])]);
  t.equal(weighted.find((h) => h.id === 'a')!.score, 1, 'weighted fusion also counts the best occurrence only');
});

t.test('ties break deterministically by id', async (t) => {
  const one = fuseRrf([list('vec', ['b', 'z']), list('lex', ['a', 'y'])]);
  t.same(one.map((h) => h.id), ['a', 'b', 'y', 'z']);
  const swapped = fuseRrf([list('lex', ['a', 'y']), list('vec', ['b', 'z'])]);
  t.same(swapped.map((h) => h.id), ['a', 'b', 'y', 'z'], 'list order does not matter');
  const same = fuseWeighted([list('vec', ['q', 'c', 'm'], 1, [1, 1, 1])]);
  t.same(same.map((h) => h.id), ['c', 'm', 'q']);
});

t.test('empty input', async (t) => {
  t.same(fuseRrf([]), []);
  t.same(fuseRrf([list('vec', []), list('lex', [])]), []);
  t.same(fuseRrf([list('vec', []), list('lex', ['a'])], { k: 0 }).map((h) => [h.id, h.score]), [['a', 1]]);
  t.same(fuseWeighted([]), []);
  t.same(fuseWeighted([list('vec', []), list('lex', [])]), []);
  t.same(fuseWeighted([list('vec', []), list('lex', ['a'], 1, [3])]).map((h) => [h.id, h.score]), [['a', 1]]);
});

t.test('invalid k throws', async (t) => {
  for (const k of [-1, -0.001, Number.NaN]) {
    t.throws(() => fuseRrf([list('vec', ['a'])], { k }), RangeError, `k=${k}`);
  }
  t.doesNotThrow(() => fuseRrf([list('vec', ['a'])], { k: 0 }));
});

t.test('fuseWeighted normalisation', async (t) => {
  const cases: Array<{ name: string; lists: RankedList[]; normalization?: 'minmax' | 'max'; expected: Record<string, number>; order: string[] }> = [
    {
      name: 'minmax (default)',
      lists: [list('vec', ['a', 'b', 'c'], 1, [0.9, 0.7, 0.5]), list('lex', ['c', 'd'], 1, [10, 2])],
      expected: { a: 1, b: 0.5, c: 0 + 1, d: 0 },
      order: ['a', 'c', 'b', 'd'],
    },
    {
      name: 'minmax with weights',
      lists: [list('vec', ['a', 'b', 'c'], 2, [0.9, 0.7, 0.5]), list('lex', ['c', 'b'], 0.5, [10, 5])],
      normalization: 'minmax',
      expected: { a: 2, b: 2 * 0.5 + 0, c: 0 + 0.5 },
      order: ['a', 'b', 'c'],
    },
    {
      name: 'max',
      lists: [list('vec', ['a', 'b', 'c'], 1, [0.8, 0.4, 0.2]), list('lex', ['c', 'd'], 1, [10, 2])],
      normalization: 'max',
      expected: { a: 1, b: 0.5, c: 0.25 + 1, d: 0.2 },
      order: ['c', 'a', 'b', 'd'],
    },
    {
      name: 'single-item list, minmax: its one item scores 1',
      lists: [list('vec', ['a'], 1, [0.3]), list('lex', ['b', 'c'], 1, [4, 2])],
      expected: { a: 1, b: 1, c: 0 },
      order: ['a', 'b', 'c'],
    },
    {
      name: 'single-item list, max',
      lists: [list('vec', ['a'], 1, [0.3])],
      normalization: 'max',
      expected: { a: 1 },
      order: ['a'],
    },
    {
      name: 'all-equal scores, minmax: every item scores 1 (not NaN)',
      lists: [list('vec', ['b', 'a', 'c'], 1, [0.5, 0.5, 0.5])],
      expected: { a: 1, b: 1, c: 1 },
      order: ['a', 'b', 'c'],
    },
    {
      name: 'all-equal scores, max',
      lists: [list('vec', ['b', 'a'], 1, [2, 2])],
      normalization: 'max',
      expected: { a: 1, b: 1 },
      order: ['a', 'b'],
    },
    {
      name: 'max with no positive score gives 0 (not NaN or Infinity)',
      lists: [list('vec', ['a', 'b'], 1, [0, -1])],
      normalization: 'max',
      expected: { a: 0, b: 0 },
      order: ['a', 'b'],
    },
  ];
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const fused = fuseWeighted(c.lists, c.normalization ? { normalization: c.normalization } : undefined);
      t.same(fused.map((h) => h.id), c.order, 'order');
      for (const hit of fused) {
        t.ok(Number.isFinite(hit.score), `${hit.id} score is finite`);
        close(t, hit.score, c.expected[hit.id]!, `score of ${hit.id}`);
      }
    });
  }
});
