// The word-for-word bridge learned from translated articles (pure functions; no encoder).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { glossaryPhrases, glossedShare, glossOf, learnLexicon, readKnowledge, translationIndex, translationPairs, writtenForms, type KnowledgeDoc } from '@answerdesk/core';

const PAIRS: Array<[string, string]> = [
  ['Il rimborso arriva in cinque giorni.', 'The refund arrives in five days.'],
  ['Il pacco è danneggiato.', 'The parcel is damaged.'],
  ['Il rimborso del pacco danneggiato.', 'The refund for the damaged parcel.'],
  ['Segnala il pacco danneggiato.', 'Report the damaged parcel.'],
  ['Il rimborso sulla carta.', 'The refund to the card.'],
  ['La carta è scaduta.', 'The card has expired.'],
  ['Segnala la carta scaduta.', 'Report the expired card.'],
  ['Il pacco arriva in cinque giorni.', 'The parcel arrives in five days.'],
  ['Segnala il rimborso.', 'Report the refund.'],
  ['Una carta regalo scaduta.', 'An expired gift card.'],
  ['Il regalo arriva nel pacco.', 'The gift arrives in the parcel.'],
];
const ENGLISH = [...PAIRS.map(([, en]) => en), 'Free SSL certificates for every site.'];

t.test('IBM Model 1, both ways, learns which English word each Italian word stands for', async (t) => {
  const lexicon = await learnLexicon(PAIRS, 'it', 'en', await writtenForms(ENGLISH, 'en'));
  t.equal(lexicon.pairs, PAIRS.length);
  let pauses = 0;
  await learnLexicon(PAIRS, 'it', 'en', new Map(), { rounds: 5, pause: async () => void pauses++ });
  t.equal(pauses, 10, 'a turn for the caller before each round, both ways');
  const word = (italian: string) => glossOf(italian, lexicon);
  t.equal(word('rimborso'), 'refund');
  t.equal(word('pacchi'), 'parcel', 'by stem: "pacchi" meets "pacco"');
  t.equal(word('carta'), 'card');
  t.equal(word('segnala'), 'report');
  t.equal(word('regalo'), 'gift');
  t.equal(word('scaduta'), 'expired', 'written as the English texts write it, not as its stem');
  for (const [italian, { word: english, probability }] of lexicon.translations) {
    t.ok(probability > 0 && probability <= 1, `${italian} → ${english}: a probability`);
    t.ok(ENGLISH.join(' ').toLowerCase().includes(english), `${italian} → ${english}: a word of the English side`);
  }
});

t.test('a gloss keeps translations, numbers and words written alike, and drops the rest', async (t) => {
  const lexicon = await learnLexicon(PAIRS, 'it', 'en', await writtenForms(ENGLISH, 'en'));
  t.equal(glossOf('Buongiorno, il mio pacco è arrivato danneggiato: voglio il rimborso! Ordine 4412, SSL', lexicon), 'parcel arrives damaged refund 4412 SSL');
  t.equal(glossOf('Buongiorno e grazie', lexicon), '', 'nothing it knows: an empty gloss');
  t.equal(glossOf('pacco', lexicon, { minProbability: 1.01 }), '', 'translations below minProbability are left out');
});

t.test('aligned pairs: headings, then blocks one for one where a translation keeps them, else whole sections', async (t) => {
  const dir = t.testdir({});
  const article = (file: string, body: string) => writeFile(path.join(dir, file), body);
  await mkdir(dir, { recursive: true });
  await article('refunds.md', '---\nid: refunds\ntitle: Refunds\ncategory: refund\n---\n\n## How long it takes\n\nFive days.\n\n1. Report it.\n2. Wait.\n\n## Cards\n\nTo the card.\n');
  await article('refunds.it.md', '---\nid: refunds.it\ntitle: Rimborsi\ncategory: refund\nlanguage: it\ntranslationOf: refunds\n---\n\n## Quanto tempo ci vuole\n\nCinque giorni.\n\n1. Segnalalo.\n2. Aspetta.\n\n## Carte\n\nSulla carta.\n\nSubito.\n');
  const { next } = await readKnowledge([dir]);
  const sections = [...next.values()].filter((doc): doc is KnowledgeDoc => doc.kind === 'article');
  const pairs = translationPairs(sections, translationIndex(sections), 'it', 'en');
  t.ok(pairs.some(([it, en]) => it.includes('Quanto tempo') && en.includes('How long')), 'headings pair up');
  t.ok(pairs.some(([it, en]) => it === 'Cinque giorni.' && en === 'Five days.'), 'paragraphs pair up');
  t.ok(pairs.some(([it, en]) => it === 'Aspetta.' && en === 'Wait.'), 'list items pair up');
  t.ok(pairs.some(([it, en]) => it.includes('Sulla carta.') && it.includes('Subito.') && en.includes('To the card.')), 'a section with an extra block pairs whole');
  t.same(translationPairs(sections, translationIndex(sections), 'de', 'en'), [], 'no German article: no pairs');
});

t.test('a glossary the writers keep: its phrases and words come first, and it glosses alone where no article was translated', async (t) => {
  const dir = t.testdir({
    'glossary-it.md': [
      '---',
      'id: glossary-it',
      'glossary: en',
      'language: it',
      'title: Glossario',
      '---',
      '',
      'Words our Italian customers use, with their English meaning.',
      '',
      '| Italiano | English |',
      '| --- | --- |',
      '| rimborso, rimborsare, rimborsato | refund |',
      '| certificato, certificati | certificate |',
      '| non sicuro, non è sicuro | not secure |',
      '| sicuro | secure |',
      '| gratuito, gratis | free |',
    ].join('\n'),
  });
  const { next } = await readKnowledge([dir]);
  const [doc] = [...next.values()];
  t.equal(doc?.kind, 'glossary', 'published as a glossary, not an article');
  t.same(doc?.glossary?.rows[2], { terms: ['non sicuro', 'non è sicuro'], meaning: 'not secure' });
  const glossary = doc!.glossary!.rows;
  const phrases = glossaryPhrases(glossary, 'it');
  t.same([...phrases.keys()].slice(0, 2), ['rimbors', 'certific'], 'forms are analyzed as questions are: rimborso, rimborsare and rimborsato are one stem');
  t.equal(phrases.get('=non =è sicur'), 'not secure', 'a stop word stays in a phrase, marked: "non" turns its meaning');

  // No translated article: the glossary alone glosses.
  const alone = await learnLexicon([], 'it', 'en', await writtenForms(ENGLISH, 'en'), { glossary });
  t.equal(glossOf('Il sito non è sicuro: come attivo un certificato SSL gratuito?', alone), 'not secure certificate SSL free', 'the longest phrase wins over its words');
  t.equal(glossOf('È sicuro?', alone), 'secure', 'the phrase needs all its words');
  t.same(glossedShare('Il sito non è sicuro: come attivo un certificato SSL gratuito?', alone), { words: 6, glossed: 4 }, 'sito and attivo unknown; the stop words of "non è sicuro" are not counted');
  t.same(glossedShare("Chi è l'allenatore della nazionale di calcio?", alone), { words: 3, glossed: 0 });
  // The Italian stemmer makes "chiavi" (keys) into "chi", which is also "who", a stop word kept as written.
  const keys = await learnLexicon([], 'it', 'en', await writtenForms(ENGLISH, 'en'), { glossary: [{ terms: ['chiave', 'chiavi'], meaning: 'key' }] });
  t.equal(glossOf('Chi devo contattare?', keys), '', 'a stop word is never read as a glossary phrase');
  t.equal(glossOf('Ho perso le chiavi', keys), 'key');

  // With translated articles: the glossary's word comes before what Model 1 learned.
  const both = await learnLexicon(PAIRS, 'it', 'en', await writtenForms(ENGLISH, 'en'), { glossary: [{ terms: ['pacco'], meaning: 'package' }] });
  t.equal(glossOf('pacco rimborso', both), 'package refund');
});

t.test('a glossary file that is not one: coded errors that say what to fix', async (t) => {
  const file = (body: string) => t.testdir({ 'glossary.md': `---\nid: glossary-de\nlanguage: de\n${body}` });
  const refused = async (body: string, message: RegExp) => {
    const read = await readKnowledge([file(body)]);
    t.equal(read.next.size, 0, 'nothing published from it');
    t.match(read.errors, [{ code: 'ADK_ARTICLE_FIELD_INVALID', message }]);
  };
  await refused('glossary: English\n---\n\n| a | b |\n| - | - |\n| c | d |\n', /glossary.*language code/);
  await refused('glossary: en\n---\n\nNo table here.\n', /needs a table/);
  await refused('glossary: en\n---\n\n| Deutsch | English |\n| - | - |\n| Erstattung | |\n', /row at line 9 needs the words/);
  await refused('glossary: en\ntemplate: closing\n---\n\n| a | b |\n| - | - |\n| c | d |\n', /not both/);
});
