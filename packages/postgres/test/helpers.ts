import { randomUUID } from 'node:crypto';
import type tap from 'tap';
import { connect, migrate, openPGlite, PgDocumentStore, type Database } from '../src/index.js';

/**
 * The databases every store test runs on: an in-memory PGlite (one per test
 * file: it takes seconds to start), and the server named by
 * ANSWERDESK_TEST_DATABASE_URL when it is set.
 */
export function targets(): Array<{ name: string; open: () => Promise<Database> }> {
  const list = [{ name: 'PGlite', open: () => openPGlite() }];
  const url = process.env.ANSWERDESK_TEST_DATABASE_URL;
  if (url) list.push({ name: 'PostgreSQL server', open: () => connect(url, { max: 4 }) });
  return list;
}

/** The type of a subtest's `t` (tap's last `test` overload takes just the callback). */
export type TapTest = Parameters<Parameters<typeof tap.test>[0]>[0];

/** Runs `fn` once per target database, migrated, closed when the subtest ends. A fresh PGlite is named 'PGlite'. */
export function eachDatabase(t: TapTest | typeof tap, fn: (t: TapTest, db: Database, target: string) => Promise<void>): void {
  for (const target of targets()) {
    t.test(target.name, async (t) => {
      const db = await target.open();
      t.teardown(() => db.close());
      await migrate(db);
      await fn(t, db, target.name);
    });
  }
}

/** A knowledge base id no other test (or test process sharing a server) uses. */
export const uniqueKb = (label = 'kb') => `test-${label}-${randomUUID().slice(0, 8)}`;

/** A store on a fresh knowledge base, dropped when the test `t` ends. */
export async function freshStore(t: TapTest, db: Database, dimension = 4, label?: string): Promise<PgDocumentStore> {
  const store = new PgDocumentStore({ db, knowledgeBase: uniqueKb(label) });
  await store.ensureKnowledgeBase({ model: 'test-model@1', dimension });
  t.teardown(() => store.drop());
  return store;
}

export { article, ticket, passage } from '../../../test/store-records.js';

