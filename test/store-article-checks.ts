// Writes checked on the articles they were planned on (WriteOptions.onlyIfArticles), one test run on both stores.
import type tap from 'tap';
import type { KnowledgeStore } from '@answerdesk/types';
import { article, passage, ticket } from './store-records.js';

/** The test object tap hands a callback. */
type Test = Parameters<Parameters<typeof tap.test>[0]>[0];

const sections = (...docs: Array<{ id: string; hash: string }>) => new Map(docs.map((doc) => [doc.id, doc.hash]));

/** `store` is a fresh, empty knowledge base of 4-d vectors; `other` another connection to it (or the same one). */
export async function articleChecksTest(t: Test, store: KnowledgeStore, other: KnowledgeStore): Promise<void> {
  const [xa, xb, ya, xab] = [article('x#a'), article('x#b'), article('y#a'), article('xa#a')];
  await store.write({ docs: [xa, xb, ya, xab, ticket('T-1')], passages: [passage('x#a', 0, [1, 0, 0, 0]), passage('x#b', 0, [0, 1, 0, 0]), passage('y#a', 0, [0, 0, 1, 0]), passage('xa#a', 0, [0, 0, 0, 1]), passage('T-1', 0, [1, 1, 0, 0])] });
  const planOnX = new Map([['x', sections(xa, xb)]]);

  // Another writer changes article y, an article whose id starts like x's, and a ticket: none of them is x.
  await other.write({ docs: [{ ...ya, hash: 'y-edited' }, { ...xab, hash: 'xa-edited' }, { ...ticket('T-1'), hash: 't-edited' }], passages: [] });
  await other.write({ docs: [article('z#a')], passages: [] });
  const version = await store.write({ docs: [{ ...xa, hash: 'x-edited' }], passages: [] }, { onlyIfArticles: planOnX });
  t.equal(typeof version, 'number', 'a change of article x goes through whatever happened to other articles and tickets');

  // Now x is not as that plan saw it: a changed section, an added one, a removed one each stop it.
  await t.rejects(store.write({ removed: ['x#b'] }, { onlyIfArticles: planOnX }), { code: 'ADK_ARTICLE_CHANGED_MEANWHILE', details: { article: 'x' } }, 'a section changed meanwhile');
  const now = new Map([['x', sections({ id: 'x#a', hash: 'x-edited' }, xb)]]);
  await other.write({ docs: [article('x#c')], passages: [] });
  await t.rejects(store.write({ removed: ['x#b'] }, { onlyIfArticles: now }), { code: 'ADK_ARTICLE_CHANGED_MEANWHILE' }, 'a section added meanwhile');
  await other.write({ removed: ['x#c', 'x#b'] });
  await t.rejects(store.write({ docs: [article('x#d')], passages: [] }, { onlyIfArticles: now }), { code: 'ADK_ARTICLE_CHANGED_MEANWHILE' }, 'a section removed meanwhile');
  await t.rejects(store.write({ docs: [article('w#a')], passages: [] }, { onlyIfArticles: new Map([['w', sections(article('w#a'))]]) }), { code: 'ADK_ARTICLE_CHANGED_MEANWHILE' }, 'an article expected to exist that does not');
  t.equal(typeof (await store.write({ docs: [article('v#a')], passages: [] }, { onlyIfArticles: new Map([['v', new Map()]]) })), 'number', 'a new article expected to be new');
  await t.rejects(store.write({ docs: [article('v#b')], passages: [] }, { onlyIfArticles: new Map([['v', new Map()]]) }), { code: 'ADK_ARTICLE_CHANGED_MEANWHILE' }, 'a new article that someone else created meanwhile');
}
