// Tenancy through HTTP on PostgreSQL: each API key works on its own knowledge base
// (tenant), and nothing of another tenant is ever seen, found, counted or deleted.
// Runs on an in-memory PGlite; with ANSWERDESK_TEST_DATABASE_URL set, also against that
// server (unique tenant ids, dropped afterwards).
// Plumbing only: the HashingEncoder is a deterministic embedder with no notion of meaning
// (equal text → equal vector), so nothing here is about answer quality.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import t from 'tap';
import { HashingEncoder } from '@answerdesk/core';
import { connect, openPGlite, type Database } from '@answerdesk/postgres';
import { createServer, parseApiKeys, type ApiKeyConfig } from '@answerdesk/server';
import { article } from './helpers.js';

type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

const SECRETS = {
  acme: 'acme-sync-secret-0123456789',
  acmeOps: 'acme-ops-secret-0123456789',
  globex: 'globex-sync-secret-0123456789',
  globexOps: 'globex-ops-secret-0123456789',
};
const bearer = (key: keyof typeof SECRETS) => ({ authorization: `Bearer ${SECRETS[key]}` });
const code = (res: { json: any }) => res.json?.error?.code;

/** The same article and ticket ids in both tenants with different text, and one of each only in one tenant. */
const content = (name: 'Acme' | 'Globex', thing: string, days: number) => ({
  returns: article('returns', `${name} returns`, 'returns', { 'Return window': `${name} takes ${thing} back within ${days} days of delivery.` }),
  own: article(`${name.toLowerCase()}-${thing}`, `${name} ${thing}`, thing, { 'Care guide': `${name} ${thing} need oiling every ${days} weeks.` }),
  tickets: [
    { id: 'T-1', subject: `${name} order missing`, body: `My ${thing} never arrived`, resolution: `${name} sent new ${thing} by courier.` },
    { id: `${name[0]}-2`, subject: `${name} invoice`, body: `I need an invoice for my ${thing}`, resolution: `${name} invoices are under Orders.` },
  ],
});
const ACME = content('Acme', 'rockets', 30);
const GLOBEX = content('Globex', 'widgets', 14);

interface Target {
  name: string;
  open: () => Promise<Database>;
  /** Tenant ids unique to this run (a shared server), dropped afterwards. */
  unique: boolean;
}

function targets(): Target[] {
  const list: Target[] = [{ name: 'PGlite', open: () => openPGlite(), unique: false }];
  const url = process.env.ANSWERDESK_TEST_DATABASE_URL;
  if (url) list.push({ name: 'PostgreSQL server', open: () => connect(url, { max: 4 }), unique: true });
  else t.comment('ANSWERDESK_TEST_DATABASE_URL is not set: the run against a PostgreSQL server is skipped (PGlite only)');
  return list;
}

async function tenantSuite(t: Tap, target: Target): Promise<void> {
  const suffix = target.unique ? `-${randomUUID().slice(0, 8)}` : '';
  const ids = { acme: `acme${suffix}`, globex: `globex${suffix}`, main: `main${suffix}` };
  const db = await target.open();
  let app: FastifyInstance | undefined;
  t.teardown(async () => {
    await app?.close();
    // Deleting a knowledge base cascades to its documents, passages, categorizers and feedback.
    if (target.unique) await db.query('DELETE FROM answerdesk_kb WHERE kb = ANY($1)', [Object.values(ids)]);
    await db.close();
  });
  const keys: ApiKeyConfig[] = [
    { name: 'acme-sync', key: SECRETS.acme, scopes: ['read', 'write'], knowledgeBase: ids.acme },
    { name: 'acme-ops', key: SECRETS.acmeOps, scopes: ['admin'], knowledgeBase: ids.acme },
    { name: 'globex-sync', key: SECRETS.globex, scopes: ['read', 'write'], knowledgeBase: ids.globex },
    { name: 'globex-ops', key: SECRETS.globexOps, scopes: ['admin'], knowledgeBase: ids.globex },
  ];
  const server = await createServer({ database: { database: db, knowledgeBase: ids.main }, encoder: new HashingEncoder(), keys, openReads: true, rateLimit: false, page: false });
  app = server;
  const call = async (request: InjectOptions) => {
    const res = await server.inject(request);
    const json = res.headers['content-type']?.toString().startsWith('application/json') ? (res.json() as any) : undefined;
    return { status: res.statusCode, json, body: res.body };
  };
  await server.answerdesk.ready();

  // Both tenants write the same ids with their own text, and one article and ticket of their own.
  for (const [key, data] of [['acme', ACME], ['globex', GLOBEX]] as const) {
    for (const [id, markdown] of [['returns', data.returns], [key === 'acme' ? 'acme-rockets' : 'globex-widgets', data.own]] as const) {
      const put = await call({ method: 'PUT', url: `/v1/articles/${id}`, headers: bearer(key), payload: { markdown } });
      t.equal(put.status, 200, `${key} puts ${id}`);
      t.equal(put.json.created, true, `${id} is new in ${key}'s knowledge base`);
    }
    const posted = await call({ method: 'POST', url: '/v1/tickets', headers: bearer(key), payload: { tickets: data.tickets } });
    t.equal(posted.status, 200, `${key} posts tickets`);
    t.equal(posted.json.updated, 2);
  }
  t.equal(server.answerdesk.opened().length, 3, 'the default knowledge base and one per tenant, each opened once');

  const acmeIds = ['returns#return-window', 'acme-rockets#care-guide', 'T-1', 'A-2'];
  const globexIds = ['returns#return-window', 'globex-widgets#care-guide', 'T-1', 'G-2'];
  const foreign = { acme: /Globex|widgets/, globex: /Acme|rockets/ };

  t.test('GET /v1/documents/:id reads the key’s own document, never the other tenant’s', async (t) => {
    const acme = await call({ method: 'GET', url: `/v1/documents/${encodeURIComponent('returns#return-window')}`, headers: bearer('acme') });
    const globex = await call({ method: 'GET', url: `/v1/documents/${encodeURIComponent('returns#return-window')}`, headers: bearer('globex') });
    t.match(acme.json.text, /Acme takes rockets back within 30 days/);
    t.match(globex.json.text, /Globex takes widgets back within 14 days/);
    t.equal((await call({ method: 'GET', url: '/v1/documents/T-1', headers: bearer('acme') })).json.answer, 'Acme sent new rockets by courier.');
    t.equal((await call({ method: 'GET', url: '/v1/documents/T-1', headers: bearer('globex') })).json.answer, 'Globex sent new widgets by courier.');
    for (const [key, id] of [['globex', 'acme-rockets#care-guide'], ['globex', 'A-2'], ['acme', 'globex-widgets#care-guide'], ['acme', 'G-2']] as const) {
      const res = await call({ method: 'GET', url: `/v1/documents/${encodeURIComponent(id)}`, headers: bearer(key) });
      t.equal(res.status, 404, `${key} cannot read ${id}`);
      t.equal(code(res), 'ADK_DOCUMENT_NOT_FOUND');
    }
    const anonymous = await call({ method: 'GET', url: '/v1/documents/T-1' });
    t.equal(anonymous.status, 404, 'an open read without a key is the default knowledge base, which has neither');
  });

  t.test('search, suggest and triage only ever rank the tenant’s own documents', async (t) => {
    for (const [key, own, other] of [['acme', acmeIds, GLOBEX], ['globex', globexIds, ACME]] as const) {
      // The other tenant's exact words: a leak would rank them first.
      for (const text of [`${other.tickets[0]!.subject} ${other.tickets[0]!.body}`, other.tickets[0]!.resolution, `${key === 'acme' ? 'Globex widgets need oiling every 14 weeks' : 'Acme rockets need oiling every 30 weeks'}`]) {
        const search = await call({ method: 'POST', url: '/v1/search', headers: bearer(key), payload: { text, k: 10 } });
        t.equal(search.status, 200);
        t.ok(search.json.hits.length > 0, `${key} finds its own documents for "${text}"`);
        for (const hit of search.json.hits) {
          t.ok(own.includes(hit.document.id), `${key}: hit ${hit.document.id} is its own`);
          t.notMatch(JSON.stringify(hit.document), foreign[key], `${key}: no text of the other tenant`);
        }
        const suggest = await call({ method: 'POST', url: '/v1/suggest', headers: bearer(key), payload: { text, alternatives: 5 } });
        t.equal(suggest.status, 200);
        // (The reply echoes the question, so only what it cites is checked.)
        const cited = ({ answer, source, alternatives }: any) => JSON.stringify({ answer, source, alternatives });
        t.notMatch(cited(suggest.json), foreign[key], `${key}: the suggestion and its alternatives are its own`);
        const triage = await call({ method: 'POST', url: '/v1/triage', headers: bearer(key), payload: { text } });
        t.equal(triage.status, 200);
        t.notMatch(cited(triage.json.suggestion), foreign[key], `${key}: triage's suggestion is its own`);
      }
      const lexical = await call({ method: 'POST', url: '/v1/search', headers: bearer(key), payload: { text: key === 'acme' ? 'widgets' : 'rockets', mode: 'lexical' } });
      t.same(lexical.json.hits, [], `${key}: a word only the other tenant uses finds nothing`);
    }
    const anonymous = await call({ method: 'POST', url: '/v1/search', payload: { text: 'returns within days' } });
    t.same(anonymous.json.hits, [], 'an open read without a key searches the (empty) default knowledge base');
  });

  t.test('a category of the other tenant is unknown', async (t) => {
    const res = await call({ method: 'POST', url: '/v1/search', headers: bearer('acme'), payload: { text: 'oiling', filter: { category: 'widgets' } } });
    t.equal(res.status, 400);
    t.equal(code(res), 'ADK_CATEGORY_UNKNOWN');
    t.equal(res.json.error.details.known, 'returns, rockets', 'only acme’s categories are listed');
  });

  t.test('feedback is recorded and listed per tenant', async (t) => {
    const given = await call({ method: 'POST', url: '/v1/feedback', headers: bearer('acme'), payload: { query: 'rockets missing', sourceId: 'T-1', helpful: true } });
    t.equal(given.status, 201);
    const foreignSource = await call({ method: 'POST', url: '/v1/feedback', headers: bearer('globex'), payload: { query: 'rockets', sourceId: 'A-2', helpful: true } });
    t.ok(foreignSource.status >= 400 && foreignSource.status < 500, 'feedback citing the other tenant’s document is refused');
    const acme = await call({ method: 'GET', url: '/v1/feedback', headers: bearer('acmeOps') });
    const globex = await call({ method: 'GET', url: '/v1/feedback', headers: bearer('globexOps') });
    t.equal(acme.json.feedback.length, 1);
    t.match(acme.json.feedback[0], { sourceId: 'T-1', agent: 'acme-sync' });
    t.same(globex.json.feedback, [], 'globex sees none of acme’s feedback');
  });

  t.test('GET /v1/ready counts the key’s knowledge base', async (t) => {
    const acme = await call({ method: 'GET', url: '/v1/ready', headers: bearer('acme') });
    t.match(acme.json, { ready: true, knowledgeBase: ids.acme, model: 'hashing-64', articles: 2, sections: 2, tickets: 2 });
    t.same(acme.json.categories, ['returns', 'rockets']);
    const globex = await call({ method: 'GET', url: '/v1/ready', headers: bearer('globex') });
    t.match(globex.json, { knowledgeBase: ids.globex, articles: 2, tickets: 2 });
    t.same(globex.json.categories, ['returns', 'widgets']);
    const anonymous = await call({ method: 'GET', url: '/v1/ready' });
    t.match(anonymous.json, { ready: true, knowledgeBase: ids.main, articles: 0, tickets: 0 });
    const metrics = await call({ method: 'GET', url: '/v1/metrics' });
    t.match(metrics.body, /answerdesk_knowledge_bases_open 3/);
    t.notMatch(metrics.body, new RegExp(ids.acme), 'public metrics name no tenant');
  });

  t.test('a key cannot delete the other tenant’s article or ticket', async (t) => {
    const article = await call({ method: 'DELETE', url: '/v1/articles/acme-rockets', headers: bearer('globex') });
    t.equal(article.status, 404);
    t.equal(code(article), 'ADK_ARTICLE_NOT_FOUND');
    const ticket = await call({ method: 'DELETE', url: '/v1/tickets/A-2', headers: bearer('globex') });
    t.equal(ticket.status, 404);
    t.equal(code(ticket), 'ADK_TICKET_NOT_FOUND');
    t.equal((await call({ method: 'GET', url: `/v1/documents/${encodeURIComponent('acme-rockets#care-guide')}`, headers: bearer('acme') })).status, 200, 'acme’s article is still there');
    t.equal((await call({ method: 'GET', url: '/v1/documents/A-2', headers: bearer('acme') })).status, 200, 'and its ticket');

    // The same id in both: deleting it deletes only the caller's.
    const shared = await call({ method: 'DELETE', url: '/v1/articles/returns', headers: bearer('globex') });
    t.same(shared.json, { id: 'returns', removed: 1 });
    t.equal((await call({ method: 'DELETE', url: '/v1/tickets/T-1', headers: bearer('globex') })).status, 200);
    t.equal((await call({ method: 'GET', url: `/v1/documents/${encodeURIComponent('returns#return-window')}`, headers: bearer('globex') })).status, 404);
    t.match((await call({ method: 'GET', url: `/v1/documents/${encodeURIComponent('returns#return-window')}`, headers: bearer('acme') })).json.text, /Acme/, 'acme’s article of the same id is untouched');
    t.equal((await call({ method: 'GET', url: '/v1/documents/T-1', headers: bearer('acme') })).status, 200, 'and acme’s ticket of the same id');
    t.match((await call({ method: 'GET', url: '/v1/ready', headers: bearer('acme') })).json, { articles: 2, tickets: 2 });
    t.match((await call({ method: 'GET', url: '/v1/ready', headers: bearer('globex') })).json, { articles: 1, tickets: 1 });
  });
}

for (const target of targets()) t.test(`tenants on ${target.name}`, (t) => tenantSuite(t, target));

t.test('keys naming knowledge bases', async (t) => {
  t.same(parseApiKeys('acme-sync@acme:read+write:s3cret-with:colon agents:read:other'), [
    { name: 'acme-sync', knowledgeBase: 'acme', scopes: ['read', 'write'], key: 's3cret-with:colon' },
    { name: 'agents', scopes: ['read'], key: 'other' },
  ]);
  const store = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-tenancy-'));
  t.teardown(() => rm(store, { recursive: true, force: true }));
  await t.rejects(createServer({ store, encoder: new HashingEncoder(), keys: [{ name: 'a', key: SECRETS.acme, scopes: ['read'], knowledgeBase: 'acme' }] }), {
    code: 'ADK_OPTION_INVALID',
    message: /keys\[0\]\.knowledgeBase.*serves one knowledge base, the store folder .*--database-url/,
  });
  await t.rejects(createServer({ database: { url: 'postgres://x@localhost/db' }, encoder: new HashingEncoder(), keys: [{ name: 'a', key: SECRETS.acme, scopes: ['read'], knowledgeBase: 'no spaces allowed' }] }), {
    code: 'ADK_OPTION_INVALID',
    message: /keys\[0\]\.knowledgeBase/,
  });
  await t.rejects(createServer({ database: { url: 'postgres://x@localhost/db' }, store }), { code: 'ADK_OPTION_INVALID', message: /database.*store/ });
  await t.rejects(createServer({ database: {} }), { code: 'ADK_OPTION_INVALID', message: /url/ });
});

t.test('an unreachable database keeps the service up and says why, never with the password', async (t) => {
  const app = await createServer({ database: { url: 'postgres://agent:Sup3r-s3cret-pw@127.0.0.1:1/answerdesk' }, encoder: new HashingEncoder() });
  t.teardown(() => app.close());
  await t.rejects(app.answerdesk.ready(), { code: 'ADK_DATABASE_UNAVAILABLE' });
  const ready = await app.inject({ method: 'GET', url: '/v1/ready' });
  t.equal(ready.statusCode, 503);
  t.equal(ready.json().error.code, 'ADK_NOT_READY');
  t.match(ready.json().error.message, /agent@127\.0\.0\.1:1\/answerdesk/);
  t.notMatch(ready.body, /Sup3r-s3cret-pw/);
  t.equal((await app.inject({ method: 'GET', url: '/v1/health' })).statusCode, 200);
});
