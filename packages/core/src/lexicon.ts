import { analyze } from '@answerdesk/index';
import type { GlossaryRow, KnowledgeDoc } from '@answerdesk/types';
import { sameLanguage, type TranslationIndex } from './translations.js';

/**
 * A word-for-word bridge from a language the encoder cannot read into one it can, learned from the
 * knowledge base's own translated articles. Writers translate block for block, so a section and its
 * translation give aligned text pairs; IBM Model 1 (Brown et al., 1993) learns from them which English
 * word each Italian word stands for. The English gloss of a customer's Italian question ("rimborso
 * pacco danneggiato" → "refund parcel damaged") can then be embedded and matched by meaning.
 *
 * Its limit is the translated articles' vocabulary: a word they never use has no translation (it is
 * kept only where it is written alike in English: SSL, PayPal, 503). A glossary the writers keep (a
 * markdown table with front matter `glossary: en`) reaches further: its words and phrases come first,
 * and they cover subjects no article was translated for.
 */
export interface Lexicon {
  /** The language glossed, and the one it is glossed into. */
  from: string;
  into: string;
  /** For each analyzed word of `from`, its most probable word of `into` (as written) and that probability. */
  translations: ReadonlyMap<string, { word: string; probability: number }>;
  /** Analyzed words of `into` with the way they are most often written: a word of `from` spelled alike passes as it is. */
  known: ReadonlyMap<string, string>;
  /** A glossary's words of `from`, analyzed (a phrase's joined by spaces), with what they mean in `into`. */
  phrases: ReadonlyMap<string, string>;
  /** Words in the longest of `phrases`. */
  longestPhrase: number;
  /** Aligned pairs it learned from. */
  pairs: number;
}

/** A question's word-for-word gloss and the language it is in (the lexicon's `into`). */
export interface Gloss {
  text: string;
  language: string;
}

export interface LexiconOptions {
  /** EM rounds. Default 12: the probabilities settle well before. */
  rounds?: number;
  /** A translation below this probability is left out of a gloss. Default 0.2. */
  minProbability?: number;
  /** A translation is learned only where the English word gives the word back at least this probability. Default 0.1. */
  minBackProbability?: number;
}

export const LEXICON_DEFAULTS: Required<LexiconOptions> = { rounds: 12, minProbability: 0.2, minBackProbability: 0.1 };

const NULL = '\u0000';

/** A section's blocks: its text holds one paragraph, list item or table row per line. Translations keep them one for one. */
function blocks(text: string): string[] {
  return text
    .split('\n')
    .map((block) => block.trim())
    .filter(Boolean);
}

/**
 * Aligned text pairs (`from`, `into`) of every section translated from `into` into `from`: their
 * headings, and their blocks where both have as many (else the whole sections). Pure.
 */
export function translationPairs(sections: Iterable<KnowledgeDoc>, index: TranslationIndex, from: string, into: string): Array<[string, string]> {
  const byId = new Map<string, KnowledgeDoc>();
  for (const doc of sections) if (doc.kind === 'article') byId.set(doc.id, doc);
  const pairs: Array<[string, string]> = [];
  for (const doc of byId.values()) {
    if (!sameLanguage(doc.language, from)) continue;
    const key = index.keyOf(doc.id);
    const original = key === undefined ? undefined : byId.get(index.variant(key, into) ?? '');
    if (!original) continue;
    pairs.push([`${doc.title}. ${doc.source.heading ?? ''}`, `${original.title}. ${original.source.heading ?? ''}`]);
    const mine = blocks(doc.text);
    const theirs = blocks(original.text);
    if (mine.length === theirs.length) mine.forEach((block, n) => pairs.push([block, theirs[n]!]));
    else pairs.push([doc.text, original.text]);
  }
  return pairs;
}

/** How each analyzed word of `language` is most often written in these texts. Pure apart from `pause` (between every 50 texts). */
export async function writtenForms(texts: Iterable<string>, language: string, pause: () => Promise<void> = async () => undefined): Promise<Map<string, string>> {
  const counts = new Map<string, Map<string, number>>();
  let n = 0;
  for (const text of texts) {
    if (++n % 50 === 0) await pause();
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      const term = analyze(word, language)[0];
      if (term === undefined) continue;
      const forms = counts.get(term) ?? new Map<string, number>();
      forms.set(word, (forms.get(word) ?? 0) + 1);
      counts.set(term, forms);
    }
  }
  const out = new Map<string, string>();
  for (const [term, forms] of counts) out.set(term, [...forms].reduce((a, b) => (b[1] > a[1] ? b : a))[0]);
  return out;
}

/**
 * IBM Model 1: t(target | source) by expectation-maximisation over aligned bags of words, with a null
 * source word. Words and word pairs are numbered and the probabilities kept in flat arrays: a knowledge
 * base's translations learn in tens of milliseconds.
 */
async function model1(data: ReadonlyArray<readonly [readonly string[], readonly string[]]>, rounds: number, pause: () => Promise<void>): Promise<Map<string, Map<string, number>>> {
  const sourceIds = new Map<string, number>([[NULL, 0]]);
  const targetIds = new Map<string, number>();
  const idOf = (ids: Map<string, number>, word: string) => {
    let id = ids.get(word);
    if (id === undefined) ids.set(word, (id = ids.size));
    return id;
  };
  const pairs = data.map(([fs, es]) => ({ fs: [0, ...new Set(fs.map((f) => idOf(sourceIds, f)))], es: es.map((e) => idOf(targetIds, e)) }));
  // One cell per (source, target) word pair seen together; each aligned pair lists its cells, source-major.
  const cellIds = new Map<number, number>();
  const cellSource: number[] = [];
  const cellTarget: number[] = [];
  const cellsOf = pairs.map(({ fs, es }) => {
    const cells = new Int32Array(fs.length * es.length);
    fs.forEach((f, i) =>
      es.forEach((e, j) => {
        const key = f * targetIds.size + e;
        let cell = cellIds.get(key);
        if (cell === undefined) {
          cellIds.set(key, (cell = cellSource.length));
          cellSource.push(f);
          cellTarget.push(e);
        }
        cells[i * es.length + j] = cell;
      }),
    );
    return cells;
  });
  // Started uniform over the words each source word was seen with.
  const width = new Float64Array(sourceIds.size);
  for (const f of cellSource) width[f]!++;
  const t = Float64Array.from(cellSource, (f) => 1 / width[f]!);
  const count = new Float64Array(t.length);
  const total = new Float64Array(sourceIds.size);
  for (let round = 0; round < rounds; round++) {
    await pause();
    count.fill(0);
    total.fill(0);
    pairs.forEach(({ fs, es }, n) => {
      const cells = cellsOf[n]!;
      for (let j = 0; j < es.length; j++) {
        let z = 0;
        for (let i = 0; i < fs.length; i++) z += t[cells[i * es.length + j]!]!;
        for (let i = 0; i < fs.length; i++) {
          const cell = cells[i * es.length + j]!;
          const share = t[cell]! / z;
          count[cell]! += share;
          total[fs[i]!]! += share;
        }
      }
    });
    for (let cell = 0; cell < t.length; cell++) t[cell] = count[cell]! / (total[cellSource[cell]!] || 1);
  }
  const sourceWords = [...sourceIds.keys()];
  const targetWords = [...targetIds.keys()];
  const out = new Map<string, Map<string, number>>();
  for (let cell = 0; cell < t.length; cell++) {
    const f = sourceWords[cellSource[cell]!]!;
    const row = out.get(f) ?? new Map<string, number>();
    row.set(targetWords[cellTarget[cell]!]!, t[cell]!);
    out.set(f, row);
  }
  return out;
}

/**
 * Learn a lexicon from aligned pairs with IBM Model 1, both ways: a word's translation is its most
 * probable English word, kept only where that English word also points back at it. One way alone,
 * a rare or unlisted function word ("я", "mio") soaks up some rare English word of its blocks
 * ("database", "personal"); the way back never chooses it. Pure apart from `pause`.
 */
export async function learnLexicon(
  pairs: ReadonlyArray<readonly [string, string]>,
  from: string,
  into: string,
  known: ReadonlyMap<string, string>,
  options: LexiconOptions & { pause?: () => Promise<void>; glossary?: readonly GlossaryRow[] } = {},
): Promise<Lexicon> {
  const { rounds, minBackProbability } = { ...LEXICON_DEFAULTS, ...options };
  const phrases = glossaryPhrases(options.glossary ?? [], from);
  const longestPhrase = Math.max(0, ...[...phrases.keys()].map((key) => key.split(' ').length));
  // A service passes a turn of its event loop: each round is a few milliseconds, the whole a hundred.
  const pause = options.pause ?? (async () => undefined);
  const data = pairs.map(([f, e]) => [analyze(f, from), analyze(e, into)] as const).filter(([f, e]) => f.length > 0 && e.length > 0);
  const forth = await model1(data, rounds, pause);
  const back = await model1(
    data.map(([f, e]) => [e, f] as const),
    rounds,
    pause,
  );
  const translations = new Map<string, { word: string; probability: number }>();
  for (const [f, row] of forth) {
    if (f === NULL) continue;
    const [e, probability] = [...row].reduce((a, b) => (b[1] > a[1] ? b : a));
    if ((back.get(e)?.get(f) ?? 0) < minBackProbability) continue;
    translations.set(f, { word: known.get(e) ?? e, probability: Math.round(probability * 1000) / 1000 });
  }
  return { from, into, translations, known, phrases, longestPhrase, pairs: data.length };
}

/**
 * A text's words as glossing reads them: each analyzed (a Snowball stem) where the analyzer keeps it, else
 * as written in lower case after "=", with `stop` set ("=non", "=nicht", "=не": no word on their own, but part of
 * a phrase). The mark keeps a stop word from meeting a stem written alike: the Italian stemmer makes "chiavi"
 * (keys) "chi", which is also "who". Pure.
 */
function glossWords(text: string, language: string): Array<{ word: string; term: string; stop: boolean }> {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => {
    const term = analyze(word, language)[0];
    return term === undefined ? { word, term: `=${word.toLowerCase()}`, stop: true } : { word, term, stop: false };
  });
}

/** A glossary's rows as analyzed words of `language` (a stop word as written, after "=") → meaning; a form that two rows list keeps the first row's. Pure. */
export function glossaryPhrases(rows: readonly GlossaryRow[], language: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of rows) {
    for (const term of row.terms) {
      const key = glossWords(term, language)
        .map((entry) => entry.term)
        .join(' ');
      if (key && !out.has(key)) out.set(key, row.meaning);
    }
  }
  return out;
}

/**
 * The gloss of a question: the glossary's meaning of its longest phrase at each point, else each word's
 * learned translation where the lexicon is sure enough, words written alike in the other language (SSL,
 * PayPal, hosting) and numbers as they are; the rest left out. Empty when nothing could be glossed. Pure.
 */
export function glossOf(text: string, lexicon: Lexicon, options: LexiconOptions = {}): string {
  return readGloss(text, lexicon, options).gloss;
}

/**
 * How much of a question its gloss reads: the question's words (stop words aside) and how many of them the
 * gloss gives a meaning. A question whose words the glossaries and translations mostly do not know ("Posso
 * vedere un film stasera?" → "see") is not understood, whatever its gloss then matches. Pure.
 */
export function glossedShare(text: string, lexicon: Lexicon, options: LexiconOptions = {}): { words: number; glossed: number } {
  const { words, glossed } = readGloss(text, lexicon, options);
  return { words, glossed };
}

/** `glossOf` and `glossedShare` in one reading of the question. Pure. */
export function readGloss(text: string, lexicon: Lexicon, options: LexiconOptions = {}): { gloss: string; words: number; glossed: number } {
  const { minProbability } = { ...LEXICON_DEFAULTS, ...options };
  const words = glossWords(text, lexicon.from);
  const out: string[] = [];
  let content = 0;
  let read = 0;
  for (let i = 0; i < words.length; ) {
    const phrase = longestPhraseAt(words, i, lexicon);
    if (phrase) {
      out.push(phrase.meaning);
      const inPhrase = words.slice(i, i + phrase.length).filter((entry) => !entry.stop).length;
      content += inPhrase;
      read += inPhrase;
      i += phrase.length;
      continue;
    }
    const { word, term, stop } = words[i++]!;
    if (stop) continue;
    content++;
    const translation = lexicon.translations.get(term);
    if (translation) {
      if (translation.probability >= minProbability) {
        out.push(translation.word);
        read++;
      }
      continue;
    }
    if (/\p{N}/u.test(word) || (/^[\p{Script=Latin}]+$/u.test(word) && lexicon.known.has(analyze(word, lexicon.into)[0] ?? ''))) {
      out.push(word);
      read++;
    }
  }
  return { gloss: out.join(' '), words: content, glossed: read };
}

/** The glossary's longest phrase starting at word `i`, and how many words it takes. Pure. */
function longestPhraseAt(words: ReadonlyArray<{ term: string }>, i: number, lexicon: Lexicon): { meaning: string; length: number } | undefined {
  for (let length = Math.min(lexicon.longestPhrase, words.length - i); length > 0; length--) {
    const meaning = lexicon.phrases.get(words.slice(i, i + length).map((entry) => entry.term).join(' '));
    if (meaning !== undefined) return { meaning, length };
  }
  return undefined;
}
