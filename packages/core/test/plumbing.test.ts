// Plumbing tests: the hashing encoder is deterministic and has no notion of meaning.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { DEFAULT_CONFIDENCE_MODEL, HashingEncoder, KnowledgeBase, articleDocs, passagesOf, ticketDoc } from '@answerdesk/core';
import { resolutionDetails } from '@answerdesk/reply';
import { embeddingKey } from '@answerdesk/embeddings';
import { parseArticle } from '@answerdesk/markdown';

const article = (id: string, title: string, body: string) => `---\nid: ${id}\ntitle: ${title}\ncategory: ${id.split('-')[0]}\n---\n\nIntro for ${title}.\n\n## ${body}\n\n${body} details here.\n`;

function fixture(t: Parameters<Parameters<typeof import('tap').test>[0]>[0]) {
  return t.testdir({
    kb: {
      'refund-card.md': article('refund-card', 'Card refunds', 'Refunds to cards take five days'),
      'gift-balance.md': article('gift-balance', 'Gift card balance', 'Check the balance of a gift card'),
      'broken.md': '---\ntitle: [unclosed\n---\n# Broken\n',
      tickets: {
        'export.jsonl': [
          JSON.stringify({ id: 'T-1', subject: 'Refund missing', body: 'Where is my refund', resolution: 'It was sent on Monday.', category: 'refund' }),
          '{not json',
          JSON.stringify({ id: 'T-2', subject: 'Gift card', body: 'Balance please', resolution: 'Your balance is 20 EUR.', category: 'gift' }),
        ].join('\n'),
      },
    },
  });
}

t.test('index reports bad files and rows, and indexes everything else', async (t) => {
  const dir = fixture(t);
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  const report = await kb.index([path.join(dir, 'kb')]);
  t.equal(report.articles, 2);
  t.equal(report.tickets, 2);
  t.same(report.errors.map((e) => e.code).sort(), ['ADK_FRONTMATTER_INVALID', 'ADK_TICKET_INVALID']);
  t.match(report.errors.find((e) => e.code === 'ADK_TICKET_INVALID')!.message, /kb\/tickets\/export\.jsonl:2/);
  t.equal(kb.stats.documents, 2 * 2 + 2, 'two sections per article, two tickets');
  t.match((await kb.document('refund-card#refunds-to-cards-take-five-days'))?.source, { file: /kb\/refund-card\.md$/, anchor: 'refunds-to-cards-take-five-days', line: 9 });
});

t.test('re-indexing embeds only what changed and removes what is gone', async (t) => {
  const dir = fixture(t);
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  const first = await kb.index([path.join(dir, 'kb')]);
  await writeFile(path.join(dir, 'kb', 'refund-card.md'), article('refund-card', 'Card refunds', 'Refunds to cards take three days'));
  const second = await kb.index([path.join(dir, 'kb')]);
  t.equal(second.unchanged, first.updated - 1, 'only the edited section changed');
  t.equal(second.updated, 1);
  t.equal(second.removed, 1, 'the old section (old anchor) is removed');
  t.ok(second.embedded >= 1 && second.embedded < first.embedded, `${second.embedded} passage(s) embedded`);
  const hits = await kb.search('three days', { mode: 'lexical' });
  t.equal(hits.hits[0]?.doc.id, 'refund-card#refunds-to-cards-take-three-days');
});

t.test('tickets can be added and removed without re-indexing', async (t) => {
  const dir = fixture(t);
  const store = path.join(dir, 'store');
  const kb = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  await kb.index([path.join(dir, 'kb')]);
  const added = await kb.addTickets([{ id: 'T-9', subject: 'Voucher expired', body: 'My voucher expired yesterday', resolution: 'We extended it by 30 days.' }]);
  t.match(added, { updated: 1, unchanged: 0 });
  t.match(await kb.addTickets([{ id: 'T-9', subject: 'Voucher expired', body: 'My voucher expired yesterday', resolution: 'We extended it by 30 days.' }]), { updated: 0, unchanged: 1 });
  t.equal((await kb.search('voucher expired', { mode: 'lexical', k: 1 })).hits[0]?.doc.id, 'T-9');
  t.equal(await kb.remove(['T-9', 'nope']), 1);
  const reopened = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  t.notOk((await reopened.document('T-9')), 'the removal was saved');
  t.ok((await reopened.document('T-1')));
});

t.test('filters, modes and coded errors', async (t) => {
  const dir = fixture(t);
  const store = path.join(dir, 'store');
  const kb = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  await kb.index([path.join(dir, 'kb')]);
  const tickets = await kb.search('refund gift card balance', { k: 10, filter: { kind: 'ticket' } });
  t.ok(tickets.hits.length > 0 && tickets.hits.every((hit) => hit.doc.kind === 'ticket'));
  const gift = await kb.search('refund gift card balance', { k: 10, filter: { category: ['gift'] } });
  t.same(gift.hits.map((hit) => hit.doc.id).sort(), ['T-2', 'gift-balance#check-the-balance-of-a-gift-card', 'gift-balance#gift-card-balance']);
  const refundOnly = await kb.search('refund gift card balance', { k: 10, filter: { category: 'refund', kind: 'article' } });
  t.ok(refundOnly.hits.length > 0 && refundOnly.hits.every((hit) => hit.doc.id.startsWith('refund-card#')));
  await t.rejects(kb.search('   '), { code: 'ADK_QUERY_EMPTY' });
  await t.rejects(kb.search('x'.repeat(5000)), { code: 'ADK_QUERY_TOO_LONG' });
  await t.rejects(kb.search('refund', { mode: 'fuzzy' as never }), { code: 'ADK_OPTION_INVALID', details: { option: 'mode' } });
  await t.rejects(kb.search('refund', { k: 0 }), { code: 'ADK_OPTION_INVALID', details: { option: 'k' } });
  await t.rejects(kb.index([path.join(dir, 'nope')]), { code: 'ADK_PATH_NOT_FOUND' });
  await t.rejects(kb.index([]), { code: 'ADK_OPTION_INVALID' });
  await writeFile(path.join(dir, 'notes.txt'), 'hello');
  await t.rejects(kb.index([path.join(dir, 'notes.txt')]), { code: 'ADK_NOTHING_INDEXED' });
  await t.rejects(KnowledgeBase.openExisting({ store: path.join(dir, 'empty'), encoder: new HashingEncoder() }), { code: 'ADK_STORE_NOT_FOUND' });
  await t.rejects(KnowledgeBase.open({ store, encoder: new HashingEncoder(32) }), { code: 'ADK_STORE_MODEL_MISMATCH' }, 'vectors of two models never mix');
  await t.rejects(KnowledgeBase.open({ store, encoder: new HashingEncoder(), bands: { abstain: 0.9, medium: 0.5, high: 0.6 } }), { code: 'ADK_OPTION_INVALID', message: /bands.*abstain ≤ medium ≤ high/ });
  await t.rejects(KnowledgeBase.open({ store, encoder: new HashingEncoder(), bands: { abstain: 0.4, medium: 0.6, high: 85 } }), { code: 'ADK_OPTION_INVALID', message: /probabilities between 0 and 1/ });
  // The similarity cut-offs of old are refused, not ignored: a caller would believe they act.
  const old = { store, encoder: new HashingEncoder(), thresholds: { abstain: 0.45, medium: 0.5, high: 0.62 } } as unknown as Parameters<typeof KnowledgeBase.open>[0];
  await t.rejects(KnowledgeBase.open(old), { code: 'ADK_OPTION_INVALID', message: /thresholds.*no longer read.*bands/ });
  const broken = { ...DEFAULT_CONFIDENCE_MODEL, weights: DEFAULT_CONFIDENCE_MODEL.weights.slice(1) };
  await t.rejects(KnowledgeBase.open({ store, encoder: new HashingEncoder(), confidenceModel: broken }), { code: 'ADK_OPTION_INVALID', message: /confidenceModel.*weights must be a list of 25 numbers/ });
});

t.test('passages carry the article title and heading; tickets embed their question, and on request their resolution', async (t) => {
  const parsed = parseArticle(`---\nid: a\ntitle: Returns\n---\n\n## Start a return\n\n${Array.from({ length: 150 }, (_, i) => `w${i}`).join(' ')}\n`, { file: 'a.md' });
  const [doc] = articleDocs(parsed, 'kb');
  const passages = passagesOf(doc!, { words: 80, overlap: 20 });
  t.equal(passages.length, 3, '150 words in windows of 80 with 20 overlap');
  t.ok(passages.every((p) => p.text.startsWith('Returns: Start a return.')));
  t.equal(doc!.source.file, 'kb/a.md');
  const ticket = ticketDoc({ id: 'T-5', subject: 'Late', body: 'Order is late', resolution: 'It ships today.' });
  t.same(passagesOf(ticket).map((p) => p.text), ['Late Order is late'], 'by default a ticket embeds the customer\'s side only');
  t.same(passagesOf(ticket, { tickets: 'question-and-resolution' }).map((p) => p.text), ['Late Order is late', 'It ships today.']);
  const long = ticketDoc({ id: 'T-7', subject: 'Late', body: Array.from({ length: 150 }, (_, i) => `w${i}`).join(' '), resolution: 'Sorry.' });
  t.same(passagesOf(long, { words: 80, overlap: 20 }).map((p) => p.text.split(' ').length), [80], 'one window: the first 80 words of a long question');
  t.equal(passagesOf(long, { words: 80, overlap: 20, tickets: 'question-and-resolution' }).length, 4, 'every window of question and resolution');
  const echo = ticketDoc({ id: 'T-6', subject: '', body: 'Call us on 0800 123', resolution: 'Call us on 0800 123' });
  t.equal(passagesOf(echo, { tickets: 'question-and-resolution' }).length, 1, 'a resolution identical to the question is embedded once');
});

t.test('warmUp reads and adapts past tickets as a suggest would, and records nothing', async (t) => {
  const dir = fixture(t);
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  t.match(await kb.warmUp(), { resolutions: 0 }, 'an empty store: nothing to read');
  await kb.index([path.join(dir, 'kb')]);
  const report = await kb.warmUp();
  t.equal(report.resolutions, 2, 'both tickets of the fixture');
  t.ok(report.tookMs >= 0);
  t.equal((await kb.warmUp({ resolutions: 1 })).resolutions, 1, 'at most as many as asked for');
  t.equal((await kb.warmUp({ resolutions: 0 })).resolutions, 0);
  t.same(await kb.askedQuestions(), [], 'no question logged');
  t.same(await kb.feedback(), []);
  for (const resolutions of [-1, 1.5, 20_000, Number.NaN]) {
    await t.rejects(kb.warmUp({ resolutions }), { code: 'ADK_OPTION_INVALID', details: { option: 'resolutions' } }, String(resolutions));
  }
});

t.test("a ticket keeps where its resolution's details are, and a suggest adapts it with them", async (t) => {
  const kb = await KnowledgeBase.open({ store: path.join(t.testdir(), 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  const resolution = 'Hi Maria, I refunded order BC-4410273 today. Refunds reach your card within 5 working days.';
  const ticket = { id: 'T-7', subject: 'Refund for my order', body: 'Where is the refund for my order?', resolution };
  await kb.addTickets([ticket]);
  const stored = (await kb.document('T-7'))!;
  t.same(stored.answerDetails, resolutionDetails(resolution, { language: 'en' }), 'found when written, as adapting finds them');
  t.ok(stored.answerDetails!.details.some((detail) => detail.kind === 'order'));
  const shown = async () => (await kb.suggest('Where is the refund for my order?', { pick: [{ question: 0, sourceId: 'T-7' }] })).answers![0]!.answer!;
  t.match(await shown(), /Refunds reach your card within 5 working days/);
  // Kept details that finding anew would never give ("card" as a name): the suggest adapts with what was kept.
  // Their offsets are into the resolution without its salutation.
  const at = resolution.slice(resolution.indexOf('I refunded')).indexOf('card');
  const marked = { ...stored.answerDetails!, details: [...stored.answerDetails!.details, { kind: 'name' as const, start: at, end: at + 4 }] };
  await kb.putDocuments([{ ...stored, answerDetails: marked }]);
  t.same((await kb.document('T-7'))!.answerDetails, marked, 'a current version is written as it is');
  t.match(await shown(), /Refunds reach your \[name\] within 5 working days/);
  // The same document with its resolution edited but the old details: they are found again when it is written.
  const edited = resolution.replace('5 working days', 'ten working days');
  await kb.putDocuments([{ ...stored, answer: edited, answerDetails: marked }]);
  t.same((await kb.document('T-7'))!.answerDetails, resolutionDetails(edited, { language: 'en' }), "another text's details are not kept");
  t.match(await shown(), /Refunds reach your card within ten working days/);
});

t.test('a store written before tickets kept their details gets them the next time it is indexed', async (t) => {
  const dir = t.testdir({ tickets: { 'resolved.jsonl': '' } });
  const encoder = new HashingEncoder();
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder });
  t.teardown(() => kb.close());
  const ticket = { id: 'T-8', subject: 'Voucher expired', body: 'My voucher expired yesterday', resolution: 'Hi Tom, I extended voucher GC-1111-2222-3333 until June 30th. A voucher can be extended once.' };
  await writeFile(path.join(dir, 'tickets', 'resolved.jsonl'), JSON.stringify(ticket) + '\n');
  await kb.index([path.join(dir, 'tickets')]);
  // Written as an older version did: the same document and passages, without answerDetails.
  const { answerDetails: _kept, ...old } = (await kb.document('T-8'))!;
  const passages = passagesOf(old);
  const vectors = await encoder.embedPassages(passages.map((p) => p.text));
  await kb.store.write({ docs: [old], passages: passages.map((p, i) => ({ ...p, textHash: embeddingKey(encoder.id, p.text), vector: vectors[i]! })) });
  t.notOk((await kb.document('T-8'))!.answerDetails, 'an older store: no details kept');
  const report = await kb.index([path.join(dir, 'tickets')]);
  t.match(report, { updated: 0, unchanged: 1, embedded: 0 }, 'nothing changed, nothing embedded');
  t.same((await kb.document('T-8'))!.answerDetails, resolutionDetails(ticket.resolution, { language: 'en' }), 'kept now');
  t.same(await kb.verify().then((v) => v.problems), [], 'the store still agrees with itself');
});
