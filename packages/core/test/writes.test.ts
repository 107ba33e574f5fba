// Plumbing tests of write ordering on the embedded knowledge base (SQLite): the hashing encoder
// is deterministic and has no notion of meaning. What each write does is in test/contract.
import path from 'node:path';
import t from 'tap';
import { HashingEncoder, KnowledgeBase, parseArticle } from '@answerdesk/core';

const parse = (id: string, sections: string[], file = `${id}.md`) =>
  parseArticle(`---\nid: ${id}\ncategory: c-${id}\n---\n\n${sections.map((s) => `## ${s}\n\n${s} text.\n`).join('\n')}`, { file });

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
  const present = await Promise.all(['a#one', 'T1', 'T2'].map(async (id) => !!(await kb.document(id))));
  t.same(present, [false, true, true], 'the remove ran after the put it followed');
  await kb.close();
  const reopened = await KnowledgeBase.openExisting({ store, encoder: new HashingEncoder() });
  t.match(reopened.stats, { documents: 2, tickets: 2, articles: 0 });
  await reopened.close();
});
