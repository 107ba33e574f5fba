import { createHash } from 'node:crypto';
import type { ReplyTemplate } from '@answerdesk/reply';
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
  /**
   * What a past ticket embeds. `question` (default): the customer's side (subject and body), its first `words`
   * words. `question-and-resolution`: every window of the customer's side and of the resolution, as before
   * 2026-12-06. The model's time is the cost of indexing, and a resolution is three times as long as the question
   * it answers: on bench/ingest's corpus `question` embeds 39 tokens per ticket instead of 266, and on
   * bench/retrieval (FAQ and support data) and bench/answers it ranks as well or better (see bench/ingest/README.md).
   * Words still find tickets by their resolutions, and answering embeds the few resolutions it weighs.
   */
  tickets?: 'question' | 'question-and-resolution';
}

const sha = (...parts: string[]) => createHash('sha256').update(parts.join('\u001f')).digest('hex');

/** Sections of an article as knowledge documents. `fileBase` prefixes the article's file path in sources. Pure. */
export function articleDocs(article: Article, fileBase = ''): KnowledgeDoc[] {
  const file = fileBase ? `${fileBase.replace(/\/+$/, '')}/${article.file}` : article.file;
  if (article.template || article.glossary) return [wholeFileDoc(article, file)];
  return article.sections.map((section) => ({
    id: section.id,
    kind: 'article' as const,
    title: article.title,
    text: section.text,
    // Shown as written: an agent sends a list as a list and a table as a table.
    answer: section.markdown || section.text,
    category: article.category,
    language: article.language,
    tags: article.tags,
    family: article.translationOf ?? article.id,
    hash: sha(section.hash, section.markdown ?? '', article.title, article.category ?? '', article.language, article.tags.join(',')),
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

/**
 * A reply template or a glossary file as one document: stored and published with the articles, never searched
 * or embedded. Its id is the file's article id; the body is every section's markdown, in order.
 */
function wholeFileDoc(article: Article, file: string): KnowledgeDoc {
  const body = article.sections.map((section) => section.markdown || section.text).join('\n\n').trim();
  const kind = article.glossary ? 'glossary' : 'template';
  const about = article.glossary ? { glossary: article.glossary } : { template: article.template! };
  return {
    id: article.id,
    kind,
    title: article.title,
    text: body,
    answer: body,
    language: article.language,
    tags: article.tags,
    ...about,
    hash: sha(kind, body, article.title, article.language, JSON.stringify(about)),
    source: { id: article.id, kind, title: article.title, file },
  };
}

/** Written by the helpdesk and published from markdown (article sections, reply templates, glossaries), as opposed to tickets. */
export function isPublished(doc: Pick<KnowledgeDoc, 'kind'>): boolean {
  return doc.kind !== 'ticket';
}

/** Knowledge a question may be answered from: article sections and tickets (not templates or glossaries). */
export function isAnswer(doc: Pick<KnowledgeDoc, 'kind'>): boolean {
  return doc.kind === 'article' || doc.kind === 'ticket';
}

/** The article a section document belongs to: section ids are `articleId#anchor`. */
export function articleIdOf(doc: Pick<KnowledgeDoc, 'id'>): string {
  const at = doc.id.indexOf('#');
  return at < 0 ? doc.id : doc.id.slice(0, at);
}

/**
 * Up to `most` article sections, each article (a translation family counts as one) once at its first
 * section: three sections of one article name one place to look. Tickets are left out. Pure.
 */
export function onePerArticle(docs: Iterable<KnowledgeDoc>, most = 3): KnowledgeDoc[] {
  const seen = new Set<string>();
  const out: KnowledgeDoc[] = [];
  for (const doc of docs) {
    if (out.length >= most) break;
    if (doc.kind !== 'article') continue;
    const article = doc.family ?? articleIdOf(doc);
    if (seen.has(article)) continue;
    seen.add(article);
    out.push(doc);
  }
  return out;
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
    ...(ticket.createdAt ? { createdAt: ticket.createdAt } : {}),
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
 * the customer's question (and with `tickets: 'question-and-resolution'`,
 * separately, as its resolution). Pure.
 */
export function passagesOf(doc: KnowledgeDoc, options: PassageOptions = {}): Passage[] {
  const words = options.words ?? 80;
  const overlap = options.overlap ?? 20;
  const texts: string[] = [];
  if (!isAnswer(doc)) return [];
  if (doc.kind === 'article') {
    const lead = doc.source.heading && doc.source.heading !== doc.title ? `${doc.title}: ${doc.source.heading}.` : `${doc.title}.`;
    for (const part of windows(doc.text, words, overlap)) texts.push(`${lead} ${part}`);
  } else {
    if ((options.tickets ?? 'question') === 'question') {
      // A new customer's message is matched against what earlier customers asked: question to question.
      const first = windows(doc.text, words, overlap)[0];
      if (first) texts.push(first);
    } else {
      texts.push(...windows(doc.text, words, overlap));
      if (doc.answer) texts.push(...windows(doc.answer, words, overlap));
    }
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

/** The reply templates among documents. Pure. */
export function templatesOf(docs: Iterable<KnowledgeDoc>): ReplyTemplate[] {
  const out: ReplyTemplate[] = [];
  for (const doc of docs) {
    if (doc.kind !== 'template' || !doc.template) continue;
    out.push({
      id: doc.id,
      kind: doc.template.kind,
      ...(doc.template.name ? { name: doc.template.name } : {}),
      language: doc.language,
      ...(doc.template.brand ? { brand: doc.template.brand } : {}),
      ...(doc.template.channel ? { channel: doc.template.channel } : {}),
      title: doc.title,
      body: doc.answer,
      ...(doc.source.file ? { file: doc.source.file } : {}),
    });
  }
  return out;
}

/**
 * Every text whose words a question may use: articles' and tickets' text and answers, and the words glossaries
 * list (templates are not knowledge). Lazy.
 */
export function* searchableTexts(docs: Iterable<KnowledgeDoc>): Iterable<string> {
  for (const doc of docs) {
    if (doc.kind === 'glossary') yield (doc.glossary?.rows ?? []).flatMap((row) => row.terms).join('\n');
    if (!isAnswer(doc)) continue;
    yield doc.title;
    yield doc.text;
    if (doc.answer !== doc.text) yield doc.answer;
  }
}

/** What the helpdesk itself publishes: articles' and templates' answers. Lazy. */
export function* publishedTexts(docs: Iterable<KnowledgeDoc>): Iterable<string> {
  for (const doc of docs) if (doc.kind === 'article' || doc.kind === 'template') yield doc.answer;
}
