import { createHash } from 'node:crypto';
import type { Article, KnowledgeDoc, Ticket } from '@answerdesk/types';

/** A piece of a document that gets its own vector; a document scores as its best passage. */
export interface Passage {
  key: string;
  docId: string;
  text: string;
}

export interface PassageOptions {
  /** Words per passage. Default 80: USE-lite loses focus on long inputs. */
  words?: number;
  /** Words shared by consecutive passages so no sentence is cut off from its context. Default 20. */
  overlap?: number;
}

const sha = (...parts: string[]) => createHash('sha256').update(parts.join('\u001f')).digest('hex');

/** Sections of an article as knowledge documents. `fileBase` prefixes the article's file path in sources. Pure. */
export function articleDocs(article: Article, fileBase = ''): KnowledgeDoc[] {
  const file = fileBase ? `${fileBase.replace(/\/+$/, '')}/${article.file}` : article.file;
  return article.sections.map((section) => ({
    id: section.id,
    kind: 'article' as const,
    title: article.title,
    text: section.text,
    answer: section.text,
    category: article.category,
    language: article.language,
    tags: article.tags,
    family: article.translationOf ?? article.id,
    hash: sha(section.hash, article.title, article.category ?? '', article.language, article.tags.join(',')),
    source: {
      id: section.id,
      kind: 'article' as const,
      title: article.title,
      heading: section.heading,
      headingPath: section.headingPath,
      file,
      anchor: section.anchor,
      line: section.startLine,
    },
  }));
}

/** The article a section document belongs to: section ids are `articleId#anchor`. */
export function articleIdOf(doc: Pick<KnowledgeDoc, 'id'>): string {
  const at = doc.id.indexOf('#');
  return at < 0 ? doc.id : doc.id.slice(0, at);
}

/** A resolved ticket as a knowledge document: matched on the customer's words, answered with the resolution. Pure. */
export function ticketDoc(ticket: Ticket, fileBase?: string): KnowledgeDoc {
  const labels = ticketLabels(ticket);
  const text = [ticket.subject, ticket.body].filter(Boolean).join('\n');
  return {
    id: ticket.id,
    kind: 'ticket',
    title: ticket.subject || ticket.body.slice(0, 80),
    text,
    answer: ticket.resolution,
    category: ticket.category,
    language: ticket.language ?? 'en',
    tags: ticket.tags ?? [],
    labels,
    hash: sha(text, ticket.resolution, ticket.category ?? '', ticket.language ?? '', (ticket.tags ?? []).join(','), JSON.stringify(labels)),
    source: { id: ticket.id, kind: 'ticket', title: ticket.subject || `Ticket ${ticket.id}`, ...(fileBase ? { file: fileBase } : {}) },
  };
}

function windows(text: string, words: number, overlap: number): string[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  if (tokens.length <= words) return [tokens.join(' ')];
  const step = Math.max(1, words - overlap);
  const out: string[] = [];
  for (let start = 0; start < tokens.length; start += step) {
    out.push(tokens.slice(start, start + words).join(' '));
    if (start + words >= tokens.length) break;
  }
  return out;
}

/**
 * Passages to embed for a document. Article passages carry the title and
 * heading (a bare paragraph rarely names its topic); a ticket is embedded as
 * the customer's question and, separately, as its resolution. Pure.
 */
export function passagesOf(doc: KnowledgeDoc, options: PassageOptions = {}): Passage[] {
  const words = options.words ?? 80;
  const overlap = options.overlap ?? 20;
  const texts: string[] = [];
  if (doc.kind === 'article') {
    const lead = doc.source.heading && doc.source.heading !== doc.title ? `${doc.title}: ${doc.source.heading}.` : `${doc.title}.`;
    for (const part of windows(doc.text, words, overlap)) texts.push(`${lead} ${part}`);
  } else {
    texts.push(...windows(doc.text, words, overlap));
    if (doc.answer) texts.push(...windows(doc.answer, words, overlap));
  }
  // Identical passages (a resolution that repeats the question) would only crowd the HNSW graph.
  return [...new Set(texts)].map((text, i) => ({ key: `${doc.id}::${i}`, docId: doc.id, text }));
}

/** What the lexical side indexes for a document, analyzed in the document's language. Pure. */
export function lexicalOf(doc: KnowledgeDoc): { id: string; title: string; body: string; language: string } {
  const title = doc.kind === 'article' ? `${doc.title} ${doc.source.heading ?? ''}` : doc.title;
  const body = [doc.text, doc.kind === 'ticket' ? doc.answer : '', doc.tags.join(' '), doc.category ?? ''].filter(Boolean).join('\n');
  return { id: doc.id, title, body, language: doc.language };
}

/** The labels a categorizer can learn from a ticket: category, priority, queue and custom fields, as text. Pure. */
export function ticketLabels(ticket: Ticket): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [field, value] of Object.entries(ticket.fields ?? {})) {
    if (value !== '' && value !== undefined && value !== null) labels[field] = String(value);
  }
  for (const field of ['category', 'priority', 'queue'] as const) {
    const value = ticket[field];
    if (typeof value === 'string' && value.trim() !== '') labels[field] = value;
  }
  return labels;
}
