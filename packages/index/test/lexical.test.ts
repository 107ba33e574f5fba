import t from 'tap';
import { LexicalIndex, type LexicalDoc, type LexicalIndexState } from '@answerdesk/index';

const corpus: LexicalDoc[] = [
  { id: 'password', title: 'Reset your password', body: 'Use the forgot password link on the sign-in page to get a reset email.' },
  { id: 'refunds', title: 'Refunds', body: 'Card refunds reach your account within five working days.' },
  { id: 'shipping', title: 'Shipping times', body: 'Parcels are delivered within three days by courier.' },
  { id: 'invoice', title: 'Download an invoice', body: 'Invoices are in the billing section of your account.' },
  { id: 'giftcard', title: 'Gift cards', body: 'Gift cards never expire and can be combined at checkout.' },
  { id: 'delete', title: 'Delete your account', body: 'Closing the account removes every order and invoice.' },
];

const ids = (hits: Array<{ id: string }>) => hits.map((h) => h.id);

function build(docs: LexicalDoc[], options?: ConstructorParameters<typeof LexicalIndex>[0]) {
  const index = new LexicalIndex(options);
  index.upsert(docs);
  return index;
}

t.test('BM25 finds the document with the words', async (t) => {
  const index = build(corpus);
  t.equal(index.size, 6);
  t.equal(ids(index.search('password reset', 5))[0], 'password');
  t.equal(ids(index.search('courier parcels', 5))[0], 'shipping');
  t.same(ids(index.search('gift', 5)), ['giftcard'], 'only documents holding the word come back');
  t.same(index.search('zebra xylophone', 5), [], 'no shared word → no hits');
  t.same(index.search('', 5), []);
  t.same(index.search('   ', 5), []);
  const hits = index.search('account', 10);
  t.same(ids(hits).sort(), ['delete', 'invoice', 'refunds'], 'every document with the word, no others');
  t.equal(hits[0]!.id, 'delete', 'the one with the word in its title ranks first');
  for (let i = 1; i < hits.length; i++) t.ok(hits[i - 1]!.score >= hits[i]!.score, 'sorted best first');
  t.ok(hits.every((h) => h.score > 0));
  t.equal(index.search('account', 2).length, 2, 'k limits the answer');
  t.same(index.search('account', 0), []);
  t.same(ids(index.search('account', 10, { accept: (id) => id !== 'delete' })).sort(), ['invoice', 'refunds'], 'accept filters hits');
});

t.test('questions with punctuation find their words', async (t) => {
  const index = build(corpus);
  t.equal(ids(index.search('How do I reset my password?', 5))[0], 'password');
  t.equal(ids(index.search('refund?', 5))[0], 'refunds');
  t.equal(ids(index.search('"gift cards", please!', 5))[0], 'giftcard');
  t.equal(ids(index.search('(shipping)', 5))[0], 'shipping');
  t.equal(ids(index.search('Where is my invoice...', 5))[0], 'invoice');
  t.same(index.search('?!...', 5), [], 'punctuation alone matches nothing');
});

t.test('title matches are boosted over body matches', async (t) => {
  // Symmetric documents: same field lengths, the word sits in the title of one and the body of the other.
  const index = build([
    { id: 'in-body', title: 'billing help', body: 'open the invoice page now' },
    { id: 'in-title', title: 'invoice help', body: 'open the billing page now' },
  ]);
  const hits = index.search('invoice', 5);
  t.same(ids(hits), ['in-title', 'in-body']);
  t.ok(hits[0]!.score > hits[1]!.score * 1.2, `title score ${hits[0]!.score} clearly above body score ${hits[1]!.score}`);
});

t.test('stemming joins word forms', async (t) => {
  const index = build([
    { id: 'plural', title: 'Card', body: 'refunds are issued to the card' },
    { id: 'singular', title: 'Bank', body: 'a refund goes to the bank' },
    { id: 'past', title: 'Order', body: 'the order was refunded yesterday' },
    { id: 'other', title: 'Other', body: 'delivery and shipping' },
  ]);
  for (const query of ['refund', 'refunds', 'refunded', 'refunding', 'REFUNDS']) {
    t.same(ids(index.search(query, 10)).sort(), ['past', 'plural', 'singular'], `"${query}" finds every form`);
  }
  t.same(ids(index.search('shipped', 10)), ['other']);
  t.same(index.search('the and a', 10), [], 'stop words alone match nothing');
});

function numbered(n: number, extra = ''): LexicalDoc {
  return { id: `d${String(n).padStart(2, '0')}`, title: `topic item${n}`, body: `body text for item${n} ${extra}`.trim() };
}

t.test('segments seal at segmentSize', async (t) => {
  const docs = Array.from({ length: 35 }, (_, i) => numbered(i));
  const index = new LexicalIndex({ segmentSize: 10 });
  index.upsert(docs.slice(0, 9));
  t.equal(index.segmentCount, 0, '9 documents: still open');
  index.upsert(docs.slice(9, 10));
  t.equal(index.segmentCount, 1, 'the 10th document seals the segment');
  index.upsert(docs.slice(10));
  t.equal(index.segmentCount, 3);
  t.equal(index.size, 35);
  const state = index.state();
  t.same(state.segments.map((s) => s.id), ['seg-00000', 'seg-00001', 'seg-00002']);
  t.same(state.segments.map((s) => s.ids.length), [10, 10, 10]);
  t.same(state.open.map((d) => d.id), ['d30', 'd31', 'd32', 'd33', 'd34'], '5 documents stay open');
  t.equal(state.nextSegment, 3);
  for (const n of [0, 9, 10, 25, 29, 30, 34]) {
    t.same(ids(index.search(`item${n}`, 5)), [numbered(n).id], `item${n} is found in its segment`);
    t.ok(index.has(numbered(n).id));
  }
  t.equal(index.search('topic', 100).length, 35, 'a common word is found across all segments and the open one');
});

t.test('remove marks a tombstone and hides the document', async (t) => {
  const index = new LexicalIndex({ segmentSize: 10 });
  index.upsert(Array.from({ length: 15 }, (_, i) => numbered(i)));
  t.equal(index.remove('d03'), true, 'from a sealed segment');
  t.equal(index.remove('d12'), true, 'from the open segment');
  t.equal(index.remove('d03'), false, 'twice');
  t.equal(index.remove('missing'), false);
  t.equal(index.size, 13);
  t.equal(index.has('d03'), false);
  t.equal(index.has('d12'), false);
  t.same(index.search('item3', 5), []);
  t.same(index.search('item12', 5), []);
  t.equal(index.search('topic', 100).length, 13);
  t.notOk(ids(index.search('topic', 100)).includes('d03'));
  const state = index.state();
  t.same(state.segments[0]!.deleted, ['d03'], 'the sealed segment keeps a tombstone');
  t.equal(state.segments[0]!.ids.length, 10, 'the segment itself is not rebuilt');
  t.notOk(state.open.some((d) => d.id === 'd12'), 'open documents are simply dropped');
});

t.test('upsert of an existing id replaces it', async (t) => {
  const index = new LexicalIndex({ segmentSize: 4 });
  index.upsert([
    { id: 'a', title: 'alpha', body: 'walrus' },
    { id: 'b', title: 'beta', body: 'penguin' },
    { id: 'c', title: 'gamma', body: 'otter' },
    { id: 'd', title: 'delta', body: 'seal' },
    { id: 'e', title: 'epsilon', body: 'heron' },
  ]);
  t.equal(index.segmentCount, 1);
  // 'a' lives in a sealed segment, 'e' in the open one.
  index.upsert([
    { id: 'a', title: 'alpha', body: 'kangaroo' },
    { id: 'e', title: 'epsilon', body: 'koala' },
  ]);
  t.equal(index.size, 5, 'no duplicates');
  t.same(index.search('walrus', 5), [], 'old sealed text no longer matches');
  t.same(index.search('heron', 5), [], 'old open text no longer matches');
  t.same(ids(index.search('kangaroo', 5)), ['a']);
  t.same(ids(index.search('koala', 5)), ['e']);
  t.same(ids(index.search('alpha', 5)), ['a'], 'the id appears once');
  t.same(index.state().segments[0]!.deleted, ['a'], 'the sealed copy is tombstoned');
  // Same id twice in one batch: the last one wins.
  index.upsert([
    { id: 'b', title: 'beta', body: 'first' },
    { id: 'b', title: 'beta', body: 'second' },
  ]);
  t.same(index.search('first', 5), []);
  t.same(ids(index.search('second', 5)), ['b']);
  t.equal(index.size, 5);
});

t.test('compaction rebuilds a segment once compactAt of it is deleted', async (t) => {
  const docs = new Map(Array.from({ length: 20 }, (_, i) => numbered(i)).map((d) => [d.id, d]));
  const index = new LexicalIndex({ segmentSize: 10, compactAt: 0.3 });
  index.upsert(docs.values());
  t.equal(index.segmentCount, 2);
  t.equal(index.compact((id) => docs.get(id)), 0, 'nothing to compact yet');

  for (const id of ['d01', 'd02']) {
    index.remove(id);
    docs.delete(id);
  }
  t.same(index.segmentsToCompact(), [], '2/10 deleted is below 0.3');
  index.remove('d03');
  docs.delete('d03');
  index.remove('d15');
  docs.delete('d15');
  t.same(index.segmentsToCompact(), ['seg-00000'], '3/10 deleted reaches 0.3; 1/10 in the other does not');

  const looked: string[] = [];
  t.equal(index.compact((id) => (looked.push(id), docs.get(id))), 1, 'one segment rebuilt');
  t.same(looked.sort(), ['d00', 'd04', 'd05', 'd06', 'd07', 'd08', 'd09'], 'only survivors are looked up');
  const state = index.state();
  t.same(state.segments.map((s) => s.id), ['seg-00001'], 'the heavy segment is gone');
  t.same(state.segments[0]!.deleted, ['d15'], 'the light one keeps its tombstone');
  t.same(state.open.map((d) => d.id).sort(), looked, 'survivors are re-added');
  t.equal(index.size, 16);
  for (const id of looked) {
    t.same(ids(index.search(`item${Number(id.slice(1))}`, 5)), [id], `${id} still searchable`);
    t.ok(index.has(id));
  }
  for (const n of [1, 2, 3, 15]) t.same(index.search(`item${n}`, 5), [], `d${String(n).padStart(2, '0')} stays deleted`);
  t.equal(index.search('topic', 100).length, 16);
  t.same(index.segmentsToCompact(), []);

  // Survivors go back through the open segment and are sealed again when it fills.
  index.upsert([numbered(40), numbered(41), numbered(42)]);
  t.equal(index.segmentCount, 2);
  t.equal(index.state().segments[1]!.id, 'seg-00002', 'segment ids are never reused');
  t.equal(index.search('topic', 100).length, 19);
});

t.test('lunr query syntax in user text never throws and is plain text', async (t) => {
  const index = build(corpus);
  const queries = [
    'foo:bar', '-x', 'a*', '^2', '~', '*', ':', '+', '-', '^', '~2', 'title:refunds', 'body:parcels', 'refunds~2', 'refunds^10',
    '+refunds -shipping', '-refunds', 'refu*', '*funds', 'gift:', ':gift', '\\', '"', "'", '(', ')', '[]', '{}', '<script>',
    'refunds:', 'a:b:c', '--', '**', '^^^', '~~', '💳 refunds', 'naïve café', 'x'.repeat(5000), 'word '.repeat(500),
  ];
  for (const query of queries) {
    let hits: unknown;
    t.doesNotThrow(() => {
      hits = index.search(query, 5);
    }, JSON.stringify(query.slice(0, 40)));
    t.ok(Array.isArray(hits));
  }
  t.same(ids(index.search('title:refunds', 5)), ['refunds'], 'a field prefix is just a word');
  t.same(ids(index.search('-refunds', 5)), ['refunds'], 'a leading minus does not exclude');
  t.same(ids(index.search('+refunds -shipping', 5)).sort(), ['refunds', 'shipping']);
  t.same(index.search('refu*', 5), [], 'no wildcard expansion');
  t.same(ids(index.search('refunds^10', 5)), ['refunds']);
});

t.test('state() / fromState() round trip keeps results, open segment included', async (t) => {
  const index = new LexicalIndex({ segmentSize: 10, compactAt: 0.5 });
  index.upsert(Array.from({ length: 27 }, (_, i) => numbered(i, i % 3 === 0 ? 'refund card' : 'shipping parcel')));
  index.remove('d04');
  index.remove('d25');
  index.upsert([{ id: 'd11', title: 'replaced', body: 'kangaroo refund' }]);
  const queries = ['topic', 'refund', 'shipping parcel', 'item4', 'item25', 'item26', 'kangaroo', 'item11', 'replaced item20'];
  const before = queries.map((q) => index.search(q, 50));
  t.ok(index.state().open.length > 0 && index.state().openIndex, 'there is an open segment to persist');

  const state = JSON.parse(JSON.stringify(index.state())) as LexicalIndexState;
  const restored = LexicalIndex.fromState(state);
  t.equal(restored.size, index.size);
  t.equal(restored.segmentCount, index.segmentCount);
  queries.forEach((q, i) => t.same(restored.search(q, 50), before[i], `same hits for "${q}"`));
  t.same(JSON.parse(JSON.stringify(restored.state())), state, 'state survives a second round trip');
  for (const id of ['d04', 'd25']) t.equal(restored.has(id), false);
  t.equal(restored.has('d26'), true, 'open document');
  t.equal(restored.has('d00'), true, 'sealed document');

  // A restored index without openIndex (older save) rebuilds it on demand.
  const { openIndex: _drop, ...noOpenIndex } = state;
  const rebuilt = LexicalIndex.fromState(noOpenIndex);
  queries.forEach((q, i) => t.same(rebuilt.search(q, 50), before[i], `same hits without a saved open index for "${q}"`));

  // The restored index keeps working: removes, upserts, sealing with fresh segment ids.
  restored.remove('d26');
  t.same(restored.search('item26', 5), []);
  restored.upsert(Array.from({ length: 10 }, (_, i) => numbered(50 + i)));
  const ids2 = restored.state().segments.map((s) => s.id);
  t.equal(new Set(ids2).size, ids2.length, 'no duplicate segment ids');
  t.equal(ids2.at(-1), `seg-${String(state.nextSegment).padStart(5, '0')}`);
  t.same(ids(restored.search('item55', 5)), ['d55']);
  t.same(index.search('item55', 5), [], 'the original is independent');
});

t.test('20k documents in segments of 5000', async (t) => {
  const started = Date.now();
  const words = ['refund', 'card', 'shipping', 'parcel', 'invoice', 'account', 'password', 'login', 'order', 'return', 'gift', 'voucher', 'bank', 'delay', 'courier'];
  const docs: LexicalDoc[] = Array.from({ length: 20000 }, (_, i) => ({
    id: `doc${i}`,
    title: `${words[i % 15]} ${words[(i * 7) % 15]} item${i}`,
    body: `customer asked about ${words[(i * 3) % 15]} and ${words[(i * 11) % 15]} for order code${i}`,
  }));
  const index = new LexicalIndex({ segmentSize: 5000 });
  index.upsert(docs);
  t.equal(index.size, 20000);
  t.equal(index.segmentCount, 4);
  t.equal(index.state().open.length, 0);
  for (const n of [0, 4999, 5000, 12345, 19999]) {
    t.equal(index.search(`item${n}`, 3)[0]?.id, `doc${n}`, `doc${n} found by its title word`);
    t.equal(index.search(`code${n}`, 3)[0]?.id, `doc${n}`, `doc${n} found by its body word`);
  }
  t.equal(index.search('refund', 100).length, 100, 'a common word fills k');
  index.remove('doc12345');
  t.same(index.search('item12345', 3), []);
  index.upsert([{ id: 'doc777', title: 'moved', body: 'platypus' }]);
  t.same(ids(index.search('platypus', 3)), ['doc777']);
  t.same(index.search('item777', 3), []);
  const elapsed = Date.now() - started;
  t.comment(`20k documents indexed and queried in ${elapsed} ms`);
  t.ok(elapsed < 10_000, `took ${elapsed} ms`);
});
