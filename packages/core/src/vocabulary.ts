import { vocabularyOf } from '@answerdesk/message';
import type { KnowledgeDoc } from '@answerdesk/types';
import { searchableTexts } from './docs.js';
import { yieldToLoop } from './yield.js';

/**
 * The spellers' vocabulary: how often each word occurs in the documents' text
 * (`vocabularyOf` of @answerdesk/message over `searchableTexts`). Stores that
 * keep it get each write's change of it; others have it counted on first use.
 */

/** Texts counted between two turns of the event loop (about 30 ms). */
const PART = 2000;

/**
 * Word counts of documents, added to `counts` when given. Counted in parts with a turn for the event
 * loop between them: every word of 100k tickets is seconds of work that would otherwise hold a service up.
 */
export async function countVocabulary(docs: Iterable<KnowledgeDoc> | AsyncIterable<KnowledgeDoc>, counts = new Map<string, number>()): Promise<Map<string, number>> {
  let part: string[] = [];
  for await (const doc of docs) {
    for (const text of searchableTexts([doc])) part.push(text);
    if (part.length >= PART) {
      vocabularyOf(part, counts);
      part = [];
      await yieldToLoop();
    }
  }
  return vocabularyOf(part, counts);
}

/** What a write does to the counts: the new documents' words up, the words of those they replace or remove down. */
export async function vocabularyChange(written: Iterable<KnowledgeDoc>, replaced: Iterable<KnowledgeDoc>): Promise<Map<string, number>> {
  const change = await countVocabulary(written);
  for (const [word, count] of await countVocabulary(replaced)) {
    const left = (change.get(word) ?? 0) - count;
    if (left === 0) change.delete(word);
    else change.set(word, left);
  }
  return change;
}
