// Heading coverage with negated words: pure string work, no encoder.
import t from 'tap';
import { analyze } from '@answerdesk/index';
import { negationAwareTerms } from '../src/answer-question.js';

const terms = (text: string, language = 'en') => negationAwareTerms(text, language);

t.test('a negated content word is a word of its own', async (t) => {
  t.same(terms("My parcel hasn't arrived yet"), ['parcel', 'hasn', '¬arriv']);
  t.notOk(terms('Your parcel or item arrived damaged').includes('¬arriv'), 'an arrived parcel is not one that has not arrived');
  t.ok(terms('Refund not received yet').includes('¬receiv'));
  t.ok(terms("I haven't received my refund").includes('¬receiv'), 'both ways of saying it meet');
  t.ok(terms('My verification email never arrived').includes('¬arriv'));
  t.ok(terms("If the verification e-mail doesn't arrive").includes('¬arriv'));
});

t.test('a function word after a negation stays as it is', async (t) => {
  t.same(terms('restore the database, not the files'), analyze('restore the database, not the files', 'en'), '"not the files" excludes, it does not negate a word');
  t.same(terms("I still haven't had my refund"), analyze("I still haven't had my refund", 'en'));
});

t.test('Italian, German and Russian negations', async (t) => {
  t.ok(terms('il codice non funziona', 'it').some((term) => term.startsWith('¬funzion')));
  t.ok(terms('Das Paket ist nicht angekommen', 'de').some((term) => term.startsWith('¬angekomm')));
  t.ok(terms('посылка не пришла', 'ru').some((term) => term.startsWith('¬пришл')));
});
