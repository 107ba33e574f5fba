import t from 'tap';
import { chooseLanguage, collapseTranslations, languageName, translationIndex, type KnowledgeDoc } from '@answerdesk/core';

/** A section document with just what translation families read. */
const section = (article: string, anchor: string, line: number, language: string, family = article): KnowledgeDoc => ({
  id: `${article}#${anchor}`,
  kind: 'article',
  title: article,
  text: anchor,
  answer: anchor,
  language,
  tags: [],
  family,
  hash: `${article}${anchor}`,
  source: { id: `${article}#${anchor}`, kind: 'article', title: article, line },
});

const docs = [
  section('refunds', 'refunds', 1, 'en'),
  section('refunds', 'card-refunds', 10, 'en'),
  section('refunds.it', 'rimborsi', 1, 'it', 'refunds'),
  section('refunds.it', 'rimborsi-su-carta', 12, 'it', 'refunds'),
  section('refunds.de', 'erstattungen', 1, 'de', 'refunds'),
  section('password', 'reset', 1, 'en'),
];
const index = translationIndex(docs);
const languageOf = (id: string) => docs.find((doc) => doc.id === id)?.language;

t.test('sections of a family line up by position', async (t) => {
  t.equal(index.keyOf('refunds.it#rimborsi-su-carta'), index.keyOf('refunds#card-refunds'));
  t.not(index.keyOf('refunds#refunds'), index.keyOf('refunds#card-refunds'));
  t.equal(index.variant(index.keyOf('refunds#card-refunds')!, 'it'), 'refunds.it#rimborsi-su-carta');
  t.equal(index.variant(index.keyOf('refunds#card-refunds')!, 'de'), undefined, 'the German article has no second section');
  t.same(index.languagesOf(index.keyOf('refunds#refunds')!).sort(), ['de', 'en', 'it']);
  t.equal(index.keyOf('T-1'), undefined, 'tickets have no family');
});

t.test("the customer's language first, then the default language, then what matched", async (t) => {
  t.same(chooseLanguage('refunds#card-refunds', index, 'it', 'en', languageOf), { id: 'refunds.it#rimborsi-su-carta', matched: 'refunds#card-refunds' });
  t.same(chooseLanguage('refunds.it#rimborsi-su-carta', index, 'ru', 'en', languageOf), { id: 'refunds#card-refunds', matched: 'refunds.it#rimborsi-su-carta' }, 'no Russian: the English original');
  t.same(chooseLanguage('refunds#refunds', index, 'en', 'en', languageOf), { id: 'refunds#refunds' });
  t.same(chooseLanguage('password#reset', index, 'it', 'en', languageOf), { id: 'password#reset' }, 'no translation at all: as matched');
});

t.test('a ranking shows each section once, at its best rank', async (t) => {
  const ranked = [{ id: 'refunds.de#erstattungen' }, { id: 'password#reset' }, { id: 'refunds#refunds' }, { id: 'refunds.it#rimborsi' }, { id: 'refunds#card-refunds' }];
  const shown = collapseTranslations(ranked, (id) => chooseLanguage(id, index, 'it', 'en', languageOf), (id) => index.keyOf(id));
  t.same(shown.map((hit) => hit.id), ['refunds.it#rimborsi', 'password#reset', 'refunds.it#rimborsi-su-carta']);
  t.equal(shown[0]!.matched, 'refunds.de#erstattungen', 'the German section matched; the Italian one is shown');
});

t.test('language names for notes', async (t) => {
  t.equal(languageName('it'), 'Italian');
  t.equal(languageName('ru'), 'Russian');
  t.equal(languageName('xx'), 'xx', 'an unknown code stays as it is');
});
