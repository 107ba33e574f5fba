import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VectorIndex, type VectorIndexOptions, type VectorIndexState } from '@answerdesk/index';
import { reasonOf } from '@answerdesk/types';
import type Database from 'better-sqlite3';
import { blobVector, firstNonFinite } from './vectors.js';

/**
 * The hnswlib graph as a cache file next to the database. It is never the
 * source of truth: the passages table is. Its stamp (a small JSON file) says
 * which database, model and last change (`changes.seq`) the graph reflects,
 * and which graph file it goes with (size, inode and modification time of the
 * file as written), so a graph and a stamp of two different saves (two
 * processes saving at once, a crash between the two renames) never pass for a
 * pair: then the cache is rebuilt, never trusted.
 */
export const STAMP_FORMAT = 1;

export interface AnnStamp {
  format: number;
  databaseId: string;
  model: string;
  dimension: number;
  /** The last change of the `changes` log the graph reflects. */
  seq: number;
  graph: { size: number; ino: string; mtimeNs: string };
  state: VectorIndexState;
}

export function cacheFiles(databaseFile: string): { graph: string; stamp: string } {
  return { graph: `${databaseFile}.hnsw`, stamp: `${databaseFile}.hnsw.json` };
}

/** The vectors of the passages, in memory: an hnswlib graph plus the document of each passage key. */
export interface Ann {
  index: VectorIndex;
  model: string;
  dimension: number;
  /** The last change it reflects. */
  seq: number;
  /** The change the cache file on disk reflects (-1: none written by this process). */
  savedSeq: number;
  docOf: Map<string, string>;
  /** How it was made: read from the cache file (then caught up), or rebuilt from the passages table. */
  origin: 'cache' | 'rebuilt';
  /** Changes applied from the log since it was read or rebuilt. */
  caughtUp: number;
}

export interface CacheExpectation {
  databaseId: string;
  model: string;
  dimension: number;
}

/** Does the cache on disk fit this database (its stamp, and the graph file the stamp names)? Reads only the stamp. */
export function checkCache(databaseFile: string, expect: CacheExpectation): { stamp: AnnStamp } | { reason: string } {
  const files = cacheFiles(databaseFile);
  let stamp: AnnStamp;
  try {
    stamp = JSON.parse(readFileSync(files.stamp, 'utf8')) as AnnStamp;
  } catch (error) {
    return { reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable stamp (${reasonOf(error)})` };
  }
  if (stamp?.format !== STAMP_FORMAT) return { reason: `stamp format ${String(stamp?.format)}` };
  if (stamp.databaseId !== expect.databaseId) return { reason: 'stamp of another database' };
  if (stamp.model !== expect.model || stamp.dimension !== expect.dimension) return { reason: 'stamp of another model' };
  if (!Number.isInteger(stamp.seq) || stamp.seq < 0) return { reason: 'stamp without a change number' };
  let stat;
  try {
    stat = statSync(files.graph, { bigint: true });
  } catch {
    return { reason: 'graph missing' };
  }
  if (Number(stat.size) !== stamp.graph?.size || String(stat.ino) !== stamp.graph.ino || String(stat.mtimeNs) !== stamp.graph.mtimeNs) {
    return { reason: 'graph and stamp of different saves' };
  }
  return { stamp };
}

/** Reads the cache if its stamp fits this database; otherwise says why not (then the caller rebuilds). */
export function readCache(databaseFile: string, expect: CacheExpectation, options: Partial<VectorIndexOptions>): { index: VectorIndex; seq: number } | { reason: string } {
  const checked = checkCache(databaseFile, expect);
  if ('reason' in checked) return checked;
  const { stamp } = checked;
  const files = cacheFiles(databaseFile);
  try {
    const state = { ...stamp.state, ...(options.efSearch ? { efSearch: options.efSearch } : {}) };
    return { index: VectorIndex.readGraph(files.graph, state), seq: stamp.seq };
  } catch (error) {
    return { reason: `unreadable graph (${reasonOf(error)})` };
  }
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a directory; the cache is only a cache.
  }
}

/**
 * Writes the cache atomically: the graph to a temporary file (fsynced) renamed
 * into place, then the stamp the same way. Returns false (and leaves no
 * temporary file) when it cannot: the cache is an optimization, never a reason
 * to fail a search or a close.
 */
export function writeCache(databaseFile: string, ann: Ann, databaseId: string): boolean {
  const files = cacheFiles(databaseFile);
  removeAbandonedTemporaries(files);
  const suffix = `${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const graphTmp = `${files.graph}.${suffix}`;
  const stampTmp = `${files.stamp}.${suffix}`;
  try {
    const state = ann.index.writeGraph(graphTmp);
    fsyncFile(graphTmp);
    const stat = statSync(graphTmp, { bigint: true });
    const stamp: AnnStamp = {
      format: STAMP_FORMAT,
      databaseId,
      model: ann.model,
      dimension: ann.dimension,
      seq: ann.seq,
      graph: { size: Number(stat.size), ino: String(stat.ino), mtimeNs: String(stat.mtimeNs) },
      state,
    };
    renameSync(graphTmp, files.graph);
    writeFileSync(stampTmp, JSON.stringify(stamp));
    fsyncFile(stampTmp);
    renameSync(stampTmp, files.stamp);
    fsyncDir(path.dirname(files.stamp));
    ann.savedSeq = ann.seq;
    return true;
  } catch {
    rmSync(graphTmp, { force: true });
    rmSync(stampTmp, { force: true });
    return false;
  }
}

/** Is a process with this id running? (EPERM: it runs, as another user.) */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temporaries of a cache save that a killed process never renamed nor removed: they would stay
 * forever. Only those of processes that no longer run go; a save in progress elsewhere keeps its own.
 */
export function removeAbandonedTemporaries(files: { graph: string; stamp: string }): void {
  const dir = path.dirname(files.graph);
  const names = new Set([path.basename(files.graph), path.basename(files.stamp)]);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = /^(.+)\.(\d+)\.[0-9a-f]+\.tmp$/.exec(entry);
    if (!match || !names.has(match[1]!) || alive(Number(match[2]))) continue;
    rmSync(path.join(dir, entry), { force: true });
  }
}

/** The last change of the log (0 when there is none). */
export function lastChange(db: Database.Database): number {
  return db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").get()?.seq ?? 0;
}

/**
 * The vector index of every passage, read from the passages table as of change `last` (run it in a
 * read transaction). A vector that is not a whole, finite vector of the dimension is left out (verify reports it).
 */
export function buildAnn(db: Database.Database, model: string, dimension: number, last: number, options: Partial<VectorIndexOptions>, onProgress?: (done: number, total: number) => void): Ann {
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM passages').get()!.n;
  const index = new VectorIndex({ ...options, dimension, capacity: Math.max(1024, Math.ceil(count * 1.1)) });
  const docOf = new Map<string, string>();
  let done = 0;
  for (const row of db.prepare<[], { key: string; doc_id: string; vector: Buffer }>('SELECT key, doc_id, vector FROM passages ORDER BY rid').iterate()) {
    if (++done % 5000 === 0) onProgress?.(done, count);
    const vector = blobVector(row.vector);
    if (!vector || vector.length !== dimension || firstNonFinite(vector) >= 0) continue;
    index.upsert(row.key, vector);
    docOf.set(row.key, row.doc_id);
  }
  onProgress?.(count, count);
  return { index, model, dimension, seq: last, savedSeq: -1, docOf, origin: 'rebuilt', caughtUp: 0 };
}

export function removeCache(databaseFile: string): void {
  const files = cacheFiles(databaseFile);
  rmSync(files.stamp, { force: true });
  rmSync(files.graph, { force: true });
}
