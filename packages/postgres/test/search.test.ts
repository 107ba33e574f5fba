import t from 'tap';
import { PgDocumentStore, type Database } from '../src/index.js';
import { article, eachDatabase, freshStore, passage, ticket } from './helpers.js';

const v = (...values: number[]) => Float32Array.from(values);

/** Ids of hits and their scores rounded, for exact comparisons of float math. */
const rounded = (hits: Array<{ id: string; score: number }>) => hits.map((h) => [h.id, Math.round(h.score * 1e4) / 1e4]);

eachDatabase(t, async (t, db, target) => {
  t.test('vector search: best passage per document, best first, at most k, filtered in SQL', async (t) => {
    const store = await freshStore(t, db);
    await store.write({
      docs: [
        article('a1', { category: 'billing', tags: ['refund', 'card'] }),
        article('a2', { category: 'billing', tags: ['refund'], language: 'de' }),
        ticket('t1', { category: 'shipping', tags: ['late', 'refund'] }),
        ticket('t2', { category: 'shipping', language: 'fr' }),
        article('a3', { category: 'account' }),
      ],
      passages: [
        passage('a1', 0, [1, 0, 0, 0]),
        passage('a1', 1, [0, 0, 0, 1]),
        passage('a2', 0, [0.8, 0.6, 0, 0]),
        passage('t1', 0, [0.6, 0.8, 0, 0]),
        passage('t2', 0, [0, 1, 0, 0]),
        passage('a3', 0, [0, 0, 1, 0]),
      ],
    });
    const q = v(1, 0, 0, 0);
    t.same(rounded(await store.searchVectors(q, 3)), [['a1', 1], ['a2', 0.8], ['t1', 0.6]]);
    t.same(rounded(await store.searchVectors(v(0, 0, 0, 2), 1)), [['a1', 1]], "a document scores as its best passage (a1's second)");
    t.equal((await store.searchVectors(q, 50)).length, 5, 'one hit per document, however many passages');
    t.same(await store.searchVectors(q, 0), []);

    const ids = async (filter: Parameters<typeof store.searchVectors>[2]) => (await store.searchVectors(q, 10, filter)).map((h) => h.id);
    t.same(await ids({ kind: 'ticket' }), ['t1', 't2']);
    t.same(await ids({ category: ['billing'] }), ['a1', 'a2']);
    t.same(await ids({ category: 'shipping' }), ['t1', 't2']);
    t.same(await ids({ category: [] }), [], 'no category listed: nothing matches');
    t.same(await ids({ language: ['de', 'fr'] }), ['a2', 't2']);
    t.same(await ids({ language: 'en' }), ['a1', 't1', 'a3']);
    t.same(await ids({ tags: ['refund'] }), ['a1', 'a2', 't1']);
    t.same(await ids({ tags: ['refund', 'card'] }), ['a1'], 'every listed tag must be present');
    t.same(await ids({ kind: 'article', tags: ['refund'], language: 'en' }), ['a1']);
    t.same(await ids({}), ['a1', 'a2', 't1', 'a3', 't2'], 'an empty filter filters nothing; ties go by id');

    const similarities = await store.similarities(['a1', 't2', 'missing'], q);
    t.same([...similarities.keys()].sort(), ['a1', 't2']);
    t.equal(Math.round(similarities.get('a1')! * 1e4) / 1e4, 1);
    t.equal(Math.round(similarities.get('t2')! * 1e4) / 1e4, 0);

    await t.rejects(store.searchVectors(v(1, 0, 0), 3), { code: 'ADK_DIMENSION_MISMATCH' });
    await t.rejects(store.searchVectors(v(1, 0, Number.POSITIVE_INFINITY, 0), 3), { code: 'ADK_OPTION_INVALID' });
  });

  t.test('vector search goes through the HNSW index and still fills k when other tenants crowd the neighbourhood', async (t) => {
    const crowd = await freshStore(t, db, 4, 'crowd');
    const docs = [];
    const passages = [];
    for (let i = 0; i < 600; i++) {
      docs.push(article(`c${i}`));
      // All close to the query direction (1, 0, 0, 0).
      passages.push(passage(`c${i}`, 0, [1, ((i % 17) + 1) / 100, ((i % 13) + 1) / 100, 0]));
    }
    await crowd.write({ docs, passages });
    const store = await freshStore(t, db, 4, 'small');
    await store.write({
      docs: [article('x'), article('y'), ticket('z')],
      // Farther from the query than every crowd passage, yet in the same region of the graph: HNSW can drop
      // the in-links of an isolated outlier, and then no search reaches it; that is not what this test is about.
      passages: [passage('x', 0, [1, 0.6, 0, 0]), passage('y', 0, [1, 0, 0.7, 0]), passage('z', 0, [1, 0, 0, 0.5])],
    });
    await db.query('ANALYZE answerdesk_passages');
    await db.query('ANALYZE answerdesk_documents');

    // Records the plan of the approximate search statement and counts exact fallbacks, in the search's own transaction.
    const plans: string[] = [];
    let exactSearches = 0;
    const explaining = (inner: Database): Database => ({
      query: async <R>(sql: string, params?: unknown[]) => {
        if (sql.trimStart().startsWith('WITH nearest')) {
          const { rows } = await inner.query<Record<string, string>>(`EXPLAIN ${sql}`, params);
          plans.push(rows.map((r) => Object.values(r)[0]).join('\n'));
        }
        if (sql.trimStart().startsWith('SELECT p.doc_id AS id, 1 - min(p.embedding')) exactSearches++;
        return inner.query<R>(sql, params);
      },
      transaction: (fn) => inner.transaction((tx) => fn(explaining(tx))),
      close: () => inner.close(),
    });
    const watch = async (on: Database, store: PgDocumentStore) => {
      const watched = new PgDocumentStore({ db: explaining(on), knowledgeBase: store.knowledgeBase });
      await watched.ensureKnowledgeBase({ model: 'test-model@1', dimension: 4 });
      return watched;
    };

    const inCrowd = await watch(db, crowd);
    t.equal((await inCrowd.searchVectors(v(1, 0, 0, 0), 5)).length, 5);
    t.match(plans.pop(), /Index Scan using answerdesk_passages_hnsw_4/, 'a large knowledge base is searched through the HNSW expression index');

    t.same((await (await watch(db, store)).searchVectors(v(1, 0, 0, 0), 3)).map((h) => h.id), ['z', 'x', 'y'], 'a tiny one may be read whole');

    // Sorting made unattractive, the planner must walk the HNSW graph from the query, through 600 nearer
    // passages of the other tenant: the iterative scan keeps going until the small tenant's k are found.
    await db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_sort = off');
      const small = await watch(tx, store);
      exactSearches = 0;
      t.same((await small.searchVectors(v(1, 0, 0, 0), 3)).map((h) => h.id), ['z', 'x', 'y'], 'all three, though 600 nearer passages belong to another tenant');
      t.match(plans.pop(), /Index Scan using answerdesk_passages_hnsw_4/);
      // A long-lived server keeps dead index entries of dropped test tenants (until VACUUM), all near the query:
      // there the walk may give up and the exact fallback answer. On a fresh PGlite the walk alone must do.
      if (target === 'PGlite') t.equal(exactSearches, 0, 'the iterative scan found them without the exact fallback');
      t.same((await small.searchVectors(v(1, 0, 0, 0), 3, { kind: 'article' })).map((h) => h.id), ['x', 'y'], 'and with a filter');
      t.match(plans.pop(), /answerdesk_passages_hnsw_4/);
    });
  });

  t.test('when the approximate search finds fewer than k documents, the exact one answers', async (t) => {
    const store = await freshStore(t, db);
    // 60 passages of one document nearer than anything else fill the over-fetch (40 passages for k = 3).
    const many = Array.from({ length: 60 }, (_, i) => passage('many', i, [1, i / 1000, 0, 0]));
    await store.write({
      docs: [article('many'), article('b'), article('c')],
      passages: [...many, passage('b', 0, [1, 1, 0, 0]), passage('c', 0, [0, 1, 0, 0])],
    });
    t.same(rounded(await store.searchVectors(v(1, 0, 0, 0), 3)), [['many', 1], ['b', 0.7071], ['c', 0]]);
    t.same((await store.searchVectors(v(1, 0, 0, 0), 3, { kind: 'ticket' })), [], 'nothing matches: nothing found, exactly');
  });

  t.test('lexical search stems per language', async (t) => {
    const store = await freshStore(t, db);
    await store.write({
      docs: [
        article('de-refund', { language: 'de', title: 'Geld zurück', heading: 'Dauer', text: 'Die Rückerstattung dauert fünf Werktage.' }),
        article('ru-gift', { language: 'ru', title: 'Подарки', heading: 'Карты', text: 'Подарочный сертификат можно использовать один раз.' }),
        article('en-refund', { title: 'Refunds', heading: 'Cards', text: 'Money goes back to the original card.' }),
        article('en-body', { title: 'Payments', heading: 'Methods', text: 'We accept cards and issue refunds on request.' }),
        ticket('en-ticket', { title: 'Wrong invoice', text: 'My invoice shows the wrong address', answer: 'We reissued the document with the corrected billing address.' }),
        article('en-tagged', { title: 'Priority support', text: 'Faster answers.', tags: ['vip'], category: 'premium' }),
      ],
      passages: ['de-refund', 'ru-gift', 'en-refund', 'en-body', 'en-ticket', 'en-tagged'].map((id, i) => passage(id, 0, [1, i, 0, 0])),
    });
    const ids = async (text: string, language: string, filter?: Parameters<typeof store.searchLexical>[3]) =>
      (await store.searchLexical(text, language, 10, filter)).map((h) => h.id);

    t.same(await ids('Wie lange dauern Rückerstattungen?', 'de'), ['de-refund'], 'German: "Rückerstattungen" finds "Rückerstattung"');
    t.same(await ids('Rückerstattungen', 'xx'), [], 'without a stemmer (simple) the plural does not match');
    t.same(await ids('Где мои сертификаты?', 'ru'), ['ru-gift'], 'Russian: "сертификаты" finds "сертификат"');
    t.same(await ids('refunding', 'en'), ['en-refund', 'en-body'], 'English; a title match ranks above a body match');
    t.same(await ids('corrected billing', 'en'), ['en-ticket'], "a ticket's resolution is searchable");
    t.same(await ids('vip premium', 'en'), ['en-tagged'], 'tags and category are searchable');
    t.same(await ids('refund', 'en', { kind: 'ticket' }), []);
    t.same(await ids('refund', 'en-GB', { language: 'en', tags: [] }), ['en-refund', 'en-body'], 'a regional code uses its language');
    t.equal((await store.searchLexical('refund', 'en', 1)).length, 1, 'at most k');
    const [hit] = await store.searchLexical('refund', 'en', 1);
    t.ok(hit!.score > 0, 'ts_rank_cd score');
    t.same(await ids('', 'en'), []);
    t.same(await ids('   ', 'en'), []);
    t.same(await ids('the and of it', 'en'), [], 'only stop words: nothing to look for');
  });

  t.test('hostile query text never breaks the query', async (t) => {
    const store = await freshStore(t, db);
    await store.write({ docs: [article('a', { text: "Can't log in? Reset the password at C:\\Users or https://x.test/a?b=1&c=2." })], passages: [passage('a', 0, [1, 0, 0, 0])] });
    const hostile = [
      "'",
      "''",
      '\\',
      '\\\\\'',
      '& | ! ( ) : *',
      "password:* & !login | ('reset'",
      "'; DROP TABLE answerdesk_documents; --",
      'a:*B & (c <-> d)',
      '<-> <2> !!!',
      "can't log in",
      'C:\\Users\\me',
      'https://x.test/a?b=1&c=2',
      'back\\slash\\\'quote',
      '"quoted" `tick` $1 %s {}',
      '\u0301\u200b\ufeff',
      'nul\u0000byte',
    ];
    for (const text of hostile) {
      for (const language of ['en', 'de', 'xx']) {
        const hits = await store.searchLexical(text, language, 5);
        t.ok(Array.isArray(hits), `${JSON.stringify(text)} (${language})`);
      }
    }
    t.same((await store.searchLexical("can't reset my PASSWORD!!", 'en', 5)).map((h) => h.id), ['a'], 'and real words still match');
    t.same((await store.searchLexical("password:* & !login | ('reset'", 'en', 5)).map((h) => h.id), ['a'], 'operators are just words');
  });
});
