import t from 'tap';
import { LexicalIndex, analyze, analyzerLanguage, analyzedLanguages } from '../src/index.js';

t.test('every language a helpdesk seed needs has its own stemmer and stop words', async (t) => {
  for (const code of ['en', 'de', 'fr', 'es', 'it', 'ru', 'pt']) t.ok(analyzedLanguages.includes(code), code);
  t.equal(analyzerLanguage('de-AT'), 'de', 'regional codes use their base language');
  t.equal(analyzerLanguage('nb'), 'no');
  t.equal(analyzerLanguage('ja'), undefined, 'no stemmer: tokenized and folded only');
  t.equal(analyzerLanguage(undefined), undefined);
});

t.test('stemming and stop words follow the language', async (t) => {
  t.same(analyze('Rückerstattungen', 'de'), analyze('Rückerstattung', 'de'), 'German plural meets singular');
  t.same(analyze('сертификаты', 'ru'), analyze('сертификат', 'ru'), 'Russian plural meets singular');
  t.same(analyze('rimborsi', 'it'), analyze('rimborso', 'it'));
  t.same(analyze('reembolsos', 'pt'), analyze('reembolso', 'pt'));
  t.same(analyze('remboursements', 'fr'), analyze('remboursement', 'fr'));
  t.same(analyze('devoluciones', 'es'), analyze('devolución', 'es'));
  t.same(analyze('il mio ordine', 'it'), analyze('ordine', 'it'), 'Italian stop words dropped');
  t.same(analyze('und der Paket', 'de'), analyze('Paket', 'de'), 'German stop words dropped');
  t.same(analyze('the and a', 'en'), []);
  t.same(analyze("l'ordine", 'it'), analyze('ordine', 'it'), 'elided articles split off');
});

t.test('accents and ё fold, so customers who type without them still match', async (t) => {
  t.same(analyze('rimborsò', 'it'), analyze('rimborso', 'it'));
  t.same(analyze('ёлка', 'ru'), analyze('елка', 'ru'));
  t.same(analyze('Café', 'xx'), ['cafe'], 'unknown languages are folded too');
});

t.test('Latin terms survive in Cyrillic text and query syntax never reaches lunr', async (t) => {
  t.ok(analyze('Не работает SSL-сертификат', 'ru').includes('ssl'));
  const terms = analyze('hello*world field:x ~2 ^3 +a -b', 'en');
  t.ok(terms.every((term) => /^[\p{L}\p{N}]+$/u.test(term)), terms.join(' '));
});

t.test('each document is indexed in its own language and the query in the given one', async (t) => {
  const index = new LexicalIndex();
  index.upsert([
    { id: 'de', title: 'Rückerstattungen', body: 'Wann erhalte ich meine Rückerstattungen?', language: 'de' },
    { id: 'it', title: 'Rimborsi', body: 'Quando ricevo i rimborsi?', language: 'it' },
    { id: 'ru', title: 'Сертификаты SSL', body: 'Как выпустить бесплатные сертификаты', language: 'ru' },
    { id: 'en', title: 'Refunds', body: 'When do I get my refunds?' },
  ]);
  t.equal(index.search('Rückerstattung', 5, { language: 'de' })[0]?.id, 'de');
  t.equal(index.search('il mio rimborso', 5, { language: 'it' })[0]?.id, 'it');
  t.equal(index.search('сертификат не работает', 5, { language: 'ru' })[0]?.id, 'ru');
  t.equal(index.search('refund', 5)[0]?.id, 'en', 'English by default');
  const ssl = index.search('SSL', 5, { language: 'en' });
  t.same(ssl.map((hit) => hit.id), ['ru'], 'a shared Latin term matches across languages');
  t.equal(ssl[0]!.coverage, 1);
  const half = index.search('rimborso zebra', 5, { language: 'it' });
  t.ok(half[0]!.coverage > 0 && half[0]!.coverage < 0.5, 'coverage: a word found nowhere weighs fully against');
  // A reloaded index analyzes the same way.
  const reloaded = LexicalIndex.fromState(JSON.parse(JSON.stringify(index.state())));
  t.equal(reloaded.search('Rückerstattung', 5, { language: 'de' })[0]?.id, 'de');
  t.ok(LexicalIndex.isCurrent(index.state()));
  t.notOk(LexicalIndex.isCurrent({ ...index.state(), analysis: undefined }), 'a store from before per-language analysis must be rebuilt');
});
