import { AnswerdeskError, openStoreFolder, type Encoder, type KnowledgeService } from '@answerdesk/core';
import type { Database } from '@answerdesk/postgres';
import { encoderFrom, type ModelCli } from './models.js';

/** The global options that say which knowledge base a command works on. */
export interface KnowledgeCli extends ModelCli {
  store: string;
  defaultLanguage: string;
  databaseUrl?: string;
  knowledgeBase?: string;
}

/** Knowledge-base (tenant) ids, as the database accepts them. */
export const KNOWLEDGE_BASE_ID = /^[A-Za-z0-9._-]{1,64}$/;

export const DATABASE_URL_HINT = 'pass --database-url postgres://user:password@host:5432/database, or set ANSWERDESK_DATABASE_URL';

/** A PostgreSQL knowledge base the options ask for (`--database-url`, else ANSWERDESK_DATABASE_URL), or undefined for the store folder. */
export function databaseOf(options: KnowledgeCli, env: Record<string, string | undefined>): { url: string; knowledgeBase: string } | undefined {
  const url = options.databaseUrl ?? (env.ANSWERDESK_DATABASE_URL || undefined);
  if (url === undefined) {
    if (options.knowledgeBase !== undefined) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: '--knowledge-base', reason: `names a knowledge base in a database; ${DATABASE_URL_HINT} (a store folder holds one knowledge base)` });
    return undefined;
  }
  if (url.trim() === '') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: '--database-url', reason: 'is empty' });
  const knowledgeBase = options.knowledgeBase ?? (env.ANSWERDESK_KNOWLEDGE_BASE || 'default');
  if (!KNOWLEDGE_BASE_ID.test(knowledgeBase)) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'ANSWERDESK_KNOWLEDGE_BASE', reason: `must be 1–64 letters, digits, ".", "_" or "-" (got ${JSON.stringify(knowledgeBase)})` });
  }
  return { url, knowledgeBase };
}

/** The database URL for `answerdesk db …`; ADK_OPTION_INVALID when there is none. */
export function requireDatabaseUrl(options: KnowledgeCli, env: Record<string, string | undefined>): string {
  const url = options.databaseUrl ?? (env.ANSWERDESK_DATABASE_URL || undefined);
  if (url === undefined || url.trim() === '') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: '--database-url', reason: `is needed by \`answerdesk db\` commands: ${DATABASE_URL_HINT}` });
  return url;
}

/** Does knowledge base `id` exist in the database? (False on a database with no Answerdesk schema yet.) */
export async function knowledgeBaseExists(db: Database, id: string): Promise<boolean> {
  const { schemaVersion } = await import('@answerdesk/postgres');
  if ((await schemaVersion(db)) === 0) return false;
  const { rows } = await db.query('SELECT 1 FROM answerdesk_kb WHERE kb = $1', [id]);
  return rows.length > 0;
}

/** `kb`, closing `db` after it (the knowledge base does not close a database it was given). */
function closingDatabase(kb: KnowledgeService, db: Database): KnowledgeService {
  return new Proxy(kb, {
    get(target, property) {
      if (property === 'close') {
        return async () => {
          try {
            await target.close();
          } finally {
            await db.close();
          }
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface OpenKnowledgeOptions {
  /**
   * The knowledge base must exist (search, suggest, doctor…): a store folder
   * holding one (ADK_STORE_NOT_FOUND), or a knowledge base of that id in the
   * database (ADK_DATABASE_KB_NOT_FOUND). Otherwise it is created.
   */
  existing: boolean;
  /** USE-lite embeds batches of this many passages in worker threads. */
  workerThreshold?: number;
  /** This encoder instead of the one the options name. */
  encoder?: Encoder;
}

/**
 * The knowledge base a command works on: the store folder (`--store`, the
 * default), or with `--database-url` (or ANSWERDESK_DATABASE_URL) knowledge
 * base `--knowledge-base` (default `default`) in PostgreSQL, whose pending
 * migrations are applied first.
 */
export async function openKnowledge(options: KnowledgeCli, env: Record<string, string | undefined>, open: OpenKnowledgeOptions): Promise<KnowledgeService> {
  const database = databaseOf(options, env);
  const encoder: Encoder = open.encoder ?? encoderFrom(options, env, open.workerThreshold);
  if (!database) {
    // A file, or a folder of someone's files, is not a store: openStoreFolder says so, rather than "damaged" or "not found".
    return openStoreFolder({ store: options.store, encoder, defaultLanguage: options.defaultLanguage, existing: open.existing });
  }
  // PostgreSQL's client is loaded only by a command that uses it.
  const { PgKnowledgeBase, connect } = await import('@answerdesk/core/postgres');
  const db = await connect(database.url);
  try {
    if (open.existing && !(await knowledgeBaseExists(db, database.knowledgeBase))) throw new AnswerdeskError('ADK_DATABASE_KB_NOT_FOUND', { kb: database.knowledgeBase });
    const kb = await PgKnowledgeBase.open({ database: db, databaseUrl: database.url, knowledgeBase: database.knowledgeBase, encoder, defaultLanguage: options.defaultLanguage });
    return closingDatabase(kb, db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
