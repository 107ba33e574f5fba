import { AnswerdeskError, isAnswerdeskError, reasonOf } from '@answerdesk/types';
import type { Database } from './database.js';

/** One schema change. Released migrations never change; a fix is a new migration. */
export interface Migration {
  version: number;
  name: string;
  /** One SQL statement per item: PGlite's query runs one statement at a time, and splitting SQL text is fragile. */
  statements: readonly string[];
}

/**
 * Key of the advisory lock that serializes schema changes (migrations, new
 * vector indexes) across processes: any constant, the same in every release.
 */
export const SCHEMA_LOCK = 4_157_250_093_614_523;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'knowledge bases, documents, passages, categorizers, feedback',
    statements: [
      'CREATE EXTENSION IF NOT EXISTS vector',
      // Text search configurations differ between server versions (estonian is 16+): an unknown one falls back to simple.
      `CREATE OR REPLACE FUNCTION answerdesk_ts_config(name text) RETURNS regconfig LANGUAGE sql STABLE AS $$
        SELECT coalesce(
          (SELECT c.oid::regconfig FROM pg_catalog.pg_ts_config c WHERE c.cfgname = name AND c.cfgnamespace = 'pg_catalog'::regnamespace),
          'pg_catalog.simple'::regconfig)
      $$`,
      `CREATE TABLE answerdesk_kb (
        kb text PRIMARY KEY,
        model text NOT NULL,
        dimension integer NOT NULL CHECK (dimension BETWEEN 1 AND 16000),
        version bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE answerdesk_documents (
        kb text NOT NULL REFERENCES answerdesk_kb (kb) ON DELETE CASCADE,
        id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('article', 'ticket')),
        title text NOT NULL,
        text text NOT NULL,
        answer text NOT NULL,
        category text,
        language text NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        family text,
        hash text NOT NULL,
        source jsonb NOT NULL,
        labels jsonb,
        doc jsonb NOT NULL,
        tsv tsvector NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kb, id)
      )`,
      'CREATE INDEX answerdesk_documents_tsv ON answerdesk_documents USING gin (tsv)',
      'CREATE INDEX answerdesk_documents_kind ON answerdesk_documents (kb, kind)',
      'CREATE INDEX answerdesk_documents_category ON answerdesk_documents (kb, category)',
      'CREATE INDEX answerdesk_documents_language ON answerdesk_documents (kb, language)',
      'CREATE INDEX answerdesk_documents_tags ON answerdesk_documents USING gin (tags)',
      // No fixed dimension: each knowledge base has its model's; HNSW indexes are per dimension (vectorIndexSql).
      `CREATE TABLE answerdesk_passages (
        kb text NOT NULL,
        key text NOT NULL,
        doc_id text NOT NULL,
        text_hash text NOT NULL,
        text text NOT NULL,
        embedding vector NOT NULL,
        PRIMARY KEY (kb, key),
        FOREIGN KEY (kb, doc_id) REFERENCES answerdesk_documents (kb, id) ON DELETE CASCADE
      )`,
      'CREATE INDEX answerdesk_passages_doc ON answerdesk_passages (kb, doc_id)',
      'CREATE INDEX answerdesk_passages_text_hash ON answerdesk_passages (kb, text_hash)',
      `CREATE TABLE answerdesk_categorizers (
        kb text NOT NULL REFERENCES answerdesk_kb (kb) ON DELETE CASCADE,
        field text NOT NULL,
        origin text NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kb, field)
      )`,
      `CREATE TABLE answerdesk_feedback (
        kb text NOT NULL REFERENCES answerdesk_kb (kb) ON DELETE CASCADE,
        id text NOT NULL,
        at timestamptz NOT NULL,
        entry jsonb NOT NULL,
        PRIMARY KEY (kb, id)
      )`,
      'CREATE INDEX answerdesk_feedback_at ON answerdesk_feedback (kb, at)',
    ],
  },
  {
    version: 2,
    name: 'reply templates are documents too',
    statements: [
      // The unnamed CHECK of version 1 got PostgreSQL's default name.
      'ALTER TABLE answerdesk_documents DROP CONSTRAINT IF EXISTS answerdesk_documents_kind_check',
      "ALTER TABLE answerdesk_documents ADD CONSTRAINT answerdesk_documents_kind_check CHECK (kind IN ('article', 'ticket', 'template'))",
    ],
  },
  {
    version: 3,
    name: "the spellers' word counts",
    statements: [
      // Changed by each write with its documents, so the first question after a write does not read every document to count them.
      `CREATE TABLE answerdesk_vocabulary (
        kb text NOT NULL REFERENCES answerdesk_kb (kb) ON DELETE CASCADE,
        word text NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (kb, word)
      )`,
      // True while the table holds the counts of every document of the knowledge base.
      'ALTER TABLE answerdesk_kb ADD COLUMN vocabulary_counted boolean NOT NULL DEFAULT false',
      // An empty knowledge base is complete from the start; one with documents is counted once, on first use.
      'UPDATE answerdesk_kb k SET vocabulary_counted = true WHERE NOT EXISTS (SELECT 1 FROM answerdesk_documents d WHERE d.kb = k.kb)',
    ],
  },
  {
    version: 4,
    name: 'counts kept by the writes',
    statements: [
      // Documents by kind, and passages ('#passages'), changed by each write in its transaction: counting a
      // tenant's 100k tickets and 300k passages on every refresh after a write cost tens of milliseconds.
      `CREATE TABLE answerdesk_counts (
        kb text NOT NULL REFERENCES answerdesk_kb (kb) ON DELETE CASCADE,
        name text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (kb, name)
      )`,
      'INSERT INTO answerdesk_counts (kb, name, n) SELECT kb, kind, count(*) FROM answerdesk_documents GROUP BY kb, kind',
      "INSERT INTO answerdesk_counts (kb, name, n) SELECT kb, '#passages', count(*) FROM answerdesk_passages GROUP BY kb",
    ],
  },
  {
    version: 5,
    name: 'the questions asked',
    statements: [
      // Every question the service and the CLI answered or left open, with its outcome (personal details
      // already masked): what knowledge gaps and article performance are read from.
      `CREATE TABLE answerdesk_questions (
        kb text NOT NULL REFERENCES answerdesk_kb (kb) ON DELETE CASCADE,
        id text NOT NULL,
        at timestamptz NOT NULL,
        entry jsonb NOT NULL,
        PRIMARY KEY (kb, id)
      )`,
      'CREATE INDEX answerdesk_questions_at ON answerdesk_questions (kb, at)',
    ],
  },
  {
    version: 6,
    name: 'word and tag indexes per knowledge base',
    statements: [
      // A GIN index on tsv alone holds every tenant's words: a question's matches in every knowledge base were
      // found, then all but this one's thrown away, so word search cost grew with the other tenants. btree_gin
      // (a contrib extension shipped with PostgreSQL) lets one GIN index start from the knowledge base.
      'CREATE EXTENSION IF NOT EXISTS btree_gin',
      'CREATE INDEX answerdesk_documents_kb_tsv ON answerdesk_documents USING gin (kb, tsv)',
      'DROP INDEX IF EXISTS answerdesk_documents_tsv',
      'CREATE INDEX answerdesk_documents_kb_tags ON answerdesk_documents USING gin (kb, tags)',
      'DROP INDEX IF EXISTS answerdesk_documents_tags',
    ],
  },
  {
    version: 7,
    name: 'answer units\' vectors',
    statements: [
      // Vectors of the texts answering embeds inside sections (answer units, headings), by the hash of model
      // and text: embedded when a section is published, so a question never waits for them. Never searched.
      `CREATE TABLE answerdesk_unit_vectors (
        kb text NOT NULL REFERENCES answerdesk_kb (kb) ON DELETE CASCADE,
        text_hash text NOT NULL,
        embedding vector NOT NULL,
        PRIMARY KEY (kb, text_hash)
      )`,
    ],
  },
  {
    version: 8,
    name: 'glossaries are documents too',
    statements: [
      'ALTER TABLE answerdesk_documents DROP CONSTRAINT IF EXISTS answerdesk_documents_kind_check',
      "ALTER TABLE answerdesk_documents ADD CONSTRAINT answerdesk_documents_kind_check CHECK (kind IN ('article', 'ticket', 'template', 'glossary'))",
    ],
  },
];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = Math.max(...migrations.map((m) => m.version));

/** HNSW builds its graph for vectors of the dimension it was created for (2,000 at most for `vector`). */
export const MAX_INDEXED_DIMENSION = 2000;

export function vectorIndexName(dimension: number): string {
  return `answerdesk_passages_hnsw_${dimension}`;
}

function checkDimension(dimension: number): void {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 16000) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'dimension', reason: `must be a whole number from 1 to 16000 (got ${dimension})` });
  }
}

/**
 * The `embedding` expression and the predicate vector searches of this
 * dimension must use word for word, so the planner can match the partial
 * expression index. The dimension is an integer literal, never a parameter:
 * a partial index is only used when its predicate is provable at plan time.
 */
export function vectorExpression(dimension: number, alias = 'p'): { embedding: string; predicate: string } {
  checkDimension(dimension);
  return { embedding: `(${alias}.embedding::vector(${dimension}))`, predicate: `vector_dims(${alias}.embedding) = ${dimension}` };
}

/** Creates the HNSW index for vectors of `dimension` unless it exists. Run inside a transaction. */
export async function ensureVectorIndex(tx: Database, dimension: number): Promise<void> {
  checkDimension(dimension);
  // Beyond HNSW's limit searches stay exact (a sequential scan): slower, never wrong.
  if (dimension > MAX_INDEXED_DIMENSION) return;
  const name = vectorIndexName(dimension);
  const { rows } = await tx.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
  if (rows[0]?.present) return;
  // Two processes creating the same index at once would collide on the catalog; the schema lock orders them.
  await tx.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
  await tx.query(
    `CREATE INDEX IF NOT EXISTS ${name} ON answerdesk_passages USING hnsw ((embedding::vector(${dimension})) vector_cosine_ops) WHERE vector_dims(embedding) = ${dimension}`,
  );
}

export interface MigrateOptions {
  /** The migrations to apply; default: this release's. */
  migrations?: readonly Migration[];
}

/**
 * Brings the schema up to date: applies each pending migration in its own
 * transaction under an advisory lock, so processes starting together apply
 * each migration once. Returns the versions this call applied (often none).
 * A schema newer than this code knows is refused with ADK_DATABASE_SCHEMA_NEWER,
 * a pgvector older than MIN_PGVECTOR with ADK_DATABASE_EXTENSION_OLD.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<number[]> {
  const known = [...(options.migrations ?? migrations)].sort((a, b) => a.version - b.version);
  const latest = known.length ? known[known.length - 1]!.version : 0;
  const applied: number[] = [];
  for (;;) {
    const version = await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
      await tx.query(`CREATE TABLE IF NOT EXISTS answerdesk_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await tx.query<{ version: number }>('SELECT version FROM answerdesk_migrations');
      const present = new Set(rows.map((r) => Number(r.version)));
      const found = Math.max(0, ...present);
      if (found > latest) throw new AnswerdeskError('ADK_DATABASE_SCHEMA_NEWER', { found, supported: latest });
      const next = known.find((m) => !present.has(m.version));
      if (!next) return undefined;
      try {
        for (const statement of next.statements) await tx.query(statement);
        await tx.query('INSERT INTO answerdesk_migrations (version, name) VALUES ($1, $2)', [next.version, next.name]);
      } catch (error) {
        if (isAnswerdeskError(error)) throw error;
        throw new AnswerdeskError('ADK_DATABASE_MIGRATION_FAILED', { version: next.version, name: next.name, reason: reasonOf(error) }, { cause: error });
      }
      return next.version;
    });
    if (version === undefined) break;
    applied.push(version);
  }
  await checkVectorExtension(db);
  return applied;
}

/** Searches set hnsw.iterative_scan, which pgvector knows from 0.8.0 on (and older versions refuse). */
export const MIN_PGVECTOR = '0.8.0';

/** Is this pgvector version (e.g. "0.8.7") at least MIN_PGVECTOR? Pure. */
export function pgvectorSupported(version: string): boolean {
  const parts = (v: string) => v.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const [found, required] = [parts(version), parts(MIN_PGVECTOR)];
  for (let i = 0; i < Math.max(found.length, required.length); i++) {
    const difference = (found[i] ?? 0) - (required[i] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

async function checkVectorExtension(db: Database): Promise<void> {
  const { rows } = await db.query<{ version: string }>("SELECT extversion AS version FROM pg_extension WHERE extname = 'vector'");
  const found = rows[0]?.version;
  // Absent only when a custom migration list is applied: migration 1 creates it.
  if (found !== undefined && !pgvectorSupported(found)) throw new AnswerdeskError('ADK_DATABASE_EXTENSION_OLD', { found, required: MIN_PGVECTOR });
}

/** The schema version of the database: 0 before the first migration. */
export async function schemaVersion(db: Database): Promise<number> {
  const { rows } = await db.query<{ present: boolean }>("SELECT to_regclass('answerdesk_migrations') IS NOT NULL AS present");
  if (!rows[0]?.present) return 0;
  const versions = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM answerdesk_migrations');
  return Number(versions.rows[0]?.version ?? 0);
}
