import t from 'tap';
import { migrate, migrations, SCHEMA_VERSION, schemaVersion, type Database } from '../src/index.js';
import { targets } from './helpers.js';

for (const target of targets()) {
  t.test(target.name, async (t) => {
    const db = await target.open();
    t.teardown(() => db.close());

    t.test('concurrent first runs apply each migration exactly once', async (t) => {
      const before = await schemaVersion(db);
      const results = await Promise.all([migrate(db), migrate(db), migrate(db)]);
      const applied = results.flat().sort((a, b) => a - b);
      t.same(applied, migrations.map((m) => m.version).filter((v) => v > before), 'every pending version once, whoever applied it');
      t.equal(await schemaVersion(db), SCHEMA_VERSION);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM answerdesk_migrations');
      t.equal(rows[0]!.n, migrations.length, 'one row per migration');
    });

    t.test('migrating again does nothing', async (t) => {
      t.same(await migrate(db), []);
      t.same(await migrate(db), []);
      t.equal(await schemaVersion(db), SCHEMA_VERSION);
    });

    t.test('the schema has the vector extension and the tables', async (t) => {
      const { rows } = await db.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'answerdesk_%' AND schemaname = current_schema() ORDER BY 1",
      );
      t.same(
        rows.map((r) => r.name),
        ['answerdesk_categorizers', 'answerdesk_counts', 'answerdesk_documents', 'answerdesk_feedback', 'answerdesk_kb', 'answerdesk_migrations', 'answerdesk_passages', 'answerdesk_questions', 'answerdesk_unit_vectors', 'answerdesk_vocabulary'],
      );
      t.equal((await db.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'")).rows.length, 1);
    });

    t.test("word and tag search start from the knowledge base's own entries (one GIN index per kb and column)", async (t) => {
      const { rows } = await db.query<{ name: string; def: string }>(
        "SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'answerdesk_documents' AND schemaname = current_schema() AND indexdef LIKE '%USING gin%' ORDER BY 1",
      );
      t.same(rows.map((r) => r.name), ['answerdesk_documents_kb_tags', 'answerdesk_documents_kb_tsv'], 'no GIN index on tsv or tags alone');
      t.ok(rows.every((r) => /USING gin \(kb, (tsv|tags)\)/.test(r.def)), rows.map((r) => r.def).join('; '));
    });

    // Both checks run in a transaction that is rolled back, so a shared server is left as it was.
    const rolledBack = async (fn: (tx: Database) => Promise<void>) => {
      const undo = new Error('undo');
      await db.transaction(async (tx) => {
        await fn(tx);
        throw undo;
      }).catch((error: unknown) => {
        if (error !== undo) throw error;
      });
    };

    t.test('a schema newer than this code is refused', async (t) => {
      await rolledBack(async (tx) => {
        await tx.query("INSERT INTO answerdesk_migrations (version, name) VALUES (9999, 'from the future')");
        await t.rejects(migrate(tx), { code: 'ADK_DATABASE_SCHEMA_NEWER', message: new RegExp(`version 9999; this Answerdesk knows versions up to ${SCHEMA_VERSION}\\b`) });
      });
      t.equal(await schemaVersion(db), SCHEMA_VERSION);
    });

    t.test('a failing migration applies nothing of itself and says which it was', async (t) => {
      const broken = { version: SCHEMA_VERSION + 1, name: 'broken on purpose', statements: ['CREATE TABLE answerdesk_half_done (a int)', 'SELECT no_such_function()'] };
      await rolledBack(async (tx) => {
        await t.rejects(migrate(tx, { migrations: [...migrations, broken] }), {
          code: 'ADK_DATABASE_MIGRATION_FAILED',
          message: new RegExp(`migration ${broken.version} \\(broken on purpose\\): .*no_such_function`),
        });
        const { rows } = await tx.query<{ present: boolean }>("SELECT to_regclass('answerdesk_half_done') IS NOT NULL AS present");
        t.equal(rows[0]?.present, false, 'its first statement was undone');
        t.equal(await schemaVersion(tx), SCHEMA_VERSION);
      });
    });
  });
}
