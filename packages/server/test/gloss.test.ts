// A question in a language the model cannot read carries its English gloss through POST /v1/suggest.
// Plumbing only: the hashing encoder (declared English-only here) has no notion of meaning; the gloss
// comes from the words of a translated article.
import t from 'tap';
import { HashingEncoder, type Encoder } from '@answerdesk/core';
import { auth, harness } from './helpers.js';

const hashing = new HashingEncoder();
/** The hashing encoder, composed, claiming to read English only: what USE-lite claims. */
const englishOnly: Encoder = {
  id: 'hashing-en-64',
  get dimension() {
    return hashing.dimension;
  },
  symmetric: true,
  languages: ['en'],
  load: () => hashing.load(),
  embedQueries: (texts) => hashing.embedQueries(texts),
  embedPassages: (texts) => hashing.embedPassages(texts),
  close: () => hashing.close(),
};

const lines = (line: (n: number) => string) => Array.from({ length: 45 }, (_v, i) => line(i + 2)).join('\n\n');
const english = `---\nid: refunds\ntitle: Refunds\ncategory: refund\n---\n\n## When refunds arrive\n\n${lines((n) => `The refund for order ${n} arrives in ${n} days.`)}\n`;
const italian = `---\nid: refunds.it\ntitle: Rimborsi\ncategory: refund\nlanguage: it\ntranslationOf: refunds\n---\n\n## Quando arrivano i rimborsi\n\n${lines((n) => `Il rimborso per l'ordine ${n} arriva in ${n} giorni.`)}\n`;

t.test('POST /v1/suggest keeps the gloss of a question the model cannot read', async (t) => {
  const { call } = await harness(t, { encoder: englishOnly, empty: true });
  for (const [id, markdown] of [['refunds', english], ['refunds.it', italian]] as const) {
    t.equal((await call({ method: 'PUT', url: `/v1/articles/${id}`, headers: auth('writer'), payload: { markdown } })).status, 200);
  }
  const res = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'Quando arriva il mio rimborso?', language: 'it' } });
  t.equal(res.status, 200, res.body);
  t.match(res.json.queryLanguage, { code: 'it', semantic: false });
  t.match(res.json.answers[0].gloss, /\brefund\b/, 'the gloss, learned from the translated article, is in the response');
  t.match(res.json.notes.join(' '), /gloss from the knowledge base's glossaries and translated articles/);
  const read = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'When does my refund arrive?', language: 'en' } });
  t.equal(read.json.answers[0].gloss, undefined, 'a question the model reads has none');
});
