import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ANALYSIS_VERSION, type VectorIndexOptions } from '@answerdesk/index';
import {
  AnswerdeskError,
  changedArticle,
  isAnswerdeskError,
  reasonOf,
  type Counts,
  type DocFilter,
  type DocKind,
  type KnowledgeBaseChange,
  type KnowledgeBaseInfo,
  type KnowledgeDoc,
  type KnowledgeStore,
  type PassageRecord,
  type ScoredId,
  type StoredCategorizer,
  type TermWeight,
  type WriteOptions,
} from '@answerdesk/types';
import { buildAnn, cacheFiles, checkCache, lastChange, readCache, removeAbandonedTemporaries, removeCache, writeCache, type Ann } from './ann.js';
import { buildCacheInWorker } from './ann-thread.js';
import { filterSql, hasFilter } from './filter.js';
import { analyzedRow, matchAny, queryTerms } from './lexical.js';
import { BM25_SQL, bestWordRows, keptTermCounts, rowTerms, scoreWordRows, wordTexts, type ShortlistOptions, type TermCounts } from './words.js';
import { META, migrate, readMeta, SCHEMA_VERSION, writeMeta } from './schema.js';
import { blobVector, cosine, firstNonFinite, norm, vectorBlob } from './vectors.js';

export interface SqliteDocumentStoreOptions {
  /** The database file (created with its folder when missing, unless `mustExist`). */
  file: string;
  /** With `dimension`: create the knowledge base for this model, or check the file was built with it (ensureKnowledgeBase). */
  model?: string;
  dimension?: number;
  /** How users name this store in messages. Default: the file. */
  location?: string;
  /** Refuse to create a new file (ADK_STORE_NOT_FOUND). Default false. */
  mustExist?: boolean;
  /** How long a write waits for another process's write to finish before it fails. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Read (or build) the vector index now rather than on the first vector search. Default false: a command that only writes never pays for it. */
  loadVectors?: boolean;
  /** Save the vector cache after this many logged passage changes since the last save (it is also saved on close). Default 10,000. */
  saveVectorsEvery?: number;
  /** Changes kept in the log for caches and other processes to catch up from; a cache older than that is rebuilt. Default 100,000. */
  keepChanges?: number;
  /** hnswlib parameters of a rebuilt index (m, efConstruction, efSearch). */
  vectorIndex?: Partial<Omit<VectorIndexOptions, 'dimension' | 'capacity'>>;
  /**
   * From this many passages, a vector cache that must be built from scratch (missing, of another
   * database or model, older than the trimmed change log) is built on a worker thread when the index is
   * loaded (`loadVectors`, `loadVectorIndex`) or the cache saved on close. Default 2,000; below it the build is quick.
   */
  buildOffThreadFrom?: number;
  /**
   * When a word search scores only the documents holding a question's rarer words (the ranking
   * proved the same as scoring all of them; see words.ts). Defaults in `SHORTLIST_DEFAULTS`.
   */
  wordShortlist?: ShortlistOptions;
}

/** What the in-memory vector index is, for diagnostics and tests. */
export interface VectorIndexStatus {
  /** `cache`: read from `<file>.hnsw` and caught up from the change log; `rebuilt`: from the passages table. */
  origin: 'cache' | 'rebuilt';
  /** Why the cache was not used, when it was rebuilt. */
  rebuildReason?: string;
  /** Why the cache it was read from had just been built on a worker thread (`missing`, …), when it was. */
  builtOffThread?: string;
  size: number;
  /** The last change of the log it reflects. */
  seq: number;
  /** Changes applied from the log since it was read or rebuilt. */
  caughtUp: number;
}

type Db = Database.Database;
type Info = KnowledgeBaseInfo;

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const MAX_DIMENSION = 65_536;
/** Parameters per IN (…) list: far under SQLite's limit, big enough to amortize statements. */
const IN_BATCH = 500;
/** Default `buildOffThreadFrom`. */
const OFF_THREAD_FROM = 2000;
/** Words read from the vocabulary table between two turns of the event loop (a few milliseconds). */
const VOCABULARY_PAGE = 5000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The last of each id wins, as if the items were applied in order. */
function lastById<T>(items: readonly T[], id: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [id(item), item])).values()];
}

const inList = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const byScore = (a: ScoredId, b: ScoredId) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** An entry of an append-only log (feedback, questions): an id and an ISO time, which it returns in ms. */
function checkLogEntry(entry: { id: string; at: string }): number {
  if (typeof entry?.id !== 'string' || entry.id === '') throw new AnswerdeskError('ADK_FEEDBACK_INVALID', { reason: 'needs a non-empty "id"' });
  const at = typeof entry.at === 'string' ? Date.parse(entry.at) : Number.NaN;
  if (Number.isNaN(at)) throw new AnswerdeskError('ADK_FEEDBACK_INVALID', { reason: `"at" must be an ISO time (got ${JSON.stringify(entry.at)})` });
  return at;
}

/** A filter letting through fewer documents than 1 in this many (indexed passages for vectors, documents for words) is searched exactly, row by row. */
const SELECTIVE_FILTER = 50;

/**
 * The knowledge base in one SQLite file: documents, passages with their
 * vectors (BLOBs), words (FTS5 over our own analyzers, BM25), categorizers,
 * feedback, and a log of passage changes, all changed by atomic
 * transactions. Several processes may open one file: writes queue on SQLite's
 * lock (busy timeout), and every search first catches its in-memory vector
 * index up with the changes other processes committed.
 *
 * Vectors are searched with an hnswlib graph kept in memory and cached in
 * `<file>.hnsw` (+ `<file>.hnsw.json`, its stamp): read on first use (or at
 * open with `loadVectors`), caught up from the change log, rebuilt from the
 * passages table when missing, stale beyond the log, or of another database;
 * saved on close and every `saveVectorsEvery` changes.
 */
export class SqliteDocumentStore implements KnowledgeStore {
  readonly file: string;
  readonly location: string;
  readonly knowledgeBase: string;
  private readonly db: Db;
  private readonly options: SqliteDocumentStoreOptions;
  private readonly busyTimeoutMs: number;
  private readonly fileBacked: boolean;
  private ann: Ann | undefined;
  private rebuildReason: string | undefined;
  /** A build of the vector cache on a worker thread in progress. */
  private offThread: Promise<boolean> | undefined;
  /** Why the cache this index was read from was built on a worker thread just before (undefined: it was not). */
  private builtOffThread: string | undefined;
  /** `PRAGMA data_version` when the vector index last caught up: it changes when another connection commits. */
  private seenDataVersion = -1;
  /** This connection committed a passage change the vector index has not applied yet. */
  private ownChanges = false;
  /** This connection changed passages since it opened: its close leaves a vector cache that reflects them. */
  private wrotePassages = false;
  private closed = false;
  /** Documents per word, as `word_docs` keeps them. */
  private readonly termCounts: TermCounts;

  private constructor(db: Db, options: SqliteDocumentStoreOptions, location: string) {
    this.db = db;
    this.termCounts = keptTermCounts(db);
    this.options = options;
    this.file = options.file;
    this.location = location;
    this.knowledgeBase = location;
    this.busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.fileBacked = options.file !== ':memory:' && options.file !== '';
  }

  /**
   * Opens (or creates) the database file: WAL journal, `synchronous=FULL`,
   * a busy timeout, foreign keys on, schema migrated; with `model` and
   * `dimension`, the knowledge base created or checked.
   */
  static async open(options: SqliteDocumentStoreOptions): Promise<SqliteDocumentStore> {
    if (typeof options?.file !== 'string' || options.file === '') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'file', reason: 'must be the path of the database file' });
    const location = options.location ?? options.file;
    if ((options.model === undefined) !== (options.dimension === undefined)) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option: options.model === undefined ? 'model' : 'dimension', reason: 'is needed with the other one (model and dimension create or check the knowledge base together)' });
    }
    const memory = options.file === ':memory:';
    const fresh = memory || !existsSync(options.file) || statSync(options.file).size === 0;
    if (!memory) {
      if (!existsSync(options.file)) {
        if (options.mustExist) throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir: location });
        mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
      }
    }
    let db: Db;
    try {
      db = new Database(options.file);
    } catch (error) {
      throw new AnswerdeskError('ADK_STORE_WRITE_FAILED', { dir: location, reason: reasonOf(error) }, { cause: error });
    }
    try {
      configure(db, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS, fresh);
      migrate(db, location);
      const store = new SqliteDocumentStore(db, options, location);
      // A cache save cut short by a kill leaves its temporaries; whoever opens the store next clears them.
      if (!memory) removeAbandonedTemporaries(cacheFiles(options.file));
      store.reanalyzeIfNeeded();
      if (options.model !== undefined && options.dimension !== undefined) await store.ensureKnowledgeBase({ model: options.model, dimension: options.dimension });
      if (options.loadVectors) await store.loadVectorIndex();
      return store;
    } catch (error) {
      db.close();
      if (isAnswerdeskError(error)) throw error;
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: location, reason: reasonOf(error) }, { cause: error });
      throw new AnswerdeskError('ADK_STORE_WRITE_FAILED', { dir: location, reason: reasonOf(error) }, { cause: error });
    }
  }

  // ---------------------------------------------------------------- knowledge base

  async ensureKnowledgeBase(model: { model: string; dimension: number }): Promise<Info & { created: boolean }> {
    if (typeof model?.model !== 'string' || model.model === '') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'model', reason: 'must be a non-empty string' });
    if (!Number.isInteger(model.dimension) || model.dimension < 1 || model.dimension > MAX_DIMENSION) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'dimension', reason: `must be an integer from 1 to ${MAX_DIMENSION} (got ${String(model.dimension)})` });
    }
    return this.guarded(() =>
      this.db
        .transaction(() => {
          const created = this.db.prepare('INSERT INTO kb (id, model, dimension, version) VALUES (1, ?, ?, 0) ON CONFLICT (id) DO NOTHING').run(model.model, model.dimension).changes > 0;
          const info = this.readInfo()!;
          if (info.model !== model.model || info.dimension !== model.dimension) {
            throw new AnswerdeskError('ADK_STORE_MODEL_MISMATCH', { dir: this.location, stored: info.model, storedDim: info.dimension, current: model.model, currentDim: model.dimension });
          }
          return { ...info, created };
        })
        .immediate(),
    );
  }

  async info(): Promise<Info | undefined> {
    return this.readInfo();
  }

  private readInfo(): Info | undefined {
    const row = this.db.prepare<[], { model: string; dimension: number; version: number }>('SELECT model, dimension, version FROM kb WHERE id = 1').get();
    return row && { model: row.model, dimension: row.dimension, version: row.version };
  }

  /** The identity of this file: a backup gets its own, so caches are never mixed up. */
  private databaseId(): string {
    return readMeta(this.db, META.databaseId) ?? '';
  }

  // ---------------------------------------------------------------- writes

  /**
   * Runs `fn` in an IMMEDIATE transaction (the write lock first, so a
   * read-then-write never fails half-way on another writer), checks the
   * version, bumps it; returns the new version. SQLite's atomic commit makes
   * it all or nothing, and with synchronous=FULL it is on disk when this returns.
   */
  private mutate(fn: (info: Info) => void, options: WriteOptions = {}): number {
    const { onlyIfVersion, onlyIfArticles } = options;
    return this.guarded(() =>
      this.db
        .transaction(() => {
          const info = this.readInfo();
          if (!info) throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir: this.location });
          if (onlyIfVersion !== undefined && BigInt(onlyIfVersion) !== BigInt(info.version)) {
            throw new AnswerdeskError('ADK_DATABASE_VERSION_CONFLICT', { kb: this.knowledgeBase, expected: String(onlyIfVersion), found: info.version });
          }
          if (onlyIfArticles?.size) {
            // Ids compare byte for byte (BINARY): an article's sections are the range [id#, id$).
            const sections = this.db.prepare<[string, string], { id: string; hash: string }>("SELECT id, hash FROM documents WHERE id >= ? AND id < ? AND kind <> 'ticket'");
            const rows = [...onlyIfArticles.keys()].flatMap((article) => sections.all(`${article}#`, `${article}$`));
            const changed = changedArticle(onlyIfArticles, rows);
            if (changed !== undefined) throw new AnswerdeskError('ADK_ARTICLE_CHANGED_MEANWHILE', { kb: this.knowledgeBase, article: changed });
          }
          fn(info);
          this.trimChanges();
          return this.db.prepare<[], { version: number }>('UPDATE kb SET version = version + 1 WHERE id = 1 RETURNING version').get()!.version;
        })
        .immediate(),
    );
  }

  /** Coded errors pass; anything SQLite refused becomes ADK_STORE_WRITE_FAILED (the transaction was rolled back). */
  private guarded<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (isAnswerdeskError(error)) throw error;
      const code = (error as { code?: unknown }).code;
      const reason =
        code === 'SQLITE_BUSY'
          ? `another process kept the database locked for more than ${this.busyTimeoutMs} ms (SQLITE_BUSY); retry, or raise busyTimeoutMs`
          : reasonOf(error);
      throw new AnswerdeskError('ADK_STORE_WRITE_FAILED', { dir: this.location, reason }, { cause: error });
    }
  }

  /** Keeps the change log to about `keepChanges` entries; what is cut below the floor can only be rebuilt, not caught up. */
  private trimChanges(): void {
    const keep = this.options.keepChanges ?? 100_000;
    const last = this.lastSeq();
    const floor = Number(readMeta(this.db, META.changesFloor) ?? 0);
    if (last - floor <= keep + Math.ceil(keep / 10)) return;
    const cut = last - keep;
    this.db.prepare('DELETE FROM changes WHERE seq <= ?').run(cut);
    writeMeta(this.db, META.changesFloor, cut);
  }

  private lastSeq(): number {
    return lastChange(this.db);
  }

  async write(change: KnowledgeBaseChange, options: WriteOptions = {}): Promise<number> {
    const docs = lastById(change.docs ?? [], (d) => d.id);
    const passages = lastById(change.passages ?? [], (p) => p.key);
    const removed = [...new Set(change.removed ?? [])];
    const units = change.units ?? [];
    // Analysis is pure and the slowest part: done before the write lock is taken.
    const rows = docs.map((doc) => ({ doc, json: JSON.stringify(doc), words: analyzedRow(doc) }));
    const version = this.mutate((info) => {
      checkPassages(passages, info.dimension);
      checkPassages(units.map((unit) => ({ key: unit.textHash, vector: unit.vector })), info.dimension, 'units');
      // Documents per word change with the word rows, in this transaction.
      const wordDocs = new WordDocs(this.db);
      const ridOf = this.db.prepare<[string], { rid: number }>('SELECT rid FROM documents WHERE id = ?');
      const remove = this.db.prepare('DELETE FROM documents WHERE id = ?');
      for (const id of removed) {
        // Its word row goes with it (a trigger): its words leave the counts first.
        const rid = ridOf.get(id)?.rid;
        if (rid !== undefined) wordDocs.remove(rid);
        remove.run(id);
      }
      const upsert = this.db.prepare<unknown[], { rid: number }>(
        `INSERT INTO documents (id, kind, language, category, tags, family, hash, doc, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, language = excluded.language, category = excluded.category, tags = excluded.tags,
           family = excluded.family, hash = excluded.hash, doc = excluded.doc, updated_at = excluded.updated_at
         RETURNING rid`,
      );
      const unindex = this.db.prepare('DELETE FROM documents_fts WHERE rowid = ?');
      const index = this.db.prepare('INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)');
      const now = new Date().toISOString();
      for (const { doc, json, words } of rows) {
        const { rid } = upsert.get(doc.id, doc.kind, doc.language ?? '', doc.category ?? null, JSON.stringify(doc.tags ?? []), doc.family ?? null, doc.hash ?? '', json, now)!;
        wordDocs.remove(rid);
        unindex.run(rid);
        index.run(rid, words.title, words.body);
        wordDocs.add([words.title, words.body]);
      }
      wordDocs.save();
      // The passages of every upserted document become the given ones. Passages that stay
      // as they were are not touched, so they log no change and cost no ANN update.
      const kept = new Set(passages.map((p) => p.key));
      const keysOf = this.db.prepare<[string], { key: string }>('SELECT key FROM passages WHERE doc_id = ?');
      const removePassage = this.db.prepare('DELETE FROM passages WHERE key = ?');
      for (const { doc } of rows) for (const { key } of keysOf.all(doc.id)) if (!kept.has(key)) removePassage.run(key);
      const put = this.db.prepare(
        `INSERT INTO passages (key, doc_id, text, text_hash, vector) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET doc_id = excluded.doc_id, text = excluded.text, text_hash = excluded.text_hash, vector = excluded.vector
         WHERE passages.doc_id IS NOT excluded.doc_id OR passages.text IS NOT excluded.text
            OR passages.text_hash IS NOT excluded.text_hash OR passages.vector IS NOT excluded.vector`,
      );
      for (const p of passages) put.run(p.key, p.docId, p.text, p.textHash, vectorBlob(p.vector));
      const putUnit = this.db.prepare('INSERT INTO unit_vectors (text_hash, vector) VALUES (?, ?) ON CONFLICT (text_hash) DO NOTHING');
      for (const unit of units) putUnit.run(unit.textHash, vectorBlob(unit.vector));
      this.changeVocabulary(change.vocabulary, rows.length > 0 || removed.length > 0);
    }, options);
    this.ownChanges = true;
    if (passages.length || removed.length) this.wrotePassages = true;
    return version;
  }

  /** Applies a write's change of the word counts; documents written without one leave the counts to be made again. */
  private changeVocabulary(change: ReadonlyMap<string, number> | undefined, documentsChanged: boolean): void {
    if (readMeta(this.db, META.vocabulary) !== 'counted') return;
    if (!change) {
      if (!documentsChanged) return;
      this.db.prepare('DELETE FROM meta WHERE key = ?').run(META.vocabulary);
      this.db.exec('DELETE FROM vocabulary');
      return;
    }
    changeCounts(this.db, 'vocabulary', change);
  }

  /**
   * Read in pages along the words' order with a turn for the event loop between them: a store of
   * 100k tickets holds some 10^5 words, which read at once would hold a service up. A write between
   * two pages can leave a count one write old, which a speller does not notice.
   */
  async vocabulary(): Promise<Map<string, number> | undefined> {
    if (readMeta(this.db, META.vocabulary) !== 'counted') return undefined;
    const counts = new Map<string, number>();
    const page = this.db.prepare<[string], { word: string; count: number }>(`SELECT word, count FROM vocabulary WHERE word > ? ORDER BY word LIMIT ${VOCABULARY_PAGE}`);
    for (let after = ''; ; ) {
      const rows = page.all(after);
      for (const row of rows) counts.set(row.word, row.count);
      if (rows.length < VOCABULARY_PAGE) return counts;
      after = rows[rows.length - 1]!.word;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async putVocabulary(counts: ReadonlyMap<string, number>, version: number): Promise<boolean> {
    return this.guarded(() =>
      this.db
        .transaction(() => {
          // Not a change of the knowledge (the version stays): a count of what is already there.
          if (this.readInfo()?.version !== version) return false;
          this.db.exec('DELETE FROM vocabulary');
          const add = this.db.prepare('INSERT INTO vocabulary (word, count) VALUES (?, ?)');
          for (const [word, count] of counts) if (count > 0) add.run(word, count);
          writeMeta(this.db, META.vocabulary, 'counted');
          return true;
        })
        .immediate(),
    );
  }

  // ---------------------------------------------------------------- documents

  async getDocument(id: string): Promise<KnowledgeDoc | undefined> {
    const row = this.db.prepare<[string], { doc: string }>('SELECT doc FROM documents WHERE id = ?').get(id);
    return row && (JSON.parse(row.doc) as KnowledgeDoc);
  }

  async getDocuments(ids: readonly string[]): Promise<Map<string, KnowledgeDoc>> {
    const out = new Map<string, KnowledgeDoc>();
    if (!ids.length) return out;
    const byId = new Map<string, string>();
    for (const batch of chunks([...new Set(ids)], IN_BATCH)) {
      for (const row of this.db.prepare<string[], { id: string; doc: string }>(`SELECT id, doc FROM documents WHERE id IN (${inList(batch.length)})`).all(...batch)) byId.set(row.id, row.doc);
    }
    for (const id of ids) {
      const json = byId.get(id);
      if (json !== undefined && !out.has(id)) out.set(id, JSON.parse(json) as KnowledgeDoc);
    }
    return out;
  }

  async documentIds(options: { kind?: DocKind } = {}): Promise<string[]> {
    const rows = options.kind
      ? this.db.prepare<[string], { id: string }>('SELECT id FROM documents WHERE kind = ? ORDER BY id').all(options.kind)
      : this.db.prepare<[], { id: string }>('SELECT id FROM documents ORDER BY id').all();
    return rows.map((r) => r.id);
  }

  async hashes(options: { kind?: DocKind } = {}): Promise<Map<string, string>> {
    const rows = options.kind
      ? this.db.prepare<[string], { id: string; hash: string }>('SELECT id, hash FROM documents WHERE kind = ? ORDER BY id').all(options.kind)
      : this.db.prepare<[], { id: string; hash: string }>('SELECT id, hash FROM documents ORDER BY id').all();
    return new Map(rows.map((r) => [r.id, r.hash]));
  }

  /** Every document, in id order, read in pages along the id index. */
  async *documents(options: { kind?: DocKind; pageSize?: number } = {}): AsyncGenerator<KnowledgeDoc> {
    const pageSize = Math.max(1, options.pageSize ?? 1000);
    const page = this.db.prepare<unknown[], { id: string; doc: string }>(`SELECT id, doc FROM documents WHERE id > ?${options.kind ? ' AND kind = ?' : ''} ORDER BY id LIMIT ?`);
    let after = '';
    for (;;) {
      // A whole page is read before yielding: no statement stays open while the caller works.
      const rows = options.kind ? page.all(after, options.kind, pageSize) : page.all(after, pageSize);
      for (const row of rows) yield JSON.parse(row.doc) as KnowledgeDoc;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  async passageVectors(textHashes: readonly string[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const batch of chunks([...new Set(textHashes)], IN_BATCH)) {
      const rows = this.db.prepare<string[], { text_hash: string; vector: Buffer }>(`SELECT text_hash, vector FROM passages WHERE text_hash IN (${inList(batch.length)})`).all(...batch);
      for (const row of rows) {
        if (out.has(row.text_hash)) continue;
        const vector = blobVector(row.vector);
        if (vector) out.set(row.text_hash, vector);
      }
    }
    return out;
  }

  async unitVectors(textHashes: readonly string[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const batch of chunks([...new Set(textHashes)], IN_BATCH)) {
      const rows = this.db.prepare<string[], { text_hash: string; vector: Buffer }>(`SELECT text_hash, vector FROM unit_vectors WHERE text_hash IN (${inList(batch.length)})`).all(...batch);
      for (const row of rows) {
        const vector = blobVector(row.vector);
        if (vector) out.set(row.text_hash, vector);
      }
    }
    return out;
  }

  /** Read from the counts the triggers keep (schema version 3): one small table, whatever the store's size. */
  async counts(): Promise<Counts> {
    const n = new Map(this.db.prepare<[], { name: string; n: number }>('SELECT name, n FROM counts').all().map((row) => [row.name, row.n]));
    let documents = 0;
    for (const [name, count] of n) if (name !== '#passages') documents += count;
    return { documents, articles: n.get('article') ?? 0, tickets: n.get('ticket') ?? 0, passages: n.get('#passages') ?? 0 };
  }

  /** The same counts, counted from the rows (verify compares them). */
  private countedRows(): Counts {
    return this.db
      .prepare<[], Counts>(
        `SELECT count(*) AS documents,
                coalesce(sum(kind = 'article'), 0) AS articles,
                coalesce(sum(kind = 'ticket'), 0) AS tickets,
                (SELECT count(*) FROM passages) AS passages
         FROM documents`,
      )
      .get()!;
  }

  async languages(): Promise<string[]> {
    return this.db.prepare<[], { language: string }>('SELECT DISTINCT language FROM documents ORDER BY language').all().map((r) => r.language);
  }

  async categories(): Promise<string[]> {
    return this.db.prepare<[], { category: string }>('SELECT DISTINCT category FROM documents WHERE category IS NOT NULL ORDER BY category').all().map((r) => r.category);
  }

  // ---------------------------------------------------------------- vectors

  private checkQueryVector(vector: Float32Array, dimension: number): void {
    if (vector.length !== dimension) throw new AnswerdeskError('ADK_DIMENSION_MISMATCH', { actual: vector.length, expected: dimension });
    const bad = firstNonFinite(vector);
    if (bad >= 0) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'vector', reason: `has ${vector[bad]} at component ${bad}; vectors must be finite` });
  }

  /**
   * The k documents whose best passage is nearest to `vector` (cosine
   * similarity, best first, ties by id). Passages are over-fetched from the
   * in-memory HNSW graph (caught up with every commit first, this process's
   * and others'), filtered during the graph walk, and grouped per document;
   * when that finds fewer than k documents (few match the filter, or few
   * documents hold many passages), an exact scan of the BLOBs has the last word.
   */
  async searchVectors(vector: Float32Array, k: number, filter?: DocFilter): Promise<ScoredId[]> {
    if (!(k > 0)) return [];
    const info = this.readInfo();
    if (!info) return [];
    this.checkQueryVector(vector, info.dimension);
    const wanted = Math.ceil(k);
    const ann = await this.loadedVectors();
    if (!ann || ann.index.size === 0) return [];
    let allowed: Set<string> | undefined;
    if (hasFilter(filter)) {
      const params: unknown[] = [];
      allowed = new Set(this.db.prepare<unknown[], { id: string }>(`SELECT d.id FROM documents d WHERE 1${filterSql(filter, params)}`).all(...params).map((r) => r.id));
      if (allowed.size === 0) return [];
      // A filter that lets few documents through (the sections of a store of tickets): the graph would
      // wander through thousands of refused nodes, while reading those documents' vectors is exact and quick.
      if (allowed.size * SELECTIVE_FILTER < ann.index.size) return this.exactSearch(vector, wanted, filter);
    }
    const accept = allowed ? (key: string) => allowed.has(ann.docOf.get(key) ?? '') : undefined;
    for (let limit = Math.max(wanted * 4, 40); ; limit *= 4) {
      const hits = ann.index.search(vector, limit, accept);
      const best = new Map<string, number>();
      for (const hit of hits) {
        const id = ann.docOf.get(hit.key);
        if (id === undefined) continue;
        const previous = best.get(id);
        if (previous === undefined || hit.similarity > previous) best.set(id, hit.similarity);
      }
      if (best.size >= wanted) return [...best].map(([id, score]) => ({ id, score })).sort(byScore).slice(0, wanted);
      // The graph gave all it had (the whole index, or what the filter let through): exact.
      if (limit >= ann.index.size || hits.length < limit) break;
    }
    return this.exactSearch(vector, wanted, filter);
  }

  private exactSearch(vector: Float32Array, k: number, filter?: DocFilter): ScoredId[] {
    const params: unknown[] = [];
    const sql = hasFilter(filter)
      ? `SELECT p.doc_id AS id, p.vector FROM passages p JOIN documents d ON d.id = p.doc_id WHERE 1${filterSql(filter, params)}`
      : 'SELECT doc_id AS id, vector FROM passages';
    const queryNorm = norm(vector);
    const best = new Map<string, number>();
    for (const row of this.db.prepare<unknown[], { id: string; vector: Buffer }>(sql).iterate(...params)) {
      const stored = blobVector(row.vector);
      if (!stored || stored.length !== vector.length) continue;
      const score = cosine(vector, queryNorm, stored);
      const previous = best.get(row.id);
      if (previous === undefined || score > previous) best.set(row.id, score);
    }
    return [...best].map(([id, score]) => ({ id, score })).sort(byScore).slice(0, k);
  }

  async similarities(ids: readonly string[], vector: Float32Array): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!ids.length) return out;
    const info = this.readInfo();
    if (!info) return out;
    this.checkQueryVector(vector, info.dimension);
    const queryNorm = norm(vector);
    for (const batch of chunks([...new Set(ids)], IN_BATCH)) {
      const rows = this.db.prepare<string[], { id: string; vector: Buffer }>(`SELECT doc_id AS id, vector FROM passages WHERE doc_id IN (${inList(batch.length)})`).all(...batch);
      for (const row of rows) {
        const stored = blobVector(row.vector);
        if (!stored || stored.length !== vector.length) continue;
        const score = cosine(vector, queryNorm, stored);
        const previous = out.get(row.id);
        if (previous === undefined || score > previous) out.set(row.id, score);
      }
    }
    return out;
  }

  /**
   * Reads (or builds) the vector index now, instead of on the first vector
   * search, and says where it came from. A service calls it at start so its
   * first question is fast.
   */
  async loadVectorIndex(options: { onProgress?: (progress: { done: number; total: number }) => void } = {}): Promise<VectorIndexStatus | undefined> {
    const ann = await this.loadedVectors(options.onProgress);
    return ann && this.vectorStatus();
  }

  /**
   * `vectors()`, after building a cache that must be made from scratch on a worker thread (once,
   * however many searches wait for it), so a first search after a bulk index never holds this thread.
   */
  private async loadedVectors(onProgress?: (progress: { done: number; total: number }) => void): Promise<Ann | undefined> {
    if (!this.ann && this.fileBacked) {
      this.offThread ??= this.buildCacheOffThread(onProgress).finally(() => (this.offThread = undefined));
      await this.offThread;
    }
    return this.vectors();
  }

  /** The in-memory vector index as it is now (undefined before it was loaded). */
  vectorStatus(): VectorIndexStatus | undefined {
    const ann = this.ann;
    if (!ann) return undefined;
    return {
      origin: ann.origin,
      ...(this.rebuildReason ? { rebuildReason: this.rebuildReason } : {}),
      ...(this.builtOffThread ? { builtOffThread: this.builtOffThread } : {}),
      size: ann.index.size,
      seq: ann.seq,
      caughtUp: ann.caughtUp,
    };
  }

  /**
   * The vector index, current with every commit: one pragma read when nothing
   * changed. Another connection's commit changes `data_version`; this one's own
   * writes set `ownChanges`. Then it catches up from the change log in one read
   * transaction (a consistent snapshot), or is read from the cache / rebuilt.
   */
  private vectors(): Ann | undefined {
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    if (this.ann && dataVersion === this.seenDataVersion && !this.ownChanges) return this.ann;
    let rebuilt = false;
    this.db
      .transaction(() => {
        const info = this.readInfo();
        if (!info) {
          this.ann = undefined;
          return;
        }
        const floor = Number(readMeta(this.db, META.changesFloor) ?? 0);
        const last = this.lastSeq();
        let ann = this.ann && this.ann.model === info.model && this.ann.dimension === info.dimension ? this.ann : undefined;
        let reason: string | undefined;
        if (!ann) {
          const cached = this.fileBacked ? readCache(this.file, { databaseId: this.databaseId(), model: info.model, dimension: info.dimension }, this.options.vectorIndex ?? {}) : { reason: 'in-memory database' };
          if ('index' in cached) {
            if (cached.index.dimension !== info.dimension) reason = 'graph of another dimension';
            else {
              ann = { index: cached.index, model: info.model, dimension: info.dimension, seq: cached.seq, savedSeq: cached.seq, docOf: this.passageDocs(), origin: 'cache', caughtUp: 0 };
              this.rebuildReason = undefined;
            }
          } else reason = cached.reason;
        }
        if (ann && ann.seq < floor) reason = `stamp ${ann.seq} is older than the change log (trimmed to ${floor})`;
        else if (ann && ann.seq > last) reason = `stamp ${ann.seq} is newer than the database (last change ${last})`;
        if (ann && reason === undefined) this.catchUp(ann, last);
        else {
          ann = this.rebuild(info, last);
          this.rebuildReason = reason;
          rebuilt = true;
        }
        this.ann = ann;
      })
      .deferred();
    this.seenDataVersion = dataVersion;
    this.ownChanges = false;
    const ann = this.ann;
    if (ann && this.fileBacked && ann.seq !== ann.savedSeq && (rebuilt || ann.seq - ann.savedSeq >= (this.options.saveVectorsEvery ?? 10_000))) {
      writeCache(this.file, ann, this.databaseId());
    }
    return ann;
  }

  private passageDocs(): Map<string, string> {
    const out = new Map<string, string>();
    for (const row of this.db.prepare<[], { key: string; doc_id: string }>('SELECT key, doc_id FROM passages').iterate()) out.set(row.key, row.doc_id);
    return out;
  }

  /** Applies the changes after `ann.seq` up to `last`: the current row of each changed key (a vector that is not a whole, finite vector of the dimension counts as absent; verify reports it). */
  private catchUp(ann: Ann, last: number): void {
    if (last === ann.seq) return;
    const rows = this.db
      .prepare<[number, number], { key: string; doc_id: string | null; vector: Buffer | null }>(
        `SELECT c.key, p.doc_id, p.vector
         FROM (SELECT DISTINCT key FROM changes WHERE seq > ? AND seq <= ?) AS c
         LEFT JOIN passages p ON p.key = c.key`,
      )
      .iterate(ann.seq, last);
    for (const row of rows) {
      const vector = row.vector ? blobVector(row.vector) : undefined;
      if (row.doc_id !== null && vector && vector.length === ann.dimension && firstNonFinite(vector) < 0) {
        ann.index.upsert(row.key, vector);
        ann.docOf.set(row.key, row.doc_id);
      } else {
        ann.index.remove(row.key);
        ann.docOf.delete(row.key);
      }
      ann.caughtUp++;
    }
    ann.seq = last;
  }

  private rebuild(info: Info, last: number): Ann {
    return buildAnn(this.db, info.model, info.dimension, last, this.options.vectorIndex ?? {});
  }

  /**
   * When the vector cache on disk cannot be caught up (missing, of another database or model, older
   * than the trimmed change log) and the store is big enough for it to matter, builds it on a worker
   * thread with its own read connection: at 100k tickets that is minutes of CPU, which on this thread
   * would stop a service answering anything, health checks included. True when it wrote a fresh cache.
   */
  private async buildCacheOffThread(onProgress?: (progress: { done: number; total: number }) => void): Promise<boolean> {
    if (!this.fileBacked || this.ann) return false;
    const info = this.readInfo();
    if (!info) return false;
    const expect = { databaseId: this.databaseId(), model: info.model, dimension: info.dimension };
    const checked = checkCache(this.file, expect);
    const floor = Number(readMeta(this.db, META.changesFloor) ?? 0);
    if ('stamp' in checked && checked.stamp.seq >= floor && checked.stamp.seq <= this.lastSeq()) return false;
    const passages = this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM passages').get()!.n;
    if (passages < (this.options.buildOffThreadFrom ?? OFF_THREAD_FROM)) return false;
    const built = await buildCacheInWorker(this.file, expect, this.options.vectorIndex ?? {}, onProgress);
    if (built) this.builtOffThread = 'reason' in checked ? checked.reason : 'stamp older than the change log';
    return built;
  }

  // ---------------------------------------------------------------- words

  /**
   * Full-text search: documents holding any term of `text` (analyzed in
   * `language` by our analyzer: stop words, stemmer, folded accents), ranked
   * by BM25 over the whole table (exact corpus statistics), title counted
   * twice. `score` is -bm25(), so higher is better. Text without terms finds nothing.
   */
  async searchLexical(text: string, language: string, k: number, filter?: DocFilter): Promise<ScoredId[]> {
    return (await this.lexical(text, language, k, filter, false)).map(({ id, score }) => ({ id, score }));
  }

  /** Documents of every kind, as the triggers count them. */
  private documentCount(): number {
    return this.db.prepare<[], { n: number }>("SELECT coalesce(sum(n), 0) AS n FROM counts WHERE name <> '#passages'").get()!.n;
  }

  /** The documents (rid → id) a filter lets through when they are few (see SELECTIVE_FILTER); undefined otherwise. */
  private fewAllowed(filter: DocFilter): Map<number, string> | undefined {
    const params: unknown[] = [];
    const where = filterSql(filter, params);
    const documents = this.documentCount();
    const rows = this.db.prepare<unknown[], { rid: number; id: string }>(`SELECT d.rid, d.id FROM documents d WHERE 1${where} LIMIT ?`).all(...params, Math.floor(documents / SELECTIVE_FILTER) + 1);
    return rows.length * SELECTIVE_FILTER < documents ? new Map(rows.map((row) => [row.rid, row.id])) : undefined;
  }

  /** `searchLexical` with the query terms each document holds (sorted). */
  async searchLexicalTerms(text: string, language: string, k: number, filter?: DocFilter): Promise<Array<ScoredId & { terms: string[] }>> {
    return this.lexical(text, language, k, filter, true);
  }

  private async lexical(text: string, language: string, k: number, filter: DocFilter | undefined, withTerms: boolean): Promise<Array<ScoredId & { terms: string[] }>> {
    if (!(k > 0) || typeof text !== 'string' || text.trim() === '') return [];
    const terms = queryTerms(text, language);
    if (!terms.length) return [];
    const params: unknown[] = [matchAny(terms)];
    const condition = filterSql(filter, params);
    params.push(Math.ceil(k));
    // Unfiltered, the best rows are found on the word index alone and only they are joined to their
    // documents: joining every matching row first took 4 times as long at 100k tickets. The list is
    // longer than k so that ties at its end are still ordered by id.
    let rows: Array<{ id: string; score: number; rid: number }>;
    // The rows' analyzed texts where the ranking has read them already (the shortlist): read once.
    let known: ReadonlyMap<number, [string, string]> | undefined;
    const few = filter && hasFilter(filter) ? this.fewAllowed(filter) : undefined;
    const scored = few && scoreWordRows(this.db, terms, [...few.keys()], few.size, this.termCounts);
    if (scored) {
      // The rows the filter lets through, scored here: FTS5 would score every row holding a common word first.
      rows = scored.map((row) => ({ id: few.get(row.rid)!, score: row.score, rid: row.rid })).sort(byScore).slice(0, Math.ceil(k));
    } else if (hasFilter(filter)) {
      rows = this.db
        .prepare<unknown[], { id: string; score: number; rid: number }>(
          `SELECT d.id, -${BM25_SQL} AS score, d.rid
           FROM documents_fts JOIN documents d ON d.rid = documents_fts.rowid
           WHERE documents_fts MATCH ?${condition}
           ORDER BY score DESC, d.id
           LIMIT ?`,
        )
        .all(...params);
    } else {
      const ranking = bestWordRows(this.db, terms, Math.ceil(k) + 10, this.options.wordShortlist, this.termCounts);
      const best = ranking.rows;
      known = ranking.texts;
      const ids = new Map(
        this.db
          .prepare<[string], { rid: number; id: string }>('SELECT rid, id FROM documents WHERE rid IN (SELECT value FROM json_each(?))')
          .all(JSON.stringify(best.map((row) => row.rid)))
          .map((row) => [row.rid, row.id]),
      );
      rows = best
        .filter((row) => ids.has(row.rid))
        .map((row) => ({ id: ids.get(row.rid)!, score: row.score, rid: row.rid }))
        .sort(byScore)
        .slice(0, Math.ceil(k));
    }
    if (!withTerms) return rows.map((r) => ({ id: r.id, score: r.score, terms: [] }));
    const wanted = new Set(terms);
    const texts = known ?? wordTexts(this.db, rows.map((r) => r.rid));
    return rows.map((r) => {
      const held = new Set((texts.get(r.rid) ?? []).join(' ').split(' ').filter((term) => wanted.has(term)));
      return { id: r.id, score: r.score, terms: terms.filter((term) => held.has(term)) };
    });
  }

  /**
   * The terms of a question with BM25's inverse document frequency over every
   * document (exact counts from the FTS5 vocabulary): a rare word weighs more
   * than a common one, a word found nowhere weighs most. Sorted by term.
   */
  async weighTerms(text: string, language: string): Promise<TermWeight[]> {
    if (typeof text !== 'string' || text.trim() === '') return [];
    const terms = queryTerms(text, language);
    if (!terms.length) return [];
    // The triggers' counts: count(*) walks the whole table (a millisecond per question at 100k documents).
    const n = Math.max(1, this.documentCount());
    const counts = this.db.transaction(() => this.termCounts(terms)).deferred();
    return terms.map((term) => {
      const df = counts.get(term)!;
      return { term, weight: Math.log(1 + (n - df + 0.5) / (df + 0.5)) };
    });
  }

  /** Makes the FTS rows again when they were analyzed by another version of the analyzers. */
  private reanalyzeIfNeeded(): void {
    if (readMeta(this.db, META.analysis) === String(ANALYSIS_VERSION)) return;
    this.db
      .transaction(() => {
        if (readMeta(this.db, META.analysis) === String(ANALYSIS_VERSION)) return;
        this.db.exec('DELETE FROM documents_fts');
        const insert = this.db.prepare('INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)');
        for (const row of this.db.prepare<[], { rid: number; doc: string }>('SELECT rid, doc FROM documents').all()) {
          const words = analyzedRow(JSON.parse(row.doc) as KnowledgeDoc);
          insert.run(row.rid, words.title, words.body);
        }
        this.db.exec('DELETE FROM word_docs; INSERT INTO word_docs (term, docs) SELECT term, doc FROM documents_terms;');
        writeMeta(this.db, META.analysis, ANALYSIS_VERSION);
      })
      .immediate();
  }

  // ---------------------------------------------------------------- categorizers and feedback

  async putCategorizer(field: string, origin: string, state: unknown): Promise<number> {
    return this.mutate(() => {
      this.db
        .prepare(
          `INSERT INTO categorizers (field, origin, state, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (field) DO UPDATE SET origin = excluded.origin, state = excluded.state, updated_at = excluded.updated_at`,
        )
        .run(field, origin, JSON.stringify(state), new Date().toISOString());
    });
  }

  async categorizers(): Promise<StoredCategorizer[]> {
    return this.db
      .prepare<[], { field: string; origin: string; state: string }>('SELECT field, origin, state FROM categorizers ORDER BY field')
      .all()
      .map((r) => ({ field: r.field, origin: r.origin, state: JSON.parse(r.state) as unknown }));
  }

  async removeCategorizer(field: string): Promise<boolean> {
    if (!this.db.prepare('SELECT 1 FROM categorizers WHERE field = ?').get(field)) return false;
    let removed = false;
    this.mutate(() => {
      removed = this.db.prepare('DELETE FROM categorizers WHERE field = ?').run(field).changes > 0;
    });
    return removed;
  }

  async addFeedback<F extends { id: string; at: string }>(entry: F): Promise<void> {
    this.append('feedback', entry);
  }

  /** Adds an entry to an append-only log table (feedback, questions), durably; an id recorded before is kept as it was. */
  private append(table: 'feedback' | 'questions', entry: { id: string; at: string }): void {
    const at = checkLogEntry(entry);
    this.guarded(() =>
      this.db
        .transaction(() => {
          if (!this.readInfo()) throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir: this.location });
          this.db.prepare(`INSERT INTO ${table} (id, at_ms, entry) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`).run(entry.id, at, JSON.stringify(entry));
        })
        .immediate(),
    );
  }

  async feedback<F = Record<string, unknown>>(): Promise<F[]> {
    return this.db
      .prepare<[], { entry: string }>('SELECT entry FROM feedback ORDER BY at_ms, id')
      .all()
      .map((r) => JSON.parse(r.entry) as F);
  }

  async logQuestion<Q extends { id: string; at: string }>(entry: Q): Promise<void> {
    this.append('questions', entry);
  }


  async questions<Q = Record<string, unknown>>(since?: string): Promise<Q[]> {
    const from = since === undefined ? 0 : Date.parse(since);
    return this.db
      .prepare<[number], { entry: string }>('SELECT entry FROM questions WHERE at_ms >= ? ORDER BY at_ms, id')
      .all(Number.isNaN(from) ? 0 : from)
      .map((r) => JSON.parse(r.entry) as Q);
  }

  // ---------------------------------------------------------------- checks, backup, lifecycle

  /**
   * `PRAGMA integrity_check` (FTS5's own check included), then our consistency checks:
   * every passage's document exists, every document (but templates) has a
   * passage and exactly one FTS row of the current analysis, every vector is
   * a whole, finite vector of the dimension, and the vector index holds
   * exactly the passages.
   */
  async verify(): Promise<{ problems: string[] }> {
    const problems: string[] = [];
    // PRAGMA integrity_check includes FTS5's own check (since SQLite 3.44) and is read-only, so
    // doctor never waits for another process's write lock. FTS5 caches its index structure per
    // connection and refreshes it when an FTS5 query starts, not for the pragma: after another
    // process's write the pragma would compare against a stale checksum and report a mismatch
    // that is not there. So a MATCH first, in the same read transaction (one snapshot).
    const integrity = this.db
      .transaction(() => {
        this.db.prepare("SELECT count(*) AS n FROM documents_fts WHERE documents_fts MATCH '\"\"'").get();
        return this.db.prepare<[], { integrity_check: string }>('PRAGMA integrity_check').all().map((r) => r.integrity_check);
      })
      .deferred();
    if (!(integrity.length === 1 && integrity[0] === 'ok')) problems.push(`SQLite integrity check: ${integrity.slice(0, 5).join('; ')}`);
    const info = this.readInfo();
    if (!info) return { problems: [...problems, `${this.location} holds no knowledge base`] };
    const count = (sql: string, ...params: unknown[]) => this.db.prepare<unknown[], { n: number }>(sql).get(...params)!.n;
    const examples = (sql: string, ...params: unknown[]) =>
      this.db
        .prepare<unknown[], { id: string }>(`${sql} LIMIT 3`)
        .all(...params)
        .map((r) => JSON.stringify(r.id))
        .join(', ');
    const orphanPassages = count('SELECT count(*) AS n FROM passages p WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = p.doc_id)');
    if (orphanPassages) problems.push(`${orphanPassages} passage(s) belong to no document, e.g. ${examples('SELECT p.key AS id FROM passages p WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = p.doc_id)')}`);
    const noPassage = count("SELECT count(*) AS n FROM documents d WHERE d.kind IN ('article', 'ticket') AND NOT EXISTS (SELECT 1 FROM passages p WHERE p.doc_id = d.id)");
    if (noPassage) problems.push(`${noPassage} document(s) have no passage, e.g. ${examples("SELECT d.id FROM documents d WHERE d.kind IN ('article', 'ticket') AND NOT EXISTS (SELECT 1 FROM passages p WHERE p.doc_id = d.id) ORDER BY d.id")}`);
    const noWords = count('SELECT count(*) AS n FROM documents d WHERE NOT EXISTS (SELECT 1 FROM documents_fts f WHERE f.rowid = d.rid)');
    if (noWords) problems.push(`${noWords} document(s) have no row in the word index, e.g. ${examples('SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM documents_fts f WHERE f.rowid = d.rid) ORDER BY d.id')}`);
    const strayWords = count('SELECT count(*) AS n FROM documents_fts f WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.rid = f.rowid)');
    if (strayWords) problems.push(`${strayWords} row(s) of the word index belong to no document`);
    // Documents per word as the writes kept them, against the index's own count (one pass over the index).
    const miscounted = count(
      `SELECT (SELECT count(*) FROM (SELECT term, doc FROM documents_terms EXCEPT SELECT term, docs FROM word_docs))
            + (SELECT count(*) FROM (SELECT term, docs FROM word_docs EXCEPT SELECT term, doc FROM documents_terms)) AS n`,
    );
    if (miscounted) problems.push(`${miscounted} word(s) have a document count that differs from the word index's: every write keeps them, so the file was changed outside Answerdesk; restore a backup`);
    if (readMeta(this.db, META.analysis) !== String(ANALYSIS_VERSION)) problems.push(`the word index was analyzed with analysis version ${readMeta(this.db, META.analysis) ?? 'none'}, not ${ANALYSIS_VERSION}`);
    const kept = await this.counts();
    const rows = this.countedRows();
    if (kept.documents !== rows.documents || kept.articles !== rows.articles || kept.tickets !== rows.tickets || kept.passages !== rows.passages) {
      problems.push(`the kept counts (${JSON.stringify(kept)}) differ from the rows (${JSON.stringify(rows)})`);
    }
    const badCounts = count('SELECT count(*) AS n FROM vocabulary WHERE count <= 0');
    if (badCounts) problems.push(`${badCounts} word(s) of the spellers' vocabulary have a count of zero or less`);
    const badJson = count("SELECT count(*) AS n FROM documents WHERE NOT json_valid(doc) OR json_extract(doc, '$.id') IS NOT id");
    if (badJson) problems.push(`${badJson} document(s) have a damaged JSON body`);
    const wrongSize = count('SELECT count(*) AS n FROM passages WHERE typeof(vector) <> ? OR length(vector) <> ?', 'blob', info.dimension * 4);
    if (wrongSize) problems.push(`${wrongSize} passage vector(s) are not ${info.dimension}-dimensional float32 BLOBs, e.g. ${examples('SELECT key AS id FROM passages WHERE typeof(vector) <> ? OR length(vector) <> ?', 'blob', info.dimension * 4)}`);
    let nonFinite = 0;
    for (const row of this.db.prepare<[number], { vector: Buffer }>('SELECT vector FROM passages WHERE length(vector) = ?').iterate(info.dimension * 4)) {
      const vector = blobVector(row.vector);
      if (!vector || firstNonFinite(vector) >= 0) nonFinite++;
    }
    if (nonFinite) problems.push(`${nonFinite} passage vector(s) hold NaN or infinite components`);
    try {
      const ann = this.vectors();
      const passages = count('SELECT count(*) AS n FROM passages');
      const usable = passages - wrongSize - nonFinite;
      if (!ann) problems.push('the vector index could not be built');
      else if (ann.index.size !== usable) problems.push(`the vector index holds ${ann.index.size} passage(s), the database ${usable} with a usable vector`);
      else {
        let missing = 0;
        for (const row of this.db.prepare<[], { key: string }>('SELECT key FROM passages').iterate()) if (!ann.index.has(row.key)) missing++;
        if (missing > wrongSize + nonFinite) problems.push(`${missing - wrongSize - nonFinite} passage(s) are missing from the vector index`);
      }
    } catch (error) {
      problems.push(`the vector index could not be read or built: ${reasonOf(error)}`);
    }
    return { problems };
  }

  /**
   * A consistent copy of the database while it is in use (SQLite's online
   * backup: readers and writers carry on). The copy gets its own database id,
   * so a vector cache is never taken for the other file's. The vector cache is
   * not copied: it is rebuilt when the copy is first searched.
   */
  async backup(file: string): Promise<{ pages: number }> {
    if (this.fileBacked && path.resolve(file) === path.resolve(this.file)) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'file', reason: 'is the database itself; back up to another file' });
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    let pages = 0;
    try {
      const result = await this.db.backup(file);
      pages = result.totalPages;
      const copy = new Database(file);
      try {
        configure(copy, this.busyTimeoutMs);
        copy.prepare("UPDATE meta SET value = ? WHERE key = 'database_id'").run(randomUUID());
      } finally {
        copy.close();
      }
    } catch (error) {
      throw new AnswerdeskError('ADK_STORE_WRITE_FAILED', { dir: file, reason: reasonOf(error) }, { cause: error });
    }
    removeCache(file);
    return { pages };
  }

  /** Deletes everything of the knowledge base (the schema stays), and the vector cache. */
  async drop(): Promise<void> {
    this.guarded(() =>
      this.db
        .transaction(() => {
          this.db.exec('DELETE FROM documents_fts; DELETE FROM passages; DELETE FROM documents; DELETE FROM categorizers; DELETE FROM feedback; DELETE FROM questions; DELETE FROM kb; DELETE FROM changes; DELETE FROM vocabulary; DELETE FROM counts; DELETE FROM unit_vectors; DELETE FROM word_docs;');
          writeMeta(this.db, META.vocabulary, 'counted');
          // Every cache and every other process's memory is older than this: they rebuild.
          writeMeta(this.db, META.changesFloor, this.lastSeq());
        })
        .immediate(),
    );
    this.ann = undefined;
    this.ownChanges = true;
    if (this.fileBacked) removeCache(this.file);
  }

  /** Saves the vector cache when it is behind, and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      // A writer that never searched (`answerdesk index`, `tickets add`) leaves a cache of what it
      // wrote, so that the next process to search (a `serve`) reads the graph instead of building it
      // from every passage on its first question: a cache is caught up, a missing one built here.
      if (!this.ann && this.wrotePassages && this.fileBacked && !(await this.buildCacheOffThread())) this.vectors();
      const ann = this.ann;
      if (ann && this.fileBacked) {
        // Only a cache that reflects the file as it is now: caught up first.
        const current = this.db
          .transaction(() => {
            const info = this.readInfo();
            const floor = Number(readMeta(this.db, META.changesFloor) ?? 0);
            const last = this.lastSeq();
            if (!info || info.model !== ann.model || info.dimension !== ann.dimension || ann.seq < floor || ann.seq > last) return false;
            this.catchUp(ann, last);
            return true;
          })
          .deferred();
        if (current && ann.seq !== ann.savedSeq) writeCache(this.file, ann, this.databaseId());
      }
      this.db.pragma('optimize');
    } catch {
      // Closing must not fail over a cache or statistics.
    } finally {
      this.db.close();
    }
  }

  /** How the connection is set up and what the file is, as `doctor` reports it. */
  settings(): { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA'; busyTimeoutMs: number; foreignKeys: boolean; pageSize: number; schemaVersion: number; sqliteVersion: string } {
    const pragma = (name: string) => this.db.pragma(name, { simple: true });
    const levels = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;
    return {
      journalMode: String(pragma('journal_mode')),
      synchronous: levels[Number(pragma('synchronous'))] ?? 'FULL',
      busyTimeoutMs: Number(pragma('busy_timeout')),
      foreignKeys: Number(pragma('foreign_keys')) === 1,
      pageSize: Number(pragma('page_size')),
      schemaVersion: Number(readMeta(this.db, META.schemaVersion) ?? 0),
      sqliteVersion: (this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
    };
  }

  /** The files this store uses: the database, its WAL and shared-memory files, and the vector cache. */
  get files(): { database: string; wal: string; shm: string; graph: string; stamp: string } {
    return { database: this.file, wal: `${this.file}-wal`, shm: `${this.file}-shm`, ...cacheFiles(this.file) };
  }
}

/**
 * Pages of a new file. A passage row (a 2 KiB vector for 512 dimensions, its text and keys) is
 * about 2.7 KiB: one fits a 4 KiB page, wasting a third of it; three fill an 8 KiB page
 * (measured: 26 MiB instead of 39 MiB for 10,000 passages).
 */
const PAGE_SIZE = 8192;

/**
 * Connection settings, per connection:
 * - busy_timeout first, before anything that locks, so even switching to WAL waits for another process instead of failing;
 * - page_size, for a new file only (it is fixed once the file has content and is in WAL mode);
 * - journal_mode=WAL: readers never block the writer nor it them, so `serve` answers while the CLI writes;
 * - synchronous=FULL: a commit returns only after the WAL is fsynced, so an acknowledged write
 *   survives power loss and OS crashes too. NORMAL (SQLite's WAL default) only syncs at checkpoints:
 *   safe against a crash of the process, but the last commits can vanish when the machine loses
 *   power, and we acknowledge a write as durable. The cost is one fsync per write transaction;
 * - foreign_keys=ON: passages go with their documents (ON DELETE CASCADE).
 */
function configure(db: Db, busyTimeoutMs: number, fresh = false): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  if (fresh) db.pragma(`page_size = ${PAGE_SIZE}`);
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (String(mode).toLowerCase() !== 'wal' && db.name !== ':memory:') throw new Error(`could not switch the journal to WAL (got ${String(mode)})`);
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

function checkPassages(passages: ReadonlyArray<Pick<PassageRecord, 'key' | 'vector'>>, dimension: number, option = 'passages'): void {
  for (const [i, passage] of passages.entries()) {
    if (passage.vector?.length !== dimension) throw new AnswerdeskError('ADK_DIMENSION_MISMATCH', { actual: passage.vector?.length ?? 0, expected: dimension });
    const bad = firstNonFinite(passage.vector);
    if (bad >= 0) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option: `${option}[${i}].vector`, reason: `has ${passage.vector[bad]} at component ${bad} (key "${passage.key}"); vectors must be finite` });
    }
  }
}

export { SCHEMA_VERSION };

/** The two tables of counts by word that writes change: their word and count columns. */
const COUNTED = { vocabulary: ['word', 'count'], word_docs: ['term', 'docs'] } as const;

/** Adds each word's change to its count in `table`; a count that falls to 0 or below goes. */
function changeCounts(db: Db, table: keyof typeof COUNTED, change: ReadonlyMap<string, number>): void {
  const [word, count] = COUNTED[table];
  const add = db.prepare(`INSERT INTO ${table} (${word}, ${count}) VALUES (?, ?) ON CONFLICT (${word}) DO UPDATE SET ${count} = ${count} + excluded.${count}`);
  const drop = db.prepare(`DELETE FROM ${table} WHERE ${word} = ? AND ${count} <= 0`);
  for (const [key, by] of change) {
    if (by === 0) continue;
    add.run(key, by);
    if (by < 0) drop.run(key);
  }
}

/**
 * The change a write makes to `word_docs`: each word of a row that leaves the index counts one document
 * less, each word of a row that enters it one more; saved once, before the write commits.
 */
class WordDocs {
  private readonly change = new Map<string, number>();
  private readonly content: Database.Statement<[number], { title: string | null; body: string | null }>;

  constructor(private readonly db: Db) {
    this.content = db.prepare('SELECT c0 AS title, c1 AS body FROM documents_fts_content WHERE id = ?');
  }

  /** The word row of `rid`, about to leave the index (none: nothing changes). */
  remove(rid: number): void {
    const row = this.content.get(rid);
    if (row) this.count([row.title ?? '', row.body ?? ''], -1);
  }

  add(columns: readonly string[]): void {
    this.count(columns, 1);
  }

  save(): void {
    changeCounts(this.db, 'word_docs', this.change);
    this.change.clear();
  }

  private count(columns: readonly string[], by: number): void {
    for (const term of rowTerms(columns)) this.change.set(term, (this.change.get(term) ?? 0) + by);
  }
}
