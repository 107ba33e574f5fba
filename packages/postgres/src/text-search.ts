import type { KnowledgeDoc } from '@answerdesk/types';

/** PostgreSQL's built-in text search configurations (snowball stemmers), by ISO 639-1 code. */
const configs: Record<string, string> = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  et: 'estonian',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  nb: 'norwegian',
  ne: 'nepali',
  nl: 'dutch',
  nn: 'norwegian',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};
const names = new Set(Object.values(configs));

/**
 * The text search configuration for a language code ("de", "pt-BR", or a
 * configuration name like "german"): its stemmer and stop words. Languages
 * without one (Chinese, Japanese, …) get `simple`: lower-cased words, no
 * stemming. The server falls back to `simple` too when it lacks the named
 * configuration (older PostgreSQL). Pure.
 */
export function textSearchConfig(language: string | undefined): string {
  const code = (language ?? '').trim().toLowerCase();
  if (names.has(code)) return code;
  return configs[code.split(/[-_]/)[0] ?? ''] ?? 'simple';
}

/**
 * What the lexical side indexes for a document, as the in-memory index does:
 * the title (article title + section heading, or a ticket's subject) weighs
 * more than the body (text, a ticket's resolution, tags, category). Pure.
 */
export function lexicalTexts(doc: KnowledgeDoc): { title: string; body: string } {
  const title = doc.kind === 'article' ? `${doc.title} ${doc.source?.heading ?? ''}`.trim() : doc.title;
  const body = [doc.text, doc.kind === 'ticket' ? doc.answer : '', (doc.tags ?? []).join(' '), doc.category ?? ''].filter(Boolean).join('\n');
  return { title, body };
}
