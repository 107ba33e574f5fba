import t from 'tap';
import { PgDocumentStore } from '../src/index.js';
import { article, eachDatabase, freshStore, passage, ticket, uniqueKb } from './helpers.js';
import { vocabularyTest } from '../../../test/store-vocabulary.js';
import { countsTest } from '../../../test/store-counts.js';
import { articleChecksTest } from '../../../test/store-article-checks.js';

t.test('a knowledge base id must be short and plain', async (t) => {
  const db = { query: async () => ({ rows: [] }), transaction: async () => undefined as never, close: async () => {} };
  for (const bad of ['', 'a b', 'x'.repeat(65), "kb'; DROP TABLE x; --", 'kb/1']) {
    t.throws(() => new PgDocumentStore({ db, knowledgeBase: bad }), { code: 'ADK_OPTION_INVALID' }, JSON.stringify(bad));
  }
  t.equal(new PgDocumentStore({ db, knowledgeBase: 'Acme_support-2.eu' }).knowledgeBase, 'Acme_support-2.eu');
});

eachDatabase(t, async (t, db) => {
  t.test('a new knowledge base is created once; another model or dimension is refused', async (t) => {
    const store = new PgDocumentStore({ db, knowledgeBase: uniqueKb('model') });
    t.teardown(() => store.drop());
    t.equal(await store.info(), undefined, 'nothing before it is created');
    t.match(await store.ensureKnowledgeBase({ model: 'use-lite@1', dimension: 4 }), { model: 'use-lite@1', dimension: 4, version: 0, created: true });
    t.match(await store.ensureKnowledgeBase({ model: 'use-lite@1', dimension: 4 }), { created: false }, 'the same model is fine');
    await t.rejects(store.ensureKnowledgeBase({ model: 'minilm@2', dimension: 4 }), {
      code: 'ADK_DATABASE_MODEL_MISMATCH',
      message: new RegExp(`"${store.knowledgeBase}" in the database was built with model use-lite@1 \\(4-d\\) but the encoder is minilm@2 \\(4-d\\)`),
    });
    await t.rejects(store.ensureKnowledgeBase({ model: 'use-lite@1', dimension: 8 }), { code: 'ADK_DATABASE_MODEL_MISMATCH', details: { storedDim: 4, currentDim: 8 } });
    await t.rejects(store.ensureKnowledgeBase({ model: 'use-lite@1', dimension: 0 }), { code: 'ADK_OPTION_INVALID' });
    t.same(await store.info(), { model: 'use-lite@1', dimension: 4, version: 0 });
    const { rows } = await db.query<{ present: boolean }>("SELECT to_regclass('answerdesk_passages_hnsw_4') IS NOT NULL AS present");
    t.equal(rows[0]?.present, true, 'the HNSW index for 4-d vectors exists');
  });

  t.test('the counts are kept by the writes themselves: upserts, a changed kind, removals and their cascades', async (t) => {
    await countsTest(t, await freshStore(t, db));
  });

  t.test("the spellers' word counts change with each write, in its transaction", async (t) => {
    const store = await freshStore(t, db);
    await vocabularyTest(t, store, async () => new PgDocumentStore({ db, knowledgeBase: store.knowledgeBase }), 'ADK_DATABASE_WRITE_FAILED');
  });

  t.test('writing before the knowledge base exists is a coded error', async (t) => {
    const store = new PgDocumentStore({ db, knowledgeBase: uniqueKb('missing') });
    await t.rejects(store.write({ docs: [article('a')], passages: [passage('a', 0, [1, 0, 0, 0])] }), { code: 'ADK_DATABASE_KB_NOT_FOUND' });
    await t.rejects(store.addFeedback({ id: 'f1', at: new Date().toISOString() }), { code: 'ADK_DATABASE_KB_NOT_FOUND' });
  });

  t.test('documents and passages round-trip', async (t) => {
    const store = await freshStore(t, db);
    const a = { ...article('refunds#card', { title: 'Refunds', heading: 'Card refunds', category: 'billing', tags: ['refund', 'card'] }), family: 'refunds' };
    const k = ticket('T-1', { category: 'shipping', tags: ['late'] });
    const version = await store.write({
      docs: [a, k],
      passages: [passage(a.id, 0, [1, 0, 0, 0], 'first'), passage(a.id, 1, [0, 1, 0, 0], 'second'), passage(k.id, 0, [0, 0, 1, 0], 'ticket')],
      removed: [],
    });
    t.equal(version, 1);
    t.same(await store.getDocument(a.id), a, 'the document comes back as given');
    t.same(await store.getDocument(k.id), k);
    t.equal(await store.getDocument('nope'), undefined);
    t.same([...(await store.getDocuments(['T-1', 'nope', a.id])).keys()], ['T-1', a.id], 'existing ones, in the order asked');
    t.same((await store.documentIds()).sort(), [a.id, 'T-1'].sort(), 'in the collation of the database: compared as sets');
    t.same(await store.documentIds({ kind: 'ticket' }), ['T-1']);
    t.same(await store.hashes({ kind: 'article' }), new Map([[a.id, a.hash]]));
    const all = [];
    for await (const doc of store.documents({ pageSize: 1 })) all.push(doc.id);
    t.same(all.sort(), [a.id, 'T-1'].sort(), 'documents() pages through everything');
    t.match(await store.counts(), { documents: 2, articles: 1, tickets: 1, passages: 3 });
    const vectors = await store.passageVectors(['th:first', 'th:ticket', 'th:unknown']);
    t.same([...vectors.keys()].sort(), ['th:first', 'th:ticket']);
    t.same([...vectors.get('th:first')!], [1, 0, 0, 0]);
    t.ok(vectors.get('th:ticket') instanceof Float32Array);
    t.same(await store.verify(), { problems: [] });
  });

  t.test('NUL characters, which PostgreSQL text cannot hold, are dropped rather than failing the write', async (t) => {
    const store = await freshStore(t, db);
    await store.write({ docs: [article('a', { text: 'pasted\u0000text' })], passages: [passage('a', 0, [1, 0, 0, 0], 'pasted\u0000text')] });
    t.equal((await store.getDocument('a'))?.text, 'pastedtext');
    await store.addFeedback({ id: 'f\u0000', at: '2026-01-01T00:00:00Z', comment: 'a\u0000b' });
    t.match(await store.feedback(), [{ comment: 'ab' }]);
  });

  t.test('float32 vectors are stored exactly', async (t) => {
    const store = await freshStore(t, db);
    const vector = Float32Array.from([0.1, -1e-7, 123456.789, Math.PI]);
    await store.write({ docs: [article('a')], passages: [{ key: 'a::0', docId: 'a', text: 't', textHash: 'x', vector }] });
    t.same([...(await store.passageVectors(['x'])).get('x')!], [...vector]);
  });

  t.test('upserting a document replaces its passages; removing one removes its passages', async (t) => {
    const store = await freshStore(t, db);
    await store.write({
      docs: [article('a'), article('b')],
      passages: [passage('a', 0, [1, 0, 0, 0]), passage('a', 1, [0, 1, 0, 0]), passage('a', 2, [0, 0, 1, 0]), passage('b', 0, [0, 0, 0, 1])],
    });
    await store.write({ docs: [article('a', { text: 'Shorter now.' })], passages: [passage('a', 0, [0, 1, 1, 0], 'new text')] });
    t.equal((await store.getDocument('a'))?.text, 'Shorter now.');
    t.match(await store.counts(), { documents: 2, articles: 2, tickets: 0, passages: 2 }, 'a has one passage, b kept its own');
    t.same([...(await store.passageVectors(['th:new text'])).keys()], ['th:new text']);
    t.equal((await store.passageVectors(['th:passage 2 of a'])).size, 0, 'old passages are gone');

    await store.write({ removed: ['a'] });
    t.same(await store.documentIds(), ['b']);
    t.match(await store.counts(), { documents: 1, articles: 1, tickets: 0, passages: 1 }, 'the passages went with the document');
    t.same(await store.similarities(['a', 'b'], Float32Array.from([0, 0, 0, 1])), new Map([['b', 1]]));
  });

  t.test('a write planned on a few articles is checked on those alone (onlyIfArticles)', async (t) => {
    const store = await freshStore(t, db);
    await articleChecksTest(t, store, store);
  });

  t.test('every change bumps the version; onlyIfVersion guards against lost updates', async (t) => {
    const store = await freshStore(t, db);
    t.equal(await store.write({ docs: [article('a')], passages: [passage('a', 0, [1, 0, 0, 0])] }), 1);
    t.equal(await store.write({ removed: ['nothing-here'] }), 2, 'even a change that finds nothing to do');
    t.equal(await store.putCategorizer('category', 'tickets', { w: [1] }), 3);
    t.equal(await store.removeCategorizer('category'), true);
    t.equal((await store.info())?.version, 4);
    t.equal(await store.removeCategorizer('category'), false, 'nothing to remove: no new version');
    t.equal((await store.info())?.version, 4);
    await t.rejects(store.write({ removed: ['a'] }, { onlyIfVersion: 3 }), { code: 'ADK_DATABASE_VERSION_CONFLICT', details: { expected: '3', found: 4 } });
    t.equal(await store.write({ removed: ['a'] }, { onlyIfVersion: 4n }), 5);
    const versions = await Promise.all([1, 2, 3, 4].map((n) => store.write({ docs: [article(`c${n}`)], passages: [passage(`c${n}`, 0, [n, 1, 0, 0])] })));
    t.same([...versions].sort(), [6, 7, 8, 9], 'concurrent writers are serialized, each gets its own version');
  });

  t.test('a write that fails midway leaves the previous state and version', async (t) => {
    const store = await freshStore(t, db);
    await store.write({ docs: [article('a'), article('b')], passages: [passage('a', 0, [1, 0, 0, 0]), passage('b', 0, [0, 1, 0, 0])] });
    const before = { counts: await store.counts(), a: await store.getDocument('a'), version: (await store.info())?.version };

    // Removal and upserts run first; the passage of an unknown document then fails the insert.
    await t.rejects(
      store.write({
        docs: [article('a', { text: 'Changed.' }), article('c')],
        passages: [passage('a', 0, [0, 0, 1, 0]), passage('c', 0, [0, 0, 0, 1]), passage('ghost', 0, [1, 1, 0, 0])],
        removed: ['b'],
      }),
      { code: 'ADK_DATABASE_WRITE_FAILED', message: new RegExp(`knowledge base "${store.knowledgeBase}".*rolled back`) },
    );
    await t.rejects(store.write({ docs: [article('a', { text: 'Changed.' })], passages: [passage('a', 0, [1, 0, 0])] }), {
      code: 'ADK_DIMENSION_MISMATCH',
      message: 'Vector of dimension 3 given to an index of dimension 4.',
    });
    await t.rejects(store.write({ docs: [article('a', { text: 'Changed.' })], passages: [passage('a', 0, [1, Number.NaN, 0, 0])] }), {
      code: 'ADK_OPTION_INVALID',
      message: /NaN at component 1/,
    });
    t.match(await store.counts(), before.counts);
    t.same(await store.getDocument('a'), before.a);
    t.ok(await store.getDocument('b'), 'b was not removed');
    t.equal(await store.getDocument('c'), undefined, 'c was not added');
    t.equal((await store.info())?.version, before.version);
    t.same(await store.similarities(['a'], Float32Array.from([1, 0, 0, 0])), new Map([['a', 1]]), 'a kept its vector');
  });

  t.test('categorizers and feedback', async (t) => {
    const store = await freshStore(t, db);
    await store.putCategorizer('queue', 'tickets', { classes: ['a', 'b'], weights: [0.5, -0.25] });
    await store.putCategorizer('category', 'descriptions', { classes: ['x'] });
    await store.putCategorizer('queue', 'tickets', { classes: ['a', 'b', 'c'] });
    t.same(await store.categorizers(), [
      { field: 'category', origin: 'descriptions', state: { classes: ['x'] } },
      { field: 'queue', origin: 'tickets', state: { classes: ['a', 'b', 'c'] } },
    ]);

    const later = { id: 'f2', at: '2026-03-02T10:00:00.000Z', query: 'refund?', sourceId: 'a', helpful: false, comment: 'it\'s "wrong"' };
    const earlier = { id: 'f1', at: '2026-03-01T10:00:00.000Z', query: 'refund', sourceId: 'a', helpful: true };
    await store.addFeedback(later);
    await store.addFeedback(earlier);
    await store.addFeedback({ ...earlier, helpful: false });
    t.same(await store.feedback(), [earlier, later], 'oldest first; a repeated id keeps the first entry');
    await t.rejects(store.addFeedback({ id: '', at: earlier.at }), { code: 'ADK_FEEDBACK_INVALID' });
    await t.rejects(store.addFeedback({ id: 'f3', at: 'yesterday' }), { code: 'ADK_FEEDBACK_INVALID' });
  });

  t.test('tenancy: two knowledge bases in one database never see each other', async (t) => {
    const a = await freshStore(t, db, 4, 'tenant-a');
    const b = await freshStore(t, db, 4, 'tenant-b');
    // The same ids in both, with different content.
    await a.write({ docs: [article('shared', { text: 'Refunds take five days.' }), ticket('T-a')], passages: [passage('shared', 0, [1, 0, 0, 0]), passage('T-a', 0, [0, 1, 0, 0])] });
    await b.write({ docs: [article('shared', { text: 'Refunds are instant.' })], passages: [passage('shared', 0, [0, 0, 1, 0])] });
    await a.putCategorizer('queue', 'tickets', { owner: 'a' });
    await a.addFeedback({ id: 'f1', at: '2026-01-01T00:00:00Z', owner: 'a' });
    await b.addFeedback({ id: 'f1', at: '2026-01-01T00:00:00Z', owner: 'b' });

    t.equal((await a.getDocument('shared'))?.text, 'Refunds take five days.');
    t.equal((await b.getDocument('shared'))?.text, 'Refunds are instant.');
    t.equal(await b.getDocument('T-a'), undefined);
    t.same([...(await b.getDocuments(['shared', 'T-a'])).keys()], ['shared']);
    t.same(await b.documentIds(), ['shared']);
    t.match(await b.counts(), { documents: 1, articles: 1, tickets: 0, passages: 1 });
    t.match(await a.counts(), { documents: 2, articles: 1, tickets: 1, passages: 2 });
    t.same(await b.searchVectors(Float32Array.from([0, 1, 0, 0]), 10), [{ id: 'shared', score: 0 }], 'b only finds its own');
    t.same((await a.searchVectors(Float32Array.from([0, 0, 1, 0]), 10)).map((h) => h.id).sort(), ['T-a', 'shared']);
    t.equal((await a.similarities(['shared'], Float32Array.from([1, 0, 0, 0]))).get('shared'), 1);
    t.equal((await b.similarities(['shared'], Float32Array.from([1, 0, 0, 0]))).get('shared'), 0);
    t.same((await b.searchLexical('five days', 'en', 10)).length, 0, "a's words are not in b");
    t.same((await a.searchLexical('five days', 'en', 10)).map((h) => h.id), ['shared']);
    t.same(await b.categorizers(), []);
    t.same(await b.feedback(), [{ id: 'f1', at: '2026-01-01T00:00:00Z', owner: 'b' }]);
    t.equal((await b.passageVectors(['th:passage 0 of T-a'])).size, 0);
    t.equal((await b.info())?.version, 1, "a's writes did not bump b");

    await a.drop();
    t.equal(await a.info(), undefined, 'a is gone');
    t.match(await a.counts(), { documents: 0, articles: 0, tickets: 0, passages: 0 });
    t.match(await b.counts(), { documents: 1, articles: 1, tickets: 0, passages: 1 }, 'b is intact');
    t.equal((await b.feedback()).length, 1);
  });

  t.test('verify reports documents without passages', async (t) => {
    const store = await freshStore(t, db);
    await store.write({ docs: [article('a'), article('lonely')], passages: [passage('a', 0, [1, 0, 0, 0])] });
    const { problems } = await store.verify();
    t.equal(problems.length, 1);
    t.match(problems[0], /1 document\(s\) have no passage, e\.g\. "lonely"/);
    const missing = new PgDocumentStore({ db, knowledgeBase: uniqueKb('none') });
    t.match((await missing.verify()).problems, [/does not exist/]);
  });
});
