// API keys, scopes, rate limits, body limits, timeouts, readiness and the promise that
// bad input never gets a 500. Plumbing only: the encoders here have no notion of meaning.
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import t from 'tap';
import { KnowledgeBase } from '@answerdesk/core';
import { createServer, parseApiKeys, prepareKeys } from '@answerdesk/server';
import { KEYS, ScriptedEncoder, auth, harness } from './helpers.js';

const code = (res: { json: any }) => res.json?.error?.code;

t.test('without configured keys reads are open and writes are refused with a hint', async (t) => {
  const { call } = await harness(t, { keys: [], empty: true });
  const read = await call({ method: 'POST', url: '/v1/suggest', payload: { text: 'refund' } });
  t.equal(read.status, 200);
  const write = await call({ method: 'POST', url: '/v1/tickets', payload: { tickets: [{ id: 'a', subject: 'b', resolution: 'c' }] } });
  t.equal(write.status, 401);
  t.equal(code(write), 'ADK_UNAUTHORIZED');
  t.match(write.json.error.message, /ANSWERDESK_API_KEYS=name:read\+write:<secret>/);
  t.equal(write.headers['www-authenticate'], 'Bearer realm="answerdesk"');
});

t.test('keys and scopes', async (t) => {
  const { call } = await harness(t);
  const anonymous = await call({ method: 'POST', url: '/v1/suggest', payload: { text: 'refund' } });
  t.equal(anonymous.status, 401, 'reads need a key once keys are configured');
  const wrong = await call({ method: 'POST', url: '/v1/suggest', headers: { authorization: 'Bearer not-a-real-key-000000' }, payload: { text: 'refund' } });
  t.equal(wrong.status, 401);
  t.match(wrong.json.error.message, /not one of this server's keys/);
  const basic = await call({ method: 'POST', url: '/v1/suggest', headers: { authorization: 'Basic dXNlcjpwYXNz' }, payload: { text: 'refund' } });
  t.equal(basic.status, 401, 'only bearer keys are accepted');
  const header = await call({ method: 'POST', url: '/v1/suggest', headers: { 'x-api-key': KEYS.reader }, payload: { text: 'refund' } });
  t.equal(header.status, 200, 'X-Api-Key works too');
  const readerWrites = await call({ method: 'DELETE', url: '/v1/tickets/T-100', headers: auth('reader') });
  t.equal(readerWrites.status, 403);
  t.equal(code(readerWrites), 'ADK_FORBIDDEN');
  t.match(readerWrites.json.error.message, /API key "agents" does not have the "write" scope that DELETE \/v1\/tickets\/:id needs/);
  t.notMatch(readerWrites.body, KEYS.reader, 'secrets are never echoed');
  const adminReads = await call({ method: 'POST', url: '/v1/search', headers: auth('admin'), payload: { text: 'refund' } });
  t.equal(adminReads.status, 200, 'admin implies every scope');
  const adminWrites = await call({ method: 'DELETE', url: '/v1/tickets/T-100', headers: auth('admin') });
  t.equal(adminWrites.status, 200);
  const health = await call({ method: 'GET', url: '/v1/health', headers: { authorization: 'Bearer wrong-key-xxxxxxxxxxxx' } });
  t.equal(health.status, 200, 'public routes ignore keys');
  const page = await call({ method: 'GET', url: '/' });
  t.equal(page.status, 200);
  t.match(page.headers['content-security-policy'], /script-src 'self'/);
  t.equal(page.headers['x-content-type-options'], 'nosniff');
});

t.test('openReads lets anonymous requests read but not write', async (t) => {
  const { call } = await harness(t, { openReads: true });
  t.equal((await call({ method: 'POST', url: '/v1/triage', payload: { text: 'refund please' } })).status, 200);
  t.equal((await call({ method: 'POST', url: '/v1/feedback', payload: { query: 'q', sourceId: 'T-100', helpful: true } })).status, 401);
  t.equal((await call({ method: 'POST', url: '/v1/feedback', headers: auth('writer'), payload: { query: 'q', sourceId: 'T-100', helpful: true } })).status, 201);
});

t.test('a server without keys (a default serve) takes feedback from this machine only, and no other write', async (t) => {
  const { call, kb } = await harness(t, { keys: [], empty: true });
  await kb.addTickets([{ id: 'T-100', subject: 'Refund', body: 'Where is my refund?', resolution: 'Refunds take 5 days.' }]);
  const body = { query: 'where is my refund', sourceId: 'T-100', helpful: true };
  const local = await call({ method: 'POST', url: '/v1/feedback', payload: body });
  t.equal(local.status, 201, 'the agent page on this machine records feedback without a key');
  t.notOk((local.json as { agent?: string }).agent, 'no agent name without a key');
  const remote = await call({ method: 'POST', url: '/v1/feedback', payload: body, remoteAddress: '10.1.2.3' });
  t.equal(remote.status, 401, 'from another machine a key is needed');
  t.equal(code(remote), 'ADK_UNAUTHORIZED');
  t.equal((await call({ method: 'POST', url: '/v1/feedback', payload: body, remoteAddress: '::ffff:127.0.0.1' })).status, 201, 'IPv4 loopback mapped into IPv6 is this machine');
  t.equal((await call({ method: 'POST', url: '/v1/tickets', payload: { tickets: [{ id: 'T-2', subject: 's', body: 'b', resolution: 'r' }] } })).status, 401, 'other writes still need a key');
  t.equal((await kb.feedback()).length, 2);
});

t.test('key configuration is checked', async (t) => {
  const digest = createHash('sha256').update('a-long-enough-secret-123').digest('hex');
  const [key] = prepareKeys([{ name: 'hashed', sha256: digest, scopes: ['read'] }]);
  t.equal(key!.name, 'hashed');
  const bad = [
    [{ name: 'short', key: 'abc', scopes: ['read'] }, /keys\[0\]\.key.*shorter than 16/],
    [{ name: 'scope', key: 'x'.repeat(20), scopes: ['root'] }, /keys\[0\]\.scopes.*read, write, admin/],
    [{ name: 'nothing', scopes: ['read'] }, /needs "key".*or "sha256"/],
    [{ name: 'bad name!', key: 'x'.repeat(20), scopes: ['read'] }, /keys\[0\]\.name/],
  ] as const;
  for (const [config, message] of bad) {
    t.throws(() => prepareKeys([config as never]), { code: 'ADK_OPTION_INVALID', message });
  }
  t.throws(() => prepareKeys([{ name: 'a', key: 'x'.repeat(20), scopes: ['read'] }, { name: 'a', key: 'y'.repeat(20), scopes: ['read'] }]), { message: /repeats the name "a"/ });
  t.same(parseApiKeys('agents:read+write:s3cret-with:colon, ops:admin:other'), [
    { name: 'agents', scopes: ['read', 'write'], key: 's3cret-with:colon' },
    { name: 'ops', scopes: ['admin'], key: 'other' },
  ]);
  t.throws(() => parseApiKeys('just-a-secret'), { code: 'ADK_OPTION_INVALID', message: /name:scope\+scope:secret/ });
  await t.rejects(createServer({ keys: [{ name: 'x', key: 'short', scopes: ['read'] }], knowledgeBase: {} as never }), { code: 'ADK_OPTION_INVALID' });
  await t.rejects(createServer({ bodyLimit: -1, knowledgeBase: {} as never }), { code: 'ADK_OPTION_INVALID', message: /bodyLimit/ });
});

t.test('rate limits are per key, coded, and spare the status routes', async (t) => {
  const { call } = await harness(t, { rateLimit: { max: 3, windowMs: 60_000 } });
  for (let i = 0; i < 3; i++) t.equal((await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } })).status, 200);
  const limited = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } });
  t.equal(limited.status, 429);
  t.equal(code(limited), 'ADK_RATE_LIMITED');
  t.match(limited.json.error.message, /Too many requests from key "agents": the limit is 3 per 1 min\. Retry in \d+ s\./);
  t.ok(Number(limited.headers['retry-after']) >= 1, 'Retry-After is set');
  t.equal((await call({ method: 'POST', url: '/v1/suggest', headers: auth('admin'), payload: { text: 'refund' } })).status, 200, 'another key has its own budget');
  for (let i = 0; i < 5; i++) t.equal((await call({ method: 'GET', url: '/v1/health' })).status, 200);
});

t.test('a key can have its own rate limit', async (t) => {
  const { call } = await harness(t, {
    rateLimit: { max: 100 },
    keys: [{ name: 'tight', key: KEYS.reader, scopes: ['read'], rateLimit: 1 }, { name: 'sync', key: KEYS.writer, scopes: ['read', 'write'] }],
  });
  t.equal((await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } })).status, 200);
  t.equal((await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } })).status, 429);
});

t.test('body size, media type and JSON errors', async (t) => {
  const { call } = await harness(t, { bodyLimit: 2048 });
  const big = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'x'.repeat(5000) } });
  t.equal(big.status, 413);
  t.equal(code(big), 'ADK_BODY_TOO_LARGE');
  t.match(big.json.error.message, /2048-byte limit/);
  const text = await call({ method: 'POST', url: '/v1/suggest', headers: { ...auth('reader'), 'content-type': 'text/plain' }, payload: 'refund' });
  t.equal(text.status, 415);
  t.equal(code(text), 'ADK_MEDIA_TYPE_UNSUPPORTED');
  const broken = await call({ method: 'POST', url: '/v1/suggest', headers: { ...auth('reader'), 'content-type': 'application/json' }, payload: '{"text": "refund"' });
  t.equal(broken.status, 400);
  t.equal(code(broken), 'ADK_BODY_INVALID_JSON');
  const empty = await call({ method: 'POST', url: '/v1/suggest', headers: { ...auth('reader'), 'content-type': 'application/json' }, payload: '' });
  t.equal(empty.status, 400);
  t.equal(code(empty), 'ADK_BODY_INVALID_JSON');
  const long = await harness(t);
  const tooLong = await long.call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'word '.repeat(1000) } });
  t.equal(tooLong.status, 413);
  t.equal(code(tooLong), 'ADK_QUERY_TOO_LONG');
  const missing = await long.call({ method: 'GET', url: '/v2/suggest' });
  t.equal(missing.status, 404);
  t.equal(code(missing), 'ADK_ROUTE_NOT_FOUND');
});

t.test('slow reads time out with a coded 503', async (t) => {
  const encoder = new ScriptedEncoder();
  const { call } = await harness(t, { encoder, requestTimeoutMs: 50 });
  encoder.queryDelayMs = 400;
  const res = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } });
  t.equal(res.status, 503);
  t.equal(code(res), 'ADK_REQUEST_TIMEOUT');
  t.match(res.json.error.message, /within 50 ms/);
});

t.test('an unexpected failure is a 500 with a reference, never a stack trace or internals', async (t) => {
  const encoder = new ScriptedEncoder();
  const { call } = await harness(t, { encoder });
  encoder.failQueries = true;
  const res = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } });
  t.equal(res.status, 500);
  t.equal(code(res), 'ADK_INTERNAL');
  t.match(res.json.error.details.reference, /\S/);
  t.notMatch(res.body, /secret internal detail|\/srv\/|at .*\.ts:\d+/, 'no message, path or stack of the failure');
});

t.test('until the store is loaded, requests get ADK_NOT_READY and /v1/ready says so', async (t) => {
  const store = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-ready-'));
  const encoder = new ScriptedEncoder();
  encoder.loadDelayMs = 300;
  const app = await createServer({ store, encoder });
  t.teardown(() => app.close());
  t.equal((await app.inject({ method: 'GET', url: '/v1/health' })).statusCode, 200, 'alive while loading');
  const ready = await app.inject({ method: 'GET', url: '/v1/ready' });
  t.equal(ready.statusCode, 503);
  t.equal(ready.json().error.code, 'ADK_NOT_READY');
  t.match(ready.json().error.message, /still loading/);
  const early = await app.inject({ method: 'POST', url: '/v1/suggest', payload: { text: 'refund' } });
  t.equal(early.statusCode, 503);
  await app.answerdesk.ready();
  t.equal((await app.inject({ method: 'GET', url: '/v1/ready' })).statusCode, 200);
  t.equal((await app.inject({ method: 'POST', url: '/v1/suggest', payload: { text: 'refund' } })).statusCode, 200, 'an empty store answers (by abstaining)');
});

t.test('a store that cannot be loaded keeps the service up and says why', async (t) => {
  const store = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-broken-'));
  await mkdir(path.join(store, 'snap-00000001'));
  await writeFile(path.join(store, 'CURRENT'), 'snap-00000001\n');
  const app = await createServer({ store, encoder: new ScriptedEncoder() });
  t.teardown(() => app.close());
  await t.rejects(app.answerdesk.ready());
  const ready = await app.inject({ method: 'GET', url: '/v1/ready' });
  t.equal(ready.statusCode, 503);
  t.match(ready.json().error.message, /loading failed: .*store/i);
});

t.test('bad input never yields a 500', async (t) => {
  const { call } = await harness(t);
  const bodies: unknown[] = [null, [], 'text', 42, true, {}, { text: 5 }, { text: null }, { text: '' }, { text: ' ' }, { text: ['a'] }, { text: 'ok', filter: 'x' }, { text: 'ok', filter: { kind: 'faq' } }, { text: 'ok', k: 0 }, { text: 'ok', k: 1e9 }, { texts: 'a' }, { texts: [1] }, { texts: [''] }, { tickets: {} }, { tickets: [null] }, { tickets: [{ id: 'a b', subject: 'x', resolution: 'y' }] }, { files: [{ path: 'a.md', markdown: 5 }] }, { files: [{ path: 'a.txt', markdown: '# a' }] }, { markdown: '' }, { query: '', sourceId: 'x', helpful: true }, { text: '\u0000\uFFFF\uD800' }, { text: 'a'.repeat(4001) }, { text: 'ok', fields: { a: { b: 1 } } }, { text: 'ok', receivedAt: 'yesterday' }, { text: 'ok', language: 'english' }, JSON.parse('{"__proto__": {"polluted": true}, "text": "x"}')];
  const routes: Array<[string, string]> = [
    ['POST', '/v1/suggest'],
    ['POST', '/v1/search'],
    ['POST', '/v1/triage'],
    ['POST', '/v1/categorize'],
    ['PUT', '/v1/articles/card-refunds'],
    ['POST', '/v1/articles/publish'],
    ['POST', '/v1/tickets'],
    ['POST', '/v1/feedback'],
    ['POST', '/v1/train'],
  ];
  let checked = 0;
  for (const [method, url] of routes) {
    for (const body of bodies) {
      const res = await call({ method: method as 'POST', url, headers: { ...auth('admin'), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      if (res.status >= 500 || (res.status >= 400 && !/^ADK_/.test(code(res) ?? ''))) t.fail(`${method} ${url} ${JSON.stringify(body)?.slice(0, 60)} → ${res.status} ${res.body.slice(0, 200)}`);
      checked++;
    }
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  t.pass(`${checked} malformed requests, none answered 5xx, all coded`);
});
