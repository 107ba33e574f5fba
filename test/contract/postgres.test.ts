// The contract suite (suite.ts) on PgKnowledgeBase: over one in-memory PGlite with pgvector (each
// knowledge base a fresh tenant of it), and again over a real PostgreSQL server when
// ANSWERDESK_TEST_DATABASE_URL is set (each knowledge base a fresh tenant, dropped afterwards).
import t from 'tap';
import { PgKnowledgeBase } from '@answerdesk/core/postgres';
import { connect, migrate, openPGlite, PgDocumentStore, type Database } from '@answerdesk/postgres';
import { contractSuite, type OpenKnowledgeService } from './suite.js';
import { uniqueTenant } from './databases.js';

/** A factory of fresh tenants on `db`; `drop` deletes every tenant it made. */
function tenants(db: Database, label: string): { open: OpenKnowledgeService; drop: () => Promise<void> } {
  const made: string[] = [];
  return {
    open: ({ encoder, defaultLanguage, passages }) => {
      const knowledgeBase = uniqueTenant(label);
      made.push(knowledgeBase);
      return PgKnowledgeBase.open({ database: db, knowledgeBase, encoder, ...(defaultLanguage ? { defaultLanguage } : {}), ...(passages ? { passages } : {}) });
    },
    drop: async () => {
      for (const knowledgeBase of made) await new PgDocumentStore({ db, knowledgeBase }).drop();
    },
  };
}

t.test('PGlite with pgvector', async (t) => {
  const db = await openPGlite();
  await migrate(db);
  const pglite = tenants(db, 'contract');
  t.teardown(async () => {
    await pglite.drop();
    await db.close();
  });
  contractSuite(t, 'PgKnowledgeBase on PGlite', pglite.open);
});

const url = process.env.ANSWERDESK_TEST_DATABASE_URL;
if (url) {
  t.test('PostgreSQL server (ANSWERDESK_TEST_DATABASE_URL)', async (t) => {
    const db = await connect(url, { max: 4 });
    await migrate(db);
    const server = tenants(db, 'contract');
    t.teardown(async () => {
      await server.drop();
      await db.close();
    });
    contractSuite(t, 'PgKnowledgeBase on a PostgreSQL server', server.open);
  });
} else {
  t.comment('ANSWERDESK_TEST_DATABASE_URL is not set: the contract suite ran on PGlite only, not on a PostgreSQL server');
}
