import t from 'tap';
import { createTokenizer, defaultModelDir, normalizeForTokenizer, readVocabulary, type Vocabulary } from '@answerdesk/embeddings';

const reserved: Vocabulary = [['<unk>', 0], ['<s>', 0], ['</s>', 0], ['x1', 0], ['x2', 0], ['x3', 0]];

t.test('normalisation marks word starts and folds whitespace', async (t) => {
  t.equal(normalizeForTokenizer('Hello  world\n again'), '▁Hello▁world▁again');
  t.equal(normalizeForTokenizer('ＡＢＣ'), '▁ABC', 'NFKC folds full-width letters');
  t.equal(normalizeForTokenizer('   '), '▁');
});

t.test('Viterbi picks the best-scoring segmentation, not the longest match', async (t) => {
  const vocab: Vocabulary = [...reserved, ['▁ab', -10], ['▁a', -1], ['b', -1], ['▁', -2], ['a', -3]];
  const tokenizer = createTokenizer(vocab);
  t.same(tokenizer.pieces('ab'), ['▁a', 'b'], '-2 beats -10');
  const cheaper: Vocabulary = [...reserved, ['▁ab', -1], ['▁a', -1], ['b', -1]];
  t.same(createTokenizer(cheaper).pieces('ab'), ['▁ab'], 'one piece at -1 beats two at -2');
});

t.test('unknown characters map to id 0 and reserved pieces are never produced', async (t) => {
  const vocab: Vocabulary = [...reserved, ['▁a', -1], ['a', -1], ['▁', -1]];
  const tokenizer = createTokenizer(vocab);
  t.same(tokenizer.encode('a😀a'), [6, 0, 7], '▁a, unknown emoji, a');
  const withReserved: Vocabulary = [['<s>', 0], ['<s>', 0], ['</s>', 0], ['x', 0], ['y', 0], ['z', 0], ['▁', -1]];
  t.same(createTokenizer(withReserved).encode('x'), [6, 0], 'x is reserved, so it is unknown');
  t.same(tokenizer.encode(''), []);
});

t.test('the USE-lite vocabulary segments real text', async (t) => {
  const tokenizer = createTokenizer(await readVocabulary(defaultModelDir()));
  t.equal(tokenizer.size, 8000);
  const pieces = tokenizer.pieces('the parcel was delivered');
  t.equal(pieces[0], '▁the', 'a frequent word is one piece');
  t.equal(pieces.join(''), '▁the▁parcel▁was▁delivered', 'pieces cover the text exactly');
  t.ok(tokenizer.encode('the parcel').every((id) => id >= 6), 'no reserved or unknown ids for plain English');
  t.not(tokenizer.encode('The')[0], tokenizer.encode('the')[0], 'case is kept (the vocabulary is cased)');
});
