// The counts a store keeps with its writes (KnowledgeStore.counts), one test run on both stores.
import type tap from 'tap';
import type { KnowledgeStore } from '@answerdesk/types';
import { article, passage, ticket } from './store-records.js';

/** The test object tap hands a callback. */
type Test = Parameters<Parameters<typeof tap.test>[0]>[0];

/** `store` is a fresh, empty knowledge base of 4-d vectors. */
export async function countsTest(t: Test, store: KnowledgeStore): Promise<void> {
  await store.write({ docs: [article('a'), article('b'), ticket('T-1')], passages: [passage('a', 0, [1, 0, 0, 0]), passage('a', 1, [0, 1, 0, 0]), passage('b', 0, [0, 0, 1, 0]), passage('T-1', 0, [0, 0, 0, 1])] });
  t.same(await store.counts(), { documents: 3, articles: 2, tickets: 1, passages: 4 });
  await store.write({ docs: [{ ...ticket('b'), id: 'b' }], passages: [passage('b', 0, [0, 1, 1, 0])] });
  t.same(await store.counts(), { documents: 3, articles: 1, tickets: 2, passages: 4 }, 'b is a ticket now');
  await store.write({ removed: ['a'] });
  t.same(await store.counts(), { documents: 2, articles: 0, tickets: 2, passages: 2 }, "a's two passages went with it");
  await store.write({ removed: ['never-there'] });
  t.same(await store.counts(), { documents: 2, articles: 0, tickets: 2, passages: 2 }, 'removing what is not there changes nothing');
  t.same(await store.verify(), { problems: [] }, 'the kept counts agree with the rows');
}
