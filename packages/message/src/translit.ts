/**
 * Russian written in Latin letters ("Zdravstvuyte! Gde moy zakaz?"), as customers without a Cyrillic keyboard write
 * it. Read as English, it matches nothing, and the speller "corrects" its words into English ones ("sayte" → "saute").
 * Spellings vary ("y" is й or ы, "ts" is ц or тс, a soft sign is often left out), so each word's Cyrillic forms are
 * tried against the Russian dictionary; a text is Russian only when most of its words are Russian words so written
 * and few are English. No library reads transliteration back this way (they map one scheme, letter by letter).
 */

/** Latin letters and pairs with the Cyrillic letters they may stand for, likeliest first; the longest match is taken. */
const LETTERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['shch', ['щ']], ['sch', ['щ']], ['zh', ['ж']], ['kh', ['х']], ['ts', ['ц', 'тс']], ['tz', ['ц']], ['ch', ['ч']], ['sh', ['ш']],
  ['yu', ['ю']], ['ju', ['ю']], ['ya', ['я']], ['ja', ['я']], ['yo', ['ё', 'йо']], ['jo', ['ё']], ['ye', ['е', 'ые']], ['je', ['е']],
  ["''", ['ъ']], ["'", ['ь']],
  ['a', ['а']], ['b', ['б']], ['v', ['в']], ['w', ['в']], ['g', ['г']], ['d', ['д']], ['e', ['е', 'э']], ['z', ['з']], ['i', ['и', 'й']],
  ['y', ['й', 'ы', 'и']], ['j', ['й']], ['k', ['к']], ['l', ['л']], ['m', ['м']], ['n', ['н']], ['o', ['о']], ['p', ['п']], ['r', ['р']],
  ['s', ['с']], ['t', ['т']], ['u', ['у']], ['f', ['ф']], ['h', ['х']], ['c', ['к', 'ц']], ['x', ['кс']], ['q', ['к']],
];

/** Cyrillic forms tried per word, at most: a word of many ambiguous letters is left as written beyond that. */
const MAX_FORMS = 256;

/** What the reader checks words against: a Russian dictionary and an English one (the speller's `known`). */
export interface LatinRussianOptions {
  isRussian(word: string): boolean;
  isEnglish(word: string): boolean;
}

/** Words of three letters or more that decide: at least this share Russian, under this share English. */
const RUSSIAN_SHARE = 0.5;
const ENGLISH_SHARE = 0.35;
const DECIDING_WORDS = 3;

/** The word's Cyrillic forms, likeliest first (and with a soft sign after a final consonant, often left out). Pure. */
export function cyrillicForms(word: string): string[] {
  const lower = word.toLowerCase();
  const parts: Array<readonly string[]> = [];
  for (let at = 0; at < lower.length; ) {
    const rule = LETTERS.find(([latin]) => lower.startsWith(latin, at));
    if (!rule) return [];
    parts.push(rule[1]);
    at += rule[0].length;
  }
  let forms = [''];
  for (const choices of parts) {
    forms = forms.flatMap((form) => choices.map((choice) => form + choice));
    if (forms.length > MAX_FORMS) forms = forms.slice(0, MAX_FORMS);
  }
  const softened = forms.filter((form) => /[бвгджзклмнпрстфхцчшщ]$/u.test(form)).map((form) => `${form}ь`);
  return [...forms, ...softened];
}

/** The first Cyrillic form of a word the dictionary knows, in the word's case. */
function russianOf(word: string, isRussian: (word: string) => boolean): string | undefined {
  const found = cyrillicForms(word).find((form) => isRussian(form));
  if (!found) return undefined;
  return word[0] !== word[0]!.toLowerCase() ? found[0]!.toUpperCase() + found.slice(1) : found;
}

// Plain words only: letters and apostrophes, not inside an address, a link, an id or a number.
const WORD = /(?<![\p{L}\p{N}@./_-])[A-Za-z][A-Za-z']*(?![\p{L}\p{N}@_]|[./-][\p{L}\p{N}])/gu;

const wordsOf = (text: string) => [...text.matchAll(WORD)].map((match) => ({ word: match[0], at: match.index }));
const decidingOf = (words: ReadonlyArray<{ word: string }>) => words.filter(({ word }) => word.replace(/'/g, '').length >= 3);

/**
 * The text may be Russian written in Latin letters: no Cyrillic, at least three words of three letters or more,
 * and under a third of them English. What a caller checks before loading a Russian dictionary for
 * `fromLatinRussian`, which checks it again. Pure, given the check.
 */
export function mayBeLatinRussian(text: string, isEnglish: (word: string) => boolean): boolean {
  if (/\p{Script=Cyrillic}/u.test(text)) return false;
  const deciding = decidingOf(wordsOf(text));
  return deciding.length >= DECIDING_WORDS && deciding.filter(({ word }) => isEnglish(word.toLowerCase())).length < deciding.length * ENGLISH_SHARE;
}

/**
 * The text in Cyrillic when it is Russian written in Latin letters, else undefined: it may be (`mayBeLatinRussian`),
 * and half or more of its words of three letters or more are Russian words so written. Words the dictionary does
 * not know as Russian (names, brands) stay as written. Pure, given the two checks.
 */
export function fromLatinRussian(text: string, options: LatinRussianOptions): string | undefined {
  if (!mayBeLatinRussian(text, options.isEnglish)) return undefined;
  const words = wordsOf(text);
  const deciding = decidingOf(words);
  const russian = new Map<string, string>();
  for (const { word } of words) {
    if (russian.has(word)) continue;
    const found = russianOf(word, options.isRussian);
    if (found) russian.set(word, found);
  }
  if (deciding.filter(({ word }) => russian.has(word)).length < deciding.length * RUSSIAN_SHARE) return undefined;
  let out = '';
  let at = 0;
  for (const { word, at: start } of words) {
    const found = russian.get(word);
    if (!found) continue;
    out += text.slice(at, start) + found;
    at = start + word.length;
  }
  return out + text.slice(at);
}
