// The command line on PostgreSQL: `--database-url pglite:<dir>` (PGlite, the embedded
// PostgreSQL, persisted in a folder) with the real offline model. `db migrate` and
// `db status`, index / suggest / search / tickets / doctor on a knowledge base in the
// database, tenants kept apart by --knowledge-base, `serve` on the database, and coded
// errors that never show a password.
import path from 'node:path';
import t from 'tap';
import { EXIT, run } from '@answerdesk/cli';
import { SCHEMA_VERSION } from '@answerdesk/postgres';
import { capture, waitFor } from './helpers.js';

const article = (id: string, heading: string, text: string) => `---\nid: ${id}\ntitle: ${id}\ncategory: help\n---\n\n## ${heading}\n\n${text}\n`;
const SECRET = 'db-cli-test-secret-0123456789';



t.test('a knowledge base in PostgreSQL from the command line', async (t) => {
  const dir = t.testdir({
    articles: {
      'returns.md': article('returns', 'How to return an item', 'Print the prepaid label from your account and drop the parcel at a post office within 30 days.'),
      'password.md': article('password', 'Reset a forgotten password', 'Click Forgot password on the sign-in page and follow the emailed link.'),
    },
    'tickets.jsonl': JSON.stringify({ id: 'T-1', subject: 'Charged twice', body: 'My card was charged twice', resolution: 'The second charge is a hold that drops off in 5 days.' }),
    'other.jsonl': JSON.stringify({ id: 'O-1', subject: 'Send back a sofa', body: 'How do I return a sofa I bought?', resolution: 'Sofas are collected by our courier: book a pickup.' }),
  });
  const url = `pglite:${path.join(dir, 'db')}`;
  const cli = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const c = capture(env);
    const code = await run(args, c.io);
    return { code, out: c.out(), err: c.err() };
  };
  const db = (...args: string[]) => cli(['--database-url', url, ...args]);

  const first = await db('db', 'migrate');
  t.equal(first.code, EXIT.ok, first.err);
  t.match(first.out, new RegExp(`Applied ${SCHEMA_VERSION} migration\\(s\\) to pglite:.*db; the schema is now at version ${SCHEMA_VERSION} \\(it was 0\\)`));
  const second = await db('db', 'migrate', '--json');
  t.match(JSON.parse(second.out), { applied: [], previousVersion: SCHEMA_VERSION, schemaVersion: SCHEMA_VERSION, supported: SCHEMA_VERSION }, 'a second migrate applies nothing');

  const early = await db('suggest', 'where is my refund');
  t.equal(early.code, EXIT.error);
  t.match(early.err, /ADK_DATABASE_KB_NOT_FOUND: There is no knowledge base "default"/, 'reads need the knowledge base to exist');

  const indexed = await db('index', path.join(dir, 'articles'), '--json');
  t.equal(indexed.code, EXIT.ok, indexed.err);
  t.match(JSON.parse(indexed.out), { articles: 2, sections: 2, templates: 0, updated: 2, store: /^pglite:.*db#default$/ });

  const suggestion = await db('suggest', 'how can I return an item', '--json');
  t.match(JSON.parse(suggestion.out), { status: 'answered', source: { id: 'returns#how-to-return-an-item' } });
  const search = await db('search', 'I forgot my password', '--json');
  t.equal(JSON.parse(search.out).hits[0].id, 'password#reset-a-forgotten-password');

  const added = await db('tickets', 'add', path.join(dir, 'tickets.jsonl'));
  t.equal(added.code, EXIT.ok, added.err);
  t.match(added.out, /Added 1 new or changed tickets .* to pglite:.*#default; it now holds 1 tickets/);

  const doctor = await db('doctor');
  t.equal(doctor.code, EXIT.ok, doctor.out + doctor.err);
  t.match(doctor.out, new RegExp(`Knowledge base pglite:.*#default \\(PostgreSQL, schema version ${SCHEMA_VERSION}, knowledge-base version \\d+\\)`));
  t.match(doctor.out, /2 articles \(2 sections\), 1 tickets/);
  t.match(doctor.out, /OK: documents, passages, vectors and full-text entries agree/);

  // Another tenant of the same database sees nothing of the default one.
  const absent = await db('--knowledge-base', 'other', 'search', 'return an item');
  t.equal(absent.code, EXIT.error);
  t.match(absent.err, /ADK_DATABASE_KB_NOT_FOUND: There is no knowledge base "other"/);
  t.equal((await db('--knowledge-base', 'other', 'tickets', 'add', path.join(dir, 'other.jsonl'))).code, EXIT.ok);
  const other = JSON.parse((await db('--knowledge-base', 'other', 'search', 'how do I send back something I bought', '--json')).out);
  t.same(other.hits.map((hit: any) => hit.id), ['O-1'], 'only its own ticket, none of the default knowledge base’s articles');

  // ANSWERDESK_DATABASE_URL works as --database-url does.
  const status = await cli(['db', 'status'], { ANSWERDESK_DATABASE_URL: url });
  t.equal(status.code, EXIT.ok);
  t.match(status.out, new RegExp(`schema version ${SCHEMA_VERSION} \\(this Answerdesk knows up to ${SCHEMA_VERSION}\\)`));
  t.match(status.out, /2 knowledge base\(s\):\n {2}default: 2 articles \(2 sections\), 1 tickets, \d+ passages; model use-lite-en\S* \(512-d\)/);
  t.match(status.out, /\n {2}other: 0 articles \(0 sections\), 1 tickets/);

  const reindex = await db('reindex');
  t.equal(reindex.code, EXIT.error);
  t.match(reindex.err, /ADK_OPTION_INVALID: Option "--database-url" does not go with reindex/);

  // serve on the database: the default knowledge base for reads without a key, a key's own for its requests.
  const server = capture({ ANSWERDESK_API_KEYS: `other-sync@other:read+write:${SECRET}` });
  const exit = run(['--database-url', url, 'serve', '--port', '0', '--open-reads'], server.io);
  const base = await waitFor(() => server.err().match(/listening on (http:\/\/localhost:\d+)/)?.[1], 'the listening line');
  await waitFor(async () => ((await fetch(`${base}/v1/ready`)).status === 200 ? true : undefined), 'ready');
  t.match(server.err(), /Loading the model and knowledge base "default" in pglite:/);
  t.match(await (await fetch(`${base}/v1/ready`)).json(), { knowledgeBase: 'default', articles: 2, tickets: 1 });
  const keyed = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
  t.match(await (await fetch(`${base}/v1/ready`, { headers: keyed })).json(), { knowledgeBase: 'other', articles: 0, tickets: 1 });
  const put = await fetch(`${base}/v1/articles/sofas`, { method: 'PUT', headers: keyed, body: JSON.stringify({ markdown: article('sofas', 'Returning a sofa', 'Book a courier pickup for large items such as sofas.') }) });
  t.equal(put.status, 200);
  const sofa = `${base}/v1/documents/${encodeURIComponent('sofas#returning-a-sofa')}`;
  t.match(await (await fetch(sofa)).json(), { error: { code: 'ADK_DOCUMENT_NOT_FOUND' } }, 'the key’s write is not in the default knowledge base');
  t.match(await (await fetch(sofa, { headers: keyed })).json(), { id: 'sofas#returning-a-sofa', title: 'sofas' }, 'but in its own');
  const ticket = await fetch(`${base}/v1/tickets/T-1`, { method: 'DELETE', headers: { authorization: keyed.authorization } });
  t.equal(ticket.status, 404, 'the default knowledge base’s ticket cannot be deleted with the other’s key');
  server.stop.abort();
  t.equal(await exit, EXIT.ok);
  t.match(server.err(), /Stopping \(abort\)/);
});

t.test('db commands need a URL, and a bad one is coded without its password', async (t) => {
  const missing = capture();
  t.equal(await run(['db', 'migrate'], missing.io), EXIT.error);
  t.match(missing.err(), /ADK_OPTION_INVALID: Option "--database-url" is needed by `answerdesk db` commands: pass --database-url .* or set ANSWERDESK_DATABASE_URL/);

  const password = 'Sup3r-s3cret-pw';
  const bad = `postgres://agent:${password}@127.0.0.1:1/answerdesk`;
  for (const args of [['--database-url', bad, 'db', 'status'], ['--database-url', bad, 'search', 'refund'], ['--database-url', bad, 'doctor']]) {
    const c = capture();
    t.equal(await run(args, c.io), EXIT.error, args.slice(2).join(' '));
    t.match(c.err(), /ADK_DATABASE_UNAVAILABLE: Cannot use the PostgreSQL database at agent@127\.0\.0\.1:1\/answerdesk/);
    t.notMatch(c.err() + c.out(), password, 'the password is never printed');
  }
  const help = capture({ ANSWERDESK_DATABASE_URL: bad });
  await run(['--help'], help.io);
  t.notMatch(help.out() + help.err(), password, 'not even in the help');
  const tenantWithoutDatabase = capture();
  t.equal(await run(['--knowledge-base', 'acme', 'search', 'refund'], tenantWithoutDatabase.io), EXIT.error);
  t.match(tenantWithoutDatabase.err(), /ADK_OPTION_INVALID: Option "--knowledge-base" names a knowledge base in a database/);
});
