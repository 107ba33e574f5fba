// The databases the PostgreSQL tests run on: one in-memory PGlite with pgvector per test file (it
// takes seconds to start), and the server named by ANSWERDESK_TEST_DATABASE_URL when it is set.
import { randomUUID } from 'node:crypto';
import { connect, migrate, openPGlite, PgDocumentStore, type Database } from '@answerdesk/postgres';
import type { TapTest } from './fixtures.js';

/** A knowledge-base (tenant) id no other test, and no other test process sharing a server, uses. */
export const uniqueTenant = (label = 'kb') => `test-${label}-${randomUUID().slice(0, 8)}`;

export interface Target {
  name: string;
  /** Whether connections are really concurrent (a server) or one serialized connection (PGlite). */
  concurrent: boolean;
  /**
   * A database handle standing for one service process. On PGlite every call returns the one
   * shared instance; on a server each call opens its own connection pool, closed when the test ends.
   */
  connection: (t: TapTest) => Promise<Database>;
}

/** Runs `fn` once per target database: PGlite always, the server when ANSWERDESK_TEST_DATABASE_URL is set. */
export function eachTarget(t: TapTest, fn: (t: TapTest, target: Target) => Promise<void>): void {
  t.test('PGlite with pgvector', async (t) => {
    const db = await openPGlite();
    await migrate(db);
    t.teardown(() => db.close());
    await fn(t, { name: 'PGlite', concurrent: false, connection: async () => db });
  });
  const url = process.env.ANSWERDESK_TEST_DATABASE_URL;
  if (!url) {
    t.comment('ANSWERDESK_TEST_DATABASE_URL is not set: these tests ran on PGlite only, not on a PostgreSQL server');
    return;
  }
  t.test('PostgreSQL server (ANSWERDESK_TEST_DATABASE_URL)', async (t) => {
    await fn(t, {
      name: 'PostgreSQL server',
      concurrent: true,
      connection: async (t) => {
        const db = await connect(url, { max: 4 });
        t.teardown(() => db.close());
        await migrate(db);
        return db;
      },
    });
  });
}

/** Drops the tenant when `t` ends (teardowns run last-registered first: before its connection closes). */
export function dropAfter(t: TapTest, db: Database, knowledgeBase: string): void {
  t.teardown(() => new PgDocumentStore({ db, knowledgeBase }).drop());
}
