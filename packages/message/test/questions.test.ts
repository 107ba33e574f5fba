import t from 'tap';
import { readMessage } from '../src/index.js';
import { splitQuestions } from '../src/questions.js';

/** [language, message, the questions' texts]. */
type Case = [string | undefined, string, string[]];

const several: Case[] = [
  [
    'en',
    'I ordered a blender on Monday. It arrived broken. Can I get a replacement? Also, how do I change my delivery address for the next order?',
    ['I ordered a blender on Monday. It arrived broken. Can I get a replacement?', 'How do I change my delivery address for the next order?'],
  ],
  ['en', 'how long do refunds take to paypal and can i return an opened game?', ['How long do refunds take to paypal?', 'Can I return an opened game?']],
  ['en', 'Can I pay with PayPal? Do you ship to Canada?', ['Can I pay with PayPal?', 'Do you ship to Canada?']],
  ['en', 'Can I get a replacement? I moved last week. How do I change my address?', ['Can I get a replacement?', 'I moved last week. How do I change my address?']],
  ['en', 'The blender arrived broken, can I get a new one? And another thing: my invoice shows the wrong VAT, I would like it corrected.', ['The blender arrived broken, can I get a new one?', 'My invoice shows the wrong VAT, I would like it corrected.']],
  ['en', 'Where is my order?\n\nP.S. Do you ship to Canada?', ['Where is my order?', 'Do you ship to Canada?']],
  ['it', 'Quanto costa la spedizione in Svizzera? Inoltre, posso pagare con bonifico?', ['Quanto costa la spedizione in Svizzera?', 'Posso pagare con bonifico?']],
  ['it', 'Quanto tempo ci vuole per il rimborso e posso restituire un articolo aperto?', ['Quanto tempo ci vuole per il rimborso?', 'Posso restituire un articolo aperto?']],
  ['de', 'Kann ich die Sneaker tauschen? Außerdem: wie lange dauert die Erstattung?', ['Kann ich die Sneaker tauschen?', 'Wie lange dauert die Erstattung?']],
  ['de', 'Wie lange dauert die Lieferung nach Österreich und kann ich per Rechnung zahlen?', ['Wie lange dauert die Lieferung nach Österreich?', 'Kann ich per Rechnung zahlen?']],
  ['ru', 'Когда придёт мой заказ? Кроме того, можно ли изменить адрес доставки?', ['Когда придёт мой заказ?', 'Можно ли изменить адрес доставки?']],
  ['ru', 'Сколько идёт возврат на карту и можно ли вернуть вскрытую игру?', ['Сколько идёт возврат на карту?', 'Можно ли вернуть вскрытую игру?']],
  // "And can/is…" adds a question even when it points back; the question it points back to is its context.
  [
    'en',
    'How long do I have to pick up a click and collect order? And can my husband collect it for me?',
    ['How long do I have to pick up a click and collect order?', 'How long do I have to pick up a click and collect order? And can my husband collect it for me?'],
  ],
  ['en', 'My parcel is late. Where is it? And can I cancel the order?', ['My parcel is late. Where is it?', 'And can I cancel the order?']],
  [
    'en',
    'My mails bounce with "mailbox full". What is the limit? And how do I clear it out?',
    ['My mails bounce with "mailbox full". What is the limit?', 'My mails bounce with "mailbox full". What is the limit? And how do I clear it out?'],
  ],
  // A label before the question ("Two things:") does not hide the question joined after it.
  ['en', 'Two things: how long does a refund to PayPal take, and can I return an item I bought on sale?', ['Two things: how long does a refund to PayPal take?', 'Can I return an item I bought on sale?']],
  // "And if …, how …?" asks again after a clause: a question of its own, with what it points back to as context.
  [
    'en',
    'Do you sell commercial certificates? And if we buy one from another vendor, how do we install it?',
    ['Do you sell commercial certificates?', 'Do you sell commercial certificates? And if we buy one from another vendor, how do we install it?'],
  ],
  ['de', 'Kann ich per Rechnung zahlen? Und wenn nicht, welche Zahlungsarten gibt es?', ['Kann ich per Rechnung zahlen?', 'Und wenn nicht, welche Zahlungsarten gibt es?']],
  // "Also" after a problem told without a question: the problem is a matter of its own.
  [
    'en',
    "Thunderbird keeps asking me for my password over and over, even though it's correct. Also, which port should the outgoing server use?",
    ["Thunderbird keeps asking me for my password over and over, even though it's correct.", 'Which port should the outgoing server use?'],
  ],
  // A list's markers (and its label) are not part of the questions.
  ['en', '1) how long does delivery to Ireland take?\n2) can I pay with Klarna?', ['How long does delivery to Ireland take?', 'Can I pay with Klarna?']],
  ['en', "Questions:\n- Do you ship to Norway?\n- What's the return window?", ['Do you ship to Norway?', "What's the return window?"]],
  // …a label of several words on its own line, and a numbered item the sentence segmenter would split after its number.
  ['en', "I have two questions:\n1) how much is shipping to Italy?\n2) can I pay cash on delivery?", ['How much is shipping to Italy?', 'Can I pay cash on delivery?']],
  ['it', 'Ho due domande:\n1) quanto costa la spedizione in Italia?\n2) posso pagare in contrassegno?', ['Quanto costa la spedizione in Italia?', 'Posso pagare in contrassegno?']],
  ['de', 'Zwei Fragen:\n- Was kostet der Versand nach Österreich?\n- Kann ich per Nachnahme zahlen?', ['Was kostet der Versand nach Österreich?', 'Kann ich per Nachnahme zahlen?']],
  ['ru', 'У меня два вопроса:\n1. Сколько стоит доставка в Казахстан?\n2. Можно ли оплатить при получении?', ['Сколько стоит доставка в Казахстан?', 'Можно ли оплатить при получении?']],
  // A German yes/no question starts with its verb.
  ['de', 'Ich möchte meinen Vertrag kündigen. Wie mache ich das und bekomme ich Geld zurück?', ['Ich möchte meinen Vertrag kündigen. Wie mache ich das?', 'Bekomme ich Geld zurück?']],
];

const single: Case[] = [
  ['en', 'My parcel says delivered but it never came. What should I do?', []],
  ['en', 'Where is my order? When will it arrive?', []],
  ['en', 'Do you ship to Canada? How much does it cost?', []],
  ['en', 'Can I get a refund? Or a replacement?', []],
  ['en', 'Can I return it? And how?', []],
  // "How long does it take?" has one word of its own besides "how long does it": it asks about the question before it.
  ['en', 'Is it possible to pick up my order in a store? How long does it take?', []],
  // Joined within one sentence, a half that points back stays with the first.
  ['en', 'What are the delivery options and what do they cost?', []],
  ['en', 'When I opened the box, it was broken. The glass is cracked.', []],
  ['en', 'How do I reset my password and log in again?', []],
  // A few words before "Also, …?" are its context, not a matter of their own.
  ['en', "My order hasn't arrived. Also, can you tell me where it is?", []],
  ['en', 'Quick question: can I pay by bank transfer?', []],
  ['it', 'Il frullatore è arrivato rotto. Posso avere un rimborso?', []],
  ['de', 'Also, ich habe das Paket nicht bekommen. Wo ist es?', []],
  ['ru', 'Заказ не пришёл. Где он?', []],
];

t.test('a message about several things gives one question per thing, each with its context', async (t) => {
  for (const [language, message, expected] of several) {
    const reading = readMessage(message, language ? { language } : {});
    t.same(
      reading.questions.map((q) => q.text),
      expected,
      message,
    );
    for (const question of reading.questions) {
      t.ok(question.start >= 0 && question.end <= reading.text.length && question.start < question.end, 'offsets inside the text');
    }
  }
});

t.test('one question, or statements only, give the whole text', async (t) => {
  for (const [language, message] of single) {
    const reading = readMessage(message, language ? { language } : {});
    t.same(reading.questions, [{ text: reading.text, start: 0, end: reading.text.length, match: reading.text }], message);
  }
});

t.test('offsets point at the sentences in the cleaned text', async (t) => {
  const reading = readMessage('Hi,\n\nI ordered a blender on Monday. It arrived broken. Can I get a replacement? Also, how do I change my delivery address?\n\nThanks,\nAnna');
  const [first, second] = reading.questions;
  t.equal(reading.text.slice(first!.start, first!.end), 'I ordered a blender on Monday. It arrived broken. Can I get a replacement?');
  t.equal(reading.text.slice(second!.start, second!.end), 'Also, how do I change my delivery address?');
});

t.test('at most four questions; splitting can be turned off', async (t) => {
  const text = 'Can I pay with PayPal? Do you ship to Canada? Is there a student discount? Where are your stores? Are you hiring staff?';
  const questions = splitQuestions(text, { language: 'en' });
  t.equal(questions.length, 4);
  t.equal(questions[3]!.text, 'Where are your stores? Are you hiring staff?', 'the rest stays with the last');
  t.equal(splitQuestions(text, { maxQuestions: 2 }).length, 2);
  t.same(readMessage(text, { splitQuestions: false }).questions, [{ text, start: 0, end: text.length, match: text }]);
});

t.test('each numbered question is a point of its own, whatever "it" or "that" in it points back to', async (t) => {
  const text = 'A few things about my last order:\n\n1) The blender arrived with a cracked jug – do I return the whole thing?\n2) The cushion covers have not arrived at all, was that a separate parcel?\n3) Can I return the lamp to the store instead of posting it?';
  t.same(
    splitQuestions(text, { language: 'en' }).map((q) => q.text),
    ['A few things about my last order: The blender arrived with a cracked jug – do I return the whole thing?', 'The cushion covers have not arrived at all, was that a separate parcel?', 'Can I return the lamp to the store instead of posting it?'],
  );
  t.equal(splitQuestions('Where is my order? When will it arrive?', { language: 'en' }).length, 1, 'written as sentences, a question about the same thing stays with the first');
  t.same(
    splitQuestions('Two things:\n\n1) My order goes to my old flat. Can you change the address?\n\n2) Separate thing - my partner wants to delete her account. Can she do it in the app?', { language: 'en' }).map((q) => q.text),
    ['My order goes to my old flat. Can you change the address?', 'My partner wants to delete her account. Can she do it in the app?'],
    'an item opened by statements is a point of its own too',
  );
});

t.test("a reply's subject asks nothing of its own; \"While I have you\" and \"separately\" start another matter", async (t) => {
  t.same(
    splitQuestions('Re: How did we do? (Ticket #883014)\n\n5 - Jenny was really helpful sorting my exchange, thank you.\n\nWhile I have you: can I use a gift card on the website?', { language: 'en' }).map((q) => q.text),
    ['Re: How did we do? (Ticket #883014) 5 - Jenny was really helpful sorting my exchange, thank you.', 'Can I use a gift card on the website?'],
  );
  t.same(splitQuestions('Re: domain expired??\n\nI got an email saying my domain has expired. Is it lost now?', { language: 'en' }).length, 1, 'the subject is the context of the question below it');
  t.same(
    splitQuestions('Can I switch to yearly billing now? Separately, is there a stricter spam filter for my mailbox?', { language: 'en' }).map((q) => q.text),
    ['Can I switch to yearly billing now?', 'Is there a stricter spam filter for my mailbox?'],
  );
});

t.test('"So my actual question is:" sets aside what came before it as background', async (t) => {
  const text = "I've been a loyal customer for years. On Saturday the store said they don't do online stuff.\n\nSo my actual question is: am I allowed to exchange an item bought online in one of your stores? Your website says yes.";
  t.same(splitQuestions(text, { language: 'en' }).map((q) => q.text), ['Am I allowed to exchange an item bought online in one of your stores? Your website says yes.']);
  t.same(splitQuestions('Ho comprato un divano. È arrivato rotto. Insomma la mia domanda è: posso avere un rimborso?', { language: 'it' }).map((q) => q.text), ['Posso avere un rimborso?']);
  t.same(splitQuestions('Der Kunde davor hatte dasselbe Problem. Meine eigentliche Frage ist: kann ich im Laden umtauschen?', { language: 'de' }).map((q) => q.text), ['Kann ich im Laden umtauschen?']);
  t.same(splitQuestions('The question is whether you ship to Norway.', { language: 'en' }).map((q) => q.text), ['The question is whether you ship to Norway.'], 'a statement about the question stays as written');
});
