import t from 'tap';
import { asksNothing, isFollowUp, isThanksOnly, readMessage } from '@answerdesk/message';

t.test('a message that only thanks or says the matter is solved, in every language the reader knows', async (t) => {
  for (const text of [
    'Thanks, that solved it!',
    'Thank you!',
    'Great, it works now 👍',
    'ok thanks',
    'Perfect, thank you so much!!',
    'It arrived today, thanks!',
    'Grazie mille, tutto risolto.',
    'Danke, hat geklappt!',
    'Спасибо, всё работает',
    'Merci, ça marche maintenant.',
    'Gracias, ya funciona.',
    'Never mind, I found it.',
  ]) {
    t.ok(isThanksOnly(text), text);
  }
  for (const text of [
    "Thanks, but it still doesn't work.",
    'Thanks. Where is my parcel?',
    'Great, thanks. One more thing: can I pay by invoice?',
    'My parcel arrived damaged. Thanks',
    'Hello',
    'Refund',
    'Kommt das Paket morgen',
    'yes please send a new one',
    'Yes',
    'OK.',
    'Ja',
  ]) {
    t.notOk(isThanksOnly(text), text);
  }
});

t.test('questions with nothing to match: a greeting, an order number, punctuation', async (t) => {
  t.ok(asksNothing(['Hello there!']));
  t.ok(asksNothing(['Guten Morgen']));
  t.ok(asksNothing(['?']));
  t.ok(asksNothing(['']));
  t.notOk(asksNothing(['help']));
  t.notOk(asksNothing(['Refund']));
  t.notOk(asksNothing(['Hello', 'Where is my parcel?']), 'one real question is enough');
});

t.test('readMessage says so, after greeting, quote and signature are gone', async (t) => {
  const thanks = readMessage('Hi Tom,\n\nIt arrived today, thanks!\n\nBest,\nAnna\n\nOn Mon, 9 Mar 2026 at 10:12, Support <help@example.com> wrote:\n> Where is your parcel? Can you check?');
  t.equal(thanks.thanksOnly, true, 'a question in the quoted reply does not count');
  t.notOk(thanks.nothingAsked);
  const bare = readMessage('Hi, BC-4412345');
  t.equal(bare.nothingAsked, true, 'an order number alone asks nothing yet');
  t.notOk(bare.thanksOnly);
  const asked = readMessage('Hello, where is my order BC-4412345?');
  t.notOk(asked.thanksOnly || asked.nothingAsked);
  const away = readMessage('Thank you for your email. I am out of the office until 16 March with limited access to email.');
  t.equal(away.autoReply, true);
  t.notOk(away.thanksOnly, 'an automatic reply is that, not thanks');
});

t.test('a message that only chases an earlier one', async (t) => {
  for (const text of ['Any update on this?', 'Hi, still waiting for an answer.', 'Following up on my last email. Thanks', 'Gibt es Neuigkeiten?', 'Ci sono novità?', 'Есть новости?']) {
    t.ok(isFollowUp(text), text);
  }
  for (const text of ['Any update on my refund?', 'Still waiting for my parcel, where is it?', 'Thanks!', 'Did you get my message? My order still has not arrived.']) {
    t.notOk(isFollowUp(text), text);
  }
  const reading = readMessage('Hello again, any news?\n\nBest,\nTom');
  t.equal(reading.followUp, true);
  t.notOk(reading.thanksOnly || reading.nothingAsked);
});

t.test('thanks for an earlier reply is not a question of its own', async (t) => {
  const reading = readMessage('Hi again, thanks for the quick reply yesterday! One more question: can I also return the belt in the same parcel?', { language: 'en' });
  t.same(
    reading.questions.map((question) => question.text),
    ['One more question: can I also return the belt in the same parcel?'],
  );
});
