import t from 'tap';
import path from 'node:path';
import { VectorIndex, type VectorIndexState } from '@answerdesk/index';
import { AnswerdeskError } from '@answerdesk/types';

// Seeded PRNG so every run sees the same vectors.
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function unitVectors(count: number, dimension: number, seed: number): Float32Array[] {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: dimension }, gauss);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

function bruteForce(vectors: Map<string, Float32Array>, query: Float32Array, k: number, accept?: (key: string) => boolean) {
  return [...vectors.entries()]
    .filter(([key]) => !accept || accept(key))
    .map(([key, v]) => ({ key, similarity: dot(v, query) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}


function recallAt(index: VectorIndex, data: Map<string, Float32Array>, queries: Float32Array[], k: number, accept?: (key: string) => boolean) {
  let found = 0;
  let total = 0;
  for (const query of queries) {
    const truth = new Set(bruteForce(data, query, k, accept).map((h) => h.key));
    const got = index.search(query, k, accept);
    total += truth.size;
    found += got.filter((h) => truth.has(h.key)).length;
  }
  return found / total;
}

t.test('nearest neighbours match brute force on 3000 random 32-d unit vectors', async (t) => {
  const vectors = unitVectors(3000, 32, 1);
  const data = new Map(vectors.map((v, i) => [`k${i}`, v]));
  const index = new VectorIndex({ dimension: 32 });
  for (const [key, v] of data) index.upsert(key, v);
  t.equal(index.size, 3000);
  t.equal(index.state().efSearch, 128, 'default efSearch is 128, not hnswlib’s 10');
  const queries = unitVectors(100, 32, 2);
  const recall = recallAt(index, data, queries, 10);
  t.comment(`recall@10 with the default efSearch: ${recall.toFixed(3)}`);
  t.ok(recall >= 0.95, `recall@10 ${recall} >= 0.95`);

  // The top hit is exactly the brute-force best, and similarities are real cosines in order.
  let topRight = 0;
  for (const query of queries) {
    const got = index.search(query, 10);
    t.equal(got.length, 10);
    if (got[0]!.key === bruteForce(data, query, 1)[0]!.key) topRight++;
    for (let i = 0; i < got.length; i++) {
      const expected = dot(data.get(got[i]!.key)!, query);
      if (Math.abs(got[i]!.similarity - expected) > 1e-4) t.fail(`similarity of ${got[i]!.key} is ${got[i]!.similarity}, cosine is ${expected}`);
      if (i > 0 && got[i]!.similarity > got[i - 1]!.similarity) t.fail('hits are not sorted best first');
    }
  }
  t.ok(topRight >= 98, `top-1 correct for ${topRight}/100 queries`);

  // Every stored vector finds itself first.
  let self = 0;
  for (let i = 0; i < 3000; i += 10) if (index.search(vectors[i]!, 1)[0]?.key === `k${i}`) self++;
  t.equal(self, 300, 'each vector is its own nearest neighbour');

  // hnswlib's own default beam (10) is visibly worse, which is why the default matters.
  const narrow = new VectorIndex({ dimension: 32, efSearch: 10 });
  for (const [key, v] of data) narrow.upsert(key, v);
  const narrowRecall = recallAt(narrow, data, queries, 10);
  t.comment(`recall@10 with efSearch 10: ${narrowRecall.toFixed(3)}`);
  t.ok(recall > narrowRecall, 'the default efSearch beats a beam of 10');
});

t.test('the index grows past its initial capacity', async (t) => {
  const vectors = unitVectors(500, 8, 3);
  const index = new VectorIndex({ dimension: 8, capacity: 16 });
  t.equal(index.state().capacity, 16);
  vectors.forEach((v, i) => index.upsert(`k${i}`, v));
  t.equal(index.size, 500);
  t.ok(index.state().capacity >= 500, `capacity grew to ${index.state().capacity}`);
  t.equal(index.state().capacity, 512, 'capacity doubles: 16 → 512');
  let self = 0;
  vectors.forEach((v, i) => {
    if (index.search(v, 1)[0]?.key === `k${i}`) self++;
  });
  t.equal(self, 500, 'every inserted vector is findable');
  t.ok(index.has('k0') && index.has('k499'));
});

t.test('capacity below 16 is raised to 16', async (t) => {
  const index = new VectorIndex({ dimension: 4, capacity: 1 });
  t.equal(index.state().capacity, 16);
});

t.test('upsert replaces the vector of an existing key', async (t) => {
  const index = new VectorIndex({ dimension: 3, capacity: 16 });
  index.upsert('a', [1, 0, 0]);
  index.upsert('b', [0.6, 0.8, 0]);
  index.upsert('c', [0, 0, 1]);
  index.upsert('a', [0, 0.8, 0.6]);
  t.equal(index.size, 3, 'no new entry');
  t.same(Array.from(index.vector('a')!).map((x) => Math.round(x * 1e6) / 1e6), [0, 0.8, 0.6], 'vector() returns the new vector');
  const near = index.search([1, 0, 0], 3);
  t.equal(near[0]!.key, 'b', 'the old vector no longer matches');
  t.ok(near.find((h) => h.key === 'a')!.similarity < 0.01);
  const hits = index.search([0, 0.8, 0.6], 1);
  t.equal(hits[0]!.key, 'a');
  t.ok(Math.abs(hits[0]!.similarity - 1) < 1e-5);
  t.equal(index.state().next, 3, 'no new label was used');
});

t.test('remove hides a key; a later insert reuses its space', async (t) => {
  const vectors = unitVectors(16, 6, 4);
  const index = new VectorIndex({ dimension: 6, capacity: 16 });
  vectors.forEach((v, i) => index.upsert(`k${i}`, v));
  t.equal(index.state().capacity, 16, 'exactly full');

  t.equal(index.remove('k5'), true);
  t.equal(index.remove('k5'), false, 'removing twice reports false');
  t.equal(index.remove('nope'), false);
  t.equal(index.has('k5'), false);
  t.equal(index.vector('k5'), undefined);
  t.equal(index.size, 15);
  t.equal(index.state().deleted, 1);
  const hits = index.search(vectors[5]!, 16);
  t.equal(hits.length, 15);
  t.notOk(hits.some((h) => h.key === 'k5'), 'the removed key never comes back from search');

  index.upsert('fresh', vectors[5]!);
  t.equal(index.state().deleted, 0, 'the deleted slot was reused');
  t.equal(index.state().capacity, 16, 'no growth: the freed slot took the new vector');
  t.equal(index.size, 16);
  const again = index.search(vectors[5]!, 16);
  t.equal(again[0]!.key, 'fresh');
  t.notOk(again.some((h) => h.key === 'k5'), 'the removed key stays hidden');
  t.equal(new Set(again.map((h) => h.key)).size, 16, 'no duplicate keys');

  // Re-adding the removed key itself works too.
  index.remove('k0');
  index.upsert('k5', vectors[0]!);
  t.equal(index.search(vectors[0]!, 1)[0]!.key, 'k5');
  t.equal(index.has('k0'), false);
  t.equal(index.size, 16);

  // Once there are no free slots, inserts grow the index again.
  index.upsert('overflow', vectors[1]!);
  t.equal(index.state().capacity, 32);
  t.equal(index.size, 17);
});

t.test('search with an accept filter', async (t) => {
  const vectors = unitVectors(1000, 16, 5);
  const data = new Map(vectors.map((v, i) => [`k${i}`, v]));
  const index = new VectorIndex({ dimension: 16 });
  for (const [key, v] of data) index.upsert(key, v);
  const queries = unitVectors(30, 16, 6);
  const even = (key: string) => Number(key.slice(1)) % 2 === 0;
  for (const query of queries) {
    const hits = index.search(query, 10, even);
    t.equal(hits.length, 10);
    if (!hits.every((h) => even(h.key))) t.fail('a hit failed the filter');
  }
  const recall = recallAt(index, data, queries, 10, even);
  t.ok(recall >= 0.95, `filtered recall@10 ${recall}`);

  // A very selective filter still finds every accepted key.
  const few = new Set(['k3', 'k500', 'k999']);
  const hits = index.search(queries[0]!, 10, (key) => few.has(key));
  t.same(hits.map((h) => h.key).sort(), [...few].sort(), 'k=10 with 3 accepted keys gives those 3');
  t.same(index.search(queries[0]!, 10, () => false), [], 'nothing accepted → no hits');
});

t.test('k larger than the index, k = 0, empty index', async (t) => {
  const index = new VectorIndex({ dimension: 2 });
  t.same(index.search([1, 0], 5), [], 'empty index');
  index.upsert('x', [1, 0]);
  index.upsert('y', [0, 1]);
  index.upsert('z', [1, 1]);
  const hits = index.search([1, 0], 100);
  t.same(hits.map((h) => h.key), ['x', 'z', 'y']);
  t.same(index.search([1, 0], 0), []);
  t.same(index.search([1, 0], -3), []);
  index.remove('x');
  t.same(index.search([1, 0], 100).map((h) => h.key), ['z', 'y'], 'k > size after a removal');
  t.same(index.search([1, 0], 100, (key) => key === 'y').map((h) => h.key), ['y']);
});

t.test('dimension errors', async (t) => {
  const index = new VectorIndex({ dimension: 4 });
  t.throws(() => index.upsert('a', [1, 2, 3]), { name: 'AnswerdeskError', code: 'ADK_DIMENSION_MISMATCH' });
  t.throws(() => index.upsert('a', new Float32Array(5)), { name: 'AnswerdeskError', code: 'ADK_DIMENSION_MISMATCH' });
  t.equal(index.size, 0, 'the rejected vector was not stored');
  index.upsert('a', [1, 0, 0, 0]);
  t.throws(() => index.search([1, 0], 1), { name: 'AnswerdeskError', code: 'ADK_DIMENSION_MISMATCH' });
  t.throws(() => index.search([1, 0, 0, 0, 0], 1), { name: 'AnswerdeskError', code: 'ADK_DIMENSION_MISMATCH' });
  try {
    index.search([1], 1);
  } catch (error) {
    t.match((error as Error).message, /dimension 1 .* dimension 4/, 'the message names both dimensions');
  }
  for (const dimension of [0, -1, 1.5, Number.NaN]) {
    t.throws(() => new VectorIndex({ dimension }), { name: 'AnswerdeskError', code: 'ADK_OPTION_INVALID' }, `dimension ${dimension}`);
  }
});

t.test('writeGraph + readGraph round trip', async (t) => {
  const dir = t.testdir();
  const vectors = unitVectors(600, 16, 7);
  const index = new VectorIndex({ dimension: 16, capacity: 64, efSearch: 64, seed: 7 });
  vectors.forEach((v, i) => index.upsert(`k${i}`, v));
  for (let i = 0; i < 600; i += 7) index.remove(`k${i}`);
  const file = path.join(dir, 'graph.bin');
  const state = JSON.parse(JSON.stringify(index.writeGraph(file))) as VectorIndexState;
  t.same(state, index.state(), 'writeGraph returns the state');
  t.equal(state.efSearch, 64);

  const loaded = VectorIndex.readGraph(file, state);
  t.equal(loaded.size, index.size);
  t.equal(loaded.dimension, 16);
  t.same(loaded.state(), index.state(), 'same state after loading');
  t.equal(loaded.has('k7'), false, 'removed keys stay removed');
  t.equal(loaded.has('k8'), true);
  t.same(Array.from(loaded.vector('k8')!), Array.from(index.vector('k8')!));

  const queries = unitVectors(40, 16, 8);
  for (const query of queries) {
    const a = index.search(query, 10);
    const b = loaded.search(query, 10);
    t.same(b, a, 'same hits, same similarities');
    if (b.some((h) => Number(h.key.slice(1)) % 7 === 0)) t.fail('a removed key came back after loading');
  }

  // The loaded index keeps working: deleted slots are reused, then it grows.
  const before = loaded.state();
  const extra = unitVectors(before.deleted + 200, 16, 9);
  extra.forEach((v, i) => loaded.upsert(`new${i}`, v));
  t.equal(loaded.state().deleted, 0);
  t.equal(loaded.size, index.size + extra.length);
  t.ok(loaded.state().capacity >= loaded.size);
  t.equal(loaded.search(extra[0]!, 1)[0]!.key, 'new0');
  t.equal(loaded.search(extra.at(-1)!, 1)[0]!.key, `new${extra.length - 1}`);
  t.equal(loaded.search(vectors[8]!, 1)[0]!.key, 'k8');
});

t.test('a graph saved empty is read back and grows (its saved capacity is 0)', async (t) => {
  const file = path.join(t.testdir(), 'empty.bin');
  const state = new VectorIndex({ dimension: 16 }).writeGraph(file);
  const loaded = VectorIndex.readGraph(file, JSON.parse(JSON.stringify(state)) as VectorIndexState);
  t.equal(loaded.size, 0);
  const vectors = unitVectors(40, 16, 3);
  vectors.forEach((v, i) => loaded.upsert(`k${i}`, v));
  t.equal(loaded.size, 40, 'every vector is added');
  t.equal(loaded.search(vectors[5]!, 1)[0]?.key, 'k5', 'and found');
});
