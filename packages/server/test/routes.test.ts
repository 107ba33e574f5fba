// Every route through fastify's inject, on the hashing encoder (plumbing only: the
// encoder has no notion of meaning, so no assertion here is about answer quality).
import t from 'tap';
import { HashingEncoder } from '@answerdesk/core';
import { auth, harness, refundArticle, type Harness } from './helpers.js';

const errorCode = (res: { json: any }) => res.json?.error?.code;

t.test('health, ready, metrics and the OpenAPI document', async (t) => {
  const { call } = await harness(t);
  const health = await call({ method: 'GET', url: '/v1/health' });
  t.equal(health.status, 200);
  t.equal(health.json.status, 'ok');
  const ready = await call({ method: 'GET', url: '/v1/ready' });
  t.equal(ready.status, 200);
  t.match(ready.json, { ready: true, model: 'hashing-64', articles: 2, sections: 3, tickets: 2 });
  t.same(ready.json.categories, ['delivery', 'refund']);
  t.same(ready.json.languages, ['en'], "the documents' languages, for the page's search filter");

  await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } });
  const metrics = await call({ method: 'GET', url: '/v1/metrics' });
  t.equal(metrics.status, 200);
  t.match(metrics.headers['content-type'], /text\/plain/);
  t.match(metrics.body, /answerdesk_http_requests_total\{method="POST",route="\/v1\/suggest",status="200"\} 1/);
  t.match(metrics.body, /answerdesk_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/v1\/suggest"\}/);
  t.match(metrics.body, /answerdesk_documents\{kind="section"\} 3/);
  t.match(metrics.body, /answerdesk_documents\{kind="ticket"\} 2/);
  t.match(metrics.body, /answerdesk_writes_total\{kind="ticket"\} 2/);

  const openapi = await call({ method: 'GET', url: '/openapi.json' });
  t.equal(openapi.status, 200);
  t.equal(openapi.json.openapi, '3.1.0');
  const paths = Object.keys(openapi.json.paths).sort();
  for (const p of ['/v1/suggest', '/v1/search', '/v1/triage', '/v1/categorize', '/v1/articles/{id}', '/v1/articles/publish', '/v1/tickets', '/v1/tickets/{id}', '/v1/feedback', '/v1/health', '/v1/ready', '/v1/metrics', '/v1/documents/{id}']) {
    t.ok(paths.includes(p), `OpenAPI documents ${p}`);
  }
  for (const [p, methods] of Object.entries<any>(openapi.json.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      if (method !== 'get') t.ok(op.requestBody || p.includes('{id}'), `${method} ${p} documents its body`);
      t.ok(Object.keys(op.responses).some((s) => s.startsWith('2')), `${method} ${p} documents its success response`);
    }
  }
  const docs = await call({ method: 'GET', url: '/docs/' });
  t.equal(docs.status, 200, 'the docs page is served');
  t.match(docs.body, /swagger/i);
});

t.test('suggest answers with a source and a suggestion id', async (t) => {
  const { call } = await harness(t);
  const res = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'Refunds to a card take five working days', alternatives: 1 } });
  t.equal(res.status, 200);
  t.equal(res.json.status, 'answered');
  t.match(res.json.source, { id: 'card-refunds#how-long-a-card-refund-takes', kind: 'article', title: 'Card refunds' });
  t.match(res.json.suggestionId, /^[0-9a-f-]{36}$/);
  t.ok(res.json.alternatives.length <= 1);
  const filtered = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'Refunds to a card take five working days', filter: { kind: 'ticket' } } });
  t.equal(filtered.status, 200);
  if (filtered.json.source) t.equal(filtered.json.source.kind, 'ticket', 'the filter applies');
});

t.test('suggest on an automatic reply answers nothing and drafts nothing, and says so; so do a closing thanks, a follow-up and a bare order number', async (t) => {
  const { call } = await harness(t);
  const text = 'Automatic reply: Re: your refund\n\nI am out of the office until Monday with limited access to email.';
  const res = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text } });
  t.equal(res.status, 200);
  t.equal(res.json.status, 'abstained');
  t.equal(res.json.message.autoReply, true, 'the schema keeps the flag');
  t.equal(res.json.draft.text, '');
  t.match(res.json.draft.notes.join(' '), /No reply needed/);
  for (const [message, flag] of [
    ['Thanks, that solved it!', 'thanksOnly'],
    ['Hi, any update on this?', 'followUp'],
    ['BC-4412345', 'nothingAsked'],
    ['Dear Winner, your email address has won £850,000 in our lottery. Send your bank details to claim your prize.', 'unsolicited'],
  ] as const) {
    const reply = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: message } });
    t.equal(reply.json.message[flag], true, `"${message}": the schema keeps ${flag}`);
    t.equal(reply.json.status, 'abstained', 'nothing is answered');
  }
});

t.test('search returns ranked documents without internals', async (t) => {
  const { call } = await harness(t);
  const res = await call({ method: 'POST', url: '/v1/search', headers: auth('reader'), payload: { text: 'parcel tracking late', k: 3, mode: 'lexical' } });
  t.equal(res.status, 200);
  t.equal(res.json.mode, 'lexical');
  t.ok(res.json.hits.length >= 1 && res.json.hits.length <= 3);
  t.same(res.json.hits.map((h: any) => h.rank), res.json.hits.map((_: unknown, i: number) => i + 1));
  const first = res.json.hits[0].document;
  t.ok(['late-delivery#parcel-is-late', 'T-101'].includes(first.id), `a delivery document first (${first.id})`);
  t.notOk('hash' in first, 'no content hashes');
  t.notOk('labels' in first, 'no internal labels');
  const bad = await call({ method: 'POST', url: '/v1/search', headers: auth('reader'), payload: { text: 'x', mode: 'semantic' } });
  t.equal(bad.status, 400);
  t.equal(errorCode(bad), 'ADK_REQUEST_INVALID');
  t.match(bad.json.error.message, /"mode" must be one of "hybrid", "vector", "lexical"/);
});

t.test('triage gives priority, language, the route and a suggestion; categorize needs a trained model', async (t) => {
  const rules = (await import('@answerdesk/core')).parseRules(
    'version: 1\nrules:\n  - name: refunds to payments\n    when: { keywords: { any: [refund] } }\n    then: { queue: payments, tags: [money] }\n',
    { file: 'inline.yaml' },
  );
  const { call, kb } = await harness(t, { rules });
  const untrained = await call({ method: 'POST', url: '/v1/categorize', headers: auth('reader'), payload: { texts: ['where is my refund'] } });
  t.equal(untrained.status, 409);
  t.equal(errorCode(untrained), 'ADK_CATEGORIZER_NOT_TRAINED');

  const res = await call({ method: 'POST', url: '/v1/triage', headers: auth('reader'), payload: { subject: 'Refund for order BC-4410273', text: 'URGENT: my refund never came, I will call my lawyer', channel: 'email', fields: { storeId: 'S-1' } } });
  t.equal(res.status, 200);
  t.same(res.json.entities, [{ kind: 'order', text: 'BC-4410273', value: 'BC-4410273', start: 17, end: 27 }], 'the details found are serialized');
  t.equal(res.json.language.code, 'en');
  t.match(res.json.priority, { basis: 'cues' });
  t.match(res.json.route, { queue: 'payments', tags: ['money'] });
  t.match(res.json.route.trace[0], { rule: 'refunds to payments', fired: true });
  t.ok(res.json.suggestion, 'a suggestion by default');
  t.match(res.json.suggestionId, /^[0-9a-f-]{36}$/);
  const quiet = await call({ method: 'POST', url: '/v1/triage', headers: auth('reader'), payload: { text: 'refund please', suggest: false } });
  t.equal(quiet.status, 200);
  t.notOk(quiet.json.suggestion);
  t.notOk(quiet.json.suggestionId, 'no suggestion, no suggestion id');
  t.same(quiet.json.entities, [], 'no details: an empty list');

  await kb.train({ field: 'queue' });
  const cat = await call({ method: 'POST', url: '/v1/categorize', headers: auth('reader'), payload: { texts: ['refund', 'parcel'], field: 'queue' } });
  t.equal(cat.status, 200);
  t.equal(cat.json.field, 'queue');
  t.equal(cat.json.predictions.length, 2);
  t.ok(cat.json.predictions.every((p: any) => ['payments', 'logistics'].includes(p.label) && p.probability > 0 && ['high', 'medium', 'low'].includes(p.level)));
  const tooMany = await call({ method: 'POST', url: '/v1/categorize', headers: auth('reader'), payload: { texts: Array(101).fill('x') } });
  t.equal(tooMany.status, 400);
  t.match(tooMany.json.error.message, /"texts" must NOT have more than 100 items/);
});

t.test('articles: put, replace, fetch a section, delete', async (t) => {
  const { call, kb } = await harness(t);
  const edited = refundArticle.replace('## Refund to a closed card\n\nIf the card was closed, the bank forwards the refund to your new card.\n', '');
  const put = await call({ method: 'PUT', url: '/v1/articles/card-refunds', headers: auth('writer'), payload: { markdown: edited, path: 'eshop/card-refunds.md' } });
  t.equal(put.status, 200);
  t.match(put.json, { id: 'card-refunds', created: false, sections: 1, removed: 1 });
  t.notOk((await kb.document('card-refunds#refund-to-a-closed-card')), 'the removed section is gone from the live index');
  const doc = await call({ method: 'GET', url: `/v1/documents/${encodeURIComponent('card-refunds#how-long-a-card-refund-takes')}`, headers: auth('reader') });
  t.equal(doc.status, 200);
  t.match(doc.json, { kind: 'article', category: 'refund', source: { file: 'eshop/card-refunds.md', anchor: 'how-long-a-card-refund-takes' } });

  const fresh = await call({ method: 'PUT', url: '/v1/articles/gift-cards', headers: auth('writer'), payload: { markdown: '# Gift cards\n\nGift cards are valid for three years.\n' } });
  t.equal(fresh.status, 200);
  t.match(fresh.json, { id: 'gift-cards', created: true, sections: 1 });
  t.ok((await kb.document('gift-cards#gift-cards')), 'front matter is optional: the id comes from the URL');

  const mismatch = await call({ method: 'PUT', url: '/v1/articles/other-id', headers: auth('writer'), payload: { markdown: refundArticle } });
  t.equal(mismatch.status, 400);
  t.equal(errorCode(mismatch), 'ADK_ARTICLE_FIELD_INVALID');
  t.match(mismatch.json.error.message, /"card-refunds" in the front matter but the URL names "other-id"/);
  const badYaml = await call({ method: 'PUT', url: '/v1/articles/x', headers: auth('writer'), payload: { markdown: '---\ntitle: [unclosed\n---\n# X\n' } });
  t.equal(badYaml.status, 400);
  t.equal(errorCode(badYaml), 'ADK_FRONTMATTER_INVALID');
  const badId = await call({ method: 'PUT', url: '/v1/articles/%20bad', headers: auth('writer'), payload: { markdown: '# X\n\ntext\n' } });
  t.equal(badId.status, 400);
  t.equal(errorCode(badId), 'ADK_REQUEST_INVALID');
  t.equal(badId.json.error.details.location, 'params');

  const del = await call({ method: 'DELETE', url: '/v1/articles/card-refunds', headers: auth('writer') });
  t.equal(del.status, 200);
  t.same(del.json, { id: 'card-refunds', removed: 1 });
  t.notOk(kb.articleIds.includes('card-refunds'));
  const again = await call({ method: 'DELETE', url: '/v1/articles/card-refunds', headers: auth('writer') });
  t.equal(again.status, 404);
  t.equal(errorCode(again), 'ADK_ARTICLE_NOT_FOUND');
  const heading = 'Parcel marked as delivered but not received or items missing from your parcel after the courier left';
  await call({ method: 'PUT', url: '/v1/articles/eshop-parcel-missing-items', headers: auth('writer'), payload: { markdown: `# Missing\n\n## ${heading}\n\nCheck with neighbours first.\n` } });
  const longId = `eshop-parcel-missing-items#${heading.toLowerCase().replace(/ /g, '-')}`;
  t.ok(longId.length > 100, `a real-world section id of ${longId.length} characters`);
  const long = await call({ method: 'GET', url: `/v1/documents/${encodeURIComponent(longId)}`, headers: auth('reader') });
  t.equal(long.status, 200, 'long section ids are fetched');
  for (const url of [`/v1/documents/${'a'.repeat(600)}`, '/v1/documents/%E0%A4%A']) {
    const res = await call({ method: 'GET', url, headers: auth('reader') });
    t.equal(res.status, 400, 'router errors are coded too');
    t.equal(errorCode(res), 'ADK_REQUEST_INVALID');
  }
  const missingDoc = await call({ method: 'GET', url: '/v1/documents/nope', headers: auth('reader') });
  t.equal(missingDoc.status, 404);
  t.equal(errorCode(missingDoc), 'ADK_DOCUMENT_NOT_FOUND');
});

t.test('publish checks every file before writing anything; prune needs admin', async (t) => {
  const { call, kb } = await harness(t);
  const files = [
    { path: 'eshop/returns.md', markdown: '---\nid: returns\ncategory: returns\n---\n# Returns\n\nReturn within 30 days.\n' },
    { path: 'eshop/broken.md', markdown: '---\ntitle: [oops\n---\n# Broken\n' },
    { path: 'eshop/bad-lang.md', markdown: '---\nlanguage: 42\n---\n# Bad\n\ntext\n' },
  ];
  const rejected = await call({ method: 'POST', url: '/v1/articles/publish', headers: auth('writer'), payload: { files } });
  t.equal(rejected.status, 400);
  t.equal(rejected.json.errors.length, 2, 'every bad file is reported');
  t.match(rejected.json.errors.map((e: any) => e.message).join('\n'), /eshop\/broken\.md[\s\S]*eshop\/bad-lang\.md/);
  t.notOk(kb.articleIds.includes('returns'), 'nothing was written');

  const ok = await call({ method: 'POST', url: '/v1/articles/publish', headers: auth('writer'), payload: { files: [files[0]] } });
  t.equal(ok.status, 200);
  t.match(ok.json, { articles: 1, sections: 1, updated: 1, removed: 0 });
  const same = await call({ method: 'POST', url: '/v1/articles/publish', headers: auth('writer'), payload: { files: [files[0]] } });
  t.match(same.json, { updated: 0, unchanged: 1, embedded: 0 }, 'republishing unchanged files embeds nothing');

  const prune = await call({ method: 'POST', url: '/v1/articles/publish', headers: auth('writer'), payload: { files: [files[0]], prune: true } });
  t.equal(prune.status, 403);
  t.equal(errorCode(prune), 'ADK_FORBIDDEN');
  const pruned = await call({ method: 'POST', url: '/v1/articles/publish', headers: auth('admin'), payload: { files: [files[0]], prune: true } });
  t.equal(pruned.status, 200);
  t.same(kb.articleIds, ['returns'], 'prune leaves exactly the published articles');
  t.equal(kb.stats.tickets, 2, 'prune never touches tickets');

  const dup = await call({ method: 'POST', url: '/v1/articles/publish', headers: auth('writer'), payload: { files: [files[0], { ...files[0], path: 'other/returns.md' }] } });
  t.equal(dup.status, 409);
  t.equal(errorCode(dup), 'ADK_ARTICLE_ID_DUPLICATE');
  const escape = await call({ method: 'POST', url: '/v1/articles/publish', headers: auth('writer'), payload: { files: [{ path: '../../etc/passwd.md', markdown: '# x\n\ny\n' }] } });
  t.equal(escape.status, 400);
  t.equal(errorCode(escape), 'ADK_REQUEST_INVALID');
});

t.test('tickets: bulk add is all or nothing, replace by id, delete', async (t) => {
  const { call, kb } = await harness(t);
  const bad = await call({
    method: 'POST',
    url: '/v1/tickets',
    headers: auth('writer'),
    payload: { tickets: [{ id: 'T-200', subject: 'A', resolution: 'B' }, { id: 'T-201', subject: 'no answer' }, { id: 'T-200', subject: 'again', resolution: 'C' }] },
  });
  t.equal(bad.status, 400);
  t.equal(bad.json.errors.length, 2);
  t.match(bad.json.errors[0].message, /"tickets\[1\]" missing "resolution"/);
  t.match(bad.json.errors[1].message, /repeats the id "T-200" of tickets\[0\]/);
  t.notOk((await kb.document('T-200')), 'nothing was written');

  const replaced = await call({ method: 'POST', url: '/v1/tickets', headers: auth('writer'), payload: { tickets: [{ ...(await import('./helpers.js')).tickets[0], resolution: 'Refund re-sent today.' }] } });
  t.equal(replaced.status, 200);
  t.match(replaced.json, { updated: 1, unchanged: 0 });
  t.equal((await kb.document('T-100'))?.answer, 'Refund re-sent today.');
  t.equal(kb.stats.tickets, 2, 'replaced, not duplicated');

  const clash = await call({ method: 'POST', url: '/v1/tickets', headers: auth('writer'), payload: { tickets: [{ id: 'late-delivery#parcel-is-late', subject: 'x', resolution: 'y' }] } });
  t.equal(clash.status, 400);

  const del = await call({ method: 'DELETE', url: '/v1/tickets/T-101', headers: auth('writer') });
  t.equal(del.status, 200);
  t.notOk((await kb.document('T-101')));
  const gone = await call({ method: 'DELETE', url: '/v1/tickets/T-101', headers: auth('writer') });
  t.equal(gone.status, 404);
  t.equal(errorCode(gone), 'ADK_TICKET_NOT_FOUND');
  const notTicket = await call({ method: 'DELETE', url: `/v1/tickets/${encodeURIComponent('late-delivery#parcel-is-late')}`, headers: auth('writer') });
  t.equal(notTicket.status, 404, 'an article section is not deleted through the tickets route');
  const empty = await call({ method: 'POST', url: '/v1/tickets', headers: auth('writer'), payload: { tickets: [] } });
  t.equal(empty.status, 400);
});

t.test('feedback is stored durably and listed for admins', async (t) => {
  const { call, kb, store } = await harness(t);
  const res = await call({ method: 'POST', url: '/v1/feedback', headers: auth('writer'), payload: { query: 'where is my refund', sourceId: 'T-100', helpful: false, comment: 'outdated', suggestionId: 'abc' } });
  t.equal(res.status, 201);
  t.match(res.json, { query: 'where is my refund', sourceId: 'T-100', helpful: false, comment: 'outdated', agent: 'sync' });
  const unknown = await call({ method: 'POST', url: '/v1/feedback', headers: auth('writer'), payload: { query: 'q', sourceId: 'nope', helpful: true } });
  t.equal(unknown.status, 404);
  t.equal(errorCode(unknown), 'ADK_DOCUMENT_NOT_FOUND');
  const notBool = await call({ method: 'POST', url: '/v1/feedback', headers: auth('writer'), payload: { query: 'q', sourceId: 'T-100', helpful: 'yes' } });
  t.equal(notBool.status, 400);
  t.match(notBool.json.error.message, /"helpful" must be boolean/);
  const onQuestion = await call({ method: 'POST', url: '/v1/feedback', headers: auth('writer'), payload: { query: 'Hi, where is my refund? And can I change my address?', question: 'Where is my refund?', sourceId: 'T-100', helpful: true } });
  t.equal(onQuestion.status, 201, 'a verdict may name the question of the message it is on');
  t.equal(onQuestion.json.question, 'Where is my refund?');
  const emptyQuestion = await call({ method: 'POST', url: '/v1/feedback', headers: auth('writer'), payload: { query: 'q', question: '', sourceId: 'T-100', helpful: true } });
  t.equal(emptyQuestion.status, 400, 'an empty question is refused');
  t.equal(errorCode(emptyQuestion), 'ADK_REQUEST_INVALID');
  const list = await call({ method: 'GET', url: '/v1/feedback', headers: auth('admin') });
  t.equal(list.status, 200);
  t.equal(list.json.feedback.length, 2);
  const { KnowledgeBase, HashingEncoder } = await import('@answerdesk/core');
  const reopened = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  t.match(await reopened.feedback(), [{ sourceId: 'T-100', helpful: false }, { question: 'Where is my refund?' }], 'feedback survives a restart');
  await reopened.close();
  t.equal((await kb.feedback()).length, 2);
});

t.test('train retrains a categorizer (admin) as a job: 202, then its progress and result', async (t) => {
  const { call, kb } = await harness(t);
  const denied = await call({ method: 'POST', url: '/v1/train', headers: auth('writer'), payload: { field: 'queue' } });
  t.equal(denied.status, 403);
  const started = await call({ method: 'POST', url: '/v1/train', headers: auth('admin'), payload: { field: 'queue' } });
  t.equal(started.status, 202);
  t.match(started.json, { kind: 'train', state: /queued|running/ });
  t.equal(started.headers.location, `/v1/jobs/${started.json.id}`);
  const done = await untilFinished(call, started.json.id);
  t.equal(done.state, 'succeeded');
  t.same(done.result.labels, ['logistics', 'payments']);
  t.same(kb.categorizerFields, ['queue']);
  const none = await call({ method: 'POST', url: '/v1/train', headers: auth('admin'), payload: { field: 'team' } });
  t.equal(none.status, 202);
  const failed = await untilFinished(call, none.json.id);
  t.equal(failed.state, 'failed');
  t.equal(failed.error.code, 'ADK_TRAINING_DATA_INVALID');
  const list = await call({ method: 'GET', url: '/v1/jobs', headers: auth('admin') });
  t.same(list.json.jobs.map((job: { id: string }) => job.id), [none.json.id, started.json.id], 'newest first');
  const unknown = await call({ method: 'GET', url: '/v1/jobs/00000000-0000-4000-8000-000000000000', headers: auth('admin') });
  t.equal(unknown.status, 404);
  t.equal(errorCode(unknown), 'ADK_JOB_NOT_FOUND');
  t.equal((await call({ method: 'GET', url: `/v1/jobs/${none.json.id}`, headers: auth('reader') })).status, 403, 'readers do not see jobs');
});

t.test('publish and ticket imports with Prefer: respond-async are checked first, then run as jobs', async (t) => {
  const { call, kb } = await harness(t);
  const bad = await call({ method: 'POST', url: '/v1/articles/publish', headers: { ...auth('writer'), prefer: 'respond-async' }, payload: { files: [{ path: 'a.md', markdown: '---\nid: [\n---\n# A' }] } });
  t.equal(bad.status, 400, 'a bad file is refused at once, no job');
  const res = await call({
    method: 'POST',
    url: '/v1/articles/publish',
    headers: { ...auth('writer'), prefer: 'respond-async, wait=5' },
    payload: { files: [{ path: 'gift-cards.md', markdown: '---\nid: gift-cards\ntitle: Gift cards\n---\n\n# Gift cards\n\n## Balance\n\nCheck the balance on the gift card page.\n' }] },
  });
  t.equal(res.status, 202);
  t.equal(res.headers['preference-applied'], 'respond-async');
  const done = await untilFinished(call, res.json.id);
  t.equal(done.state, 'succeeded');
  t.equal(done.result.articles, 1);
  t.ok(kb.articleIds.includes('gift-cards'));
  const tickets = await call({ method: 'POST', url: '/v1/tickets', headers: { ...auth('writer'), prefer: 'respond-async' }, payload: { tickets: [{ id: 'T-200', subject: 'Gift card', body: 'balance?', resolution: 'Told them the page.' }] } });
  t.equal(tickets.status, 202);
  t.equal((await untilFinished(call, tickets.json.id)).state, 'succeeded');
  t.equal((await kb.document('T-200'))?.kind, 'ticket');
});

async function untilFinished(call: Harness['call'], id: string): Promise<any> {
  for (;;) {
    const res = await call({ method: 'GET', url: `/v1/jobs/${id}`, headers: auth('admin') });
    if (res.status !== 200) throw new Error(res.body);
    if (res.json.state === 'succeeded' || res.json.state === 'failed') return res.json;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

t.test('warmUp answers a few questions before the service reports ready, and records none of them', async (t) => {
  // The hashing encoder (plumbing only): what counts here is which questions reached it, not their meaning.
  class Counting extends HashingEncoder {
    readonly asked: string[] = [];
    override async embedQueries(texts: readonly string[]): Promise<Float32Array[]> {
      this.asked.push(...texts);
      return super.embedQueries(texts);
    }
  }
  const encoder = new Counting();
  const { app, kb } = await harness(t, { warmUp: true, encoder, empty: true });
  await app.answerdesk.ready();
  t.ok(encoder.asked.includes('Where is my order?') && encoder.asked.includes('Can I cancel my subscription?'), 'the warm-up questions were embedded');
  t.same(await kb.askedQuestions(), [], 'and none is in the questions log (knowledge gaps)');
});
