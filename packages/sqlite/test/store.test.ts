import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION, SqliteDocumentStore } from '../src/index.js';
import { article, freshStore, MODEL, passage, reopen, ticket } from './helpers.js';
import { vocabularyTest } from '../../../test/store-vocabulary.js';
import { countsTest } from '../../../test/store-counts.js';
import { articleChecksTest } from '../../../test/store-article-checks.js';

t.test('a new file is set up for durability and several processes', async (t) => {
  const store = await freshStore(t);
  t.match(store.settings(), { journalMode: 'wal', synchronous: 'FULL', busyTimeoutMs: 5000, foreignKeys: true, pageSize: 8192, schemaVersion: SCHEMA_VERSION });
  t.match(store.settings().sqliteVersion, /^3\.\d+/);
});

t.test('a knowledge base is created once; another model or dimension is refused', async (t) => {
  const file = path.join(t.testdir(), 'kb.db');
  const store = await SqliteDocumentStore.open({ file });
  t.teardown(() => store.close());
  t.equal(await store.info(), undefined, 'nothing before it is created');
  t.match(await store.ensureKnowledgeBase({ model: 'use-lite@1', dimension: 4 }), { model: 'use-lite@1', dimension: 4, version: 0, created: true });
  t.match(await store.ensureKnowledgeBase({ model: 'use-lite@1', dimension: 4 }), { created: false }, 'the same model is fine');
  await t.rejects(store.ensureKnowledgeBase({ model: 'minilm@2', dimension: 4 }), { code: 'ADK_STORE_MODEL_MISMATCH', message: /built with model use-lite@1 \(4-d\) but the encoder is minilm@2 \(4-d\)/ });
  await t.rejects(SqliteDocumentStore.open({ file, model: 'use-lite@1', dimension: 8 }), { code: 'ADK_STORE_MODEL_MISMATCH', details: { storedDim: 4, currentDim: 8 } });
  await t.rejects(store.ensureKnowledgeBase({ model: 'use-lite@1', dimension: 0 }), { code: 'ADK_OPTION_INVALID' });
  await t.rejects(SqliteDocumentStore.open({ file, model: 'use-lite@1' }), { code: 'ADK_OPTION_INVALID', message: /dimension/ });
  t.same(await store.info(), { model: 'use-lite@1', dimension: 4, version: 0 });
});

t.test('opening what is not a store is a coded error', async (t) => {
  const dir = t.testdir({ 'notes.txt': 'just some text, not SQLite '.repeat(200) });
  await t.rejects(SqliteDocumentStore.open({ file: path.join(dir, 'notes.txt') }), { code: 'ADK_STORE_CORRUPT' });
  await t.rejects(SqliteDocumentStore.open({ file: path.join(dir, 'missing.db'), mustExist: true }), { code: 'ADK_STORE_NOT_FOUND' });
  const file = path.join(dir, 'newer.db');
  (await SqliteDocumentStore.open({ file })).close();
  const raw = new Database(file);
  raw.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
  raw.close();
  await t.rejects(SqliteDocumentStore.open({ file }), { code: 'ADK_STORE_VERSION_UNSUPPORTED', details: { found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION } });
});

t.test('writing before the knowledge base exists is a coded error', async (t) => {
  const store = await SqliteDocumentStore.open({ file: path.join(t.testdir(), 'kb.db') });
  t.teardown(() => store.close());
  await t.rejects(store.write({ docs: [article('a')], passages: [passage('a', 0, [1, 0, 0, 0])] }), { code: 'ADK_STORE_NOT_FOUND' });
  await t.rejects(store.addFeedback({ id: 'f1', at: new Date().toISOString() }), { code: 'ADK_STORE_NOT_FOUND' });
  t.same(await store.searchVectors(Float32Array.from([1, 0, 0, 0]), 3), []);
});

t.test('documents and passages round-trip', async (t) => {
  const store = await freshStore(t);
  const a = { ...article('refunds#card', { title: 'Refunds', heading: 'Card refunds', category: 'billing', tags: ['refund', 'card'] }), family: 'refunds' };
  const k = ticket('T-1', { category: 'shipping', tags: ['late'] });
  const version = await store.write({ docs: [a, k], passages: [passage(a.id, 0, [1, 0, 0, 0], 'first'), passage(a.id, 1, [0, 1, 0, 0], 'second'), passage(k.id, 0, [0, 0, 1, 0], 'ticket')], removed: [] });
  t.equal(version, 1);
  t.same(await store.getDocument(a.id), a, 'the document comes back as given');
  t.same(await store.getDocument(k.id), k);
  t.equal(await store.getDocument('nope'), undefined);
  t.same([...(await store.getDocuments(['T-1', 'nope', a.id])).keys()], ['T-1', a.id], 'existing ones, in the order asked');
  t.same(await store.documentIds(), ['T-1', a.id]);
  t.same(await store.documentIds({ kind: 'ticket' }), ['T-1']);
  t.same(await store.hashes({ kind: 'article' }), new Map([[a.id, a.hash]]));
  const all = [];
  for await (const doc of store.documents({ pageSize: 1 })) all.push(doc.id);
  t.same(all, ['T-1', a.id], 'documents() pages through everything, in id order');
  t.same(await store.counts(), { documents: 2, articles: 1, tickets: 1, passages: 3 });
  t.same(await store.languages(), ['en']);
  t.same(await store.categories(), ['billing', 'shipping']);
  const vectors = await store.passageVectors(['th:first', 'th:ticket', 'th:unknown']);
  t.same([...vectors.keys()].sort(), ['th:first', 'th:ticket']);
  t.same([...vectors.get('th:first')!], [1, 0, 0, 0]);
  t.ok(vectors.get('th:ticket') instanceof Float32Array);
  t.same(await store.verify(), { problems: [] });

  const exact = Float32Array.from([0.1, -1e-7, 123456.789, Math.PI]);
  await store.write({ docs: [article('f')], passages: [{ key: 'f::0', docId: 'f', text: 't', textHash: 'x', vector: exact }] });
  t.same([...(await store.passageVectors(['x'])).get('x')!], [...exact], 'float32 vectors are stored exactly');
});

t.test('upserting a document replaces its passages; removing one removes its passages', async (t) => {
  const store = await freshStore(t);
  await store.write({ docs: [article('a'), article('b')], passages: [passage('a', 0, [1, 0, 0, 0]), passage('a', 1, [0, 1, 0, 0]), passage('a', 2, [0, 0, 1, 0]), passage('b', 0, [0, 0, 0, 1])] });
  await store.write({ docs: [article('a', { text: 'Shorter now.' })], passages: [passage('a', 0, [0, 1, 1, 0], 'new text')] });
  t.equal((await store.getDocument('a'))?.text, 'Shorter now.');
  t.same(await store.counts(), { documents: 2, articles: 2, tickets: 0, passages: 2 }, 'a has one passage, b kept its own');
  t.equal((await store.passageVectors(['th:passage 2 of a'])).size, 0, 'old passages are gone');
  t.same((await store.searchLexical('shorter', 'en', 5)).map((h) => h.id), ['a'], 'the word index follows the new text');
  t.same(await store.searchLexical('text', 'en', 5).then((hits) => hits.map((h) => h.id)), ['b'], "a's old words are gone");

  await store.write({ removed: ['a'] });
  t.same(await store.documentIds(), ['b']);
  t.same(await store.counts(), { documents: 1, articles: 1, tickets: 0, passages: 1 }, 'the passages went with the document');
  t.same(await store.similarities(['a', 'b'], Float32Array.from([0, 0, 0, 1])), new Map([['b', 1]]));
  t.same(await store.searchLexical('shorter', 'en', 5), [], 'and its words');
  t.same(await store.verify(), { problems: [] });
});

t.test("the spellers' word counts change with each write, in its transaction", async (t) => {
  const store = await freshStore(t);
  await vocabularyTest(t, store, () => reopen(t, store), 'ADK_STORE_WRITE_FAILED');
});

t.test('the counts are kept by the writes themselves: upserts, a changed kind, removals and their cascades', async (t) => {
  await countsTest(t, await freshStore(t));
});

t.test('every change bumps the version; onlyIfVersion guards against lost updates', async (t) => {
  const store = await freshStore(t);
  t.equal(await store.write({ docs: [article('a')], passages: [passage('a', 0, [1, 0, 0, 0])] }), 1);
  t.equal(await store.write({ removed: ['nothing-here'] }), 2, 'even a change that finds nothing to do');
  t.equal(await store.putCategorizer('category', 'tickets', { w: [1] }), 3);
  t.equal(await store.removeCategorizer('category'), true);
  t.equal((await store.info())?.version, 4);
  t.equal(await store.removeCategorizer('category'), false, 'nothing to remove: no new version');
  t.equal((await store.info())?.version, 4);
  await t.rejects(store.write({ removed: ['a'] }, { onlyIfVersion: 3 }), { code: 'ADK_DATABASE_VERSION_CONFLICT', details: { expected: '3', found: 4 } });
  const other = await reopen(t, store);
  t.equal(await other.write({ docs: [article('b')], passages: [passage('b', 0, [0, 1, 0, 0])] }, { onlyIfVersion: 4 }), 5, 'another connection wrote first');
  await t.rejects(store.write({ removed: ['a'] }, { onlyIfVersion: 4n }), { code: 'ADK_DATABASE_VERSION_CONFLICT', details: { expected: '4', found: 5 } });
  t.equal(await store.write({ removed: ['a'] }, { onlyIfVersion: 5n }), 6);
  const versions = await Promise.all([1, 2, 3, 4].map((n) => store.write({ docs: [article(`c${n}`)], passages: [passage(`c${n}`, 0, [n, 1, 0, 0])] })));
  t.same([...versions].sort((a, b) => a - b), [7, 8, 9, 10], 'each write gets its own version');
});

t.test('a write planned on a few articles is checked on those alone (onlyIfArticles)', async (t) => {
  const store = await freshStore(t);
  await articleChecksTest(t, store, await reopen(t, store));
});

t.test('a write that fails midway leaves the previous state and version', async (t) => {
  const store = await freshStore(t);
  await store.write({ docs: [article('a'), article('b')], passages: [passage('a', 0, [1, 0, 0, 0]), passage('b', 0, [0, 1, 0, 0])] });
  const before = { counts: await store.counts(), a: await store.getDocument('a'), version: (await store.info())?.version };
  // Removal and upserts run first; the passage of an unknown document then fails the foreign key.
  await t.rejects(
    store.write({
      docs: [article('a', { text: 'Changed.' }), article('c')],
      passages: [passage('a', 0, [0, 0, 1, 0]), passage('c', 0, [0, 0, 0, 1]), passage('ghost', 0, [1, 1, 0, 0])],
      removed: ['b'],
    }),
    { code: 'ADK_STORE_WRITE_FAILED', message: /FOREIGN KEY.*previous saved state is still intact/ },
  );
  await t.rejects(store.write({ docs: [article('a', { text: 'Changed.' })], passages: [passage('a', 0, [1, 0, 0])] }), { code: 'ADK_DIMENSION_MISMATCH', message: 'Vector of dimension 3 given to an index of dimension 4.' });
  await t.rejects(store.write({ docs: [article('a', { text: 'Changed.' })], passages: [passage('a', 0, [1, Number.NaN, 0, 0])] }), { code: 'ADK_OPTION_INVALID', message: /NaN at component 1/ });
  t.same(await store.counts(), before.counts);
  t.same(await store.getDocument('a'), before.a);
  t.ok(await store.getDocument('b'), 'b was not removed');
  t.equal(await store.getDocument('c'), undefined, 'c was not added');
  t.equal((await store.info())?.version, before.version);
  t.same(await store.searchLexical('changed', 'en', 5), [], 'nor its words');
  t.same(await store.similarities(['a'], Float32Array.from([1, 0, 0, 0])), new Map([['a', 1]]), 'a kept its vector');
  t.same(await store.verify(), { problems: [] });
});

t.test('categorizers and feedback', async (t) => {
  const store = await freshStore(t);
  await store.putCategorizer('queue', 'tickets', { classes: ['a', 'b'], weights: [0.5, -0.25] });
  await store.putCategorizer('category', 'examples', { json: '{}', weights: 'AAAA' });
  await store.putCategorizer('queue', 'examples', { classes: ['c'] });
  t.same(await store.categorizers(), [
    { field: 'category', origin: 'examples', state: { json: '{}', weights: 'AAAA' } },
    { field: 'queue', origin: 'examples', state: { classes: ['c'] } },
  ]);
  const version = (await store.info())!.version;
  await store.addFeedback({ id: 'f2', at: '2026-02-01T10:00:00+02:00', helpful: false });
  await store.addFeedback({ id: 'f1', at: '2026-02-01T07:00:00Z', helpful: true });
  await store.addFeedback({ id: 'f1', at: '2026-03-01T00:00:00Z', helpful: false });
  t.same(await store.feedback(), [
    { id: 'f1', at: '2026-02-01T07:00:00Z', helpful: true },
    { id: 'f2', at: '2026-02-01T10:00:00+02:00', helpful: false },
  ], 'oldest first by the instant, not the text; a retried id is kept as it was');
  t.equal((await store.info())!.version, version, 'feedback leaves the version alone');
  await t.rejects(store.addFeedback({ id: '', at: '2026-01-01T00:00:00Z' }), { code: 'ADK_FEEDBACK_INVALID' });
  await t.rejects(store.addFeedback({ id: 'x', at: 'yesterday' }), { code: 'ADK_FEEDBACK_INVALID' });
});

t.test('backup copies the store while it is open; the copy opens with the same content', async (t) => {
  const store = await freshStore(t);
  await store.write({
    docs: [article('a', { text: 'Refunds take five days.' }), ticket('T-1')],
    passages: [passage('a', 0, [1, 0, 0, 0]), passage('T-1', 0, [0, 1, 0, 0])],
  });
  await store.putCategorizer('category', 'tickets', { w: [1] });
  await store.searchVectors(Float32Array.from([1, 0, 0, 0]), 1); // the vector cache exists for the original
  const file = path.join(t.testdir(), 'backups', 'copy.db');
  t.match(await store.backup(file), { pages: Number });
  await t.rejects(store.backup(store.file), { code: 'ADK_OPTION_INVALID' });
  await store.write({ docs: [ticket('T-2')], passages: [passage('T-2', 0, [0, 0, 1, 0])] });
  const copy = await SqliteDocumentStore.open({ file, mustExist: true });
  t.teardown(() => copy.close());
  t.same(await copy.counts(), { documents: 2, articles: 1, tickets: 1, passages: 2 }, 'as it was when the backup ran');
  t.same(await copy.info(), { model: MODEL, dimension: 4, version: 2 });
  t.same(await copy.categorizers(), await store.categorizers());
  t.same((await copy.searchLexical('refund', 'en', 3)).map((h) => h.id), ['a']);
  t.same((await copy.searchVectors(Float32Array.from([1, 0, 0, 0]), 1)).map((h) => h.id), ['a']);
  t.match(copy.vectorStatus(), { origin: 'rebuilt', rebuildReason: 'missing' }, 'the copy builds its own vector cache');
  t.same(await copy.verify(), { problems: [] });
});

t.test('documents per word follow every write, as the word index counts them', async (t) => {
  const store = await freshStore(t);
  const raw = new Database(store.file, { readonly: true });
  t.teardown(() => raw.close());
  const kept = () => Object.fromEntries(raw.prepare<[], { term: string; docs: number }>('SELECT term, docs FROM word_docs ORDER BY term').all().map((r) => [r.term, r.docs]));
  const indexed = () => Object.fromEntries(raw.prepare<[], { term: string; doc: number }>('SELECT term, doc FROM documents_terms ORDER BY term').all().map((r) => [r.term, r.doc]));
  await store.write({ docs: [article('a'), article('b'), ticket('c')], passages: [passage('a', 0, [1, 0, 0, 0]), passage('b', 0, [0, 1, 0, 0]), passage('c', 0, [0, 0, 1, 0])] });
  t.same(kept(), indexed(), 'after adding');
  t.ok(Object.keys(kept()).length > 0);
  // A document rewritten with other words, one removed.
  await store.write({ docs: [{ ...article('a'), text: 'The parcel arrived late and the box was wet.' }], passages: [passage('a', 0, [1, 0, 0, 0])], removed: ['c'] });
  t.same(kept(), indexed(), 'after replacing and removing');
  t.same((await store.weighTerms('parcel late', 'en')).map((w) => w.term).sort(), ['late', 'parcel']);
  await store.drop();
  t.same(kept(), {}, 'after dropping everything');
});

t.test('a store made before documents per word were kept counts them once, on opening', async (t) => {
  const store = await freshStore(t);
  await store.write({ docs: [article('a'), ticket('c')], passages: [passage('a', 0, [1, 0, 0, 0]), passage('c', 0, [0, 0, 1, 0])] });
  await store.close();
  const raw = new Database(store.file);
  raw.exec("DROP TABLE word_docs; UPDATE meta SET value = '5' WHERE key = 'schema_version'");
  raw.close();
  const opened = await SqliteDocumentStore.open({ file: store.file });
  t.teardown(() => opened.close());
  t.equal(opened.settings().schemaVersion, SCHEMA_VERSION);
  t.same(await opened.verify(), { problems: [] }, 'the counts are the word index\'s');
});

t.test('verify: a healthy store has no problems; broken rows are found', async (t) => {
  const store = await freshStore(t);
  await store.write({
    docs: [article('a'), article('b'), ticket('c'), ticket('d')],
    passages: [passage('a', 0, [1, 0, 0, 0]), passage('b', 0, [0, 1, 0, 0]), passage('c', 0, [0, 0, 1, 0]), passage('d', 0, [0, 0, 0, 1])],
  });
  t.same(await store.verify(), { problems: [] });
  // Break rows behind the store's back, as a bug or a hand edit would.
  const raw = new Database(store.file);
  t.teardown(() => raw.close());
  raw.prepare("UPDATE passages SET vector = x'0000803f' WHERE key = 'b::0'").run();
  raw.prepare("DELETE FROM documents_fts WHERE rowid = (SELECT rid FROM documents WHERE id = 'c')").run();
  raw.pragma('foreign_keys = OFF');
  raw.prepare("INSERT INTO passages (key, doc_id, text, text_hash, vector) VALUES ('ghost::0', 'ghost', 't', 'h', ?)").run(Buffer.alloc(16));
  raw.prepare("DELETE FROM passages WHERE key = 'd::0'").run();
  const { problems } = await store.verify();
  t.match(problems, [
    /1 passage\(s\) belong to no document, e\.g\. "ghost::0"/,
    /1 document\(s\) have no passage, e\.g\. "d"/,
    /1 document\(s\) have no row in the word index, e\.g\. "c"/,
    // The word row deleted behind the store's back still counts in the documents per word.
    /\d+ word\(s\) have a document count that differs from the word index's/,
    /1 passage vector\(s\) are not 4-dimensional float32 BLOBs, e\.g\. "b::0"/,
  ]);
  t.equal(problems.length, 5, problems.join('\n'));
  t.same((await store.searchVectors(Float32Array.from([0, 1, 0, 0]), 4)).map((h) => h.id).includes('b'), false, 'a broken vector is left out of the index, not a crash');
});

t.test('drop deletes everything, and the vector cache', async (t) => {
  const store = await freshStore(t);
  await store.write({ docs: [article('a')], passages: [passage('a', 0, [1, 0, 0, 0])] });
  await store.putCategorizer('category', 'tickets', {});
  await store.addFeedback({ id: 'f', at: '2026-01-01T00:00:00Z' });
  await store.searchVectors(Float32Array.from([1, 0, 0, 0]), 1);
  const other = await reopen(t, store);
  t.equal((await other.searchVectors(Float32Array.from([1, 0, 0, 0]), 1)).length, 1);
  await store.drop();
  t.equal(await store.info(), undefined);
  t.same(await store.counts(), { documents: 0, articles: 0, tickets: 0, passages: 0 });
  t.same(await store.feedback(), []);
  t.same(await store.categorizers(), []);
  t.same(await other.searchVectors(Float32Array.from([1, 0, 0, 0]), 1), [], 'another connection sees it gone');
  await store.ensureKnowledgeBase({ model: 'other@2', dimension: 3 });
  await store.write({ docs: [article('z')], passages: [passage('z', 0, [0, 0, 1])] });
  t.same((await other.searchVectors(Float32Array.from([0, 0, 1]), 1)).map((h) => h.id), ['z'], 'and rebuilds for the new dimension');
});
