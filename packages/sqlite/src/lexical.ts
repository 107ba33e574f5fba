import { analyze } from '@answerdesk/index';
import type { KnowledgeDoc } from '@answerdesk/types';

/**
 * What the word side indexes for a document, as the embedded store and
 * PostgreSQL do: the title (article title + section heading, or a ticket's
 * subject) weighs more than the body (text, a ticket's resolution, tags,
 * category). Pure.
 */
export function lexicalTexts(doc: KnowledgeDoc): { title: string; body: string } {
  // A glossary holds most words of its language: indexed, it would match every question in it.
  if (doc.kind === 'glossary') return { title: doc.title, body: '' };
  const title = doc.kind === 'article' ? `${doc.title} ${doc.source?.heading ?? ''}`.trim() : doc.title;
  const body = [doc.text, doc.kind === 'ticket' ? doc.answer : '', (doc.tags ?? []).join(' '), doc.category ?? ''].filter(Boolean).join('\n');
  return { title, body };
}

/**
 * The FTS5 row of a document: its title and body analyzed in the document's
 * own language by our analyzer (stop words out, Snowball stem, accents
 * folded), terms joined by single spaces. FTS5 only splits them again. Pure.
 */
export function analyzedRow(doc: KnowledgeDoc): { title: string; body: string } {
  const { title, body } = lexicalTexts(doc);
  return { title: analyze(title, doc.language).join(' '), body: analyze(body, doc.language).join(' ') };
}

/** Distinct analyzed terms of a question in `language`, sorted. Pure. */
export function queryTerms(text: string, language: string): string[] {
  if (typeof text !== 'string') return [];
  return [...new Set(analyze(text, language))].sort();
}

/**
 * An FTS5 MATCH expression for any of the terms: each a quoted string, so no
 * user text can form FTS5 syntax (NEAR, column filters, prefixes). Terms come
 * from the analyzer and hold only letters and digits; quotes are escaped anyway.
 */
export function matchAny(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
}
