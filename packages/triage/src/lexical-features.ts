/**
 * Bag-of-words features for the categorizer's linear head: TF-IDF of word
 * unigrams and bigrams, plus character n-grams inside words. Sentence
 * embeddings blur exact wording ("card_arrival" vs "card_delivery_estimate"
 * differ by a word or two); these sparse features keep it.
 */

export interface LexicalOptions {
  /** Word n-gram orders to use. Default [1, 2]. */
  wordNgrams?: number[];
  /** Character n-gram lengths inside word boundaries; [] turns them off. Default [3, 4]. */
  charNgrams?: number[];
  /** Drop terms seen in fewer training texts than this. Default 2. */
  minCount?: number;
  /** Keep at most this many terms (most frequent first). Default 60000. */
  maxFeatures?: number;
}

export const defaultLexicalOptions: Required<LexicalOptions> = {
  wordNgrams: [1, 2],
  charNgrams: [3, 4],
  minCount: 2,
  maxFeatures: 60_000,
};

/** A sparse, L2-normalised feature vector. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** The fitted vocabulary, serialisable as plain JSON. */
export interface LexicalVocabulary {
  options: Required<LexicalOptions>;
  terms: string[];
  idf: number[];
}

/** Lowercased words: letters and digits of any script (so German, Russian… work too). */
export function wordsOf(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
}

/** Every term of a text, with repeats (term frequency). Prefixes keep word and char terms apart. */
export function termsOf(text: string, options: Required<LexicalOptions>): string[] {
  const words = wordsOf(text);
  const terms: string[] = [];
  for (const n of options.wordNgrams) {
    for (let i = 0; i + n <= words.length; i++) terms.push(`w${n}:${words.slice(i, i + n).join(' ')}`);
  }
  for (const word of words) {
    const padded = ` ${word} `;
    for (const n of options.charNgrams) {
      for (let i = 0; i + n <= padded.length; i++) terms.push(`c:${padded.slice(i, i + n)}`);
    }
  }
  return terms;
}

export function fitVocabulary(texts: readonly string[], options: LexicalOptions = {}): LexicalVocabulary {
  const resolved = { ...defaultLexicalOptions, ...options };
  const documentFrequency = new Map<string, number>();
  for (const text of texts) {
    for (const term of new Set(termsOf(text, resolved))) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const kept = [...documentFrequency]
    .filter(([, count]) => count >= resolved.minCount)
    // Ties broken by the term itself so a vocabulary is the same on every run.
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, resolved.maxFeatures);
  const n = texts.length;
  return {
    options: resolved,
    terms: kept.map(([term]) => term),
    idf: kept.map(([, count]) => Math.log((1 + n) / (1 + count)) + 1),
  };
}

/** Turns a vocabulary into a function from text to its sparse TF-IDF vector. */
export function lexicalFeaturizer(vocabulary: LexicalVocabulary): (text: string) => SparseVector {
  const position = new Map(vocabulary.terms.map((term, i) => [term, i]));
  return (text) => {
    const counts = new Map<number, number>();
    for (const term of termsOf(text, vocabulary.options)) {
      const index = position.get(term);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const values = new Float32Array(indices.length);
    let norm = 0;
    indices.forEach((index, i) => {
      // Sublinear tf: a word said three times is not three times the evidence.
      const value = (1 + Math.log(counts.get(index)!)) * vocabulary.idf[index]!;
      values[i] = value;
      norm += value * value;
    });
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < values.length; i++) values[i]! /= norm;
    return { indices, values };
  };
}
