// The spellers' word counts as a store keeps them (KnowledgeStore.vocabulary / putVocabulary and the
// `vocabulary` of a write), one test run on both stores (@answerdesk/sqlite, @answerdesk/postgres).
import type tap from 'tap';
import type { KnowledgeStore } from '@answerdesk/types';
import { article, passage } from './store-records.js';

/** The test object tap hands a callback. */
type Test = Parameters<Parameters<typeof tap.test>[0]>[0];

/** `store` is a fresh, empty knowledge base of 4-d vectors; `other` opens a second connection to it. */
export async function vocabularyTest(t: Test, store: KnowledgeStore, other: () => Promise<KnowledgeStore>, writeFailed: string): Promise<void> {
  t.same(await store.vocabulary!(), new Map(), 'a new knowledge base: complete, and empty');
  await store.write({ docs: [article('a')], passages: [passage('a', 0, [1, 0, 0, 0])], vocabulary: new Map([['refund', 2], ['parcel', 1]]) });
  await store.write({ docs: [article('a')], passages: [passage('a', 0, [1, 0, 0, 0])], vocabulary: new Map([['refund', -1], ['parcel', -1], ['voucher', 1]]) });
  t.same(await store.vocabulary!(), new Map([['refund', 1], ['voucher', 1]]), 'counts add up; a word counted down to zero is gone');
  await t.rejects(store.write({ docs: [article('b')], passages: [passage('ghost', 0, [1, 1, 0, 0])], vocabulary: new Map([['never', 1]]) }), { code: writeFailed });
  t.same(await store.vocabulary!(), new Map([['refund', 1], ['voucher', 1]]), 'a failed write changes no count');

  const version = (await store.info())!.version;
  await store.write({ docs: [article('c')], passages: [passage('c', 0, [0, 1, 0, 0])] });
  t.equal(await store.vocabulary!(), undefined, 'documents written without their words: the counts are no longer known');
  t.equal(await store.putVocabulary!(new Map([['stale', 1]]), version), false, 'a count made before the last write is refused');
  t.equal(await store.vocabulary!(), undefined);
  t.equal(await store.putVocabulary!(new Map([['refund', 1], ['shorter', 3]]), version + 1), true);
  t.equal((await store.info())!.version, version + 1, 'storing a count is not a change of the knowledge base');
  t.same(await (await other()).vocabulary!(), new Map([['refund', 1], ['shorter', 3]]), 'another connection reads the counts');
  t.same(await store.verify(), { problems: [] });
}
