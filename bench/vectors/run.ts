/**
 * Vector search for the SQLite store: hnswlib (the HNSW graph @answerdesk/sqlite
 * keeps in memory and caches next to the database) against sqlite-vec
 * (brute-force KNN inside SQLite) and exact scans, on random unit vectors.
 * See README.md beside this file.
 *
 *   pnpm bench:vectors                              (from the workspace root)
 *   SIZES=10000 QUERIES=100 pnpm bench:vectors      (shorter)
 *
 * Tables go to stdout, everything to bench/results/vectors.json.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { VectorIndex } from '@answerdesk/index';
import { machineInfo } from '../common/machine.js';
import { percentile, table } from '../common/table.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const numbers = (value: string | undefined, fallback: number[]) => (value ? value.split(',').map((v) => Number(v.trim())).filter((n) => n > 0) : fallback);
const SIZES = numbers(process.env.SIZES, [10_000, 100_000]);
const DIM = Number(process.env.DIM ?? 512);
const QUERIES = Number(process.env.QUERIES ?? 200);
const K = 10;
const DATASETS = (process.env.DATA ?? 'uniform,clustered').split(',').filter((d): d is Dataset => d === 'uniform' || d === 'clustered');
/** The exact scan over BLOBs read from SQLite is slow by design: fewer queries time it well enough. */
const SLOW_QUERIES = Math.min(QUERIES, 30);

type Dataset = 'uniform' | 'clustered';

interface Row {
  size: number;
  /** `uniform`: random unit vectors (no structure: the hardest case for a graph). `clustered`: points around centres, queries near stored points (closer to real embeddings). */
  data: Dataset;
  method: string;
  /** Seconds to insert every vector (and build the graph). */
  buildS: number;
  p50Ms: number;
  p99Ms: number;
  recallAt10: number;
  /** Growth of the process's resident memory over building and querying, MiB (after a GC; the OS page cache is not counted). */
  memoryMiB: number;
  /** Bytes on disk (database file, or the graph cache file), MiB. */
  diskMiB?: number;
  queries: number;
  note?: string;
}

/** Floats in [0, 1) from a seed (mulberry32): the same vectors on every run and machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` random unit vectors of DIM floats from a seed, in one buffer. */
function unitVectors(count: number, seed: number): Float32Array {
  const random = rng(seed);
  const out = new Float32Array(count * DIM);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let j = 0; j < DIM; j++) {
      // Sum of uniforms, centred: close enough to Gaussian for directions spread over the sphere.
      const value = random() + random() + random() - 1.5;
      out[i * DIM + j] = value;
      sum += value * value;
    }
    const length = Math.sqrt(sum);
    for (let j = 0; j < DIM; j++) out[i * DIM + j]! /= length;
  }
  return out;
}

const vectorAt = (all: Float32Array, i: number) => all.subarray(i * DIM, (i + 1) * DIM);

/** `base` plus `noise` of length `scale`, normalized, into `out`. */
function perturbed(base: Float32Array, noise: Float32Array, scale: number, out: Float32Array): void {
  let sum = 0;
  for (let j = 0; j < DIM; j++) {
    out[j] = base[j]! + scale * noise[j]!;
    sum += out[j]! * out[j]!;
  }
  const length = Math.sqrt(sum);
  for (let j = 0; j < DIM; j++) out[j]! /= length;
}

/**
 * Embedding-like data: `count` points around count/100 random centres (each a unit
 * centre plus noise of length 0.6: cosine ≈ 0.7 within a cluster, ≈ 0 across), and
 * queries that are stored points plus noise of length 0.3.
 */
function clustered(count: number, queryCount: number): { data: Float32Array; queries: Float32Array } {
  const centres = unitVectors(Math.max(1, Math.round(count / 100)), 11);
  const noise = unitVectors(count + queryCount, 13);
  const pick = rng(17);
  const data = new Float32Array(count * DIM);
  for (let i = 0; i < count; i++) perturbed(vectorAt(centres, Math.floor(pick() * (centres.length / DIM))), vectorAt(noise, i), 0.6, vectorAt(data, i));
  const queries = new Float32Array(queryCount * DIM);
  for (let q = 0; q < queryCount; q++) perturbed(vectorAt(data, Math.floor(pick() * count)), vectorAt(noise, count + q), 0.3, vectorAt(queries, q));
  return { data, queries };
}
const blob = (vector: Float32Array) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

/** The exact top k by cosine (unit vectors: the dot product), ties by index. */
function exactTopK(all: Float32Array, count: number, query: Float32Array): number[] {
  const best: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    let dot = 0;
    const offset = i * DIM;
    for (let j = 0; j < DIM; j++) dot += all[offset + j]! * query[j]!;
    if (best.length < K || dot > best[best.length - 1]![1]) {
      best.push([i, dot]);
      best.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      if (best.length > K) best.pop();
    }
  }
  return best.map(([i]) => i);
}

function recall(found: readonly number[], exact: readonly number[]): number {
  const wanted = new Set(exact);
  return found.filter((i) => wanted.has(i)).length / exact.length;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function rssMiB(): number {
  gc();
  return process.memoryUsage().rss / 2 ** 20;
}

function timeQueries(count: number, run: (q: number) => number[], truth: number[][]): { p50Ms: number; p99Ms: number; recallAt10: number } {
  const times: number[] = [];
  let total = 0;
  for (let q = 0; q < count; q++) {
    const started = performance.now();
    const found = run(q);
    times.push(performance.now() - started);
    total += recall(found, truth[q]!);
  }
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), recallAt10: total / count };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function benchSize(size: number, dataset: Dataset, dir: string): Promise<Row[]> {
  const rows: Row[] = [];
  process.stderr.write(`\n${size.toLocaleString('en')} ${dataset} vectors of ${DIM} dimensions: generating…\n`);
  const { data, queries } = dataset === 'uniform' ? { data: unitVectors(size, 7), queries: unitVectors(QUERIES, 1_000_003) } : clustered(size, QUERIES);
  const label = dataset;
  const query = (q: number) => vectorAt(queries, q);

  // Ground truth, timed: an exact scan of vectors already in memory.
  process.stderr.write('  exact top-10 in JavaScript (ground truth)…\n');
  const truth: number[][] = [];
  const exactTimes: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const started = performance.now();
    truth.push(exactTopK(data, size, query(q)));
    exactTimes.push(performance.now() - started);
  }
  const exact = { p50Ms: percentile(exactTimes, 50), p99Ms: percentile(exactTimes, 99) };
  rows.push({ size, data: label, method: 'exact scan, Float32Array in memory (JS)', buildS: 0, ...exact, recallAt10: 1, memoryMiB: round((size * DIM * 4) / 2 ** 20, 1), queries: QUERIES, note: 'the vectors themselves' });

  // hnswlib through the store's VectorIndex (M 16, efConstruction 200, efSearch 128).
  {
    process.stderr.write('  hnswlib: building the graph…\n');
    const before = rssMiB();
    const started = performance.now();
    const index = new VectorIndex({ dimension: DIM, capacity: size });
    for (let i = 0; i < size; i++) index.upsert(String(i), vectorAt(data, i));
    const buildS = (performance.now() - started) / 1000;
    const memoryMiB = rssMiB() - before;
    const result = timeQueries(QUERIES, (q) => index.search(query(q), K).map((hit) => Number(hit.key)), truth);
    const graph = path.join(dir, `graph-${size}.hnsw`);
    const saveStarted = performance.now();
    const state = index.writeGraph(graph);
    const saveS = (performance.now() - saveStarted) / 1000;
    const loadStarted = performance.now();
    const loaded = VectorIndex.readGraph(graph, { ...state, efSearch: 512 });
    const loadS = (performance.now() - loadStarted) / 1000;
    const diskMiB = (await stat(graph)).size / 2 ** 20;
    rows.push({ size, data: label, method: 'hnswlib HNSW (VectorIndex: M 16, efC 200, ef 128)', buildS: round(buildS, 1), ...result, memoryMiB: round(memoryMiB, 1), diskMiB: round(diskMiB, 1), queries: QUERIES, note: `cache file: save ${round(saveS, 2)} s, load ${round(loadS, 2)} s` });
    const wide = timeQueries(QUERIES, (q) => loaded.search(query(q), K).map((hit) => Number(hit.key)), truth);
    rows.push({ size, data: label, method: 'hnswlib HNSW, same graph, ef 512', buildS: round(buildS, 1), ...wide, memoryMiB: round(memoryMiB, 1), diskMiB: round(diskMiB, 1), queries: QUERIES, note: 'read back from the cache file' });
    await rm(graph, { force: true });
  }
  gc();

  // The brute-force methods below are exact whatever the data, and take as long: timed on the uniform set only.
  if (dataset === 'clustered') return rows;

  // sqlite-vec: a vec0 table (its own copy of the vectors), brute-force KNN with MATCH … AND k = 10.
  {
    process.stderr.write('  sqlite-vec vec0: inserting…\n');
    const file = path.join(dir, `vec0-${size}.db`);
    const db = new Database(file);
    sqliteVec.load(db);
    db.pragma('journal_mode = WAL');
    const before = rssMiB();
    const started = performance.now();
    db.exec(`CREATE VIRTUAL TABLE v USING vec0(embedding float[${DIM}] distance_metric=cosine)`);
    const insert = db.prepare('INSERT INTO v (rowid, embedding) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < size; i++) insert.run(BigInt(i), blob(vectorAt(data, i)));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const buildS = (performance.now() - started) / 1000;
    const knn = db.prepare<[Buffer], { rowid: number }>(`SELECT rowid FROM v WHERE embedding MATCH ? AND k = ${K} ORDER BY distance`);
    const result = timeQueries(QUERIES, (q) => knn.all(blob(query(q))).map((r) => Number(r.rowid)), truth);
    const memoryMiB = rssMiB() - before;
    db.close();
    rows.push({ size, data: label, method: 'sqlite-vec 0.1.9 vec0 KNN (brute force)', buildS: round(buildS, 1), ...result, memoryMiB: round(memoryMiB, 1), diskMiB: round((await stat(file)).size / 2 ** 20, 1), queries: QUERIES });
    await rm(file, { force: true });
  }
  gc();

  // sqlite-vec's scalar distance over a plain BLOB column: what the passages table allows without a second copy.
  {
    process.stderr.write('  sqlite-vec vec_distance_cosine over BLOBs: inserting…\n');
    const file = path.join(dir, `blobs-${size}.db`);
    const db = new Database(file);
    sqliteVec.load(db);
    db.pragma('journal_mode = WAL');
    db.pragma('cache_size = -262144'); // 256 MiB, so the table can stay in SQLite's page cache
    const before = rssMiB();
    const started = performance.now();
    db.exec('CREATE TABLE p (id INTEGER PRIMARY KEY, vector BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO p (id, vector) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < size; i++) insert.run(i, blob(vectorAt(data, i)));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const buildS = (performance.now() - started) / 1000;
    const scan = db.prepare<[Buffer], { id: number }>(`SELECT id FROM p ORDER BY vec_distance_cosine(vector, ?) LIMIT ${K}`);
    const result = timeQueries(QUERIES, (q) => scan.all(blob(query(q))).map((r) => r.id), truth);
    const memoryMiB = rssMiB() - before;
    rows.push({ size, data: label, method: 'sqlite-vec vec_distance_cosine, ORDER BY … LIMIT', buildS: round(buildS, 1), ...result, memoryMiB: round(memoryMiB, 1), diskMiB: round((await stat(file)).size / 2 ** 20, 1), queries: QUERIES, note: 'page cache 256 MiB' });

    // The SQLite store's exact fallback: every BLOB read back into JavaScript and scored there.
    process.stderr.write('  exact scan of the BLOBs in JavaScript…\n');
    const all = db.prepare<[], { id: number; vector: Buffer }>('SELECT id, vector FROM p');
    const slow = timeQueries(SLOW_QUERIES, (q) => {
      const target = query(q);
      const best: Array<[number, number]> = [];
      for (const row of all.iterate()) {
        const v = new Float32Array(row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength));
        let dot = 0;
        for (let j = 0; j < DIM; j++) dot += v[j]! * target[j]!;
        if (best.length < K || dot > best[best.length - 1]![1]) {
          best.push([row.id, dot]);
          best.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
          if (best.length > K) best.pop();
        }
      }
      return best.map(([id]) => id);
    }, truth);
    rows.push({ size, data: label, method: 'exact scan of the BLOBs in JS (the store\'s fallback)', buildS: round(buildS, 1), ...slow, memoryMiB: round(memoryMiB, 1), diskMiB: round((await stat(file)).size / 2 ** 20, 1), queries: SLOW_QUERIES, note: 'same table as above' });
    db.close();
    await rm(file, { force: true });
  }
  gc();
  return rows;
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0]!;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-bench-vectors-'));
  const rows: Row[] = [];
  try {
    for (const size of SIZES) for (const dataset of DATASETS) rows.push(...(await benchSize(size, dataset, dir)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const header = ['vectors', 'data', 'method', 'build s', 'p50 ms', 'p99 ms', 'recall@10', 'memory MiB', 'disk MiB', 'queries', 'note'];
  console.log(`\nVector search, ${DIM}-d unit vectors, k = ${K}, ${QUERIES} queries (recall against the exact top 10); uniform: random vectors and queries; clustered: points around centres, queries near stored points\n`);
  console.log(table(header, rows.map((r) => [r.size, r.data, r.method, r.buildS, round(r.p50Ms, 2), round(r.p99Ms, 2), round(r.recallAt10, 3), r.memoryMiB, r.diskMiB, r.queries, r.note])));
  const machine = machineInfo(loadAtStart);
  console.log(`\n${machine.cores} cores, ${machine.cpu}, Node ${machine.node}; load average ${machine.loadAverage1m.start.toFixed(2)} → ${machine.loadAverage1m.end.toFixed(2)}`);
  await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(root, 'bench', 'results', 'vectors.json'), JSON.stringify({ date: new Date().toISOString(), machine, dimension: DIM, k: K, queries: QUERIES, rows }, null, 2) + '\n');
}

await main();
