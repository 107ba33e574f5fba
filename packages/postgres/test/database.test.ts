import t from 'tap';
import { connect, describeUrl } from '../src/index.js';
import { eachDatabase } from './helpers.js';

t.test('a connection URL is described without its password', async (t) => {
  t.equal(describeUrl('postgres://support:s3cret@db.example.com:5433/answerdesk?sslmode=require'), 'support@db.example.com:5433/answerdesk');
  t.equal(describeUrl('postgresql://db.internal/kb'), 'db.internal/kb');
  t.equal(describeUrl('postgres:///kb?host=/var/run/postgresql'), '/var/run/postgresql/kb');
  t.equal(describeUrl('not a url s3cret'), '(an unparsable connection URL)');
});

t.test('an unreachable server is ADK_DATABASE_UNAVAILABLE naming the host, never the password', async (t) => {
  // Port 1 on the loopback: refused at once, no server needed.
  const error = await connect('postgres://agent:Sup3r-s3cret-pw@127.0.0.1:1/answerdesk', { connectionTimeoutMillis: 2000 }).then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string },
  );
  t.ok(error, 'connecting failed');
  t.equal(error?.code, 'ADK_DATABASE_UNAVAILABLE');
  t.match(error?.message, /agent@127\.0\.0\.1:1\/answerdesk/);
  t.notMatch(error?.message, /Sup3r-s3cret-pw/);
  t.notMatch(JSON.stringify(error), /Sup3r-s3cret-pw/, 'not in the details either');
});

eachDatabase(t, async (t, db) => {
  await db.query('CREATE TEMP TABLE IF NOT EXISTS answerdesk_tx_probe (n int)');

  t.test('a transaction commits when its callback resolves and rolls back when it throws', async (t) => {
    await db.query('DELETE FROM answerdesk_tx_probe');
    t.equal(await db.transaction(async (tx) => (await tx.query<{ n: number }>('INSERT INTO answerdesk_tx_probe VALUES (1) RETURNING n')).rows[0]!.n), 1);
    await t.rejects(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO answerdesk_tx_probe VALUES (2)');
        throw new Error('boom');
      }),
      /boom/,
    );
    t.same((await db.query<{ n: number }>('SELECT n FROM answerdesk_tx_probe ORDER BY n')).rows, [{ n: 1 }]);
  });

  t.test('nested transactions are savepoints', async (t) => {
    await db.query('DELETE FROM answerdesk_tx_probe');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO answerdesk_tx_probe VALUES (1)');
      await t.rejects(
        tx.transaction(async (inner) => {
          await inner.query('INSERT INTO answerdesk_tx_probe VALUES (2)');
          await inner.query('SELECT 1/0');
        }),
      );
      await tx.transaction(async (inner) => inner.query('INSERT INTO answerdesk_tx_probe VALUES (3)'));
    });
    t.same((await db.query<{ n: number }>('SELECT n FROM answerdesk_tx_probe ORDER BY n')).rows, [{ n: 1 }, { n: 3 }], 'the failed savepoint alone was undone');
  });
});
