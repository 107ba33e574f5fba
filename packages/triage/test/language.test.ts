import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import t from 'tap';
import { detectLanguage, detectableLanguages } from '../src/language.js';

/** Realistic helpdesk messages, a sentence or two each. */
const messages: Array<[string, string]> = [
  ['en', 'Hi, I ordered a blender on January 3rd and it still has not arrived. Tracking has not moved since Monday, can you check what is going on?'],
  ['en', 'I was charged twice for my subscription this month, please refund one of the payments.'],
  ['de', 'Hallo, ich habe am 3. Januar einen Mixer bestellt und er ist immer noch nicht angekommen. Können Sie bitte nachsehen, wo das Paket bleibt?'],
  ['de', 'Meine Rechnung ist falsch, mir wurde der Jahrespreis statt des Monatspreises berechnet.'],
  ['fr', 'Bonjour, j’ai commandé un mixeur le 3 janvier et je ne l’ai toujours pas reçu. Pouvez-vous vérifier où se trouve mon colis ?'],
  ['fr', 'Je n’arrive plus à me connecter à mon compte depuis la mise à jour de l’application.'],
  ['es', 'Hola, pedí una batidora el 3 de enero y todavía no ha llegado. ¿Podrían revisar dónde está mi paquete, por favor?'],
  ['es', 'Me cobraron dos veces la suscripción este mes, necesito que me devuelvan uno de los pagos.'],
  ['it', 'Buongiorno, ho ordinato un frullatore il 3 gennaio e non è ancora arrivato. Potete controllare dove si trova il pacco?'],
  ['it', 'Non riesco più ad accedere al mio account dopo l’aggiornamento dell’app.'],
  ['pt', 'Olá, encomendei um liquidificador no dia 3 de janeiro e ainda não chegou. Vocês podem verificar onde está o meu pacote?'],
  ['pt', 'Fui cobrado duas vezes pela assinatura este mês, preciso do reembolso de um dos pagamentos.'],
  ['ru', 'Здравствуйте, я заказал блендер 3 января, и он до сих пор не пришёл. Проверьте, пожалуйста, где моя посылка.'],
  ['ru', 'Не могу войти в личный кабинет после обновления приложения, пароль не принимается.'],
  ['nl', 'Hallo, ik heb op 3 januari een blender besteld en hij is nog steeds niet aangekomen. Kunt u nagaan waar mijn pakket is?'],
  ['nl', 'Ik ben deze maand twee keer gefactureerd voor mijn abonnement, graag één betaling terugstorten.'],
  ['pl', 'Dzień dobry, zamówiłem blender 3 stycznia i nadal nie dotarł. Czy możecie sprawdzić, gdzie jest moja paczka?'],
  ['pl', 'Nie mogę zalogować się na konto po aktualizacji aplikacji, hasło nie jest akceptowane.'],
];

/** The languages of interest for answering in the customer's language. */
const nine = ['en', 'de', 'fr', 'es', 'it', 'pt', 'ru', 'nl', 'pl'];

t.test('helpdesk messages in nine languages', async (t) => {
  for (const [code, text] of messages) {
    const guess = detectLanguage(text);
    t.equal(guess.code, code, `${code}: ${text.slice(0, 40)}…`);
    // Russian leads Ukrainian and Bulgarian by little in eld's model, so it is only reliable once they are ruled out.
    const restricted = detectLanguage(text, { candidates: nine });
    t.equal(restricted.code, code);
    t.ok(restricted.reliable, `${code} is reliable among the nine`);
    if (code !== 'ru') t.ok(guess.reliable && guess.confidence >= 0.8, `${code} is reliable on its own (${guess.confidence.toFixed(2)})`);
  }
});

t.test('short chat lines', async (t) => {
  const lines: Array<[string, string]> = [
    ['en', 'My order has not arrived yet'],
    ['de', 'Meine Bestellung ist noch nicht angekommen'],
    ['fr', 'Toujours pas de remboursement'],
    ['es', '¿Cómo restablezco mi contraseña?'],
    ['it', 'Il rimborso non è ancora arrivato'],
    ['pt', 'Posso alterar o endereço de entrega?'],
    ['ru', 'Как сбросить пароль?'],
    ['nl', 'Kan ik mijn bezorgadres wijzigen?'],
    ['pl', 'Czy mogę zmienić adres dostawy?'],
  ];
  for (const [code, text] of lines) t.equal(detectLanguage(text, { candidates: nine }).code, code, text);
});

t.test('candidates restrict the answer', async (t) => {
  // "Servus" alone is Catalan to eld, of its 60 languages; a German/English helpdesk gets one of its two.
  t.equal(detectLanguage('Servus').code === 'en' || detectLanguage('Servus').code === 'de', false, 'unrestricted, any of the 60 languages');
  t.ok(['en', 'de'].includes(detectLanguage('Servus', { candidates: ['en', 'de'] }).code), 'restricted, one of the candidates');
  t.equal(detectLanguage('Hallo', { candidates: ['en', 'de'] }).code, 'de');
  t.equal(detectLanguage('Grazie mille', { candidates: ['it', 'en'] }).code, 'it');
  t.equal(detectLanguage('O reembolso ainda não caiu na minha conta', { candidates: ['es', 'pt-BR'] }).code, 'pt', 'region subtags are dropped');
  t.equal(detectLanguage('Muchas gracias por la ayuda', { candidates: ['ES', 'EN'] }).code, 'es', 'codes are case-insensitive');

  const outside = detectLanguage('Mi pedido todavía no ha llegado', { candidates: ['pt', 'en'] });
  t.same(outside, { code: 'pt', confidence: 0, reliable: false }, 'the best candidate, with no confidence, when a language outside the candidates wins');
  t.same(detectLanguage('Мой заказ до сих пор не пришёл', { candidates: ['en', 'de'] }), { code: 'und', confidence: 0, reliable: false }, 'no candidate fits at all');
  t.equal(detectLanguage('Мой заказ до сих пор не пришёл', { candidates: ['en', 'de'], fallback: 'en' }).code, 'en', 'fallback when no candidate fits');
});

t.test('too little text gives the fallback, never a throw', async (t) => {
  const und = { code: 'und', confidence: 0, reliable: false };
  for (const text of ['', '   ', 'ok', '?!', '12345', '42 € / 17.50', '😀😀😀', '👍', '\u0000\u0001\u200b', 'https://example.com/orders/4410273', 'anna@example.com', 'BC-4410273 #0514-2287']) {
    t.same(detectLanguage(text), und, JSON.stringify(text));
  }
  t.same(detectLanguage('👍', { fallback: 'en' }), { code: 'en', confidence: 0, reliable: false });
  t.equal(detectLanguage('Danke', { minLength: 10 }).code, 'und', 'minLength counts letters');
  t.equal(detectLanguage('Danke', { minLength: 5 }).code === 'und', false);

  for (const text of ['\uD800 lone surrogate', 'x'.repeat(200_000), `${'Hallo Welt. '.repeat(5000)}`, 'a\u0301\u0302\u0303', '٣٤٥', 'ﷺ', '\n\t\r']) {
    const guess = detectLanguage(text);
    t.ok(guess.confidence >= 0 && guess.confidence <= 1 && typeof guess.code === 'string', `odd input ${JSON.stringify(text.slice(0, 20))} → ${guess.code}`);
    t.equal(guess.reliable, guess.confidence >= 0.5);
  }
});

t.test('confidence: long clean text above ambiguous short text', async (t) => {
  const long = detectLanguage(messages[2]![1]);
  const short = detectLanguage('Hallo');
  const oneWord = detectLanguage('Merci');
  t.ok(long.confidence > 0.9, `long German message ${long.confidence.toFixed(3)}`);
  t.ok(long.confidence > short.confidence, `"Hallo" ${short.confidence.toFixed(3)} below`);
  t.ok(long.confidence > oneWord.confidence, `"Merci" ${oneWord.confidence.toFixed(3)} below`);
  t.notOk(short.reliable);
  t.notOk(oneWord.reliable);
  for (const [, text] of messages) {
    const { confidence, reliable } = detectLanguage(text);
    t.ok(confidence >= 0 && confidence <= 1);
    t.equal(reliable, confidence >= 0.5, 'reliable is exactly confidence >= 0.5');
  }
});

t.test('links, addresses and order numbers do not vote', async (t) => {
  const text = 'Bonjour, ma commande BC-4410273 n’est toujours pas arrivée, voir https://shop.example.com/orders/BC-4410273 ou écrivez à support@example.com';
  t.equal(detectLanguage(text).code, 'fr');
});

t.test('bad input is a coded error', async (t) => {
  for (const value of [undefined, null, 42, {}, ['text']]) {
    t.throws(() => detectLanguage(value as unknown as string), { code: 'ADK_MESSAGE_INVALID', details: { id: '(text)' } }, `text ${JSON.stringify(value)}`);
  }
  const option = (name: string) => ({ code: 'ADK_OPTION_INVALID', details: { option: name } });
  t.throws(() => detectLanguage('Hello there', { candidates: [] }), option('candidates'), 'empty candidates');
  t.throws(() => detectLanguage('Hello there', { candidates: ['deu'] }), { ...option('candidates'), message: /"deu".*ISO 639-1/ }, 'ISO 639-3 code, and the message says what to use');
  t.throws(() => detectLanguage('Hello there', { candidates: ['xx'] }), option('candidates'), 'unknown code');
  t.throws(() => detectLanguage('Hello there', { candidates: 'en' as unknown as string[] }), option('candidates'), 'a string, not a list');
  t.throws(() => detectLanguage('Hello there', { minLength: -1 }), option('minLength'));
  t.throws(() => detectLanguage('Hello there', { fallback: 1 as unknown as string }), option('fallback'));
});

t.test('detectable languages', async (t) => {
  t.equal(detectableLanguages.length, 60);
  for (const code of nine) t.ok(detectableLanguages.includes(code), code);
  t.ok(Object.isFrozen(detectableLanguages));
});

// The multilingual ticket set lives in the workspace's shared/ folder, beside the repository.
const dataset = fileURLToPath(new URL('../../../../shared/datasets/support-tickets-multilingual/dataset-tickets-multi-lang3-4k.subset.csv', import.meta.url));

t.test('multilingual support tickets (en, de, es, pt, fr)', { skip: existsSync(dataset) ? false : `${dataset} not present` }, async (t) => {
  const rows = parseCsv(readFileSync(dataset), { columns: true }) as Array<{ subject: string; body: string; language: string }>;
  const accuracy = (pairs: Array<[string, string]>, candidates?: string[]) =>
    pairs.filter(([code, text]) => detectLanguage(text, { candidates }).code === code).length / pairs.length;
  const bodies = rows.map((row): [string, string] => [row.language, row.body]);
  const subjects = rows.filter((row) => row.subject.trim() !== '').map((row): [string, string] => [row.language, row.subject]);
  // Measured with eld large: bodies 100%, subjects 97.3% (97.9% among the nine languages of interest).
  t.ok(accuracy(bodies) >= 0.99, 'bodies');
  t.ok(accuracy(subjects) >= 0.95, 'subjects');
  t.ok(accuracy(subjects, nine) >= 0.96, 'subjects, among the nine');
  // Measured: 99.7% of the reliable subject guesses are right, and 92% of subjects are reliable.
  const reliable = subjects.map(([code, text]) => ({ code, guess: detectLanguage(text) })).filter(({ guess }) => guess.reliable);
  t.ok(reliable.filter(({ code, guess }) => guess.code === code).length / reliable.length >= 0.99, 'reliable subject guesses are right');
  t.ok(reliable.length / subjects.length >= 0.85, 'most subjects are reliable');
});
