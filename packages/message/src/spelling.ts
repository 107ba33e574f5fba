/**
 * Spelling corrections against the knowledge base's own words. A customer's typo ("refnud",
 * "deliverd") becomes the word the articles use; a real word of the language is never touched
 * ("taxes" stays even when the articles only say "tax"), so corrections cannot change meaning.
 * A typo of a word the knowledge base never uses ("pakage") becomes the dictionary's word.
 */
import { distance } from 'fastest-levenshtein';
import { loadModule, type HunspellFactory } from 'hunspell-asm';
import { AnswerdeskError } from '@answerdesk/types';
import { primaryLanguage } from './phrases.js';
import { expandShorthand } from './shorthand.js';
import { capitalizeFirst, overlaps, type Span } from './text.js';
import type { Correction, Speller, SpellerOptions } from './types.js';

/** Default `maxDistance`: 0 for words of ≤ 3 letters, 1 for 4–7, 2 for 8 or more. */
export function defaultMaxDistance(word: string): number {
  const letters = [...word].length;
  return letters <= 3 ? 0 : letters <= 7 ? 1 : 2;
}

/** Word counts of texts: lowercased runs of letters and digits; added to `counts` when given (a vocabulary built in parts). */
export function vocabularyOf(texts: Iterable<string>, counts = new Map<string, number>()): Map<string, number> {
  for (const text of texts) {
    const lower = text.normalize('NFC').toLowerCase();
    for (const word of lower.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
    // "hasn't" is also known as "hasnt", as customers type it: otherwise its fragment "hasn" would be the correction.
    for (const word of lower.match(/[\p{L}\p{M}]+['’][\p{L}\p{M}]+/gu) ?? []) {
      const joined = word.replace(/['’]/g, '');
      counts.set(joined, (counts.get(joined) ?? 0) + 1);
    }
  }
  return counts;
}

// ── Dictionaries ─────────────────────────────────────────────────────────────

interface Dictionary {
  spell(word: string): boolean;
  /** Hunspell's suggestions, best first: 15–45 ms a word, so asked only when the knowledge base has none. */
  suggest(word: string): string[];
}

interface HunspellFiles {
  aff: Uint8Array;
  dic: Uint8Array;
}

/** wooorm's dictionaries, loaded only when a speller of that language is made. */
const dictionaryLoaders: Record<string, () => Promise<{ default: HunspellFiles }>> = {
  en: () => import('dictionary-en'),
  de: () => import('dictionary-de'),
  it: () => import('dictionary-it'),
  ru: () => import('dictionary-ru'),
};

/** Dictionary languages written in Cyrillic; the others are written in Latin letters. */
const CYRILLIC = new Set(['ru']);

/** Languages with a hunspell dictionary. */
export const dictionaryLanguages: readonly string[] = Object.freeze(Object.keys(dictionaryLoaders));

// Module-level state, once per process: Hunspell (compiled to WebAssembly) and a loaded dictionary per language.
// Dictionaries live in WebAssembly memory, outside the JavaScript heap that garbage collection walks:
// all four take about 40 MB and 0.05–0.1 s each to load (nspell needed 300 MB of heap and 3 s for Russian).
let hunspell: Promise<HunspellFactory> | undefined;
const loadedDictionaries = new Map<string, Promise<Dictionary>>();

function loadDictionary(language: string): Promise<Dictionary> | undefined {
  const load = dictionaryLoaders[language];
  if (!load) return undefined;
  let loaded = loadedDictionaries.get(language);
  if (!loaded) {
    hunspell ??= loadModule();
    const factory = hunspell;
    loaded = Promise.all([factory, load()]).then(([hunspellFactory, { default: files }]) => {
      const aff = hunspellFactory.mountBuffer(files.aff, `${language}.aff`);
      const dic = hunspellFactory.mountBuffer(files.dic, `${language}.dic`);
      try {
        const dictionary = hunspellFactory.create(aff, dic);
        return { spell: (word: string) => dictionary.spell(word), suggest: (word: string) => dictionary.suggest(word) };
      } finally {
        // Hunspell has read both files: their copies in WebAssembly memory are not needed any more.
        hunspellFactory.unmount(aff);
        hunspellFactory.unmount(dic);
      }
    });
    // A failed load is not remembered: the next speller tries again.
    loaded.catch(() => {
      loadedDictionaries.delete(language);
      if (hunspell === factory) hunspell = undefined;
    });
    loadedDictionaries.set(language, loaded);
  }
  return loaded;
}

/**
 * dictionary-en is American English: a British spelling ("grey", "colour", "organise") or a
 * prefixed form ("preordered", "unboxed") is checked as its American or unprefixed word too.
 */
function englishForms(word: string): string[] {
  const forms = [word];
  const lower = word.toLowerCase();
  const british: Array<[RegExp, string]> = [
    [/^grey/u, 'gray'],
    [/our(s|ed|ing|ite|ites|able)?$/u, 'or$1'],
    [/is(e|es|ed|ing|ation|ations)$/u, 'iz$1'],
    [/ys(e|es|ed|ing)$/u, 'yz$1'],
    [/tre(s)?$/u, 'ter$1'],
    [/ogue(s)?$/u, 'og$1'],
    [/ence(s)?$/u, 'ense$1'],
    [/ll(ed|ing|er|ers)$/u, 'l$1'],
    [/amme(s)?$/u, 'am$1'],
  ];
  for (const [pattern, replacement] of british) if (pattern.test(lower)) forms.push(lower.replace(pattern, replacement));
  // The rest must be a word of four letters or more: "retun" is not "re" + "tun" (a cask) but "return" mistyped.
  const prefix = /^(?:pre|re|un|non|over|under|out|sub|super|anti|co|de|dis|mis|multi|self)-?(?=\p{L}{4})/u.exec(lower);
  if (prefix) forms.push(lower.slice(prefix[0].length));
  return forms;
}

/** German's letters spelled out ("ae", "oe", "ue", "ss"), each kind replaced everywhere in the word or not at all. */
const GERMAN_SPELLED_OUT: ReadonlyArray<readonly [string, string]> = [['ae', 'ä'], ['oe', 'ö'], ['ue', 'ü'], ['ss', 'ß']];
/** Italian's accented last vowels, written without their accent ("perche", "piu", "citta"). */
const ITALIAN_ACCENTED: Readonly<Record<string, readonly string[]>> = { a: ['à'], e: ['é', 'è'], i: ['ì'], o: ['ò'], u: ['ù'] };

/**
 * The word as written with the letters the customer's keyboard spelled out: German umlauts and ß ("fuer" → "für",
 * "groesse" → "größe"), an Italian word's accented last vowel ("perche" → "perché"). Pure.
 */
function spelledOutForms(lower: string, language: string): string[] {
  if (language === 'de') {
    const kinds = GERMAN_SPELLED_OUT.filter(([pair]) => lower.includes(pair));
    const forms: string[] = [];
    for (let mask = 1; mask < 1 << kinds.length; mask++) {
      forms.push(kinds.reduce((form, [pair, letter], k) => (mask & (1 << k) ? form.replaceAll(pair, letter) : form), lower));
    }
    return forms;
  }
  if (language === 'it' && lower.length >= 2) return (ITALIAN_ACCENTED[lower.at(-1)!] ?? []).map((vowel) => lower.slice(0, -1) + vowel);
  return [];
}

// ── Candidate search ─────────────────────────────────────────────────────────

/** Letters a word contains, as bits: one edit changes at most two bits, so far-off words are skipped without a distance. */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    mask |= 1 << (code >= 97 && code <= 122 ? code - 97 : 26 + (code % 6));
  }
  return mask >>> 0;
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring):
 * a swap of two neighbouring letters counts 1 ("recieve" → "receive"). Stops early above `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** `b` is `a` with two neighbouring letters swapped. Pure. */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  return at + 1 < a.length && a[at] === b[at + 1] && a[at + 1] === b[at] && a.slice(at + 2) === b.slice(at + 2);
}

/**
 * `b` is `a` with one letter doubled or a doubled letter written once ("stoped" → "stopped", "cancell" → "cancel"):
 * the commonest slip of all, so it is preferred to any other single edit. Pure.
 */
function isDoubling(a: string, b: string): boolean {
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  if (long.length !== short.length + 1) return false;
  let at = 0;
  while (at < short.length && long[at] === short[at]) at++;
  // The extra letter at `at` repeats its neighbour, and the rest lines up.
  return (long[at] === long[at - 1] || long[at] === long[at + 1]) && long.slice(at + 1) === short.slice(at);
}

/** Distinct letter pairs of a word, its edges marked: "tax" → " t", "ta", "ax", "x ". */
function bigramsOf(word: string): string[] {
  const padded = ` ${word} `;
  const pairs = new Set<string>();
  for (let i = 0; i + 2 <= padded.length; i++) pairs.add(padded.slice(i, i + 2));
  return [...pairs];
}

/**
 * The knowledge base's words, indexed by letter pair. One edit destroys at most three pairs of a
 * word, so a word within distance d of the query shares all but 3·d of the query's pairs: only
 * those words are compared, a few dozen out of 20,000.
 */
interface CandidateIndex {
  words: string[];
  counts: Float64Array;
  masks: Uint32Array;
  pairs: Map<string, Int32Array>;
  /** Shared pairs per word, reset after each query. */
  shared: Uint16Array;
}

function indexOf(vocabulary: ReadonlyMap<string, number>): CandidateIndex {
  const words: string[] = [];
  const counts: number[] = [];
  const postings = new Map<string, number[]>();
  for (const [word, count] of vocabulary) {
    // Only words a customer may have meant: letters, two or more.
    if (word.length < 2 || !/^[\p{L}\p{M}]+$/u.test(word)) continue;
    const id = words.length;
    words.push(word);
    counts.push(count);
    for (const pair of bigramsOf(word)) {
      const list = postings.get(pair);
      if (list) list.push(id);
      else postings.set(pair, [id]);
    }
  }
  return {
    words,
    counts: Float64Array.from(counts),
    masks: Uint32Array.from(words, letterMask),
    pairs: new Map([...postings].map(([pair, ids]) => [pair, Int32Array.from(ids)])),
    shared: new Uint16Array(words.length),
  };
}

/** Ids of the words that may be within `limit` edits of `word`: all of them when the pair bound says nothing. */
function candidateIds(index: CandidateIndex, word: string, limit: number): Iterable<number> {
  const pairs = bigramsOf(word);
  const needed = pairs.length - 3 * limit;
  if (needed <= 0) return index.words.keys();
  const touched: number[] = [];
  for (const pair of pairs) {
    const ids = index.pairs.get(pair);
    if (!ids) continue;
    for (const id of ids) {
      const shared = index.shared[id]!;
      if (shared === 0) touched.push(id);
      index.shared[id] = shared + 1;
    }
  }
  const found: number[] = [];
  for (const id of touched) {
    if (index.shared[id]! >= needed) found.push(id);
    index.shared[id] = 0;
  }
  return found;
}

/** The candidate's letters in the case style of what the customer wrote. */
function inCaseOf(written: string, candidate: string): string {
  if (written.length > 1 && written === written.toUpperCase() && written !== written.toLowerCase()) return candidate.toUpperCase();
  const first = written[0]!;
  if (first !== first.toLowerCase() && written.slice(1) === written.slice(1).toLowerCase()) return candidate[0]!.toUpperCase() + candidate.slice(1);
  return candidate;
}

// ── The speller ──────────────────────────────────────────────────────────────

/**
 * A speller for one language. Loads the language's hunspell dictionary (once per process) unless
 * `dictionary: false`; languages without one are corrected against the knowledge base alone.
 */
export async function createSpeller(options: SpellerOptions): Promise<Speller> {
  const invalid = (option: string, reason: string) => new AnswerdeskError('ADK_OPTION_INVALID', { option, reason });
  if (!options || !(options.vocabulary instanceof Map)) throw invalid('vocabulary', 'must be a Map of lowercased words to their counts (see vocabularyOf)');
  if (typeof options.language !== 'string') throw invalid('language', 'must be a language code such as "en"');
  if (options.maxDistance !== undefined && typeof options.maxDistance !== 'function') throw invalid('maxDistance', 'must be a function of the word');
  const vocabulary = options.vocabulary;
  const maxDistance = options.maxDistance ?? defaultMaxDistance;
  const language = primaryLanguage(options.language) ?? '';
  const dictionary = options.dictionary === false ? undefined : await loadDictionary(language);
  // The knowledge base's vocabulary mixes its languages: the other languages' dictionaries tell which of its words are
  // theirs. Only those in the same alphabet: a Cyrillic word is never a few letters from a Latin one.
  const sameScript = (other: string) => other !== language && CYRILLIC.has(other) === CYRILLIC.has(language);
  // One that fails to load only leaves its words unchecked: the speller still works.
  const loadedOthers = dictionary ? await Promise.all(dictionaryLanguages.filter(sameScript).map((other) => loadDictionary(other)!.catch(() => undefined))) : [];
  const others = loadedOthers.filter((other): other is Dictionary => other !== undefined);
  const index = indexOf(vocabulary);

  const inDictionary = dictionary && ((word: string) => dictionary.spell(word));
  const inLanguage = inDictionary && language === 'en' ? (word: string) => englishForms(word).some(inDictionary) : inDictionary;
  // "gets" for the German "gehts": a word of another language, unknown in this one, is no correction here.
  const otherLanguagesOnly = (candidate: string): boolean =>
    inLanguage !== undefined && !inLanguage(candidate) && !inLanguage(capitalizeFirst(candidate)) && others.some((other) => other.spell(candidate) || other.spell(capitalizeFirst(candidate)));
  // A German noun folded out of ALL CAPS ("SACHEN" → "sachen") is a word the dictionary knows with its capital: not a typo.
  const known = (word: string): boolean =>
    vocabulary.has(word.toLowerCase()) || (inLanguage !== undefined && (inLanguage(word) || (word === word.toLowerCase() && inLanguage(capitalizeFirst(word)))));

  const correct = (word: string): string | undefined => {
    // Only plain words: numbers, ids, e-mails and words with digits or apostrophes are never corrected.
    if (typeof word !== 'string' || !/^[\p{L}\p{M}]+$/u.test(word)) return undefined;
    // "u", "pls", "shud": chat shorthand, written out whatever the knowledge base holds.
    const expanded = expandShorthand(word, language);
    if (expanded !== undefined) return inCaseOf(word, expanded);
    if (known(word)) return undefined;
    const lower = word.normalize('NFC').toLowerCase();
    // "fuer", "Groesse", "piu": letters a keyboard without them spells out. The spelled-out word the dictionary knows
    // comes before any edit ("fuer" is "für", not "Tuer"), in a word of any length.
    for (const form of spelledOutForms(lower, language)) if (known(form)) return inCaseOf(word, form);
    if ([...word].length < 4) return undefined;
    // "sooo", "pleaseee", "dowwwn": a letter held down, in a word neither the knowledge base nor the dictionary
    // knows ("Schifffahrt" is German): the first known form with each run of three or more cut to two letters, then
    // to one. Edit distance made "sooo" into "solo".
    if (/(\p{L})\1\1/u.test(word)) {
      for (const cut of [word.replace(/(\p{L})\1{2,}/gu, '$1$1'), word.replace(/(\p{L})\1{2,}/gu, '$1')]) if (known(cut)) return cut;
    }
    const limit = Math.floor(maxDistance(lower));
    if (!(limit > 0)) return undefined;
    const mask = letterMask(lower);
    let best: { word: string; distance: number; ends: number; count: number } | undefined;
    // A doubled letter typed once or twice is the likeliest slip ("stoped" is "stopped", not the commoner "stored").
    // Typing slips rarely touch a word's first and last letters: among candidates as near, one that keeps them
    // is the likelier word ("orderd" is "ordered", not the commoner "order"), then the commoner one. A word cut
    // short keeps both: its last letters were never typed ("wher" is "where", not the commoner "when"); so does a
    // swap of two letters, every one of them typed ("normla" is "normal", not "norma").
    const endsKept = (candidate: string) =>
      (candidate[0] === lower[0] ? 1 : 0) + (candidate.at(-1) === lower.at(-1) || candidate.startsWith(lower) || isSwap(lower, candidate) ? 1 : 0);
    for (const id of candidateIds(index, lower, limit)) {
      const candidate = index.words[id]!;
      if (Math.abs(candidate.length - lower.length) > limit || bitCount(mask ^ index.masks[id]!) > 2 * limit) continue;
      // A letter before a known word is a product's prefix ("cpanel", "iphone", "ebook"), not a slip.
      if (candidate === lower.slice(1)) continue;
      // Levenshtein (fast) bounds the swap-aware distance: a swap costs 2 there, 1 here.
      const plain = distance(lower, candidate);
      if (plain > 2 * limit) continue;
      const edits = plain <= 1 ? plain : editDistance(lower, candidate, limit);
      if (edits > limit || edits === 0) continue;
      if (otherLanguagesOnly(candidate)) continue;
      const count = index.counts[id]!;
      const ends = endsKept(candidate);
      const cost = edits - (isDoubling(lower, candidate) ? 0.5 : 0);
      const better =
        !best ||
        cost < best.distance ||
        (cost === best.distance && (ends > best.ends || (ends === best.ends && (count > best.count || (count === best.count && candidate < best.word)))));
      if (better) best = { word: candidate, distance: cost, ends, count };
    }
    // A capitalised word the knowledge base does not know is more likely a name ("Sonos") than a typo: only the
    // knowledge base's words may replace it.
    const found = best?.word ?? (dictionary && word === lower ? fromDictionary(lower, limit) : undefined);
    return found ? inCaseOf(word, found) : undefined;
  };

  // A word the knowledge base never uses ("pakage" when the articles say "parcel") would reach the encoder
  // misspelled: the dictionary's nearest lowercase word within the same distance, preferring one that keeps
  // the first and last letters. Remembered per speller: Hunspell's suggestions are slow.
  const suggested = new Map<string, string | undefined>();
  const fromDictionary = (lower: string, limit: number): string | undefined => {
    if (suggested.has(lower)) return suggested.get(lower);
    // A capital only at the start is a German noun's ("Bestellung" for "bestelung"): lower-cased, as the customer wrote.
    const near = dictionary!
      .suggest(lower)
      .filter((candidate) => /^\p{Lu}?[\p{Ll}\p{M}]+$/u.test(candidate))
      .map((candidate) => candidate.toLowerCase())
      .filter((candidate) => candidate !== lower.slice(1) && editDistance(lower, candidate, limit) <= limit);
    // A word that extends a dictionary word ("crypto", "influencer", "womens") is a newer word or form, not a typo.
    const extendsOne = near.some((candidate) => lower.startsWith(candidate));
    const chosen = extendsOne
      ? undefined
      : near
          .map((candidate, order) => ({ candidate, order, doubling: isDoubling(lower, candidate) ? 1 : 0, ends: (candidate[0] === lower[0] ? 1 : 0) + (candidate.at(-1) === lower.at(-1) ? 1 : 0) }))
          .sort((a, b) => b.doubling - a.doubling || b.ends - a.ends || a.order - b.order)[0]?.candidate;
    if (suggested.size >= 1000) suggested.clear();
    suggested.set(lower, chosen);
    return chosen;
  };

  return { known, correct };
}

const isSentenceStart = (text: string, at: number) => /(?:^|[.!?¿¡:;\n]\s*|^\s*)["'«„“(]*$/u.test(text.slice(Math.max(0, at - 8), at)) || at === 0;

/**
 * Corrects the words of a text with a speller, leaving `protect`ed spans (entities) and words
 * that are part of a larger token (ids, e-mails, file names, "don't") alone.
 */
export function correctText(text: string, speller: Speller, protect: readonly Span[] = []): { text: string; corrections: Correction[] } {
  const corrections: Correction[] = [];
  let out = '';
  let at = 0;
  for (const match of text.matchAll(/[\p{L}\p{M}]+/gu)) {
    const start = match.index;
    const end = start + match[0].length;
    const before = text[start - 1] ?? ' ';
    const after = text[end] ?? ' ';
    // Glued to digits, @, dots, slashes, hyphens or apostrophes: part of something that is not a plain word.
    if (/[\p{N}@/\\_'’-]/u.test(before) || /[\p{N}@/\\_'’-]/u.test(after) || (after === '.' && /[\p{L}\p{N}]/u.test(text[end + 1] ?? ''))) continue;
    if (before === '.' && /[\p{L}\p{N}]/u.test(text[start - 2] ?? '')) continue;
    if (protect.some((span) => overlaps(span, { start, end }))) continue;
    // Capitals mark names, brands and acronyms (Sonos, SaaS, OLED): only a capital that starts a sentence is just a capital.
    const word = match[0];
    if (word !== word.toLowerCase() && !(isSentenceStart(text, start) && word.slice(1) === word.slice(1).toLowerCase())) continue;
    const corrected = speller.correct(match[0]);
    if (corrected === undefined || corrected === match[0]) continue;
    out += text.slice(at, start) + corrected;
    at = end;
    corrections.push({ from: match[0], to: corrected });
  }
  return { text: out + text.slice(at), corrections };
}
