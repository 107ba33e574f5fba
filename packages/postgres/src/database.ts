import path from 'node:path';
import pg from 'pg';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';

/**
 * The little of a PostgreSQL client this package needs, so the same code runs
 * on a `pg` pool (production) and on PGlite (tests, embedded use).
 */
export interface Database {
  /** One statement; `$1…` placeholders. Pass JSON as a string with a `::jsonb` cast, arrays of text/number as JS arrays. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when
   * it throws. Inside, use `tx` only (PGlite has one connection: the outer
   * handle waits for the transaction). Nested calls use savepoints.
   */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T>;
  /** Ends the pool or the PGlite instance. */
  close(): Promise<void>;
}

type Query = <R>(sql: string, params?: unknown[]) => Promise<{ rows: R[] }>;

/** A handle on an open transaction; `transaction` nests with savepoints. */
function transactionHandle(query: Query, depth = 0): Database {
  return {
    query,
    async transaction(fn) {
      const name = `answerdesk_sp_${depth + 1}`;
      await query(`SAVEPOINT ${name}`);
      try {
        const result = await fn(transactionHandle(query, depth + 1));
        await query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
    },
    // The transaction ends with its callback; the owner closes the database.
    async close() {},
  };
}

/** `pglite:<dir>`, `pglite://<dir>` → `{ dir }`; `pglite:memory` → `{}`; not a pglite: URL → undefined. */
function pgliteTarget(url: string): { dir?: string } | undefined {
  const match = /^pglite:(?:\/\/)?(.*)$/is.exec(url.trim());
  if (!match) return undefined;
  return match[1] === 'memory' ? {} : { dir: match[1]! };
}

/** Where a connection URL points, for messages: never the password. */
export function describeUrl(url: string): string {
  const embedded = pgliteTarget(url);
  if (embedded) return embedded.dir === undefined ? 'pglite:memory' : `pglite:${path.resolve(embedded.dir)}`;
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    const port = parsed.port ? `:${parsed.port}` : '';
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    return `${user}${host}${port}${parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : ''}`;
  } catch {
    return '(an unparsable connection URL)';
  }
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** SQLSTATE classes and socket errors that mean "the server cannot be used", not "this statement is wrong". */
function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return /Connection terminated|timeout exceeded when trying to connect/i.test(error.message);
  return /^(08|28|3D|53|57P)/.test(code) || /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE)$/.test(code);
}

function unavailable(where: string, error: unknown, password: string | undefined): AnswerdeskError {
  let reason = reasonOf(error);
  // Drivers do not print passwords, but a URL pasted into an error by some layer could.
  if (password) reason = reason.split(password).join('***');
  return new AnswerdeskError('ADK_DATABASE_UNAVAILABLE', { where, reason }, { cause: error });
}

/** Connection failures become ADK_DATABASE_UNAVAILABLE; anything else is rethrown as is. */
function mapErrors<A extends unknown[], T>(where: string, password: string | undefined, fn: (...args: A) => Promise<T>) {
  return async (...args: A): Promise<T> => {
    try {
      return await fn(...args);
    } catch (error) {
      throw isConnectionError(error) ? unavailable(where, error, password) : error;
    }
  };
}

export interface FromPoolOptions {
  /** How the database is named in errors (never with the password). Default: the pool's host and port. */
  where?: string;
}

/** A `Database` on a `pg` pool: a transaction holds one pooled client from BEGIN to COMMIT/ROLLBACK. */
export function fromPool(pool: pg.Pool, options: FromPoolOptions = {}): Database {
  const { connectionString, host, port } = pool.options;
  const where = options.where ?? (connectionString ? describeUrl(connectionString) : `${host ?? 'localhost'}${port ? `:${port}` : ''}`);
  return poolDatabase(pool, where, typeof pool.options.password === 'string' ? pool.options.password : undefined);
}

function poolDatabase(pool: pg.Pool, where: string, password: string | undefined): Database {
  const wrap = <A extends unknown[], T>(fn: (...args: A) => Promise<T>) => mapErrors(where, password, fn);
  return {
    query: wrap(async <R>(sql: string, params?: unknown[]) => {
      const result = await pool.query(sql, params);
      return { rows: result.rows as R[] };
    }) as Query,
    transaction: wrap(async <T>(fn: (tx: Database) => Promise<T>) => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const tx = transactionHandle(wrap(async <R>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as R[] })) as Query);
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // A client that cannot roll back must not go back to the pool mid-transaction.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        client.release(broken);
      }
    }) as Database['transaction'],
    close: () => pool.end(),
  };
}

export interface ConnectOptions extends Omit<pg.PoolConfig, 'connectionString'> {
  /** Called with errors of idle pooled clients (server restart, network cut). Default: ignored, the pool replaces the client. */
  onIdleError?: (error: Error) => void;
}

/**
 * Opens a `pg` pool on `url` and checks that the server answers, so a wrong
 * URL fails here with ADK_DATABASE_UNAVAILABLE (naming the host, never the
 * password) rather than on the first search.
 *
 * For development and tests, `pglite:<dir>` (or `pglite://<dir>`) opens the
 * embedded PGlite persisted in that folder (`openPGlite`; one process at a
 * time may use a folder, and `options` do not apply), `pglite:memory` one in
 * memory. PGlite is an optional dependency: without @electric-sql/pglite and
 * @electric-sql/pglite-pgvector installed this is ADK_DATABASE_UNAVAILABLE
 * saying so.
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Database> {
  const embedded = pgliteTarget(url);
  if (embedded) {
    if (embedded.dir === undefined) return openPGlite();
    if (embedded.dir.trim() === '') throw new AnswerdeskError('ADK_DATABASE_UNAVAILABLE', { where: 'pglite:', reason: 'a pglite: URL names a folder (pglite:./answerdesk-db) or is pglite:memory' });
    return openPGlite(path.resolve(embedded.dir));
  }
  const { onIdleError, ...config } = options;
  const where = describeUrl(url);
  const password = passwordOf(url);
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({ ...config, connectionString: url });
  } catch (error) {
    throw unavailable(where, error, password);
  }
  // Without a listener an idle client's error would crash the process.
  pool.on('error', (error) => onIdleError?.(error));
  const db = poolDatabase(pool, where, password);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw unavailable(where, error, password);
  }
  return db;
}

/** The parts of a PGlite instance used here, so production builds need no PGlite types. */
export interface PGliteLike {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  transaction<T>(fn: (tx: { query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A `Database` on a PGlite instance (which must have the vector extension loaded). */
export function fromPGlite(db: PGliteLike): Database {
  return {
    query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await db.query<R>(sql, params)).rows }),
    transaction: (fn) => db.transaction((tx) => fn(transactionHandle(async <R>(sql: string, params?: unknown[]) => ({ rows: (await tx.query<R>(sql, params)).rows })))),
    close: () => db.close(),
  };
}

/**
 * An embedded PostgreSQL (PGlite, in WebAssembly) with pgvector: in memory, or
 * persisted in `dataDir`. For tests and single-process use; PGlite and
 * @electric-sql/pglite-pgvector are optional packages, loaded only here.
 */
export async function openPGlite(dataDir?: string): Promise<Database> {
  const where = dataDir ? `PGlite in ${dataDir}` : 'PGlite in memory';
  let modules: [typeof import('@electric-sql/pglite'), typeof import('@electric-sql/pglite-pgvector'), typeof import('@electric-sql/pglite/contrib/btree_gin')];
  try {
    modules = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-pgvector'), import('@electric-sql/pglite/contrib/btree_gin')]);
  } catch (error) {
    throw new AnswerdeskError('ADK_DATABASE_UNAVAILABLE', { where, reason: `the embedded database needs the packages @electric-sql/pglite and @electric-sql/pglite-pgvector (${reasonOf(error)})` }, { cause: error });
  }
  const [{ PGlite }, { vector }, { btree_gin }] = modules;
  try {
    const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { vector, btree_gin } });
    return fromPGlite(db as unknown as PGliteLike);
  } catch (error) {
    throw new AnswerdeskError('ADK_DATABASE_UNAVAILABLE', { where, reason: reasonOf(error) }, { cause: error });
  }
}
