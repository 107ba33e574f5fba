// Records for the store tests of @answerdesk/sqlite and @answerdesk/postgres (the same KnowledgeStore
// interface): documents and passages made by hand. Store mechanics only (storage, tenancy, filters,
// ordering, caches), never retrieval quality: tiny hand-made vectors do.
import type { KnowledgeDoc, PassageRecord } from '@answerdesk/types';

interface DocFields {
  title?: string;
  heading?: string;
  text?: string;
  answer?: string;
  language?: string;
  category?: string;
  tags?: string[];
}

export function article(id: string, fields: DocFields = {}): KnowledgeDoc {
  const title = fields.title ?? `Article ${id}`;
  const text = fields.text ?? `Text of ${id}.`;
  return {
    id,
    kind: 'article',
    title,
    text,
    answer: text,
    language: fields.language ?? 'en',
    tags: fields.tags ?? [],
    ...(fields.category ? { category: fields.category } : {}),
    hash: `hash-${id}-${text.length}`,
    source: { id, kind: 'article', title, heading: fields.heading ?? 'Overview', file: `articles/${id}.md`, anchor: 'overview' },
  };
}

export function ticket(id: string, fields: DocFields = {}): KnowledgeDoc {
  const title = fields.title ?? `Ticket ${id}`;
  return {
    id,
    kind: 'ticket',
    title,
    text: fields.text ?? `${title}\nCustomer text of ${id}.`,
    answer: fields.answer ?? `Resolution of ${id}.`,
    language: fields.language ?? 'en',
    tags: fields.tags ?? [],
    ...(fields.category ? { category: fields.category, labels: { category: fields.category } } : {}),
    hash: `hash-${id}`,
    source: { id, kind: 'ticket', title },
  };
}

/** A passage with a hand-made vector (4-d in most tests, so cosines are easy to reason about). */
export function passage(docId: string, index: number, vector: ArrayLike<number>, text = `passage ${index} of ${docId}`): PassageRecord {
  return { key: `${docId}::${index}`, docId, text, textHash: `th:${text}`, vector: Float32Array.from(vector) };
}
