// Lexical (TF-IDF) features of the categorizer: pure functions on hand-written texts (no encoder involved).
import t from 'tap';
import { defaultLexicalOptions, fitVocabulary, lexicalFeaturizer, termsOf, wordsOf, type SparseVector } from '../src/index.js';

t.test('wordsOf: lowercased words of any script', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['Where is my REFUND?', ['where', 'is', 'my', 'refund']],
    ['Größe der Lieferung: ÜBERMÄSSIG teuer!', ['größe', 'der', 'lieferung', 'übermässig', 'teuer']],
    // A decomposed umlaut (u + combining diaeresis) is the same word as the composed one.
    ['u\u0308ber', ['über']],
    ['Где моя посылка? Заказ 123 не пришёл.', ['где', 'моя', 'посылка', 'заказ', '123', 'не', 'пришёл']],
    ['ПАРОЛЬ Пароль пароль', ['пароль', 'пароль', 'пароль']],
    ['Commande reçue, mais où est-elle ?', ['commande', 'reçue', 'mais', 'où', 'est', 'elle']],
    // Full-width characters are folded (NFKC).
    ['ＡＢＣ１２', ['abc12']],
    ["don't customer’s", ["don't", 'customer’s']],
    ['order BC-4410273, e-mail', ['order', 'bc', '4410273', 'e', 'mail']],
    ['...!!! ??', []],
    ['', []],
  ];
  for (const [text, words] of cases) t.same(wordsOf(text), words, JSON.stringify(text));
});

t.test('termsOf: word n-grams and character n-grams inside words', async (t) => {
  const options = { ...defaultLexicalOptions, wordNgrams: [1, 2], charNgrams: [3] };
  t.same(termsOf('Hi Bob', options), ['w1:hi', 'w1:bob', 'w2:hi bob', 'c: hi', 'c:hi ', 'c: bo', 'c:bob', 'c:ob ']);
  t.same(termsOf('card not arrived', { ...options, charNgrams: [] }), ['w1:card', 'w1:not', 'w1:arrived', 'w2:card not', 'w2:not arrived'], 'bigrams span neighbouring words only');
  t.same(termsOf('a b c', { ...options, wordNgrams: [3], charNgrams: [] }), ['w3:a b c'], 'trigrams on request');
  t.same(termsOf('Paket', { ...options, wordNgrams: [], charNgrams: [4] }), ['c: pak', 'c:pake', 'c:aket', 'c:ket '], 'character 4-grams, padded at word edges');
  t.same(termsOf('ok', { ...options, wordNgrams: [], charNgrams: [5] }), [], 'no n-gram longer than the padded word');
  t.same(termsOf('refund refund', { ...options, charNgrams: [] }), ['w1:refund', 'w1:refund', 'w2:refund refund'], 'repeats are kept (term frequency)');
  const defaults = termsOf('late parcel', defaultLexicalOptions);
  t.ok(defaults.includes('w2:late parcel') && defaults.includes('c:par') && defaults.includes('c:parc'), 'defaults: word 1-2 grams, char 3-4 grams');
  t.same(defaultLexicalOptions, { wordNgrams: [1, 2], charNgrams: [3, 4], minCount: 2, maxFeatures: 60_000 });
});

const texts = ['refund for my card', 'card refund is late', 'parcel is late', 'late parcel again', 'where is my parcel'];
const words = { charNgrams: [] as number[], wordNgrams: [1] };

t.test('fitVocabulary', async (t) => {
  const vocabulary = fitVocabulary(texts, words);
  // Document frequencies: is 3, late 3, parcel 3, card 2, my 2, refund 2; again/for/where 1 (dropped by minCount 2).
  t.same(vocabulary.terms, ['w1:is', 'w1:late', 'w1:parcel', 'w1:card', 'w1:my', 'w1:refund'], 'most frequent first, ties by the term itself');
  t.equal(vocabulary.idf.length, vocabulary.terms.length);
  t.ok(Math.abs(vocabulary.idf[0]! - (Math.log(6 / 4) + 1)) < 1e-12, 'smoothed idf: ln((1 + n) / (1 + df)) + 1');
  t.ok(vocabulary.idf[3]! > vocabulary.idf[0]!, 'rarer terms weigh more');
  t.same(vocabulary.options, { ...defaultLexicalOptions, ...words }, 'resolved options travel with the vocabulary');

  t.same(fitVocabulary(texts, { ...words, minCount: 1 }).terms.length, 9, 'minCount 1 keeps every word');
  t.same(fitVocabulary(texts, { ...words, minCount: 3 }).terms, ['w1:is', 'w1:late', 'w1:parcel'], 'minCount 3');
  t.same(fitVocabulary(texts, { ...words, maxFeatures: 2 }).terms, ['w1:is', 'w1:late'], 'maxFeatures keeps the most frequent');
  t.same(fitVocabulary(texts, { ...words, minCount: 1, maxFeatures: 0 }).terms, [], 'maxFeatures 0');
  t.same(fitVocabulary([...texts].reverse(), words), vocabulary, 'the order of the texts does not matter');
  t.same(fitVocabulary([], words).terms, [], 'no texts, no terms');
  // A term counts once per document, however often it is said there.
  t.same(fitVocabulary(['late late late', 'fine'], words).terms, [], 'document frequency, not term frequency');
});

t.test('lexicalFeaturizer', async (t) => {
  const vocabulary = fitVocabulary(texts, words);
  const featurize = lexicalFeaturizer(vocabulary);
  const norm = (v: SparseVector) => Math.sqrt(v.values.reduce((sum, x) => sum + x * x, 0));
  const at = (v: SparseVector, term: string) => v.values[[...v.indices].indexOf(vocabulary.terms.indexOf(term))]!;

  for (const text of ['my card refund is late', 'parcel', 'late late parcel', 'PARCEL is Late!']) {
    const v = featurize(text);
    t.ok(Math.abs(norm(v) - 1) < 1e-6, `L2 norm 1: ${text}`);
    t.same([...v.indices], [...v.indices].sort((a, b) => a - b), `indices ascending: ${text}`);
    t.equal(v.indices.length, v.values.length);
  }
  const v = featurize('my unknown words about a parcel');
  t.same([...v.indices].map((i) => vocabulary.terms[i]), ['w1:parcel', 'w1:my'], 'words outside the vocabulary are ignored');
  t.same(featurize('PARCEL is Late!'), featurize('parcel is late'), 'case and punctuation do not matter');

  for (const text of ['', '   ', 'completely unseen vocabulary', '!!!']) {
    const empty = featurize(text);
    t.equal(empty.indices.length, 0, `empty vector for ${JSON.stringify(text)}`);
    t.equal(empty.values.length, 0);
  }

  // Sublinear tf: "late" twice weighs (1 + ln 2) times the idf-weighted single "parcel", not twice.
  const repeated = featurize('late late parcel');
  const idf = (term: string) => vocabulary.idf[vocabulary.terms.indexOf(term)]!;
  t.ok(Math.abs(at(repeated, 'w1:late') / at(repeated, 'w1:parcel') - ((1 + Math.log(2)) * idf('w1:late')) / idf('w1:parcel')) < 1e-6, 'tf is 1 + ln(count)');
  // idf: rarer "card" outweighs common "is" in the same text.
  const mixed = featurize('card is');
  t.ok(at(mixed, 'w1:card') > at(mixed, 'w1:is'), 'a rarer term gets a larger value');

  const serialised = lexicalFeaturizer(JSON.parse(JSON.stringify(vocabulary)));
  t.same(serialised('my card refund is late'), featurize('my card refund is late'), 'a vocabulary survives JSON');
});
