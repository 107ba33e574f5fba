// Writes while serving: the live index changes without a restart, writes run one at a
// time, reads do not wait for them, and everything acknowledged is on disk.
// Plumbing only: the hashing encoder maps equal text to equal vectors and nothing more.
import t from 'tap';
import { HashingEncoder, KnowledgeBase } from '@answerdesk/core';
import { ScriptedEncoder, article, auth, harness } from './helpers.js';

t.test('a published article is answered at once and a deleted one is gone', async (t) => {
  const { call } = await harness(t);
  const text = 'Gift certificates can be used online and in every store for three years.';
  const before = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text } });
  t.not(before.json.source?.id, 'gift-certificates#validity');
  const put = await call({ method: 'PUT', url: '/v1/articles/gift-certificates', headers: auth('writer'), payload: { markdown: article('gift-certificates', 'Gift certificates', 'gift', { Validity: text }) } });
  t.equal(put.status, 200);
  const after = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text } });
  t.equal(after.json.source?.id, 'gift-certificates#validity', 'the new section is the answer without a restart');
  await call({ method: 'DELETE', url: '/v1/articles/gift-certificates', headers: auth('writer') });
  const gone = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text } });
  t.not(gone.json.source?.id, 'gift-certificates#validity');
  t.notOk(gone.json.alternatives.some((a: any) => a.source.id.startsWith('gift-certificates#')), 'not even as an alternative');
});

t.test('concurrent writes are serialized and all of them reach the disk', async (t) => {
  const { call, kb, store } = await harness(t);
  const writes = [
    ...Array.from({ length: 8 }, (_, i) =>
      call({ method: 'PUT', url: `/v1/articles/topic-${i}`, headers: auth('writer'), payload: { markdown: article(`topic-${i}`, `Topic ${i}`, 'misc', { [`Part ${i}`]: `Words about topic number ${i}.` }) } }),
    ),
    ...Array.from({ length: 4 }, (_, i) =>
      call({ method: 'POST', url: '/v1/tickets', headers: auth('writer'), payload: { tickets: [{ id: `C-${i}`, subject: `Question ${i}`, body: 'body', resolution: `Answer ${i}` }] } }),
    ),
    call({ method: 'DELETE', url: '/v1/tickets/T-101', headers: auth('writer') }),
    call({ method: 'POST', url: '/v1/feedback', headers: auth('writer'), payload: { query: 'q', sourceId: 'T-100', helpful: true } }),
  ];
  const results = await Promise.all(writes);
  t.same(results.map((r) => r.status).sort(), [...Array(12).fill(200), 200, 201].sort(), 'every write acknowledged');
  t.equal(kb.articleIds.length, 10);
  t.equal(kb.stats.tickets, 2 + 4 - 1);

  const reopened = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  t.teardown(() => reopened.close());
  t.same(reopened.articleIds, kb.articleIds, 'the saved store holds every acknowledged article');
  t.same(reopened.stats, kb.stats, 'and the same documents, passages and segments');
  t.equal((await reopened.feedback()).length, 1);
});

t.test('reads are answered while a write is embedding', async (t) => {
  const encoder = new ScriptedEncoder();
  const { call } = await harness(t, { encoder });
  encoder.passageDelayMs = 400;
  // Reads embed answer units as passages too; only the write's own passages are slow.
  encoder.delayPassagesWith = 'slow article';
  const order: string[] = [];
  const write = call({ method: 'PUT', url: '/v1/articles/slow', headers: auth('writer'), payload: { markdown: article('slow', 'Slow article', 'misc', { Body: 'Text of the slow article.' }) } }).then((r) => {
    order.push('write');
    return r;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const read = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'Text of the slow article.' } });
  order.push('read');
  t.equal(read.status, 200);
  t.not(read.json.source?.id, 'slow#body', 'the read saw the state before the write, not half of it');
  t.equal((await write).status, 200);
  t.same(order, ['read', 'write'], 'the read did not wait for the write');
  const later = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'Text of the slow article.' } });
  t.equal(later.json.source?.id, 'slow#body');
});

t.test('closing the server waits for a write in flight', async (t) => {
  const encoder = new ScriptedEncoder();
  const { app, kb, store } = await harness(t, { encoder });
  encoder.passageDelayMs = 200;
  const write = app.inject({ method: 'POST', url: '/v1/tickets', headers: auth('writer'), payload: { tickets: [{ id: 'LATE-1', subject: 'late', resolution: 'done' }] } });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await kb.close();
  t.equal((await write).statusCode, 200);
  const reopened = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  t.ok((await reopened.document('LATE-1')), 'the acknowledged ticket is on disk');
  await reopened.close();
});

t.test('another process writing the same store folder (the CLI while serve runs) is answered from at the next request', async (t) => {
  const { call, store } = await harness(t);
  // A second knowledge base on the folder: its own SQLite connection, as `answerdesk tickets add` in another process has.
  const cli = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  t.teardown(() => cli.close());
  await cli.addTickets([{ id: 'CLI-1', subject: 'Gift card balance missing', body: 'My gift card balance disappeared after a purchase', resolution: 'The balance is restored within one day.' }]);
  const search = await call({ method: 'POST', url: '/v1/search', headers: auth('reader'), payload: { text: 'gift card balance disappeared after a purchase', k: 3 } });
  t.equal(search.status, 200);
  t.equal(search.json.hits[0]?.document?.id, 'CLI-1', 'the other process\'s ticket is found');
  const doc = await call({ method: 'GET', url: '/v1/documents/CLI-1', headers: auth('reader') });
  t.equal(doc.status, 200, 'and served by id');
});
