import type { KnowledgeDoc, QueryLanguage, SearchMode } from '@answerdesk/types';

/**
 * Translation families: an article and the articles whose `translationOf`
 * names it. Sections of a family's articles line up by position (writers
 * translate heading for heading), so section n of the Italian article is the
 * Italian variant of section n of the English one.
 */
export interface TranslationIndex {
  /** `family#n` for an article section; undefined for tickets. */
  keyOf(id: string): string | undefined;
  /** The section of `key` in `language`, when the family has that language. */
  variant(key: string, language: string): string | undefined;
  /** Languages a section exists in. */
  languagesOf(key: string): string[];
}

/** Build the translation index of a set of documents (article sections; tickets are ignored). Pure. */
export function translationIndex(docs: Iterable<KnowledgeDoc>): TranslationIndex {
  const byArticle = new Map<string, KnowledgeDoc[]>();
  for (const doc of docs) {
    if (doc.kind !== 'article') continue;
    const article = doc.id.slice(0, Math.max(0, doc.id.indexOf('#'))) || doc.id;
    const list = byArticle.get(article) ?? [];
    list.push(doc);
    byArticle.set(article, list);
  }
  const keys = new Map<string, string>();
  const variants = new Map<string, Map<string, string>>();
  for (const [article, sections] of byArticle) {
    sections.sort((a, b) => (a.source.line ?? 0) - (b.source.line ?? 0) || (a.id < b.id ? -1 : 1));
    sections.forEach((doc, n) => {
      const key = `${doc.family ?? article}#${n}`;
      keys.set(doc.id, key);
      const languages = variants.get(key) ?? new Map<string, string>();
      // Two articles of one family in one language: the original (no translationOf) wins, then the first id.
      const current = languages.get(doc.language);
      if (current === undefined || (article === doc.family && !current.startsWith(`${article}#`))) languages.set(doc.language, doc.id);
      variants.set(key, languages);
    });
  }
  return {
    keyOf: (id) => keys.get(id),
    variant: (key, language) => variants.get(key)?.get(language),
    languagesOf: (key) => [...(variants.get(key)?.keys() ?? [])],
  };
}

export interface LanguageChoice {
  /** The document to show. */
  id: string;
  /** The document that matched, when another language of it is shown. */
  matched?: string;
}

/**
 * Which language of a matched section to show: the customer's when the family
 * has it, else the family's default-language section (the one an agent can
 * translate from), else the matched one. Pure.
 */
export function chooseLanguage(id: string, index: TranslationIndex, language: string, defaultLanguage: string, languageOf: (id: string) => string | undefined): LanguageChoice {
  const key = index.keyOf(id);
  if (key === undefined) return { id };
  if (languageOf(id) === language) return { id };
  const shown = index.variant(key, language) ?? (languageOf(id) === defaultLanguage ? undefined : index.variant(key, defaultLanguage));
  return shown === undefined || shown === id ? { id } : { id: shown, matched: id };
}

/**
 * Collapse a ranking so each section appears once, in the language chosen by
 * `chooseLanguage`, at the rank of its best-ranked language. Pure.
 */
export function collapseTranslations<T extends { id: string }>(ranked: readonly T[], choose: (id: string) => LanguageChoice, keyOf: (id: string) => string | undefined): Array<T & LanguageChoice> {
  const seen = new Set<string>();
  const out: Array<T & LanguageChoice> = [];
  for (const hit of ranked) {
    const key = keyOf(hit.id) ?? `doc:${hit.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const choice = choose(hit.id);
    out.push({ ...hit, ...choice });
  }
  return out;
}

const names = new Intl.DisplayNames(['en'], { type: 'language' });

/** `it` → `Italian`; unknown codes stay as they are. Pure. */
export function languageName(code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** What an agent should know about how a question in this language was matched. Pure. */
export function languageNotes(language: QueryLanguage, encoderId: string, mode: SearchMode = 'hybrid', gloss = ''): string[] {
  if (language.semantic || mode === 'lexical') return [];
  const how = gloss
    ? `by its words and by a word-for-word gloss from the knowledge base's glossaries and translated articles ("${gloss}")`
    : 'mostly by its words';
  return [`Semantic matching is English-only with this model (${encoderId}): this ${languageName(language.code)} question was matched ${how}. A multilingual model (e.g. Xenova/multilingual-e5-small) matches it by meaning.`];
}

/** The note for an answer shown in another language than the customer's. Pure. */
export function translationNote(queryLanguage: string, answerLanguage: string): string {
  return `No ${languageName(queryLanguage)} version of this answer: it is in ${languageName(answerLanguage)}; translate it for the customer.`;
}

/** Same language, ignoring regions (`pt-BR` answers `pt`). Pure. */
export function sameLanguage(a: string, b: string): boolean {
  return a.split('-')[0] === b.split('-')[0];
}
