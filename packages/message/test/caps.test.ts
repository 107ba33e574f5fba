import t from 'tap';
import { foldCaps, sentenceCase } from '../src/caps.js';
import { readMessage } from '../src/index.js';

/** [language, message, cleaned text, folded?]. */
const cases: Array<[string, string, string, boolean]> = [
  ['en', 'MY ORDER BC-4410273 HAS NOT ARRIVED AND THE DNS IS BROKEN. WHERE IS IT?', 'My order BC-4410273 has not arrived and the DNS is broken. Where is it?', true],
  ['en', 'I CANT SET UP THE MX AND SPF RECORDS, I NEED THE PDF INVOICE WITH VAT', "I cant set up the MX and SPF records, I need the PDF invoice with VAT", true],
  ['en', 'WHY WAS I CHARGED TWICE FOR ORDER #55123??? REFUND ME NOW', 'Why was I charged twice for order #55123??? Refund me now', true],
  ['en', 'EMAIL ME AT ANNA@EXAMPLE.COM ABOUT TICKET T-10002', 'Email me at ANNA@EXAMPLE.COM about ticket T-10002', true],
  ['it', "IL MIO ORDINE BC-4481532 NON È ARRIVATO. DOVE È FINITO?", "Il mio ordine BC-4481532 non è arrivato. Dove è finito?", true],
  ['de', 'MEINE BESTELLUNG 123456 IST NICHT ANGEKOMMEN! WO IST DAS PAKET?', 'Meine bestellung 123456 ist nicht angekommen! Wo ist das paket?', true],
  ['ru', 'ЗАКАЗ № 12345 НЕ ПРИШЁЛ. ВЕРНИТЕ ДЕНЬГИ, ИНН НЕ ВАЖЕН', 'Заказ № 12345 не пришёл. Верните деньги, ИНН не важен', true],
  // One shouted sentence in a normal message.
  ['en', 'My parcel was due on Monday. IT STILL HAS NOT ARRIVED AND NOBODY ANSWERS. What can I do?', 'My parcel was due on Monday. It still has not arrived and nobody answers. What can I do?', true],
  // Words shouted together in a sentence written as usual; one word alone stays ("NOT", a name, an acronym the list lacks).
  ['en', 'I returned the TV on the 2nd and STILL NO REFUND!!! It is NOT a small amount.', 'I returned the TV on the 2nd and still no refund!!! It is NOT a small amount.', true],
  ['it', 'Il sito è giù da IERI SERA, ditemi COSA SUCCEDE!', 'Il sito è giù da ieri sera, ditemi cosa succede!', true],
  ['en', 'THIS IS THE THIRD TIME I AM WRITING!!! I returned the TV and STILL NO REFUND!!!', 'This is the third time I am writing!!! I returned the TV and still no refund!!!', true],
  ['en', 'Please set the DNS MX and SPF TXT records for me', 'Please set the DNS MX and SPF TXT records for me', false],
  // Normal text with acronyms and ids is left alone.
  ['en', 'The SSL certificate for shop.example.com expired and the DNS says NXDOMAIN.', 'The SSL certificate for shop.example.com expired and the DNS says NXDOMAIN.', false],
  ['en', 'Where is order BC-4410273? UPS says delivered.', 'Where is order BC-4410273? UPS says delivered.', false],
  ['en', 'Error DNS_PROBE_FINISHED_NXDOMAIN on my site', 'Error DNS_PROBE_FINISHED_NXDOMAIN on my site', false],
];

t.test('ALL CAPS reads like a normal message; ids and acronyms stay', async (t) => {
  for (const [language, message, text, folded] of cases) {
    const reading = readMessage(message, { language });
    t.equal(reading.text, text, message);
    t.equal(reading.capsFolded, folded, `${message}: folded`);
  }
});

t.test('folding can be turned off', async (t) => {
  const reading = readMessage('MY ORDER HAS NOT ARRIVED', { foldCaps: false });
  t.equal(reading.text, 'MY ORDER HAS NOT ARRIVED');
  t.equal(reading.capsFolded, false);
});

t.test('foldCaps keeps every offset and the spans it is told to keep', async (t) => {
  const text = 'PLEASE CALL JOHN SMITH ABOUT THE INVOICE';
  const folded = foldCaps(text, { keep: [{ start: 12, end: 22 }] });
  t.equal(folded.text, 'Please call JOHN SMITH about the invoice');
  t.equal(folded.text.length, text.length);
  t.equal(foldCaps(text, { acronyms: ['INVOICE'] }).text, 'Please call john smith about the INVOICE', 'acronyms are an option');
  t.same(foldCaps('Hello there'), { text: 'Hello there', folded: false });
});

t.test('a message written all in lower case is read in sentence case, offsets and kept spans as they were', async (t) => {
  t.same(sentenceCase('how long does delivery take?? i\'m waiting since monday', 'en'), { text: "How long does delivery take?? I'm waiting since monday", folded: true });
  t.same(sentenceCase('Where is my order?', 'en'), { text: 'Where is my order?', folded: false }, 'a capital anywhere: left as written');
  t.same(sentenceCase("Hey there, i bought a lamp. Can i get a refund? i'm in Rome", 'en'), { text: "Hey there, I bought a lamp. Can I get a refund? I'm in Rome", folded: true }, "but for English's lone i");
  t.equal(sentenceCase('Mail i@example.com or see example.com/i/faq, item i-5', 'en', [{ start: 5, end: 18 }]).text, 'Mail i@example.com or see example.com/i/faq, item i-5', 'not in an address, a path or a code');
  t.equal(sentenceCase('Vorrei restituire i prodotti', 'it').text, 'Vorrei restituire i prodotti', 'an Italian "i" is an article');
  t.equal(sentenceCase('anna@example.com is my e-mail', 'en', [{ start: 0, end: 16 }]).text, 'anna@example.com is my e-mail', 'an e-mail address opening it stays');
  t.equal(sentenceCase('wo ist mein paket?', 'de').text, 'Wo ist mein paket?', 'only English gets its "I"; sentence starts in every language');
  t.equal(readMessage('how long does standard delivery take?').questions[0]!.text, 'How long does standard delivery take?', 'readMessage reads it so');
});
