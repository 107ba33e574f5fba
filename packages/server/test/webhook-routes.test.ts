// POST /v1/triage/zammad and /v1/triage/generic through fastify's inject, with the fixtures in
// test/fixtures (Zammad's documented trigger payload; a made-up helpdesk and its mapping). On the
// hashing encoder: plumbing and mapping only, never answer quality.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseRules } from '@answerdesk/core';
import { createServer } from '@answerdesk/server';
import { auth, harness } from './helpers.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const errorCode = (res: { json: any }) => res.json?.error?.code;

const rules = parseRules(
  [
    'version: 1',
    'rules:',
    '  - name: tag the store',
    '    stop: false',
    '    when: { fields: { storeId: { exists: true } } }',
    '    then: { tags: ["store__{fields.storeId}"] }',
    '  - name: refunds to payments',
    '    when: { keywords: { any: [refund] } }',
    '    then: { queue: payments, tags: [money], priority: urgent }',
    '  - name: parcels to logistics',
    '    when: { keywords: { any: [parcel, tracking] } }',
    '    then: { queue: logistics }',
    '',
  ].join('\n'),
  { file: 'inline.yaml' },
);

const webhooks = {
  zammad: { groups: { payments: 'Billing', logistics: 'Logistics' }, fields: { storeId: 'ticket.store_id' }, categoryAttribute: 'category' },
  ...fixture('generic-mapping.json'),
};

t.test("Zammad's trigger payload: what Zammad sets, in its names, and the ticket update", async (t) => {
  const { call } = await harness(t, { rules, webhooks });
  const res = await call({ method: 'POST', url: '/v1/triage/zammad', headers: auth('reader'), payload: fixture('zammad-ticket-created.json') });
  t.equal(res.status, 200, res.body);
  const answer = res.json;
  t.match(answer, { helpdesk: 'zammad', ticketId: '81', ticketNumber: '10081', queue: 'payments', group: 'Billing', tags: ['store__s_012', 'money'], warnings: [] });
  t.same(answer.priority, { value: 'urgent', basis: 'rules', name: '3 high', id: 3 }, "urgent is Zammad's highest default priority");
  t.match(answer.note, { internal: true, subject: /^Answerdesk: / });
  // The message repeats past ticket T-100's words (the order number aside, which is never matched): the
  // note carries a reply adapted from its resolution, marked as such. (The note of a question left open: webhook.test.ts.)
  t.match(answer.note.body, /^Suggested reply \(\w+ confidence: \d+% likely right; check it before sending, it was not sent\):\n\n {4}The refund was sent/);
  t.match(answer.note.body, /Adapted from past ticket T-100/);
  t.match(answer.note.body, /Rules: tag the store, refunds to payments/);
  t.match(answer.note.html, /^<p><strong>/);
  t.match(answer.update, { group: 'Billing', priority_id: 3, article: { type: 'note', internal: true, content_type: 'text/html', body: answer.note.html } });
  t.match(answer.triage, { id: '81', entities: [{ kind: 'order', value: 'BC-4410273' }], route: { queue: 'payments' } }, 'the full triage, as POST /v1/triage gives it');
  t.match(answer.triage.suggestionId, /^[0-9a-f-]{36}$/, 'a suggestion id for feedback');
  t.match(answer.triage.suggestion.message.removed, { quoted: /Your return was received/ }, "the HTML body's quoted reply is read as a quote");

  // Words the knowledge base has, nearly as written: answered, so the note carries the reply and its source.
  const payload = fixture('zammad-ticket-created.json');
  payload.article.body = '<p>Refunds to a card take five working days after we receive the return?</p>';
  const answered = await call({ method: 'POST', url: '/v1/triage/zammad', headers: auth('reader'), payload });
  t.equal(answered.json.triage.suggestion.status, 'answered', answered.json.note.body);
  t.match(answered.json.note.body, /^Suggested reply \(\w+ confidence: \d+% likely right; check it before sending, it was not sent\):\n\n {4}\S/);
  t.match(answered.json.note.body, /Sources:\n\n- Card refunds › How long a card refund takes \(card-refunds#how-long-a-card-refund-takes; card-refunds\.md, line \d+\): \w+, \d+%/);
  t.match(answered.json.note.html, /<blockquote>.*Refunds to a card take five working days/s);
});

t.test('bad Zammad payloads get a 400 that says what to fix', async (t) => {
  const { call } = await harness(t);
  const payload = fixture('zammad-ticket-created.json');
  const post = (body: unknown, headers: Record<string, string> = {}) => call({ method: 'POST', url: '/v1/triage/zammad', headers: { ...auth('reader'), ...headers }, payload: body as object });

  const noTicket = await post({ article: payload.article });
  t.equal(noTicket.status, 400);
  t.equal(errorCode(noTicket), 'ADK_REQUEST_INVALID');
  t.match(noTicket.json.error.message, /"ticket" is required/);
  const noId = await post({ ticket: { title: 'x' }, article: payload.article });
  t.match(noId.json.error.message, /"ticket.id" is required/);
  const badBody = await post({ ticket: payload.ticket, article: { ...payload.article, body: 42 } });
  t.equal(badBody.status, 400);
  t.match(badBody.json.error, { code: 'ADK_REQUEST_INVALID', message: /"article.body" must be string,null/ });

  const noArticle = await post({ ticket: payload.ticket });
  t.equal(noArticle.status, 400);
  t.equal(errorCode(noArticle), 'ADK_WEBHOOK_PAYLOAD_INVALID');
  t.match(noArticle.json.error.message, /The zammad webhook payload cannot be triaged: it has no "article".*"Action is created"/);
  const empty = await post({ ticket: { id: 81 }, article: { body: '<div><br></div>', content_type: 'text/html' } });
  t.equal(errorCode(empty), 'ADK_WEBHOOK_PAYLOAD_INVALID');

  const custom = await post({ ticket: '#{ticket.number}', subject: '#{ticket.title}' });
  t.equal(custom.status, 400, 'a custom payload is refused by the schema');
  t.match(custom.json.error.message, /"ticket" must be object/);

  const notJson = await call({ method: 'POST', url: '/v1/triage/zammad', headers: { ...auth('reader'), 'content-type': 'application/json' }, payload: '{"ticket":' });
  t.equal(errorCode(notJson), 'ADK_BODY_INVALID_JSON');
  const noKey = await call({ method: 'POST', url: '/v1/triage/zammad', payload });
  t.equal(noKey.status, 401, 'a read key is needed once keys exist');
  t.equal(errorCode(noKey), 'ADK_UNAUTHORIZED');
});

t.test('a long e-mail thread is cut and triaged, not refused', async (t) => {
  const { call } = await harness(t);
  const payload = fixture('zammad-ticket-created.json');
  payload.article.content_type = 'text/plain';
  payload.article.body = `Where is my refund?\n\n${'> an old message quoted again and again\n'.repeat(200)}`;
  const res = await call({ method: 'POST', url: '/v1/triage/zammad', headers: auth('reader'), payload });
  t.equal(res.status, 200, res.body);
  t.match(res.json.warnings, [/the first \d+ were triaged/]);
  t.match(res.json.note.body, /Warnings:\n\n- the text is \d+ characters long/);
});

t.test('any helpdesk through the generic mapping', async (t) => {
  const { call } = await harness(t, { rules, webhooks });
  const res = await call({ method: 'POST', url: '/v1/triage/generic', headers: auth('reader'), payload: fixture('generic-ticket.json') });
  t.equal(res.status, 200, res.body);
  t.match(res.json, { helpdesk: 'acme-desk', ticketId: 'HD-2211', queue: 'logistics', group: 'Shipping team', tags: ['store__s_012'] });
  t.equal(res.json.priority.value, res.json.triage.route.priority);
  t.match(res.json.priority.name, /^P[1-4]$/, "the helpdesk's priority names");
  t.notOk('update' in res.json, 'no Zammad update for other helpdesks');
  t.match(res.json.warnings, [/field "labels" was left out/]);
  t.equal(res.json.triage.language.code, 'en', 'the locale en-GB is taken as en');

  const missing = await call({ method: 'POST', url: '/v1/triage/generic', headers: auth('reader'), payload: { data: { ticket: { subject: 'only a subject' } } } });
  t.equal(missing.status, 400);
  t.equal(errorCode(missing), 'ADK_WEBHOOK_PAYLOAD_INVALID');
  t.match(missing.json.error.message, /The acme-desk webhook payload cannot be triaged: there is no text at "\/data\/ticket\/description_text" or "\/data\/ticket\/description"/);
  const list = await call({ method: 'POST', url: '/v1/triage/generic', headers: auth('reader'), payload: [1, 2] as unknown as object });
  t.equal(errorCode(list), 'ADK_REQUEST_INVALID');
});

t.test('the generic route without a mapping, a bad mapping at start, and the OpenAPI document', async (t) => {
  const { call } = await harness(t, { empty: true });
  const res = await call({ method: 'POST', url: '/v1/triage/generic', headers: auth('reader'), payload: { text: 'hello' } });
  t.equal(res.status, 409);
  t.equal(errorCode(res), 'ADK_WEBHOOK_NOT_CONFIGURED');
  t.match(res.json.error.message, /--webhook-mapping/);

  await t.rejects(createServer({ store: '/nonexistent', webhooks: { generic: { text: 'a..b' } } }), { code: 'ADK_OPTION_INVALID', message: /"webhooks.generic.text" has an empty step/ });

  const openapi = await call({ method: 'GET', url: '/openapi.json' });
  for (const path of ['/v1/triage/zammad', '/v1/triage/generic']) {
    const op = openapi.json.paths[path]?.post;
    t.ok(op?.requestBody && op.responses['200'] && op.responses['400'], `${path} is documented with its body and responses`);
  }
});
