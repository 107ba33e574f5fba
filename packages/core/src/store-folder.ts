/**
 * A store folder (`--store`, default `.answerdesk`): the knowledge base in one SQLite database,
 * `knowledge.db`, beside its vector-index cache. A folder still in the file format of earlier
 * versions (format 2: snapshots and a write-ahead log of our own) is converted once, on open.
 */
import { existsSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { embeddingKey } from '@answerdesk/embeddings';
import { SqliteDocumentStore } from '@answerdesk/sqlite';
import { checkStoreDir, readFormat2Store } from '@answerdesk/store';
import { AnswerdeskError, isAnswerdeskError, type KnowledgeDoc } from '@answerdesk/types';
import { SqliteKnowledgeBase, type SqliteKnowledgeBaseOptions } from './sqlite-knowledge-base.js';
import type { StoreKnowledgeBase } from './store-knowledge-base.js';
import type { IndexProgress, KnowledgeBaseOptions } from './types.js';

/** The database file of a store folder. */
export const DATABASE_FILE = 'knowledge.db';

export interface StoreFolderOptions extends Omit<SqliteKnowledgeBaseOptions, 'file' | 'location' | 'mustExist'> {
  /** The store folder. Default `.answerdesk` in the working directory. */
  store?: string;
  /** The folder must hold a knowledge base already (ADK_STORE_NOT_FOUND otherwise). Default false: one is created. */
  existing?: boolean;
  /** Progress of a conversion from the old file format (phase `save`). */
  onProgress?: (progress: IndexProgress) => void;
}

/** The files of a format-2 store: CURRENT and its temporaries, snapshots, logs, the writer lock, the feedback journal. */
const FORMAT_2_ENTRY = /^(CURRENT(\..+)?|LOCK|feedback\.jsonl|snap-\d{8}|wal-\d{8}\.log|\.staging-.+)$/;
/** Documents per transaction of a conversion: bounded memory per write, whatever the store's size. */
const CONVERT_BATCH = 1000;

async function format2Entries(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((entry) => FORMAT_2_ENTRY.test(entry));
}

const isFormat2Data = (entry: string) => entry === 'CURRENT' || /^wal-\d{8}\.log$/.test(entry);

/** Removes a database file and what SQLite and the vector cache keep beside it. */
async function removeDatabase(file: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal', '.hnsw', '.hnsw.json']) await rm(file + suffix, { force: true });
}

/**
 * Copies a format-2 store into `file`: documents, passages with their stored vectors (nothing is
 * embedded again), categorizers and feedback. Written under a temporary name and renamed when
 * complete; the old files are removed only after that, so a crash at any point leaves either
 * the old store or the new one whole.
 */
async function convertFormat2(dir: string, file: string, options: StoreFolderOptions): Promise<void> {
  const records = await readFormat2Store(dir);
  const temporary = `${file}.converting`;
  await removeDatabase(temporary);
  const store = await SqliteDocumentStore.open({ file: temporary, location: dir, model: records.model, dimension: records.dimension });
  try {
    const passagesOf = new Map<string, typeof records.passages>();
    for (const passage of records.passages) {
      const list = passagesOf.get(passage.docId);
      if (list) list.push(passage);
      else passagesOf.set(passage.docId, [passage]);
    }
    const total = records.docs.length;
    for (let at = 0; at < total; at += CONVERT_BATCH) {
      const docs = records.docs.slice(at, at + CONVERT_BATCH);
      // The stored vectors are kept: a passage's text hash is the key its model's vector is reused by.
      const passages = docs.flatMap((doc) => passagesOf.get(doc.id) ?? []).map((p) => ({ ...p, textHash: embeddingKey(records.model, p.text) }));
      await store.write({ docs, passages });
      options.onProgress?.({ phase: 'save', done: Math.min(total, at + CONVERT_BATCH), total });
    }
    for (const { field, origin, state } of records.categorizers) await store.putCategorizer(field, origin, state);
    for (const entry of records.feedback) await store.addFeedback(entry);
  } catch (error) {
    await store.close().catch(() => undefined);
    await removeDatabase(temporary);
    throw error;
  }
  await store.close();
  await rm(`${temporary}.hnsw`, { force: true });
  await rm(`${temporary}.hnsw.json`, { force: true });
  await rename(temporary, file);
  for (const entry of await format2Entries(dir)) await rm(path.join(dir, entry), { recursive: true, force: true });
}

/**
 * Opens the knowledge base of a store folder: its SQLite database, created when the folder is
 * new or empty (unless `existing`), converted once from the old file format when that is what
 * the folder holds. `ADK_STORE_NOT_A_STORE` for a file or a folder of other things.
 */
export async function openStoreFolder(options: StoreFolderOptions = {}): Promise<StoreKnowledgeBase> {
  const dir = path.resolve(options.store ?? '.answerdesk');
  await checkStoreDir(dir);
  const file = path.join(dir, DATABASE_FILE);
  const old = await format2Entries(dir);
  if (existsSync(file)) {
    // The database is complete once it has its name: old files beside it are a finished conversion's leftovers.
    for (const entry of old) await rm(path.join(dir, entry), { recursive: true, force: true });
  } else if (old.some(isFormat2Data)) {
    await convertFormat2(dir, file, options);
  } else if (options.existing) {
    throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir });
  }
  const { store: _store, existing: _existing, onProgress: _onProgress, ...rest } = options;
  return SqliteKnowledgeBase.open({ ...rest, file, location: dir });
}

export interface ReindexReport {
  knowledgeBase: StoreKnowledgeBase;
  documents: number;
  embedded: number;
  previousModel: string;
  retrained: string[];
  dropped: string[];
}

/**
 * Rebuilds a store folder with `options.encoder` (default USE-lite) from the documents it holds,
 * whatever model built it: every passage is embedded again into a new database, which replaces
 * the old one when complete (stop a `serve` of the folder first: it would go on reading the old
 * one). Categorizers learned from the knowledge base are retrained; ones trained from a file are
 * dropped (train them again). Feedback is kept.
 */
export async function reindexStoreFolder(options: StoreFolderOptions = {}): Promise<ReindexReport> {
  const dir = path.resolve(options.store ?? '.answerdesk');
  await checkStoreDir(dir);
  const file = path.join(dir, DATABASE_FILE);
  // A folder in the old format is converted first (keeping its vectors), then rebuilt like any other.
  if (!existsSync(file) && (await format2Entries(dir)).some(isFormat2Data)) await convertFormat2(dir, file, options);
  if (!existsSync(file)) throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir });
  const old = await SqliteDocumentStore.open({ file, location: dir, mustExist: true });
  const temporary = `${file}.reindexing`;
  let rebuilt: StoreKnowledgeBase | undefined;
  try {
    const info = await old.info();
    if (!info) throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir });
    const docs: KnowledgeDoc[] = [];
    for await (const doc of old.documents()) docs.push(doc);
    const categorizers = await old.categorizers();
    const feedback = await old.feedback<{ id: string; at: string }>();
    await removeDatabase(temporary);
    const { store: _store, existing: _existing, onProgress, ...rest } = options;
    rebuilt = await SqliteKnowledgeBase.open({ ...rest, file: temporary, location: dir });
    const { embedded } = await rebuilt.putDocuments(docs, onProgress ? { onProgress } : {});
    const retrained: string[] = [];
    const dropped: string[] = [];
    for (const { field, origin } of categorizers) {
      if (origin !== 'knowledge-base') {
        dropped.push(field);
        continue;
      }
      try {
        await rebuilt.train({ field });
        retrained.push(field);
      } catch (error) {
        if (!(isAnswerdeskError(error) && error.code === 'ADK_TRAINING_DATA_INVALID')) throw error;
        dropped.push(field);
      }
    }
    for (const entry of feedback) await rebuilt.store.addFeedback(entry);
    const report = { documents: docs.length, embedded, previousModel: info.model, retrained, dropped };
    await rebuilt.close();
    rebuilt = undefined;
    await old.close();
    for (const suffix of ['-wal', '-shm', '.hnsw', '.hnsw.json']) await rm(file + suffix, { force: true });
    await rm(`${temporary}.hnsw`, { force: true });
    await rm(`${temporary}.hnsw.json`, { force: true });
    await rename(temporary, file);
    return { ...report, knowledgeBase: await openStoreFolder({ ...options, store: dir, existing: true }) };
  } catch (error) {
    await rebuilt?.close().catch(() => undefined);
    await old.close().catch(() => undefined);
    await removeDatabase(temporary);
    throw error;
  }
}

/**
 * A consistent copy of a store folder's database in `file`, taken while other processes read and
 * write it (SQLite's online backup). To restore, put the copy in an empty folder as `knowledge.db`.
 * A folder in the old file format is converted first.
 */
export async function backupStoreFolder(options: StoreFolderOptions & { file: string }): Promise<{ file: string; pages: number; bytes: number }> {
  if (typeof options?.file !== 'string' || options.file.trim() === '') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'file', reason: 'must be the path of the backup file to write' });
  const dir = path.resolve(options.store ?? '.answerdesk');
  await checkStoreDir(dir);
  const database = path.join(dir, DATABASE_FILE);
  if (!existsSync(database)) {
    if (!(await format2Entries(dir)).some(isFormat2Data)) throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir });
    const { file: _file, ...rest } = options;
    await (await openStoreFolder({ ...rest, existing: true })).close();
  }
  const target = path.resolve(options.file);
  if (existsSync(target)) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'file', reason: `${target} exists; back up to a new file (a backup never overwrites one)` });
  const store = await SqliteDocumentStore.open({ file: database, location: dir, mustExist: true });
  try {
    const { pages } = await store.backup(target);
    return { file: target, pages, bytes: (await stat(target)).size };
  } finally {
    await store.close();
  }
}

/** The knowledge base of a store folder: articles and resolved tickets in, cited answers and reply drafts out. */
export type KnowledgeBase = StoreKnowledgeBase;

/**
 * The embedded knowledge base: one store folder (`store`, default `.answerdesk`) holding one
 * SQLite database. Several processes may open the same folder: writes queue on SQLite's lock,
 * and each process answers from the others' writes as soon as they commit.
 */
export const KnowledgeBase = {
  /** Opens the store folder's knowledge base, creating it when the folder is new or empty. */
  open(options: KnowledgeBaseOptions & Omit<StoreFolderOptions, 'existing'> = {}): Promise<KnowledgeBase> {
    return openStoreFolder({ ...options, existing: false });
  },
  /** Opens the knowledge base of a folder that holds one; ADK_STORE_NOT_FOUND otherwise. */
  openExisting(options: KnowledgeBaseOptions & Omit<StoreFolderOptions, 'existing'> = {}): Promise<KnowledgeBase> {
    return openStoreFolder({ ...options, existing: true });
  },
  /** Rebuilds the folder with `options.encoder` (see `reindexStoreFolder`). */
  reindex(options: KnowledgeBaseOptions & Omit<StoreFolderOptions, 'existing'> = {}): Promise<ReindexReport> {
    return reindexStoreFolder(options);
  },
};
