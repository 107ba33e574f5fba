import t from 'tap';
import { createSpeller, readMessage, vocabularyOf } from '../src/index.js';

const message = [
  'Hello Brightcart team,',
  '',
  'my name is Anna Rossi. I ordered a blender on January 3rd (order BC-4410273) and paid €89.90 with my Visa ending 2291. It arrived broken. Can I get a replacement?',
  'Also, how do I change my delivery adress to 12 Baker Street, London NW1 6XE for the next order?',
  '',
  'Thanks in advance!',
  'Anna',
  '+44 20 7946 0958',
  '',
  'On Mon, Jan 5, 2026 at 10:00 AM Brightcart Support <support@brightcart.com> wrote:',
  '> Hello Anna, your order BC-4410273 has shipped.',
].join('\n');

t.test('the whole reading of one message', async (t) => {
  const speller = await createSpeller({ vocabulary: vocabularyOf(['Change your delivery address in My account.']), language: 'en' });
  const reading = readMessage(message, { language: 'en', speller });
  t.equal(reading.original, message);
  t.equal(
    reading.text,
    'I ordered a blender on January 3rd (order BC-4410273) and paid €89.90 with my Visa ending 2291. It arrived broken. Can I get a replacement?\nAlso, how do I change my delivery address to 12 Baker Street, London NW1 6XE for the next order?',
  );
  t.same(
    reading.questions.map((q) => q.text),
    [
      'I ordered a blender on January 3rd (order BC-4410273) and paid €89.90 with my Visa ending 2291. It arrived broken. Can I get a replacement?',
      'How do I change my delivery address to 12 Baker Street, London NW1 6XE for the next order?',
    ],
  );
  t.equal(reading.greeting, 'Hello Brightcart team,');
  t.equal(reading.signOff, 'Thanks in advance!');
  t.equal(reading.signature, 'Anna\n+44 20 7946 0958');
  t.match(reading.quoted, /^On Mon, Jan 5, 2026 .* wrote:\n> Hello Anna/);
  t.equal(reading.customerName, 'Anna');
  t.same(reading.corrections, [{ from: 'adress', to: 'address' }]);
  t.equal(reading.capsFolded, false);

  // Entities are found in the original, quoted part included, at their offsets there.
  t.same(
    reading.entities.map((e) => `${e.kind}:${e.value}`),
    [
      'name:Anna Rossi',
      'date:January 3',
      'order:BC-4410273',
      'amount:89.90 EUR',
      'card:2291',
      'address:12 Baker Street, London NW1 6XE',
      'name:Anna',
      'phone:+442079460958',
      'date:Jan 5, 2026',
      'email:support@brightcart.com',
      'order:BC-4410273',
    ],
  );
  for (const entity of reading.entities) t.equal(message.slice(entity.start, entity.end), entity.text, `${entity.kind} at its offsets`);
});

t.test("a question is matched without the customer's identifiers and shown with them", async (t) => {
  const reading = readMessage(message, { language: 'en' });
  t.same(
    reading.questions.map((q) => q.match),
    [
      'I ordered a blender on January 3rd (order) and paid €89.90 with my. It arrived broken. Can I get a replacement?',
      'How do I change my delivery adress to 12 Baker Street, London NW1 6XE for the next order?',
    ],
    'the order number and the card go; the date, the amount and the address stay',
  );
  t.match(reading.questions[0]!.text, /\(order BC-4410273\).*Visa ending 2291/u);
  const cases: Array<[string, string]> = [
    ['Invoice #INV-8841 is wrong, can you resend it?', 'Invoice is wrong, can you resend it?'],
    ['My order BC-4430712 (tracking 1Z999AA10123456784) never came. Call me on +44 20 7946 0958.', 'My order (tracking) never came. Call me on.'],
    // E-mail addresses and domains are often what a hosting question is about.
    ['How do I create info@mybakery.co.uk?', 'How do I create info@mybakery.co.uk?'],
    ['My website mybakery.co.uk shows error 503', 'My website mybakery.co.uk shows error 503'],
    // Nothing but an identifier: it is matched as written.
    ['BC-4430712', 'BC-4430712'],
  ];
  for (const [text, match] of cases) t.same(readMessage(text, { language: 'en' }).questions.map((q) => q.match), [match], text);
});

t.test('emoji: a greeting may end with one, and none is matched', async (t) => {
  const chat = readMessage('hey 👋 is there a way to pay in 3 instalments? 🙏');
  t.equal(chat.greeting, 'hey 👋');
  t.same(chat.questions.map((q) => [q.text, q.match]), [['Is there a way to pay in 3 instalments? 🙏', 'Is there a way to pay in 3 instalments?']]);
  const lines = readMessage('Hello! 👋\nWhere is my parcel? 📦');
  t.equal(lines.greeting, 'Hello! 👋');
  t.same(lines.questions.map((q) => q.match), ['Where is my parcel?']);
  t.same(readMessage('👍').questions.map((q) => q.match), ['👍'], 'an emoji alone is matched as written');
});

t.test('a forward with nothing, or a few words, above it is read as the forwarded message', async (t) => {
  const forward = readMessage(
    '---------- Forwarded message ---------\nFrom: Mum <jane.doe@gmail.com>\nDate: Tue, 10 Mar 2026\nSubject: gift\n\nCan you check if this gift card still has money on it?\n\nThanks, Emma',
  );
  t.same(forward.questions.map((q) => q.text), ['Can you check if this gift card still has money on it?'], 'never the forward header');
  t.equal(forward.customerName, 'Emma');
  const fyi = readMessage('FYI\n\n---------- Forwarded message ---------\nFrom: Brightcart <no-reply@brightcart.com>\nSubject: Your order\n\nYour payment was declined. Why?');
  t.equal(fyi.text, 'FYI\n\nYour payment was declined. Why?');
  const italian = readMessage('---------- Messaggio inoltrato ---------\nDa: Marco <m@example.it>\nData: 10 mar 2026\nOggetto: reso\nA: me\n\nQuanto tempo ci vuole per il rimborso?');
  t.same(italian.questions.map((q) => q.text), ['Quanto tempo ci vuole per il rimborso?']);
  // A question written above the forward is the message; the forward stays a quote.
  const asked = readMessage('Hi, why was my payment declined? See the e-mail below.\n\n---------- Forwarded message ---------\nFrom: Brightcart <no-reply@brightcart.com>\n\nYour payment was declined.');
  t.equal(asked.text, 'Why was my payment declined? See the e-mail below.');
  t.match(asked.quoted, /Your payment was declined\./);
});

t.test('corrections never touch entities', async (t) => {
  const speller = await createSpeller({ vocabulary: vocabularyOf(['street address order']), language: 'en', dictionary: false });
  const reading = readMessage('Send it to 12 Bakr Streat please, my adress changed.', { speller, language: 'en' });
  t.equal(reading.text, 'Send it to 12 Bakr Streat please, my address changed.');
  t.same(reading.corrections, [{ from: 'adress', to: 'address' }]);
});

t.test('Italian, German and Russian messages', async (t) => {
  const cases: Array<[string, string, string, string[], string | undefined]> = [
    [
      'it',
      'Buongiorno,\nho reso delle scarpe (ordine BC-4479018) e il 3 marzo mi è arrivata la mail con 64,90 €. Quando arriva il rimborso? Inoltre, posso cambiare la mail del mio account?\n\nGrazie,\nGiulia',
      'Ho reso delle scarpe (ordine BC-4479018) e il 3 marzo mi è arrivata la mail con 64,90 €. Quando arriva il rimborso? Inoltre, posso cambiare la mail del mio account?',
      ['order:BC-4479018', 'date:3 marzo', 'amount:64.90 EUR', 'name:Giulia'],
      'Giulia',
    ],
    [
      'de',
      'Hallo,\nich hab am 2.9. eine Jacke (Bestellung BC-4712846) zurückgeschickt. Wie lange dauert das denn noch??\n\nMfG\nPeter Schulz',
      'Ich hab am 2.9. eine Jacke (Bestellung BC-4712846) zurückgeschickt. Wie lange dauert das denn noch??',
      ['date:2.9.', 'order:BC-4712846', 'name:Peter Schulz'],
      'Peter Schulz',
    ],
    [
      'en',
      // A company after the name on a one-line message's sign-off: all of it goes, the name is the writer's.
      'Hello, our domain hostwell-test.com expires tomorrow and auto-renew failed. If I pay today will the site stay online? Regards, Tom Becker, Becker Tools Ltd',
      'Our domain hostwell-test.com expires tomorrow and auto-renew failed. If I pay today will the site stay online?',
      ['domain:hostwell-test.com', 'name:Tom Becker'],
      'Tom Becker',
    ],
    [
      'en',
      // …and a role before the company.
      'Good morning, we run a small charity and would like to know if you offer discounts for non-profit organisations on hosting plans. Kind regards, Fiona Hale, Treasurer, Oakfield Animal Rescue',
      'We run a small charity and would like to know if you offer discounts for non-profit organisations on hosting plans.',
      ['name:Fiona Hale'],
      'Fiona Hale',
    ],
    [
      'it',
      // The sign-off ends the question's line and a signature follows: neither is matched, and the name is the writer's.
      'Salve, il sito mostra errore 500 da stamattina. Cosa posso fare? Grazie mille\nLuca Verdi\nTel. 333 1234567',
      'Il sito mostra errore 500 da stamattina. Cosa posso fare?',
      ['name:Luca Verdi'],
      'Luca Verdi',
    ],
    [
      'ru',
      'Добрый день. Бухгалтерия вчера оплатила счет HW-INV-2026-118402 банковским переводом. Когда сайт заработает??\n\nС уважением,\nОльга',
      'Бухгалтерия вчера оплатила счет HW-INV-2026-118402 банковским переводом. Когда сайт заработает??',
      ['invoice:HW-INV-2026-118402', 'name:Ольга'],
      'Ольга',
    ],
  ];
  for (const [language, original, text, entities, name] of cases) {
    const reading = readMessage(original, { language });
    t.equal(reading.text, text, `${language}: text`);
    t.same(reading.entities.map((e) => `${e.kind}:${e.value}`), entities, `${language}: entities`);
    t.equal(reading.customerName, name, `${language}: name`);
  }
});

t.test('a default country reads phone numbers without +', async (t) => {
  const reading = readMessage('Please call me back on 020 7946 0958.', { defaultCountry: 'GB' });
  t.same(reading.entities.map((e) => e.value), ['+442079460958']);
});

t.test('invalid input is a coded error', async (t) => {
  t.throws(() => readMessage(undefined as unknown as string), { code: 'ADK_MESSAGE_INVALID' });
  t.throws(() => readMessage('hi', { speller: {} as never }), { code: 'ADK_OPTION_INVALID', message: /speller/ });
  t.throws(() => readMessage('hi', { language: 4 as unknown as string }), { code: 'ADK_OPTION_INVALID', message: /language/ });
});

t.test('automatic replies: out of office, in the reader languages, and not a customer who is away', async (t) => {
  const automatic = [
    'Thank you for your email. I am out of the office until 16 March with limited access to email. For urgent matters please contact my colleague.',
    'Automatic reply: Re: your order BC-4412345\n\nI am away until Monday.',
    'This is an automated response. We have received your message.',
    'Abwesenheitsnotiz: Ihre Bestellung\n\nIch bin bis zum 20. März nicht im Büro. In dringenden Fällen wenden Sie sich an meine Kollegin.',
    'Sono fuori ufficio fino al 12 marzo con accesso limitato alla posta. Per urgenze contattare la collega.',
    'Здравствуйте! Я в отпуске до 15 марта. По срочным вопросам обращайтесь к коллеге.',
  ];
  for (const text of automatic) t.equal(readMessage(text).autoReply, true, text.slice(0, 40));
  const customers = [
    "I'm on holiday until Monday, can you hold my parcel?",
    'How do I set up an auto-reply for my mailbox?',
    'Auto-reply is not working on my mailbox',
    'Ich bin im Urlaub, kann ich die Lieferung verschieben?',
  ];
  for (const text of customers) t.equal(readMessage(text).autoReply, undefined, text);
});

t.test("a chat pasted into a message: the customer's lines are matched, the company's bot and agents are not", async (t) => {
  const web = readMessage(
    '[14:02] Visitor: hello\n[14:02] Hostwell Bot: Hi! What can I help you with today?\n[14:03] Visitor: my nameserver change is not showing after 30 hours\n[14:04] Hostwell Bot: Changes can take up to 48 hours.\n[14:05] Visitor: can a human check it?\n[14:31] Visitor has left the chat.',
  );
  t.equal(web.text, 'Hello\n\nMy nameserver change is not showing after 30 hours\n\nCan a human check it?', 'the bot, the stamps, the names and the chat\'s events go');
  const whatsapp = readMessage(
    'My husband sent me this:\n\n[18/03/2025, 08:47:12] Mark: did the delivery come yet\n[18/03/2025, 12:15:03] Mark: it says out for delivery since 7am\n[18/03/2025, 17:33:20] Me: nobody knocked\n\nWhen will it be redelivered?',
  );
  t.equal(whatsapp.text, 'My husband sent me this:\n\ndid the delivery come yet\nit says out for delivery since 7am\nnobody knocked\n\nWhen will it be redelivered?', 'both sides of a customer\'s own chat stay, without stamps and names');
  const operator = readMessage('Клиент (15:11): не приходят письма\nОператор Анна (15:14): Подскажите домен\nКлиент (15:14): luchik-detsad.ru\n\nЧто с почтой?', { language: 'ru' });
  t.equal(operator.text, 'не приходят письма\n\nluchik-detsad.ru\n\nЧто с почтой?', "the operator's lines go");
  t.equal(readMessage('The site was down at [14:02]: error 503.\nAgain at [15:10]: same.').text, 'The site was down at [14:02]: error 503.\nAgain at [15:10]: same.', 'two times quoted in a message are no chat');
});

t.test("a contact form's message: the customer's words are matched, the name field names them", async (t) => {
  const form = readMessage(
    'Name: John Carter\nEmail: john.carter@example.com\nOrder number: BC-4412345\nSubject: Delivery\nMessage: My parcel has not arrived yet, it was due on Friday. Where is it?',
  );
  t.equal(form.text, 'My parcel has not arrived yet, it was due on Friday. Where is it?');
  t.equal(form.customerName, 'John Carter');
  t.same(
    form.entities.filter((e) => e.kind === 'order' || e.kind === 'email').map((e) => e.text),
    ['john.carter@example.com', 'BC-4412345'],
    'the other fields still give their details',
  );
  const split = readMessage('First name: Maria\nLast name: Rossi\nE-mail: maria@example.it\nMessage:\nHello, can I return a gift?\nThanks');
  t.same(split.questions.map((q) => q.text), ['Can I return a gift?'], 'the message on the lines below its label, greeting and thanks removed');
  t.equal(split.customerName, 'Maria Rossi', 'a first and a last name field');
  t.equal(readMessage('Nome: Luca Verdi\nEmail: luca@example.it\nMessaggio: Quanto costa la spedizione?').text, 'Quanto costa la spedizione?');
  const hinted = readMessage('Name: Gary Holloway\nEmail*: gary@example.co.uk\nOrder number (if applicable):\nSubject: Gift card\nMessage: The gift card code says not valid. Has it been activated?');
  t.equal(hinted.text, 'The gift card code says not valid. Has it been activated?', 'a hint in brackets or a required mark before the colon, and an empty field');
  t.equal(hinted.customerName, 'Gary Holloway');
  const topic = readMessage(
    'Vorname: Lena\nNachname: Schuster\nE-Mail: lena@example.de\nAnliegen: Zahlung\nNachricht: Ich habe per PayPal bezahlt, die Bestellung wurde aber storniert. Bekomme ich das Geld zurück?\n\nDiese Nachricht wurde über das Kontaktformular auf brightcart.de gesendet',
    { language: 'de' },
  );
  t.equal(topic.text, 'Zahlung\nIch habe per PayPal bezahlt, die Bestellung wurde aber storniert. Bekomme ich das Geld zurück?', 'every field of the customer\'s words stays (the question had been blanked with the topic field kept)');
  t.equal(topic.footer, 'Diese Nachricht wurde über das Kontaktformular auf brightcart.de gesendet', "the form's own line is a footer");
  // One field, or fields without a message, are no form.
  t.equal(readMessage('Subject: refund\nI want my money back').text, 'Subject: refund\nI want my money back');
  t.equal(readMessage('Note: I already tried resetting.\nError: login fails').text, 'Note: I already tried resetting.\nError: login fails');
});
