import { PgDocumentStore, SCHEMA_VERSION, connect, describeUrl, migrate, type Database } from '@answerdesk/postgres';
import { AnswerdeskError } from '@answerdesk/types';
import { StoreKnowledgeBase, type StoreKnowledgeBaseOptions } from './store-knowledge-base.js';

export interface PgKnowledgeBaseOptions extends StoreKnowledgeBaseOptions {
  /** `postgres://user:password@host:5432/db` (or the environment's `ANSWERDESK_DATABASE_URL`, which the CLI reads). */
  databaseUrl?: string;
  /** An open database (a pg pool or PGlite through @answerdesk/postgres); the knowledge base does not close it. */
  database?: Database;
  /** Id of the knowledge base (tenant) in the database: every row and query is scoped by it. Default `default`. */
  knowledgeBase?: string;
  /** Apply pending schema migrations on open. Default true (`answerdesk db migrate` applies them on its own). */
  migrate?: boolean;
}

/** A knowledge base on PostgreSQL + pgvector: the embedded knowledge base's API for several stateless service processes over one database. */
export type PgKnowledgeBase = StoreKnowledgeBase;

/**
 * The knowledge base on PostgreSQL + pgvector. Documents and passage vectors live in the
 * database (HNSW, cosine), the lexical side is PostgreSQL full-text search in each document's
 * language; ranking, translations and confidence are the same code as the embedded store's.
 */
export const PgKnowledgeBase = {
  /** Connect (or use the given database), apply migrations, load the encoder, and create the knowledge base for its model or check it was built with it. */
  async open(options: PgKnowledgeBaseOptions): Promise<PgKnowledgeBase> {
    if (!options.database && !options.databaseUrl) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'databaseUrl', reason: 'is needed (postgres://user:password@host:5432/database), or pass an open database' });
    }
    const db = options.database ?? (await connect(options.databaseUrl!));
    const ownsDatabase = !options.database;
    const kb = options.knowledgeBase ?? 'default';
    const location = `${options.databaseUrl ? describeUrl(options.databaseUrl) : 'postgres'}#${kb}`;
    try {
      if (options.migrate ?? true) await migrate(db);
      const store = new PgDocumentStore({ db, knowledgeBase: kb, location });
      return await StoreKnowledgeBase.over(store, options, {
        engine: 'postgres',
        formatVersion: SCHEMA_VERSION,
        missing: () => new AnswerdeskError('ADK_DATABASE_KB_NOT_FOUND', { kb }),
        ...(ownsDatabase ? { afterClose: () => db.close() } : {}),
      });
    } catch (error) {
      if (ownsDatabase) await db.close().catch(() => undefined);
      throw error;
    }
  },
};
