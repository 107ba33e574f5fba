import { randomUUID } from 'node:crypto';
import type DatabaseConstructor from 'better-sqlite3';
import { AnswerdeskError } from '@answerdesk/types';

type Db = DatabaseConstructor.Database;

export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, as an ordered list of migrations; each runs once, in one
 * transaction with the bump of `schema_version`. Never edit a released one:
 * append the next.
 */
export const migrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'documents, passages, words, categorizers, feedback, change log',
    sql: `
      -- The one knowledge base of this file: its model, dimension and version (bumped by every write).
      CREATE TABLE kb (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        model TEXT NOT NULL,
        dimension INTEGER NOT NULL CHECK (dimension > 0),
        version INTEGER NOT NULL DEFAULT 0
      );

      -- rid is an alias of the rowid, so it never changes (VACUUM keeps it): it is the FTS5 rowid.
      CREATE TABLE documents (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        language TEXT NOT NULL,
        category TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        family TEXT,
        hash TEXT NOT NULL,
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX documents_kind ON documents (kind, id);
      CREATE INDEX documents_category ON documents (category) WHERE category IS NOT NULL;
      CREATE INDEX documents_language ON documents (language);

      -- Vectors are float32 little-endian BLOBs: the source of truth the ANN cache is built from.
      CREATE TABLE passages (
        rid INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vector BLOB NOT NULL
      );
      CREATE INDEX passages_doc ON passages (doc_id);
      CREATE INDEX passages_text_hash ON passages (text_hash);

      -- Words: title and body already analyzed by our per-language analyzers (terms joined by
      -- spaces), so the 'ascii' tokenizer only splits at the spaces; ranked with bm25().
      CREATE VIRTUAL TABLE documents_fts USING fts5 (title, body, tokenize = 'ascii');
      -- Exact document frequency of every term, for the inverse document frequencies of weighTerms.
      CREATE VIRTUAL TABLE documents_terms USING fts5vocab (documents_fts, 'row');
      CREATE TRIGGER documents_deleted AFTER DELETE ON documents BEGIN
        DELETE FROM documents_fts WHERE rowid = old.rid;
      END;

      CREATE TABLE categorizers (
        field TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE feedback (
        id TEXT PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        entry TEXT NOT NULL
      );
      CREATE INDEX feedback_at ON feedback (at_ms, id);

      -- Every change of a passage, appended in the transaction that makes it (triggers, so cascaded
      -- deletes are logged too): what an ANN cache or another process's memory catches up from.
      CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('put', 'delete'))
      );
      CREATE TRIGGER passages_inserted AFTER INSERT ON passages BEGIN
        INSERT INTO changes (key, op) VALUES (new.key, 'put');
      END;
      CREATE TRIGGER passages_updated AFTER UPDATE ON passages BEGIN
        INSERT INTO changes (key, op) SELECT old.key, 'delete' WHERE old.key IS NOT new.key;
        INSERT INTO changes (key, op) VALUES (new.key, 'put');
      END;
      CREATE TRIGGER passages_deleted AFTER DELETE ON passages BEGIN
        INSERT INTO changes (key, op) VALUES (old.key, 'delete');
      END;
    `,
  },
  {
    version: 2,
    name: 'the spellers\' word counts',
    sql: `
      -- Word counts of every document's text (the spellers' vocabulary), changed by each write with its
      -- documents, so a large store is not read whole to count them again after opening.
      CREATE TABLE vocabulary (
        word TEXT PRIMARY KEY,
        count INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- Complete from the start for an empty store; a store with documents is counted once, on first use.
      INSERT INTO meta (key, value) SELECT 'vocabulary', 'counted' WHERE NOT EXISTS (SELECT 1 FROM documents);
    `,
  },
  {
    version: 3,
    name: 'counts kept by triggers',
    sql: `
      -- Documents by kind, and passages (under '#passages'), kept by triggers in every write's own
      -- transaction: counting 100k tickets and 300k passages after each write cost about 20 ms.
      CREATE TABLE counts (
        name TEXT PRIMARY KEY,
        n INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO counts (name, n) SELECT kind, count(*) FROM documents GROUP BY kind;
      INSERT INTO counts (name, n) SELECT '#passages', count(*) FROM passages;
      CREATE TRIGGER documents_counted_in AFTER INSERT ON documents BEGIN
        INSERT INTO counts (name, n) VALUES (new.kind, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER documents_counted_out AFTER DELETE ON documents BEGIN
        UPDATE counts SET n = n - 1 WHERE name = old.kind;
      END;
      CREATE TRIGGER documents_counted_kind AFTER UPDATE OF kind ON documents WHEN old.kind IS NOT new.kind BEGIN
        UPDATE counts SET n = n - 1 WHERE name = old.kind;
        INSERT INTO counts (name, n) VALUES (new.kind, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER passages_counted_in AFTER INSERT ON passages BEGIN
        INSERT INTO counts (name, n) VALUES ('#passages', 1) ON CONFLICT (name) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER passages_counted_out AFTER DELETE ON passages BEGIN
        UPDATE counts SET n = n - 1 WHERE name = '#passages';
      END;
    `,
  },
  {
    version: 4,
    name: 'the questions asked',
    sql: `
      -- Every question the service and the CLI answered or left open, with its outcome (personal
      -- details already masked): what knowledge gaps and article performance are read from.
      CREATE TABLE questions (
        id TEXT PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        entry TEXT NOT NULL
      );
      CREATE INDEX questions_at ON questions (at_ms, id);
    `,
  },
  {
    version: 5,
    name: 'answer units\' vectors',
    sql: `
      -- Vectors of the texts answering embeds inside sections (answer units, headings), by the hash of
      -- model and text: embedded when a section is published, so a question never waits for them.
      CREATE TABLE unit_vectors (
        text_hash TEXT PRIMARY KEY,
        vector BLOB NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'documents per word',
    sql: `
      -- How many documents hold each analyzed word, changed by every write with its documents: counting
      -- a common word's documents in the word index (fts5vocab) walks its whole list, about a millisecond
      -- a word at 100k tickets. Filled from the index once (a fraction of a second at 100k).
      CREATE TABLE word_docs (
        term TEXT PRIMARY KEY,
        docs INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO word_docs (term, docs) SELECT term, doc FROM documents_terms;
    `,
  },
];

export const SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

/** Values of the `meta` table. */
export const META = {
  schemaVersion: 'schema_version',
  /** Identity of this database file (a backup gets its own), so a cache of another file is never taken for this one's. */
  databaseId: 'database_id',
  /** Version of the text analysis the FTS rows were made with (ANALYSIS_VERSION of @answerdesk/index). */
  analysis: 'analysis',
  /** Every change with seq ≤ this was trimmed from the log: a cache older than it is rebuilt. */
  changesFloor: 'changes_floor',
  /** 'counted' while the vocabulary table holds the counts of every document's words; absent when they must be counted again. */
  vocabulary: 'vocabulary',
} as const;

export function readMeta(db: Db, key: string): string | undefined {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
  return row?.value;
}

export function writeMeta(db: Db, key: string, value: string | number): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, String(value));
}

function hasMeta(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get() !== undefined;
}

/** The schema version of the file; 0 for a new (empty) one. */
export function schemaVersion(db: Db): number {
  if (!hasMeta(db)) return 0;
  return Number(readMeta(db, META.schemaVersion) ?? 0);
}

/**
 * Brings the schema up to date: nothing to do costs one read; otherwise the
 * pending migrations run in one IMMEDIATE transaction (so two processes
 * opening a new file at once apply them once). A file from a newer Answerdesk
 * is refused. Returns the version it found.
 */
export function migrate(db: Db, location: string): number {
  const check = (found: number) => {
    if (found > SCHEMA_VERSION) throw new AnswerdeskError('ADK_STORE_VERSION_UNSUPPORTED', { dir: location, found, supported: SCHEMA_VERSION });
  };
  const before = schemaVersion(db);
  check(before);
  if (before === SCHEMA_VERSION) return before;
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
    const found = schemaVersion(db);
    check(found);
    for (const migration of migrations) {
      if (migration.version <= found) continue;
      db.exec(migration.sql);
      writeMeta(db, META.schemaVersion, migration.version);
    }
    if (readMeta(db, META.databaseId) === undefined) writeMeta(db, META.databaseId, randomUUID());
    if (readMeta(db, META.changesFloor) === undefined) writeMeta(db, META.changesFloor, 0);
  }).immediate();
  return before;
}
