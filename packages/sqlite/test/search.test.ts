import t from 'tap';
import { article, freshStore, passage, rounded, seededVector, ticket } from './helpers.js';

const v = (...values: number[]) => Float32Array.from(values);

t.test('vector search: best passage per document, best first, at most k, filtered', async (t) => {
  const store = await freshStore(t);
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
  t.same(rounded(await store.searchVectors(q, 3)), [['a1', 1], ['a2', 0.8], ['t1', 0.6]], 'cosine similarity, as PostgreSQL gives it');
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

t.test('the nearest document is found among thousands, as an exact scan finds it', async (t) => {
  const dimension = 32;
  const store = await freshStore(t, { dimension });
  const docs = [];
  const passages = [];
  for (let i = 0; i < 3000; i++) {
    const id = `T-${String(i).padStart(4, '0')}`;
    docs.push(ticket(id, { category: i % 3 === 0 ? 'billing' : 'shipping' }));
    passages.push(passage(id, 0, seededVector(i, dimension), `p${i}`));
  }
  await store.write({ docs, passages });
  let agree = 0;
  for (let q = 0; q < 50; q++) {
    // A query near passage 7q: the stored vector plus a little noise.
    const target = seededVector(7 * q, dimension);
    const noise = seededVector(100_000 + q, dimension);
    const query = target.map((x, i) => x + 0.05 * noise[i]!);
    const [hit] = await store.searchVectors(query, 1);
    if (hit?.id === `T-${String(7 * q).padStart(4, '0')}`) agree++;
  }
  t.equal(agree, 50, 'the HNSW graph finds every planted nearest neighbour');
  const filtered = await store.searchVectors(seededVector(9, dimension), 5, { category: 'billing' });
  t.equal(filtered[0]?.id, 'T-0009', 'filtered during the graph walk');
  t.ok(filtered.every((h) => Number(h.id.slice(2)) % 3 === 0), 'only billing tickets');
  t.equal(filtered.length, 5);
});

t.test('when the graph finds fewer than k documents, the exact scan answers', async (t) => {
  const store = await freshStore(t);
  // One document with many passages crowds the neighbourhood of the query.
  const crowd = Array.from({ length: 60 }, (_, i) => passage('crowd', i, [1, i / 1000, 0, 0]));
  await store.write({ docs: [article('crowd'), article('far'), ticket('other')], passages: [...crowd, passage('far', 0, [0, 0, 1, 0]), passage('other', 0, [0, 0, 0, 1])] });
  t.same((await store.searchVectors(v(1, 0, 0, 0), 3)).map((h) => h.id), ['crowd', 'far', 'other']);
  t.same((await store.searchVectors(v(1, 0, 0, 0), 3, { kind: 'ticket' })).map((h) => h.id), ['other']);
});

t.test('lexical search: FTS5 over our analyzers, stemmed per language, ranked by BM25', async (t) => {
  const store = await freshStore(t);
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
  const ids = async (text: string, language: string, filter?: Parameters<typeof store.searchLexical>[3]) => (await store.searchLexical(text, language, 10, filter)).map((h) => h.id);

  t.same(await ids('Wie lange dauern Rückerstattungen?', 'de'), ['de-refund'], 'German: "Rückerstattungen" finds "Rückerstattung"');
  t.same(await ids('Ruckerstattung', 'de'), ['de-refund'], 'typed without the umlaut (accents are folded)');
  t.same(await ids('Rückerstattungen', 'xx'), [], 'without a stemmer the plural does not match');
  t.same(await ids('Где мои сертификаты?', 'ru'), ['ru-gift'], 'Russian: "сертификаты" finds "сертификат"');
  t.same(await ids('refunds', 'en'), ['en-refund', 'en-body'], 'English: "refunds" finds "refund"; a title match ranks above a body match');
  t.same(await ids('refunding', 'en'), ['en-refund', 'en-body']);
  t.same(await ids('corrected billing', 'en'), ['en-ticket'], "a ticket's resolution is searchable");
  t.same(await ids('vip premium', 'en'), ['en-tagged'], 'tags and category are searchable');
  t.same(await ids('refund', 'en', { kind: 'ticket' }), []);
  t.same(await ids('refund', 'en-GB', { language: 'en', tags: [] }), ['en-refund', 'en-body'], 'a regional code uses its language');
  t.same(await ids('Rückerstattung', 'de', { language: 'en' }), [], 'filtered by language');
  t.equal((await store.searchLexical('refund', 'en', 1)).length, 1, 'at most k');
  const [hit] = await store.searchLexical('refund', 'en', 1);
  t.ok(hit!.score > 0, 'the score is -bm25(): higher is better');
  t.same(await ids('', 'en'), []);
  t.same(await ids('   ', 'en'), []);
  t.same(await ids('the and of it', 'en'), [], 'only stop words: nothing to look for');

  t.same(await store.searchLexicalTerms('refunds for my cards, please', 'en', 5).then((hits) => hits.map((h) => [h.id, h.terms])), [
    ['en-refund', ['card', 'refund']],
    ['en-body', ['card', 'refund']],
  ], 'each hit with the query terms it holds');
  const weights = await store.weighTerms('refunds cards zebra', 'en');
  t.same(weights.map((w) => w.term), ['card', 'refund', 'zebra'], 'analyzed, distinct, sorted');
  const weight = Object.fromEntries(weights.map((w) => [w.term, w.weight]));
  // BM25 idf over 6 documents: log(1 + (n - df + 0.5) / (df + 0.5)).
  t.equal(Math.round(weight.refund! * 1e6), Math.round(Math.log(1 + (6 - 2 + 0.5) / 2.5) * 1e6), 'exact document frequency: 2 of 6');
  t.equal(Math.round(weight.zebra! * 1e6), Math.round(Math.log(1 + 6.5 / 0.5) * 1e6), 'a word found nowhere weighs most');
  t.same(await store.weighTerms('the of', 'en'), []);
});

t.test('hostile query text never breaks the query', async (t) => {
  const store = await freshStore(t);
  await store.write({ docs: [article('a', { text: "Can't log in? Reset the password at C:\\Users or https://x.test/a?b=1&c=2." })], passages: [passage('a', 0, [1, 0, 0, 0])] });
  const hostile = [
    "'",
    '"',
    '""',
    '\\',
    '& | ! ( ) : * ^ + -',
    'password* NEAR(reset login) OR title:reset AND NOT x',
    '"; DROP TABLE documents; --',
    '{title body}: reset',
    "can't log in",
    'C:\\Users\\me',
    'https://x.test/a?b=1&c=2',
    '"quoted" `tick` $1 %s {} ?',
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
  t.same((await store.searchLexical('password* NEAR(reset login) OR title:reset', 'en', 5)).map((h) => h.id), ['a'], 'operators are just words');
});
