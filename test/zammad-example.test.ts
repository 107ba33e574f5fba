// examples/zammad/apply.mjs end to end on loopback: a Zammad trigger payload (the server's fixture,
// which follows Zammad's documented payload) is posted, signed, to the bridge; the bridge asks a real
// Answerdesk (hashing encoder, routing rules) and applies the answer to a fake Zammad that records
// what Zammad's REST API would receive.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { parseRules } from '@answerdesk/core';
import { KEYS, harness } from '../packages/server/test/helpers.js';
// @ts-expect-error: a plain JavaScript example, without type declarations
import { applyAnswer, createBridge, triageTicket, verifySignature } from '../examples/zammad/apply.mjs';

const script = new URL('../examples/zammad/apply.mjs', import.meta.url).pathname;
const payloadFixture = () => JSON.parse(readFileSync(new URL('../packages/server/test/fixtures/zammad-ticket-created.json', import.meta.url), 'utf8'));
const SECRET = 'webhook-secret-0123';
const sign = (body: string) => `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`;

interface Recorded {
  method: string;
  url: string;
  authorization?: string;
  body: any;
}

type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

async function listen(t: Tap, handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A fake Zammad: records each call; answers as Zammad's API documentation shows, or with `fail` for a tag. */
async function fakeZammad(t: Tap, options: { failTag?: string } = {}): Promise<{ url: string; calls: Recorded[] }> {
  const calls: Recorded[] = [];
  const url = await listen(t, (req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = text ? JSON.parse(text) : undefined;
      calls.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/api/v1/tickets/') && req.method === 'PUT') return res.end(JSON.stringify({ id: 81, ...body }));
      if (req.url === '/api/v1/tags/add' && body.item === options.failTag) {
        res.statusCode = 422;
        return res.end(JSON.stringify({ error: 'Tag creation is disabled', error_human: 'Tag creation is disabled' }));
      }
      if (req.url === '/api/v1/tags/add') {
        res.statusCode = 201;
        return res.end('true');
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  return { url, calls };
}

const rules = parseRules(
  'version: 1\nrules:\n  - name: tag the store\n    stop: false\n    when: { fields: { storeId: { exists: true } } }\n    then: { tags: ["store__{fields.storeId}"] }\n  - name: refunds to payments\n    when: { keywords: { any: [refund] } }\n    then: { queue: payments, tags: [money], priority: high }\n',
  { file: 'inline.yaml' },
);

async function answerdesk(t: Tap): Promise<string> {
  const { app } = await harness(t, { rules, webhooks: { zammad: { groups: { payments: 'Billing' }, fields: { storeId: 'ticket.store_id' } } } });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

t.test('a new Zammad ticket gets its internal note, group, priority and tags', async (t) => {
  const zammad = await fakeZammad(t, { failTag: 'store__s_012' });
  const logs: string[] = [];
  const bridge = createBridge({ zammadUrl: zammad.url, zammadToken: 'zammad-token', answerdeskUrl: await answerdesk(t), answerdeskKey: KEYS.reader, secret: SECRET, log: (line: string) => logs.push(line) });
  const bridgeUrl = await listen(t, bridge.handler);
  const post = (body: string, headers: Record<string, string> = {}) => fetch(bridgeUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  const body = JSON.stringify(payloadFixture());
  const accepted = await post(body, { 'x-hub-signature': sign(body), 'x-zammad-delivery': 'd-1', 'x-zammad-trigger': 'Answerdesk' });
  t.equal(accepted.status, 202, 'Zammad is answered at once');
  await bridge.settled();
  const [update, ...tags] = zammad.calls;
  t.match(update, { method: 'PUT', url: '/api/v1/tickets/81', authorization: 'Token token=zammad-token' });
  t.match(update!.body, { group: 'Billing', priority_id: 3, article: { type: 'note', internal: true, content_type: 'text/html', subject: /^Answerdesk: / } });
  t.match(update!.body.article.body, /<strong>Triage<\/strong>/);
  t.same(
    tags.map((call) => [call.method, call.url, call.body]),
    [
      ['POST', '/api/v1/tags/add', { item: 'store__s_012', object: 'Ticket', o_id: 81 }],
      ['POST', '/api/v1/tags/add', { item: 'money', object: 'Ticket', o_id: 81 }],
    ],
  );
  t.match(logs, [/^ticket 10081: Answerdesk: .*; group Billing, priority 3 high, tags money; tags not added: store__s_012 \(Zammad .* answered 422: Tag creation is disabled\)/], 'a refused tag is logged, the others are added');

  const again = await post(body, { 'x-hub-signature': sign(body), 'x-zammad-delivery': 'd-1' });
  t.same(await again.json(), { duplicate: 'd-1' }, "Zammad's retry of one delivery is handled once");
  const forged = await post(body, { 'x-hub-signature': sign(`${body} `) });
  t.equal(forged.status, 401);
  const unsigned = await post(body);
  t.equal(unsigned.status, 401);
  const agent = payloadFixture();
  agent.article.sender = 'Agent';
  const agentBody = JSON.stringify(agent);
  const skipped = await post(agentBody, { 'x-hub-signature': sign(agentBody) });
  t.same(await skipped.json(), { skipped: 'an article by Agent, not by the customer' }, "an agent's article is never triaged (nor the bridge's own note)");
  const internal = { ...payloadFixture(), article: { ...payloadFixture().article, internal: true } };
  const internalBody = JSON.stringify(internal);
  t.match(await (await post(internalBody, { 'x-hub-signature': sign(internalBody) })).json(), { skipped: 'an internal article' });
  await bridge.settled();
  t.equal(zammad.calls.length, 3, 'nothing more reached Zammad');
});

t.test("Answerdesk's refusals are logged and Zammad is left alone; a busy Answerdesk is retried", async (t) => {
  const zammad = await fakeZammad(t);
  const logs: string[] = [];
  const answerdeskUrl = await answerdesk(t);
  const bridge = createBridge({ zammadUrl: zammad.url, zammadToken: 'zammad-token', answerdeskUrl, answerdeskKey: KEYS.reader, log: (line: string) => logs.push(line) });
  const bridgeUrl = await listen(t, bridge.handler);
  const empty = payloadFixture();
  empty.article.body = '<div><br></div>';
  empty.article.subject = '';
  empty.ticket.title = '';
  const res = await fetch(bridgeUrl, { method: 'POST', body: JSON.stringify(empty) });
  t.equal(res.status, 202);
  await bridge.settled();
  t.match(logs, [/^ticket 10081: not triaged: Answerdesk answered 400: ADK_WEBHOOK_PAYLOAD_INVALID: .*no words to triage/]);
  t.equal(zammad.calls.length, 0);
  await t.rejects(triageTicket(payloadFixture(), { answerdeskUrl, answerdeskKey: 'not-a-key-0123456789' }), { message: /answered 401: ADK_UNAUTHORIZED/ });

  let asked = 0;
  const busy = await listen(t, (req, res) => {
    req.resume();
    req.on('end', () => {
      asked++;
      if (asked === 1) {
        res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { code: 'ADK_OVERLOADED', status: 503, message: 'busy' } }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ticketId: '81', tags: [] }));
    });
  });
  t.same(await triageTicket(payloadFixture(), { answerdeskUrl: busy }), { ticketId: '81', tags: [] });
  t.equal(asked, 2, 'asked again after Retry-After');
});

t.test('the command line applies a saved answer', async (t) => {
  const zammad = await fakeZammad(t);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-zammad-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'answer.json');
  const answer = { ticketId: '81', priority: { name: '2 normal' }, tags: ['billing'], update: { group: 'Billing', article: { subject: 'Answerdesk', body: '<p>hi</p>', content_type: 'text/html', type: 'note', internal: true } } };
  await writeFile(file, JSON.stringify(answer));
  const { stdout } = await promisify(execFile)(process.execPath, [script, 'apply', file], { env: { ...process.env, ZAMMAD_URL: zammad.url, ZAMMAD_TOKEN: 'cli-token' } });
  t.same(JSON.parse(stdout), { ticketId: '81', group: 'Billing', priority: '2 normal', tags: { added: ['billing'], failed: [] } });
  t.match(zammad.calls, [{ method: 'PUT', url: '/api/v1/tickets/81', authorization: 'Token token=cli-token', body: answer.update }, { url: '/api/v1/tags/add' }]);
  const usage = await promisify(execFile)(process.execPath, [script, 'nonsense']).catch((error: { code: number; stderr: string }) => error);
  t.match(usage, { code: 2, stderr: /usage: apply\.mjs serve/ });
  await t.rejects(applyAnswer({ tags: [] }, { zammadUrl: zammad.url, zammadToken: 'x' }), { message: /no ticketId or update/ });
  t.ok(verifySignature('s', Buffer.from('x'), `sha1=${createHmac('sha1', 's').update('x').digest('hex')}`));
  t.notOk(verifySignature('s', Buffer.from('x'), 'sha256=00'));
});
