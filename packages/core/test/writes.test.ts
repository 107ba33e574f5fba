// Plumbing tests of article writes, write ordering and feedback: the hashing encoder
// is deterministic and has no notion of meaning.
import path from 'node:path';
import t from 'tap';
import { HashingEncoder, FileKnowledgeBase as KnowledgeBase, parseArticle } from '@answerdesk/core';

const parse = (id: string, sections: string[], file = `${id}.md`) =>
  parseArticle(`---\nid: ${id}\ncategory: c-${id}\n---\n\n${sections.map((s) => `## ${s}\n\n${s} text.\n`).join('\n')}`, { file });

t.test('putArticles replaces whole articles and prune keeps exactly the given ones', async (t) => {
  const kb = await KnowledgeBase.open({ store: path.join(t.testdir(), 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  let report = await kb.putArticles([parse('a', ['One', 'Two']), parse('b', ['Three'])]);
  t.match(report, { articles: 2, sections: 3, updated: 3, removed: 0 });
  report = await kb.putArticles([parse('a', ['One', 'Four'])]);
  t.match(report, { sections: 2, updated: 1, unchanged: 1, removed: 1 }, 'section Two is removed, One unchanged, Four new');
  t.ok(kb.getDocument('a#four'));
  t.notOk(kb.getDocument('a#two'));
  t.ok(kb.getDocument('b#three'), 'other articles are untouched without prune');
  await kb.addTickets([{ id: 'T1', subject: 's', body: 'b', resolution: 'r' }]);
  report = await kb.putArticles([parse('a', ['One', 'Four'])], { prune: true });
  t.match(report, { updated: 0, removed: 1 });
  t.same(kb.articleIds, ['a']);
  t.ok(kb.getDocument('T1'), 'prune leaves tickets alone');
  t.same(kb.categories, ['c-a']);
  await t.rejects(kb.putArticles([parse('a', ['X']), parse('a', ['Y'], 'copy.md')]), { code: 'ADK_ARTICLE_ID_DUPLICATE' });
  t.equal(await kb.removeArticles(['a', 'missing']), 2);
  t.same(kb.articleIds, []);
  t.equal(await kb.removeArticles(['a']), 0);
});

t.test('writes run one at a time in the order they were called; a failed one does not block the next', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const kb = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  const calls = [
    kb.putArticles([parse('a', ['One'])]),
    kb.addTickets([{ id: 'T1', subject: 's', body: 'b', resolution: 'r' }]),
    kb.putArticles([parse('x', ['P']), parse('x', ['Q'], 'x2.md')]),
    kb.remove(['a#one']),
    kb.addTickets([{ id: 'T2', subject: 's2', body: 'b2', resolution: 'r2' }]),
  ];
  const settled = await Promise.allSettled(calls);
  t.same(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  t.same([...['a#one', 'T1', 'T2']].map((id) => !!kb.getDocument(id)), [false, true, true], 'the remove ran after the put it followed');
  await kb.close();
  const reopened = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  t.same(reopened.stats, { ...reopened.stats, documents: 2, tickets: 2, articles: 0 });
  await reopened.close();
});

t.test('feedback is checked, stamped and kept', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const kb = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  await kb.addTickets([{ id: 'T1', subject: 's', body: 'b', resolution: 'r' }]);
  const entry = await kb.recordFeedback({ query: '  where is my parcel ', sourceId: 'T1', helpful: true, agent: 'anna' });
  t.match(entry, { query: 'where is my parcel', sourceId: 'T1', helpful: true, agent: 'anna', id: /^[0-9a-f-]{36}$/, at: /^\d{4}-\d\d-\d\dT/ });
  await t.rejects(kb.recordFeedback({ query: 'q', sourceId: 'nope', helpful: true }), { code: 'ADK_DOCUMENT_NOT_FOUND' });
  await t.rejects(kb.recordFeedback({ query: '', sourceId: 'T1', helpful: true }), { code: 'ADK_FEEDBACK_INVALID', message: /needs "query"/ });
  await t.rejects(kb.recordFeedback({ query: 'q', sourceId: 'T1', helpful: 'yes' as never }), { code: 'ADK_FEEDBACK_INVALID', message: /"helpful": true or false/ });
  await t.rejects(kb.recordFeedback({ query: 'q', sourceId: 'T1', helpful: false, comment: 'x'.repeat(2001) }), { code: 'ADK_FEEDBACK_INVALID' });
  t.same((await kb.feedback()).map((f) => f.id), [entry.id], 'rejected feedback is not stored');
});
