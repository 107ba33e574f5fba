import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SqliteDocumentStore, type AnnStamp } from '../src/index.js';
import { freshStore, passage, reopen, seededVector, ticket } from './helpers.js';

// The hnswlib graph is a cache next to the database, never the source of truth: these tests
// delete it, make it stale, pair it with the wrong stamp, and check the answers stay right.

const DIM = 16;
const tickets = (from: number, to: number) => {
  const docs = [];
  const passages = [];
  for (let i = from; i < to; i++) {
    docs.push(ticket(`T-${i}`));
    passages.push(passage(`T-${i}`, 0, seededVector(i, DIM), `p${i}`));
  }
  return { docs, passages };
};
const nearest = async (store: SqliteDocumentStore, i: number) => (await store.searchVectors(seededVector(i, DIM), 1))[0]?.id;

t.test('the cache is written on first use and on close, and read on the next open', async (t) => {
  const store = await freshStore(t, { dimension: DIM });
  await store.write(tickets(0, 50));
  t.notOk(existsSync(store.files.graph), 'a write alone builds no index');
  t.equal(await nearest(store, 7), 'T-7');
  t.match(store.vectorStatus(), { origin: 'rebuilt', rebuildReason: 'missing', size: 50 });
  t.ok(existsSync(store.files.graph) && existsSync(store.files.stamp), 'a rebuilt index is saved at once');
  await store.write(tickets(50, 60));
  t.equal(await nearest(store, 55), 'T-55', 'own writes are caught up before the next search');
  await store.close();
  const stamp = JSON.parse(readFileSync(store.files.stamp, 'utf8')) as AnnStamp;
  t.equal(stamp.seq, 60, 'saved on close with the last change it reflects');

  const again = await SqliteDocumentStore.open({ file: store.file, loadVectors: true });
  t.teardown(() => again.close());
  t.match(again.vectorStatus(), { origin: 'cache', size: 60, seq: 60, caughtUp: 0 });
  t.equal(await nearest(again, 58), 'T-58');
});

t.test('a deleted cache is rebuilt; a stale one is caught up from the change log', async (t) => {
  const store = await freshStore(t, { dimension: DIM });
  await store.write(tickets(0, 40));
  await store.loadVectorIndex();
  await store.close();

  // Another instance writes without ever loading vectors and is still running (or died before
  // closing: a closing writer leaves the cache caught up): the cache on disk is now stale.
  const writer = await SqliteDocumentStore.open({ file: store.file });
  await writer.write(tickets(40, 45));
  await writer.write({ removed: ['T-3'] });

  const caughtUp = await SqliteDocumentStore.open({ file: store.file, loadVectors: true });
  t.match(caughtUp.vectorStatus(), { origin: 'cache', size: 44, seq: 46, caughtUp: 6 }, 'read from the cache, then 5 puts and 1 delete applied');
  t.equal(await nearest(caughtUp, 42), 'T-42');
  t.not(await nearest(caughtUp, 3), 'T-3', 'the removed ticket is gone');
  await caughtUp.close();
  await writer.close();

  rmSync(store.files.graph);
  const rebuilt = await SqliteDocumentStore.open({ file: store.file, loadVectors: true });
  t.teardown(() => rebuilt.close());
  t.match(rebuilt.vectorStatus(), { origin: 'rebuilt', rebuildReason: 'graph missing', size: 44 });
  t.equal(await nearest(rebuilt, 44), 'T-44');
  t.ok(existsSync(store.files.graph), 'and saved again');
});

t.test('a graph and a stamp of different saves, or of another database, are never trusted', async (t) => {
  const store = await freshStore(t, { dimension: DIM });
  await store.write(tickets(0, 20));
  await store.loadVectorIndex();
  await store.close();
  const oldGraph = readFileSync(store.files.graph);
  const writer = await SqliteDocumentStore.open({ file: store.file, loadVectors: true });
  await writer.write(tickets(20, 30));
  await writer.close(); // saves a newer graph and stamp
  writeFileSync(store.files.graph, oldGraph); // as if a crash fell between the two renames of two saves

  const mismatched = await SqliteDocumentStore.open({ file: store.file, loadVectors: true });
  t.match(mismatched.vectorStatus(), { origin: 'rebuilt', rebuildReason: 'graph and stamp of different saves', size: 30 });
  await mismatched.close();

  const stamp = JSON.parse(readFileSync(store.files.stamp, 'utf8')) as AnnStamp;
  writeFileSync(store.files.stamp, JSON.stringify({ ...stamp, databaseId: 'another-file' }));
  const foreign = await SqliteDocumentStore.open({ file: store.file, loadVectors: true });
  t.match(foreign.vectorStatus(), { origin: 'rebuilt', rebuildReason: 'stamp of another database' });
  await foreign.close();

  writeFileSync(store.files.stamp, '{"format": 1, "databa');
  const torn = await SqliteDocumentStore.open({ file: store.file, loadVectors: true });
  t.teardown(() => torn.close());
  t.match(torn.vectorStatus(), { origin: 'rebuilt', rebuildReason: /unreadable stamp/ });
  t.equal(await nearest(torn, 25), 'T-25');
});

t.test('a cache older than the trimmed change log is rebuilt, not caught up', async (t) => {
  const store = await freshStore(t, { dimension: DIM });
  await store.write(tickets(0, 10));
  await store.loadVectorIndex();
  const writer = await reopen(t, store, { keepChanges: 5 });
  for (let i = 10; i < 30; i++) await writer.write(tickets(i, i + 1));
  t.equal(await nearest(store, 25), 'T-25', 'still right');
  t.match(store.vectorStatus(), { origin: 'rebuilt', rebuildReason: /older than the change log/, size: 30 });
});

t.test("a second store on the same file sees the first one's writes on its next search", async (t) => {
  const first = await freshStore(t, { dimension: DIM });
  await first.write(tickets(0, 10));
  const second = await reopen(t, first);
  t.equal(await nearest(second, 4), 'T-4');
  await first.write(tickets(10, 12));
  t.equal(await nearest(second, 11), 'T-11', 'vectors: caught up from the change log');
  t.match(second.vectorStatus(), { origin: 'rebuilt', caughtUp: 2 });
  t.same((await second.searchLexical('T-11', 'en', 1)).map((h) => h.id), ['T-11'], 'words: the same table');
  await first.write({ removed: ['T-4'] });
  t.not(await nearest(second, 4), 'T-4', 'deletes too');
  t.equal((await second.counts()).documents, 11);
  await second.write(tickets(20, 21));
  t.equal(await nearest(first, 20), 'T-20', 'and the other way round');
  t.same(await first.verify(), { problems: [] });
  t.same(await second.verify(), { problems: [] });
});

t.test('a writer that never searched leaves a cache of what it wrote when it closes', async (t) => {
  const store = await freshStore(t, { dimension: DIM });
  await store.write(tickets(0, 20));
  await store.close();
  t.ok(existsSync(store.files.graph), 'the first index leaves a graph: the next process reads it instead of building it');
  const reader = await SqliteDocumentStore.open({ file: store.file, loadVectors: true });
  t.teardown(() => reader.close());
  t.match(reader.vectorStatus(), { origin: 'cache', size: 20, caughtUp: 0 });
});

t.test("a cache save's temporaries left by a killed process are removed by the next save; a running save's are not", async (t) => {
  const store = await freshStore(t, { dimension: DIM });
  await store.write(tickets(0, 20));
  const gone = spawnSync(process.execPath, ['-e', '']).pid!;
  const abandoned = [`${store.files.graph}.${gone}.0a1b2c3d.tmp`, `${store.files.stamp}.${gone}.0a1b2c3d.tmp`];
  const running = `${store.files.graph}.${process.pid}.deadbeef.tmp`;
  for (const file of [...abandoned, running]) writeFileSync(file, 'half a graph');
  t.equal(await nearest(store, 3), 'T-3', 'the search builds the index and saves the cache');
  t.same(abandoned.filter((file) => existsSync(file)), [], "the killed process's temporaries are gone");
  t.ok(existsSync(running), 'a temporary of a process still running stays');
  rmSync(running);
  writeFileSync(abandoned[0]!, 'half a graph');
  await store.close();
  const again = await SqliteDocumentStore.open({ file: store.file });
  t.teardown(() => again.close());
  t.notOk(existsSync(abandoned[0]!), 'opening the store clears them too');
});

t.test('a cache that must be built from scratch is built on a worker thread while this one keeps running', async (t) => {
  const store = await freshStore(t, { dimension: DIM, buildOffThreadFrom: 100 });
  await store.write(tickets(0, 3000));
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const progress: number[] = [];
  const status = await store.loadVectorIndex({ onProgress: (p) => progress.push(p.done) });
  clearInterval(timer);
  t.match(status, { origin: 'cache', builtOffThread: 'missing', size: 3000 }, 'read from the cache the worker wrote');
  t.ok(ticks > 0, 'timers ran on this thread during the build');
  t.equal(progress.at(-1), 3000, 'progress reaches every passage');
  t.equal(await nearest(store, 1234), 'T-1234', 'and it answers');
  await store.write(tickets(3000, 3010));
  t.equal(await nearest(store, 3005), 'T-3005', 'later writes are caught up as before');

  const small = await freshStore(t, { dimension: DIM, file: `${store.file}.small.db` });
  await small.write(tickets(0, 50));
  t.match(await small.loadVectorIndex(), { origin: 'rebuilt', rebuildReason: 'missing' }, 'a small store is built in-thread (quicker than a thread)');
  t.notOk((await small.loadVectorIndex())?.builtOffThread);
});

t.test('a writer that never searched leaves its cache built on a worker thread when it closes', async (t) => {
  const store = await freshStore(t, { dimension: DIM, buildOffThreadFrom: 100 });
  await store.write(tickets(0, 500));
  await store.close();
  const again = await SqliteDocumentStore.open({ file: store.file, loadVectors: true });
  t.teardown(() => again.close());
  t.match(again.vectorStatus(), { origin: 'cache', size: 500, caughtUp: 0 }, 'the next process reads the cache the closing writer left');
});

t.test('the first search of a big store without a cache waits for the worker thread, not this one', async (t) => {
  const store = await freshStore(t, { dimension: DIM, buildOffThreadFrom: 100 });
  await store.write(tickets(0, 1000));
  const [a, b] = await Promise.all([nearest(store, 17), nearest(store, 917)]);
  t.same([a, b], ['T-17', 'T-917'], 'two searches at once share one build');
  t.match(store.vectorStatus(), { origin: 'cache', builtOffThread: 'missing', size: 1000 });
});
