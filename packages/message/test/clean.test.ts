import t from 'tap';
import { readMessage, type ReadMessage } from '../src/index.js';

type Parts = Partial<Pick<ReadMessage, 'text' | 'greeting' | 'signOff' | 'signature' | 'quoted' | 'footer' | 'customerName'>>;

/** [language, message, what reading it must give]. */
type Case = [string, string, Parts];

const framed: Case[] = [
  [
    'en',
    'Hi there,\n\nMy order BC-4410273 never arrived.\nCan you check?\n\nThanks,\nMaria\n\nSent from my iPhone\n\nOn Mon, Jan 5, 2026 at 10:00 AM Support <support@example.com> wrote:\n> Hello Maria,\n> your order shipped.',
    {
      text: 'My order BC-4410273 never arrived.\nCan you check?',
      greeting: 'Hi there,',
      signOff: 'Thanks,',
      signature: 'Maria\n\nSent from my iPhone',
      quoted: 'On Mon, Jan 5, 2026 at 10:00 AM Support <support@example.com> wrote:\n> Hello Maria,\n> your order shipped.',
      customerName: 'Maria',
    },
  ],
  [
    'en',
    'Dear Sir or Madam,\r\n\r\nwhere is my parcel?\r\n\r\nBest regards\r\nJohn Smith\r\nAcme Ltd\r\n\r\n-----Original Message-----\r\nFrom: Support [mailto:support@example.com]\r\nSent: Monday\r\n\r\nHello',
    { text: 'Where is my parcel?', greeting: 'Dear Sir or Madam,', signOff: 'Best regards', signature: 'John Smith\nAcme Ltd', customerName: 'John Smith' },
  ],
  ['en', 'Hi, my order never arrived. Where is it?\n\nCheers, Tom', { text: 'My order never arrived. Where is it?', greeting: 'Hi,', signOff: 'Cheers, Tom', customerName: 'Tom' }],
  ['en', 'Hello team,\n\nthe app crashes on login.\n--\nJane Doe | +44 20 7946 0958', { text: 'The app crashes on login.', greeting: 'Hello team,', signature: '--\nJane Doe | +44 20 7946 0958', customerName: 'Jane Doe' }],
  [
    'it',
    'Buongiorno,\n\nho ordinato un frullatore (ordine BC-4481532) ma è arrivato rotto. Posso avere un rimborso?\n\nCordiali saluti\nAnna Rossi\n\nIl giorno lun 5 gen 2026 alle ore 10:00 Supporto <s@example.it> ha scritto:\n> Gentile cliente,\n> grazie',
    {
      text: 'Ho ordinato un frullatore (ordine BC-4481532) ma è arrivato rotto. Posso avere un rimborso?',
      greeting: 'Buongiorno,',
      signOff: 'Cordiali saluti',
      signature: 'Anna Rossi',
      quoted: 'Il giorno lun 5 gen 2026 alle ore 10:00 Supporto <s@example.it> ha scritto:\n> Gentile cliente,\n> grazie',
      customerName: 'Anna Rossi',
    },
  ],
  ['it', 'Ciao, il codice sconto non funziona. Grazie', { text: 'Il codice sconto non funziona.', greeting: 'Ciao,', signOff: 'Grazie' }],
  ['it', 'Salve, mi chiamo Giulia Bianchi. Il pacco non è arrivato.', { text: 'Il pacco non è arrivato.', greeting: 'Salve,', customerName: 'Giulia Bianchi' }],
  [
    'de',
    'Sehr geehrte Damen und Herren,\n\nmeine Bestellung 123456 ist nicht angekommen. Wann kommt sie?\n\nMit freundlichen Grüßen\nHans Müller\n\nAm 05.01.2026 um 10:00 schrieb Support <s@example.de>:\n> Hallo',
    {
      text: 'Meine Bestellung 123456 ist nicht angekommen. Wann kommt sie?',
      greeting: 'Sehr geehrte Damen und Herren,',
      signOff: 'Mit freundlichen Grüßen',
      signature: 'Hans Müller',
      quoted: 'Am 05.01.2026 um 10:00 schrieb Support <s@example.de>:\n> Hallo',
      customerName: 'Hans Müller',
    },
  ],
  ['de', 'Hallo zusammen,\nkann ich die Sneaker tauschen?\n\nViele Grüße\nJulia', { text: 'Kann ich die Sneaker tauschen?', greeting: 'Hallo zusammen,', signOff: 'Viele Grüße', signature: 'Julia', customerName: 'Julia' }],
  ['de', 'Guten Tag, das Paket ist beschädigt.\n\nLG', { text: 'Das Paket ist beschädigt.', greeting: 'Guten Tag,', signOff: 'LG' }],
  [
    'ru',
    'Здравствуйте!\n\nЗаказ № 12345 до сих пор не пришёл. Когда его доставят?\n\nС уважением,\nАнна Иванова\n\n-----Исходное сообщение-----\nОт: Support <s@example.ru>\nОтправлено: 5 января\n\nпривет',
    {
      text: 'Заказ № 12345 до сих пор не пришёл. Когда его доставят?',
      greeting: 'Здравствуйте!',
      signOff: 'С уважением,',
      signature: 'Анна Иванова',
      quoted: '-----Исходное сообщение-----\nОт: Support <s@example.ru>\nОтправлено: 5 января\n\nпривет',
      customerName: 'Анна Иванова',
    },
  ],
  ['ru', 'Добрый день, меня зовут Олег. Сайт не открывается.\n\nСпасибо', { text: 'Сайт не открывается.', greeting: 'Добрый день,', signOff: 'Спасибо', customerName: 'Олег' }],
  ['ru', 'Привет. Почта не работает!', { text: 'Почта не работает!', greeting: 'Привет.' }],
  // A dash and a name sign the message, after its last sentence or on a line of its own.
  ['en', "hey there, my discount code SAVE10 says expired but your email said it's valid till sunday?? annoyed. - Kai", { text: "My discount code SAVE10 says expired but your email said it's valid till sunday?? annoyed.", signOff: '- Kai', customerName: 'Kai' }],
  ['en', 'The parcel never came.\n— Anna Rossi', { text: 'The parcel never came.', signOff: '— Anna Rossi', customerName: 'Anna Rossi' }],
  // A name alone below a blank line signs the message; the lines after it are its signature.
  ['en', 'I still see two charges. When will the second one disappear?\n\nAndrea', { text: 'I still see two charges. When will the second one disappear?', signOff: 'Andrea', customerName: 'Andrea' }],
  ['en', 'What compensation do I get under your SLA?\n\nTom Becker\nBecker Bikes', { text: 'What compensation do I get under your SLA?', signOff: 'Tom Becker', signature: 'Becker Bikes', customerName: 'Tom Becker' }],
  ['en', 'hiii 👋😊 so I ordered click & collect, is it there?? 🙏', { text: 'So I ordered click & collect, is it there?? 🙏', greeting: 'hiii 👋😊' }],
  // A mail app's line in the reader's languages, above a quote or at the end, is a signature.
  ['it', 'Il record MX non si salva. Devo mettere il punto alla fine?\n\nInviato da iPhone\n\nIl giorno 13 mar 2025, alle ore 11:20, Hostwell <supporto@hostwell.com> ha scritto:\n\nGentile cliente,\nmodifichi i record MX.', { text: 'Il record MX non si salva. Devo mettere il punto alla fine?', signature: 'Inviato da iPhone' }],
  ['ru', 'Можно вернуть деньги подарочным сертификатом?\n\nОтправлено с iPhone\n\n> 12 марта 2025 г., в 13:47, Brightcart <help@brightcart.co.uk> пишет:\n> Мы получили ваш возврат.', { text: 'Можно вернуть деньги подарочным сертификатом?', signature: 'Отправлено с iPhone' }],
  ['de', 'Die Seite geht nicht. Was tun?\n\nGesendet von meinem Samsung Galaxy Smartphone.', { text: 'Die Seite geht nicht. Was tun?', signature: 'Gesendet von meinem Samsung Galaxy Smartphone.' }],
  ['it', 'Ho inviato da Milano il reso.\nInviato da poco il pacco, quando arriva?', { text: 'Ho inviato da Milano il reso.\nInviato da poco il pacco, quando arriva?' }],
  // Answers written between the lines of a "> " quote are the message, whatever is written above it.
  ['en', 'Hi, answers below.\n\n> 1. Which domain is affected?\n\ntanner-joinery.co.uk\n\n> 2. What does the browser say?\n\nNET::ERR_CERT_COMMON_NAME_INVALID. Can you fix the SSL?', { text: 'Answers below.\n\ntanner-joinery.co.uk\n\nNET::ERR_CERT_COMMON_NAME_INVALID. Can you fix the SSL?', greeting: 'Hi,', quoted: '> 1. Which domain is affected?\n\n> 2. What does the browser say?' }],
  // Apple Mail's forward header in the reader's languages starts the quote, below the note and its sign-off.
  ['it', 'Buongiorno, il pacco risulta consegnato ma non ho ricevuto niente. Potete verificare?\n\nGrazie\nFrancesca\n\nInizio messaggio inoltrato:\n\nDa: Brightcart <no-reply@brightcart.it>\nOggetto: Il tuo ordine è stato consegnato\n\nCiao Francesca, il tuo ordine è stato consegnato.', { text: 'Il pacco risulta consegnato ma non ho ricevuto niente. Potete verificare?', greeting: 'Buongiorno,', signOff: 'Grazie', signature: 'Francesca', quoted: 'Inizio messaggio inoltrato:\n\nDa: Brightcart <no-reply@brightcart.it>\nOggetto: Il tuo ordine è stato consegnato\n\nCiao Francesca, il tuo ordine è stato consegnato.' }],
  // A signature of six lines below the sign-off, office hours included.
  ['en', 'Hello,\n\nCan you restore last night\'s backup?\n\nMany thanks,\n\nGemma Clarke\nMarketing Coordinator\nSt Aldhelm\'s Primary School\nOffice hours: Mon–Thu 8.30am–3.30pm, Fri 8.30am–12pm (term time only)\nTel: 01632 960112', { text: "Can you restore last night's backup?", greeting: 'Hello,', signOff: 'Many thanks,', signature: "Gemma Clarke\nMarketing Coordinator\nSt Aldhelm's Primary School\nOffice hours: Mon–Thu 8.30am–3.30pm, Fri 8.30am–12pm (term time only)\nTel: 01632 960112", customerName: 'Gemma Clarke' }],
  // A name signing above a mail app's line.
  ['en', 'Do you deliver to Ireland and how much is it\n\nCiara\n\nGet Outlook for Android<https://aka.ms/AAb9ysg>', { text: 'Do you deliver to Ireland and how much is it', signOff: 'Ciara', signature: 'Get Outlook for Android<https://aka.ms/AAb9ysg>', customerName: 'Ciara' }],
  // A first line that reads like a subject stays; the greeting below it goes.
  ['en', 'Re: domain expired??\n\nhello, I just got an email saying my domain has expired. Is it lost now?\n\nthanks, Nadia', { text: 'Re: domain expired??\n\nI just got an email saying my domain has expired. Is it lost now?', greeting: 'hello,', signOff: 'thanks, Nadia', customerName: 'Nadia' }],
  ['en', 'Order #BC-3321907\n\nHi, the payment was taken but the order says pending.', { text: 'Order #BC-3321907\n\nthe payment was taken but the order says pending.', greeting: 'Hi,' }],
  // A greeting to the helpdesk's team, with its brand and kind words in any order, goes whole.
  ['en', 'Hello Hostwell support team!\nMy site is down. What now?', { text: 'My site is down. What now?', greeting: 'Hello Hostwell support team!' }],
  ['de', 'Hallo liebes Hostwell-Team,\nmeine Seite ist down. Was tun?', { text: 'Meine Seite ist down. Was tun?', greeting: 'Hallo liebes Hostwell-Team,' }],
  ['it', "Ciao team di Brightcart,\ndov'è il mio ordine?", { text: "Dov'è il mio ordine?", greeting: 'Ciao team di Brightcart,' }],
  ['it', "Buongiorno a tutto il team,\ndov'è il mio ordine?", { text: "Dov'è il mio ordine?", greeting: 'Buongiorno a tutto il team,' }],
  ['ru', 'Привет, команда Hostwell!\n\nСайт не открывается. Что делать?', { text: 'Сайт не открывается. Что делать?', greeting: 'Привет, команда Hostwell!' }],
  ['ru', 'Здравствуйте, уважаемая служба поддержки!\nСайт не открывается.', { text: 'Сайт не открывается.', greeting: 'Здравствуйте, уважаемая служба поддержки!' }],
  // A word that only greets needs no punctuation; before a capitalised word it may be a name or a product, and stays.
  ['en', 'hi ordered the wrong size can i swap it', { text: 'Ordered the wrong size can I swap it', greeting: 'hi' }],
  ['en', 'Hey there my parcel is late', { text: 'My parcel is late', greeting: 'Hey there' }],
  ['it', 'ciao vorrei sapere dove è il mio ordine', { text: 'Vorrei sapere dove è il mio ordine', greeting: 'ciao' }],
  ['ru', 'здравствуйте у меня не работает сайт', { text: 'У меня не работает сайт', greeting: 'здравствуйте' }],
  ['en', 'Hello Kitty lunchbox is out of stock?', { text: 'Hello Kitty lunchbox is out of stock?' }],
  ['de', 'Morgen ist mein Paket nicht da', { text: 'Morgen ist mein Paket nicht da' }],
  // Sign-offs that thank for patience, or thank and wish in one ("Thanks & best,").
  ['en', 'Will that take the site offline?\n\nThanks so much for your patience,\nDeborah Kinsella\nPractice Manager', { text: 'Will that take the site offline?', signOff: 'Thanks so much for your patience,', signature: 'Deborah Kinsella\nPractice Manager', customerName: 'Deborah Kinsella' }],
  ['en', 'Do I need to delete the A record first?\n\nThanks & best,\nNadia', { text: 'Do I need to delete the A record first?', signOff: 'Thanks & best,', signature: 'Nadia', customerName: 'Nadia' }],
  // A ticket system's reply marker: above it is the reply; as the first line, the reply is below it, above the history's rule.
  ['en', 'Can I add a second domain?\n\n##- Please type your reply above this line -##\n\nYour request (#5521) has been solved.', { text: 'Can I add a second domain?', quoted: '##- Please type your reply above this line -##\n\nYour request (#5521) has been solved.' }],
  ['en', '##- Please type your reply above this line -##\n\nIs default._domainkey the right host?\n\nRhys\n\n----------------------------------------------\nYour request (#51277) has been updated.\n\nKevin (Hostwell Support)\nMar 10, 2025, 15:02 GMT\n\nHi Rhys, add the TXT record.', { text: 'Is default._domainkey the right host?', signOff: 'Rhys', customerName: 'Rhys', quoted: '----------------------------------------------\nYour request (#51277) has been updated.\n\nKevin (Hostwell Support)\nMar 10, 2025, 15:02 GMT\n\nHi Rhys, add the TXT record.' }],
  ['en', 'When does my refund arrive?\n\n----------------------------------------------\n\nBrightcart Customer Care (Sofia)\n4 Mar 2025, 09:31\n\nHi Emma, your refund is issued.', { text: 'When does my refund arrive?', quoted: '----------------------------------------------\n\nBrightcart Customer Care (Sofia)\n4 Mar 2025, 09:31\n\nHi Emma, your refund is issued.' }],
  // A rule with no dated reply below it is the customer's own.
  ['en', 'Which plan?\n\n--------------------\nBasic or Pro, both yearly.', { text: 'Which plan?\n\n--------------------\nBasic or Pro, both yearly.' }],
  // A greeting ends at an emoticon or an ellipsis too.
  ['en', 'Hi :)\n\nQuick question… can I pay later?', { text: 'Quick question… can I pay later?', greeting: 'Hi :)' }],
  ['en', 'Hello…\n\nI returned the trainers. When do I get my money?', { text: 'I returned the trainers. When do I get my money?', greeting: 'Hello…' }],
  // A public post addresses the company by its handle.
  ['en', '@brightcart where is my order?? BC-4471930 was due Friday.', { text: 'Where is my order?? BC-4471930 was due Friday.', greeting: '@brightcart' }],
  ['en', '@Hostwell: is your server down?', { text: 'Is your server down?', greeting: '@Hostwell:' }],
  // A first name alone on the last line, right below a line that ends a sentence, signs the message.
  ['en', 'I returned the trainers. Still no refund!!! When will I get it?\n\nVery disappointed :-/\nAisha', { text: 'I returned the trainers. Still no refund!!! When will I get it?\n\nVery disappointed :-/', signOff: 'Aisha', customerName: 'Aisha' }],
  ['en', 'Please send the parcel to\nLondon', { text: 'Please send the parcel to\nLondon' }],
  // "again" after a greeting, in each language, is part of it.
  ['de', 'Hallo nochmal,\nich habe alle 3 Artikel zurückgeschickt. Wo ist mein Geld?', { text: 'Ich habe alle 3 Artikel zurückgeschickt. Wo ist mein Geld?', greeting: 'Hallo nochmal,' }],
  ['it', 'Ciao di nuovo, il rimborso non è arrivato.', { text: 'Il rimborso non è arrivato.', greeting: 'Ciao di nuovo,' }],
  // Words after a greeting that are no team are the message: "Brightcart support never answered" tells something.
  ['en', 'Hello, Brightcart support never answered. Where is my refund?', { text: 'Brightcart support never answered. Where is my refund?', greeting: 'Hello,' }],
];

t.test('greeting, sign-off, signature and quoted reply are removed; the writer is named', async (t) => {
  for (const [language, message, parts] of framed) {
    const reading = readMessage(message, { language });
    const got: Parts = {};
    for (const key of Object.keys(parts) as Array<keyof Parts>) got[key] = reading[key];
    t.same(got, parts, `${language}: ${message.split(/\r?\n/)[0]}`);
    t.notOk(reading.text.includes('>'), 'no quoted line is left');
  }
});

t.test('a greeting is removed only at the start, a sign-off only at the end', async (t) => {
  const cases: Array<[string, string]> = [
    ['I said hello to the courier but he left. Thanks for nothing, the parcel is gone.', 'I said hello to the courier but he left. Thanks for nothing, the parcel is gone.'],
    // "Hello" only greets, with or without its comma; "Morgen" is also "tomorrow", and greets only with punctuation.
    ['Hello I need help with my order', 'I need help with my order'],
    ['Morgen ist mein Geburtstag, kommt das Paket bis dahin?', 'Morgen ist mein Geburtstag, kommt das Paket bis dahin?'],
    ['Hi Maria, the refund is still missing.', 'The refund is still missing.'],
    ['Good morning\nThe refund is still missing.\nBest\nTom', 'The refund is still missing.'],
    ['Helo there, the refund is still missing.', 'The refund is still missing.'],
    ['Hellooo, the refund is still missing.', 'The refund is still missing.'],
    ['The tracking page says - delivered', 'The tracking page says - delivered'],
    ['Which plan is cheaper: Basic - Pro', 'Which plan is cheaper: Basic - Pro'],
    // Below a blank line, what is not a name alone stays: a place, a product, an order number, a message of one line.
    ['How do I reset my password?\n\nOxford Street store', 'How do I reset my password?\n\nOxford Street store'],
    ['Is the Vortex V8 covered?\n\nVortex V8', 'Is the Vortex V8 covered?\n\nVortex V8'],
    ['Order status please\n\nBC-4412345', 'Order status please\n\nBC-4412345'],
    ['Andrea', 'Andrea'],
  ];
  for (const [message, text] of cases) t.equal(readMessage(message).text, text, message);
  t.equal(readMessage('Hi Maria, the refund is still missing.').customerName, undefined, "whom the greeting greets is not the customer");
});

t.test('legal footers are removed', async (t) => {
  const footers: Array<[string, string, string]> = [
    [
      'en',
      'Hi, my order BC-4410273 never arrived.\n\nCheers\nTom\n\nThis e-mail and any attachments are confidential and intended solely for the addressee. If you have received it in error, please delete it.',
      'This e-mail and any attachments are confidential and intended solely for the addressee. If you have received it in error, please delete it.',
    ],
    ['en', 'The invoice shows the wrong VAT.\n\nCONFIDENTIALITY NOTICE: this message is confidential.\nPlease consider the environment before printing this e-mail.', 'CONFIDENTIALITY NOTICE: this message is confidential.\nPlease consider the environment before printing this e-mail.'],
    ['de', 'Die Rechnung ist falsch.\n\nDiese E-Mail enthält vertrauliche Informationen und ist nur für den Empfänger bestimmt.', 'Diese E-Mail enthält vertrauliche Informationen und ist nur für den Empfänger bestimmt.'],
    ['it', 'La fattura è sbagliata.\n\nQuesto messaggio è riservato ed è destinato esclusivamente al destinatario.', 'Questo messaggio è riservato ed è destinato esclusivamente al destinatario.'],
    ['ru', 'Счёт неверный.\n\nЭто письмо и все вложения являются конфиденциальными.', 'Это письмо и все вложения являются конфиденциальными.'],
  ];
  for (const [language, message, footer] of footers) {
    const reading = readMessage(message, { language });
    t.equal(reading.footer, footer, `${language}: footer`);
    t.notOk(reading.text.includes(footer.slice(0, 20)), `${language}: not in the text`);
  }
});

t.test('politeness-only sentences are removed from the text', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['en', 'My order BC-4410273 never arrived. Thanks in advance for your help!', 'My order BC-4410273 never arrived.'],
    ['en', 'Hello,\nI hope you can help me. The invoice shows the wrong VAT. Any help would be appreciated.', 'The invoice shows the wrong VAT.'],
    ['it', 'Il pacco è arrivato rotto. Resto in attesa di un vostro riscontro.', 'Il pacco è arrivato rotto.'],
    ['de', 'Das Paket ist kaputt. Vielen Dank im Voraus!', 'Das Paket ist kaputt.'],
    ['ru', 'Посылка пришла разбитой. Заранее спасибо!', 'Посылка пришла разбитой.'],
  ];
  for (const [language, message, text] of cases) t.equal(readMessage(message, { language }).text, text, message);
});

t.test('when cleaning would leave nothing, the original text is kept', async (t) => {
  for (const message of ['Thanks!', 'Hi,\n\nThanks in advance', '> On Monday you wrote:\n> hello', 'Buongiorno!']) {
    const reading = readMessage(message);
    t.equal(reading.text, message.trim(), JSON.stringify(message));
    t.same(reading.questions, [{ text: reading.text, start: 0, end: reading.text.length, match: reading.text }]);
  }
  t.equal(readMessage('').text, '');
});

t.test('a reply written below the quote, or between its lines, keeps what was written', async (t) => {
  const below = readMessage('On Mon, Jan 5, 2026 at 10:00 AM Support <support@example.com> wrote:\n> Did the parcel arrive?\n\nNo, it did not arrive yet.');
  t.equal(below.text, 'No, it did not arrive yet.');
  t.match(below.quoted, /^On Mon, Jan 5, 2026/);
  const between = readMessage('> Did it arrive?\nNo.\n> Which colour?\nRed, please.');
  t.equal(between.text, 'No.\n\nRed, please.');
  t.equal(between.quoted, '> Did it arrive?\n\n> Which colour?');
});

t.test('a long signature: the name without its title, the rest kept as signature', async (t) => {
  const reading = readMessage('Hello,\n\nMy parcel never came.\n\nKind regards,\nMr. J. Smith\nHead of Purchasing\nAcme Ltd\nTel: +44 20 7946 0958\nwww.acme.co.uk');
  t.equal(reading.text, 'My parcel never came.');
  t.equal(reading.customerName, 'J. Smith');
  t.equal(reading.signature, 'Mr. J. Smith\nHead of Purchasing\nAcme Ltd\nTel: +44 20 7946 0958\nwww.acme.co.uk');
});

t.test('a P.S. after the signature is still message', async (t) => {
  const reading = readMessage('Where is my order?\n\nThanks,\nMaria\n\nP.S. Do you ship to Canada?');
  t.equal(reading.text, 'Where is my order?\n\nP.S. Do you ship to Canada?');
  t.equal(reading.signature, 'Maria');
  t.equal(reading.customerName, 'Maria');
});
