// Russian written in Latin letters is read in Cyrillic where the knowledge base has Russian. Plumbing: the hashing
// encoder has no notion of meaning; the dictionaries are real.
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import t from 'tap';
import { HashingEncoder, KnowledgeBase } from '@answerdesk/core';

t.test('a message in Latin letters is read as Russian, with a note; an English one is not touched', async (t) => {
  const dir = t.testdir();
  const articles = path.join(dir, 'articles');
  await mkdir(articles);
  const article = (id: string, language: string, title: string, body: string) =>
    writeFile(path.join(articles, `${id}.md`), ['---', `id: ${id}`, `title: ${title}`, `language: ${language}`, '---', '', body, ''].join('\n'));
  await article('site-down', 'en', 'Your website is down', 'If your website shows error 503, check the status page first.');
  await article('site-down-ru', 'ru', 'Сайт не работает', 'Если сайт выдаёт ошибку 503, сначала проверьте страницу статуса.');
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  await kb.index([articles]);

  const latin = await kb.suggest('Privet, u menya ne rabotaet sayt, oshibka 503. Chto delat?');
  t.equal(latin.message?.text, 'У меня не работает сайт, ошибка 503. Что делать?');
  t.equal(latin.queryLanguage?.code, 'ru');
  t.ok(latin.notes?.some((note) => note.startsWith('The message is Russian written in Latin letters')), 'the agent is told');

  const plain = await kb.suggest('My website shows error 503, what should I do?');
  t.equal(plain.message?.text, 'My website shows error 503, what should I do?');
  t.notOk(plain.notes?.some((note) => note.includes('Latin letters')));
  const triaged = await kb.triage({ text: 'Privet, u menya ne rabotaet sayt, oshibka 503. Chto delat?' });
  t.equal(triaged.language.code, 'ru', 'triage reads it as Russian too');
  t.equal(triaged.suggestion?.message?.text, 'У меня не работает сайт, ошибка 503. Что делать?');
  const given = await kb.suggest('Privet, u menya ne rabotaet sayt.', { language: 'en' });
  t.notMatch(given.message?.text, /\p{Script=Cyrillic}/u, 'a language the caller gives is taken as given');
});
