import t from 'tap';
import { createSpeller, cyrillicForms, fromLatinRussian, vocabularyOf } from '../src/index.js';

const russian = await createSpeller({ vocabulary: vocabularyOf(['заказ']), language: 'ru' });
const english = await createSpeller({ vocabulary: vocabularyOf(['order']), language: 'en' });
const options = { isRussian: (word: string) => russian.known(word), isEnglish: (word: string) => english.known(word) };

t.test('Russian written in Latin letters is read in Cyrillic, each word checked against the dictionary', async (t) => {
  t.equal(
    fromLatinRussian('Zdravstvuyte! Gde moy zakaz BC-4459217? Oplatila 28 fevralya, no na sayte pochty trek ne nahoditsya. Kogda zhdat dostavku?\n\nSpasibo,\nOlga', options),
    'Здравствуйте! Где мой заказ BC-4459217? Оплатила 28 февраля, но на сайте почты трек не находится. Когда ждать доставку?\n\nСпасибо,\nOlga',
    '"y" as й or ы, "ts" as тс, a soft sign left out ("zhdat"); ids, numbers and a name the dictionary lacks stay',
  );
  t.equal(fromLatinRussian('Privet, u menya ne rabotaet sayt, oshibka 503. Chto delat?', options), 'Привет, у меня не работает сайт, ошибка 503. Что делать?');
  t.ok(cyrillicForms('nahoditsya').includes('находится'));
});

t.test('English, Italian and German are not Russian; nor is Cyrillic, nor a few words', async (t) => {
  for (const text of [
    'Hi, where is my order? It was due on Monday and the tracking has not moved.',
    'Ciao, il pacco è arrivato rotto, cosa devo fare?',
    'Hallo, mein Paket ist nicht angekommen. Was soll ich tun?',
    'Где мой заказ?',
    'Gde zakaz?',
  ]) t.equal(fromLatinRussian(text, options), undefined, text);
});
