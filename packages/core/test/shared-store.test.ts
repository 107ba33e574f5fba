// Several processes on one store folder (SQLite): each instance below has its own database
// connection, as another process would. Plumbing only: the hashing encoder has no notion of meaning.
import path from 'node:path';
import t from 'tap';
import { DATABASE_FILE, HashingEncoder, KnowledgeBase, type KnowledgeDoc } from '@answerdesk/core';
import { vocabularyOf } from '@answerdesk/message';
import { SqliteDocumentStore } from '@answerdesk/sqlite';

/** Two knowledge bases on one new store folder, each with its own connection, as two processes would have; closed with the test. */
async function twoInstances(t: { testdir: () => string; teardown: (fn: () => Promise<void>) => void }) {
  const store = path.join(t.testdir(), 'store');
  const writer = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  const reader = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  t.teardown(async () => {
    await writer.close();
    await reader.close();
  });
  return { store, writer, reader };
}

const ticket = (id: string, subject: string) => ({ id, subject, body: `${subject}, what now?`, resolution: `Here is what to do about ${subject.toLowerCase()}.` });

t.test('a reader answers from another instance\'s writes at its next read, search included', async (t) => {
  const { writer, reader } = await twoInstances(t);
  await writer.addTickets([ticket('T-1', 'Parcel arrived damaged')]);
  t.equal((await reader.search('parcel arrived damaged', { k: 1 })).hits[0]?.doc.id, 'T-1', 'the first write is seen');
  await writer.addTickets([ticket('T-2', 'Voucher code rejected at checkout')]);
  const hits = (await reader.search('voucher code rejected at checkout', { k: 3 })).hits.map((hit) => hit.doc.id);
  t.equal(hits[0], 'T-2', 'a later write is found by words and vectors');
  t.equal(reader.stats.tickets, 2, 'counts follow');
  await writer.remove(['T-1']);
  t.notOk(await reader.document('T-1'), 'a removal is seen');
  t.notOk((await reader.search('parcel arrived damaged', { k: 3 })).hits.some((hit) => hit.doc.id === 'T-1'), 'and the removed ticket is never found again');
});

t.test('two instances writing at once lose no write', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const a = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  const b = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  const writes: Array<Promise<unknown>> = [];
  for (let i = 0; i < 20; i++) writes.push((i % 2 ? a : b).addTickets([ticket(`T-${i}`, `Question number ${i}`)]));
  await Promise.all(writes);
  const reopened = await KnowledgeBase.openExisting({ store, encoder: new HashingEncoder() });
  t.teardown(() => reopened.close());
  t.equal(reopened.stats.tickets, 20, 'every acknowledged write is there');
  const report = await reopened.verify();
  t.ok(report.ok, report.problems.join('; '));
});

t.test("the spellers' word counts are stored with every write, from any instance, and equal a full count", async (t) => {
  const { store, writer, reader } = await twoInstances(t);
  await writer.addTickets([ticket('T-1', 'Parcel arrived damaged'), ticket('T-2', 'Voucher code rejected at checkout')]);
  t.same((await reader.suggest('my vouchr was rejected')).message?.corrections, [{ from: 'vouchr', to: 'voucher' }], 'a word another instance wrote corrects a typo');
  await writer.addTickets([{ ...ticket('T-2', 'Warehouse shipment delayed'), resolution: 'The warehouse shipment left today.' }]);
  await writer.remove(['T-1']);
  t.same((await reader.suggest('the warehose is slow')).message?.corrections, [{ from: 'warehose', to: 'warehouse' }], 'a replaced ticket brings its new words');
  t.same((await reader.suggest('my vouchr was rejected')).message?.corrections, [], "and takes its old ones away: no other document has 'voucher'");

  const database = await SqliteDocumentStore.open({ file: path.join(store, DATABASE_FILE), location: store });
  t.teardown(() => database.close());
  const documents: KnowledgeDoc[] = [];
  for await (const doc of database.documents()) documents.push(doc);
  const recount = vocabularyOf(documents.flatMap((doc) => [doc.title, doc.text, ...(doc.answer !== doc.text ? [doc.answer] : [])]));
  t.same(await database.vocabulary(), recount, 'the stored counts are what counting every document gives');
});
