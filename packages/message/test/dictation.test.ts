import t from 'tap';
import { readMessage } from '../src/index.js';
import { withSpokenPunctuation } from '../src/dictation.js';

t.test('punctuation a dictation app wrote out as words is written as marks', async (t) => {
  t.equal(
    withSpokenPunctuation("I'm dictating this comma sorry full stop how long does the refund take question mark thanks new paragraph Marcus Bell"),
    "I'm dictating this, sorry. how long does the refund take? thanks\n\nMarcus Bell",
  );
  t.equal(
    withSpokenPunctuation('здравствуйте запятая письмо с картой не пришло точка можно отправить ещё раз вопросительный знак'),
    'здравствуйте, письмо с картой не пришло. можно отправить ещё раз?',
  );
  t.equal(withSpokenPunctuation('Ciao virgola il pacco è rotto punto posso avere il rimborso punto interrogativo'), 'Ciao, il pacco è rotto. posso avere il rimborso?');
  t.equal(withSpokenPunctuation('Hallo Komma mein Paket ist beschädigt Punkt was kann ich tun Fragezeichen'), 'Hallo, mein Paket ist beschädigt. was kann ich tun?');
});

t.test('only a dictated text changes; a word that is also a word stays where it is one', async (t) => {
  const typed = 'Why does my CSV export use a comma, not a semicolon? And where is the question mark button?';
  t.equal(withSpokenPunctuation(typed), typed, 'a message that mentions "comma" has punctuation of its own');
  t.equal(withSpokenPunctuation('I moved my comma key'), 'I moved my comma key', 'one spoken mark is no dictation');
  t.equal(
    withSpokenPunctuation('заказ пришёл в пункт запятая но в точка выдачи его нет запятая что делать вопросительный знак'),
    'заказ пришёл в пункт, но в точка выдачи его нет, что делать?',
    '"точка выдачи" is a pickup point',
  );
});

t.test('readMessage finds the questions of a dictated message', async (t) => {
  const reading = readMessage("hi there I'm driving so I'm dictating this comma sorry full stop I sent back trainers two weeks ago full stop how long does the refund take question mark thanks new paragraph Marcus Bell", { language: 'en' });
  t.equal(reading.text, "I'm driving so I'm dictating this, sorry. I sent back trainers two weeks ago. how long does the refund take?");
  t.equal(reading.signature, 'Marcus Bell', 'the spoken new paragraph puts the name on a line of its own');
  t.notMatch(reading.text, /comma|full stop|question mark/);
});
