import { createRequire } from 'node:module';
import lunr from 'lunr';

/**
 * Per-language text analysis for the lexical side: tokenize, drop stop words,
 * stem. Stemmers and stop-word lists come from lunr-languages (Snowball
 * stemmers), English from lunr itself.
 */

type PipelineFunction = (token: lunr.Token, index: number, tokens: lunr.Token[]) => lunr.Token | lunr.Token[] | null | undefined | void;
interface LanguagePlugin {
  stemmer: PipelineFunction;
  stopWordFilter: PipelineFunction;
}

// lunr-languages are CommonJS plugins that attach `lunr.<code>` to the lunr object they are given.
// They register their pipeline functions on lunr's shared registry; doing it once, here, is what
// every user of lunr-languages does, and registering the same labels twice is harmless.
const require = createRequire(import.meta.url);
const plugins = lunr as unknown as Record<string, LanguagePlugin | undefined>;
require('lunr-languages/lunr.stemmer.support')(lunr);
const FILES: Record<string, string> = { de: 'de', fr: 'fr', es: 'es', it: 'it', ru: 'ru', pt: 'pt', nl: 'nl', sv: 'sv', da: 'da', no: 'no', fi: 'fi' };
for (const file of Object.values(FILES)) {
  if (!plugins[file]) require(`lunr-languages/lunr.${file}`)(lunr);
}

/** Languages with their own stemmer and stop words; any other language is tokenized and folded only. */
export const analyzedLanguages: readonly string[] = Object.freeze(['en', ...Object.keys(FILES)].sort());

const english: LanguagePlugin = { stemmer: lunr.stemmer as PipelineFunction, stopWordFilter: lunr.stopWordFilter as PipelineFunction };

/** `de-AT` → `de`; `nb`/`nn` → `no` (lunr-languages has one Norwegian stemmer). */
export function analyzerLanguage(language: string | undefined): string | undefined {
  const base = (language ?? '').toLowerCase().split('-')[0]!;
  const code = base === 'nb' || base === 'nn' ? 'no' : base;
  return analyzedLanguages.includes(code) ? code : undefined;
}

function pluginOf(language: string | undefined): LanguagePlugin | undefined {
  const code = analyzerLanguage(language);
  if (code === undefined) return undefined;
  return code === 'en' ? english : plugins[FILES[code]!];
}

// Words are runs of letters, digits and combining marks: punctuation never reaches lunr, so no
// user text can form lunr query syntax (wildcards, fields, boosts), and "l'ordine" splits in two.
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}+/gu;

/**
 * Accents are folded after stemming, so "rimborsò" and "rimborso", "Rückerstattung" and
 * "Ruckerstattung" meet, as customers often type without them. Documents and queries fold alike,
 * so the few words this merges (Russian й → и) cost nothing in matching.
 */
function fold(term: string): string {
  return term.normalize('NFD').replace(MARKS, '').normalize('NFC');
}

/**
 * The index terms of a text in a language: lower-cased words without the
 * language's stop words, stemmed with its stemmer, accents folded. Unknown
 * languages get no stemming. Pure apart from lunr-languages' tables.
 */
export function analyze(text: string, language: string | undefined): string[] {
  const plugin = pluginOf(language);
  const out: string[] = [];
  // ё is written е in everyday Russian; stemmers must see the same letters either way.
  const words = text.toLowerCase().replace(/ё/g, 'е').match(WORD) ?? [];
  words.forEach((word, index) => {
    // A single letter carries no meaning on its own ("l'", "d'", list markers); single digits do.
    if (word.length === 1 && !/\p{N}/u.test(word)) return;
    let token: lunr.Token | undefined = new lunr.Token(word, {});
    if (plugin) {
      const kept = plugin.stopWordFilter(token, index, []);
      token = kept ? (plugin.stemmer(kept as lunr.Token, index, []) as lunr.Token | undefined) : undefined;
    }
    if (!token) return;
    const term = fold(token.toString().toLowerCase());
    if (term !== '') out.push(term);
  });
  return out;
}

const CYRILLIC = new Set(['ru', 'uk', 'be', 'bg', 'sr', 'mk', 'kk', 'ky', 'mn', 'tg']);
const GREEK = new Set(['el']);

/** The script a language is written in, as far as matching words goes: `cyrillic`, `greek` or `latin`. Pure. */
export function languageScript(language: string): 'cyrillic' | 'greek' | 'latin' {
  const base = language.toLowerCase().split('-')[0]!;
  return CYRILLIC.has(base) ? 'cyrillic' : GREEK.has(base) ? 'greek' : 'latin';
}

/**
 * Whether a document in `language` could hold this term at all: a Cyrillic word never occurs in an
 * English section, so its absence there says nothing; Latin words and numbers occur everywhere
 * (SSL, PayPal, 503). Scripts other than these three count as possible everywhere. Pure.
 */
export function couldHold(language: string, term: string): boolean {
  if (/\p{Script=Cyrillic}/u.test(term)) return languageScript(language) === 'cyrillic';
  if (/\p{Script=Greek}/u.test(term)) return languageScript(language) === 'greek';
  return true;
}
