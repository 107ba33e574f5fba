// Shared by the SQLite store tests. These tests check store mechanics (storage, filters, ordering,
// caches, processes, durability), not retrieval quality: tiny hand-made or deterministic pseudo-random
// vectors do, and no embedding model is loaded.
import path from 'node:path';
import type tap from 'tap';
import { SqliteDocumentStore, type SqliteDocumentStoreOptions } from '../src/index.js';

/** The type of a subtest's `t` (tap's last `test` overload takes just the callback). */
export type TapTest = Parameters<Parameters<typeof tap.test>[0]>[0];

export const MODEL = 'test-model@1';

/** A store on a new file in the test's folder, closed when the test ends. */
export async function freshStore(t: TapTest, options: Partial<SqliteDocumentStoreOptions> = {}): Promise<SqliteDocumentStore> {
  const file = options.file ?? path.join(t.testdir(), 'kb.db');
  const store = await SqliteDocumentStore.open({ model: MODEL, dimension: 4, ...options, file });
  t.teardown(() => store.close());
  return store;
}

/** Another store on the same file (another connection, as another instance or process would have). */
export async function reopen(t: TapTest, store: SqliteDocumentStore, options: Partial<SqliteDocumentStoreOptions> = {}): Promise<SqliteDocumentStore> {
  const other = await SqliteDocumentStore.open({ file: store.file, ...options });
  t.teardown(() => other.close());
  return other;
}

export { article, ticket, passage } from '../../../test/store-records.js';


/** A deterministic pseudo-random unit vector for a seed (mulberry32): stands in for an embedding. */
export function seededVector(seed: number, dimension: number): Float32Array {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(dimension);
  let sum = 0;
  for (let i = 0; i < dimension; i++) {
    out[i] = next() * 2 - 1;
    sum += out[i]! * out[i]!;
  }
  const length = Math.sqrt(sum);
  for (let i = 0; i < dimension; i++) out[i] = out[i]! / length;
  return out;
}

/** Ids of hits and their scores rounded, for exact comparisons of float math. */
export const rounded = (hits: Array<{ id: string; score: number }>) => hits.map((h) => [h.id, Math.round(h.score * 1e4) / 1e4]);
