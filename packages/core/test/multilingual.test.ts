// Answering in the customer's language, with the real offline model (USE-lite, English-only) on
// translated articles from the bundled docs-content.
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { KnowledgeBase, UseLiteEncoder, translationIndex, type KnowledgeDoc } from '@answerdesk/core';

const articles = fileURLToPath(new URL('../../../docs-content/articles', import.meta.url));
const templates = fileURLToPath(new URL('../../../docs-content/templates', import.meta.url));
const FILES = [
  'eshop/eshop-damaged-parcel.md',
  'eshop/it/eshop-damaged-parcel.md',
  'eshop/de/eshop-damaged-parcel.md',
  'eshop/eshop-refund-timelines.md',
  'eshop/it/eshop-refund-timelines.md',
  'eshop/de/eshop-refund-timelines.md',
  'eshop/eshop-reset-password.md',
  'eshop/it/eshop-reset-password.md',
  'eshop/de/eshop-reset-password.md',
  'hosting/hosting-spf-dkim-dmarc.md',
  'hosting/hosting-site-down-status-page.md',
  'hosting/ru/hosting-site-down-status-page.md',
  'hosting/hosting-lets-encrypt-free-ssl.md',
  'hosting/ru/hosting-lets-encrypt-free-ssl.md',
];

t.test('translated articles, indexed with the English-only offline model', async (t) => {
  const dir = t.testdir({});
  const folder = path.join(dir, 'articles');
  for (const file of FILES) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await cp(path.join(articles, file), path.join(folder, file));
  }
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new UseLiteEncoder() });
  t.teardown(() => kb.close());
  await cp(templates, path.join(dir, 'templates'), { recursive: true });
  const report = await kb.index([folder, path.join(dir, 'templates')]);
  t.same(report.errors.map((e) => e.message), []);
  t.equal(report.articles, FILES.length);

  t.test('an Italian message with a greeting is answered from the Italian article, with an Italian draft', async (t) => {
    const s = await kb.suggest('Buongiorno,\n\nil pacco è arrivato danneggiato, la scatola era tutta schiacciata. Cosa devo fare?\n\nGrazie mille,\nLuca');
    t.equal(s.status, 'answered', s.reason ?? '');
    t.match(s.source?.id, /^eshop-damaged-parcel\.it#/);
    t.match(s.queryLanguage, { code: 'it', basis: 'detected', semantic: false });
    t.equal(s.language, 'it');
    t.equal(s.needsTranslation, false);
    t.notMatch(s.message?.text, /Buongiorno|Grazie|Luca/, 'greeting and sign-off are not matched');
    t.equal(s.message?.customerName, 'Luca');
    t.equal(s.draft?.language, 'it');
    t.equal(s.draft?.needsTranslation, false);
    t.match(s.draft?.text, /^Buongiorno Luca/, 'the Italian greeting template, with the name');
    t.ok(s.draft?.text.includes(s.answer!.split('\n')[0]!.slice(0, 40)), 'the answer is in the draft');
    t.match(s.notes?.join(' '), /English-only/, 'the agent is told the model reads only English');
    t.match(s.answers?.[0]?.gloss, /\bparcel\b.*\bdamaged?\b/, 'the question was also searched by its English gloss, learned from the translated articles');
    t.match(s.notes?.join(' '), /gloss from the knowledge base's glossaries and translated articles \("[^"]*parcel/, 'and the agent is told which words');
    t.not(s.confidence.level, 'high', 'matched by its words alone, by a model that cannot read Italian: never High');
  });

  t.test('a German question is answered from the German article', async (t) => {
    const s = await kb.suggest('Ich habe mein Passwort vergessen und die E-Mail zum Zurücksetzen kommt nicht an');
    t.equal(s.status, 'answered', s.reason ?? '');
    t.match(s.source?.id, /^eshop-reset-password\.de#/);
    t.equal(s.language, 'de');
    t.equal(s.needsTranslation, false);
  });

  t.test('a Russian question with no Russian translation is answered from the English article, marked English', async (t) => {
    const s = await kb.suggest('Как настроить записи SPF и DKIM для моего домена?');
    t.equal(s.status, 'answered', s.reason ?? '');
    t.match(s.source?.id, /^hosting-spf-dkim-dmarc#/);
    t.match(s.queryLanguage, { code: 'ru', semantic: false });
    t.equal(s.language, 'en');
    t.equal(s.needsTranslation, true);
    t.equal(s.confidence.level, 'low', 'matched across languages by shared words only: low confidence');
    t.equal(s.draft?.needsTranslation, true, 'the draft is marked for translation');
    t.match(s.notes?.join(' '), /No Russian version of this answer: it is in English; translate it/);
  });

  t.test('a Russian question whose article has a Russian translation gets the Russian section', async (t) => {
    const s = await kb.suggest('Сайт не открывается, выдаёт ошибку 503');
    t.equal(s.status, 'answered', s.reason ?? '');
    t.match(s.source?.id, /^hosting-site-down-status-page\.ru#/);
    t.equal(s.needsTranslation, false);
    t.match(s.answers?.[0]?.gloss, /\berror\b.*\b503\b/, 'glossed from the two Russian articles: "ошибку" is "error", numbers pass as they are');
  });

  t.test('an English question is answered in English and carries no language notes', async (t) => {
    const s = await kb.suggest('How long does a refund to my credit card take?');
    t.equal(s.status, 'answered');
    t.match(s.source?.id, /^eshop-refund-timelines#/);
    t.match(s.queryLanguage, { code: 'en', semantic: true });
    t.equal(s.needsTranslation, false);
    t.equal(s.notes, undefined);
    t.equal(s.answers?.[0]?.gloss, undefined, 'the model reads English: no gloss');
  });

  t.test('search never shows two languages of one section', async (t) => {
    const all: KnowledgeDoc[] = [];
    for (const question of ['Rückerstattung Kreditkarte wie lange', 'rimborso carta di credito quanto tempo', 'refund credit card how long', 'пакет повреждён', 'SSL сертификат Let’s Encrypt']) {
      const { hits } = await kb.search(question, { k: 20 });
      all.push(...hits.map((hit) => hit.doc));
      const families = translationIndex(all);
      const keys = hits.map((hit) => families.keyOf(hit.doc.id) ?? hit.doc.id);
      t.equal(new Set(keys).size, keys.length, `${question}: ${hits.length} hits, each section once`);
      all.length = 0;
    }
    const { hits, language } = await kb.search('Rückerstattung Kreditkarte wie lange', { k: 5 });
    t.equal(language.code, 'de');
    // The three articles of FILES with a German translation; the gloss also finds English sections that have none.
    const german = hits.filter((hit) => hit.doc.kind === 'article' && /^eshop-(damaged-parcel|refund-timelines|reset-password)/.test(hit.doc.id));
    t.ok(german.length > 0, hits.map((hit) => hit.doc.id).join(', '));
    t.ok(german.every((hit) => hit.doc.language === 'de'), 'sections with a German translation are shown in German');
  });

  t.test('the caller can give the language; a bad code is a coded error', async (t) => {
    const s = await kb.suggest('SPF DKIM', { language: 'ru' });
    t.match(s.queryLanguage, { code: 'ru', basis: 'given' });
    const given = await kb.search('Passwort vergessen', { language: 'de', k: 3 });
    t.match(given.language, { code: 'de', basis: 'given' });
    await t.rejects(kb.suggest('hello', { language: 'English please' }), { code: 'ADK_OPTION_INVALID', details: { option: 'language' } });
  });

  t.test('a language filter holds for what is shown', async (t) => {
    const { hits } = await kb.search('Passwort vergessen', { k: 5, filter: { language: 'it' } });
    t.ok(hits.length > 0);
    t.ok(hits.every((hit) => hit.doc.language === 'it'), hits.map((hit) => hit.doc.id).join(', '));
  });
});

t.test("the writers' glossaries reach articles no one translated", async (t) => {
  // docs-content has no Hostwell article in Italian or German: only its glossaries bridge those questions to the English ones.
  const dir = t.testdir({});
  const folder = path.join(dir, 'knowledge');
  const files = ['articles/hosting/hosting-lets-encrypt-free-ssl.md', 'articles/hosting/hosting-change-plan-refund-cancel.md', 'articles/hosting/hosting-automatic-backups-restore.md', 'articles/eshop/eshop-damaged-parcel.md', 'articles/eshop/it/eshop-damaged-parcel.md', 'glossary/it.md', 'glossary/de.md'];
  for (const file of files) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await cp(path.join(articles, '..', file), path.join(folder, file));
  }
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new UseLiteEncoder() });
  t.teardown(() => kb.close());
  const report = await kb.index([folder]);
  t.same(report.errors.map((e) => e.message), []);
  t.match(report, { articles: 5, glossaries: 2 });

  const top = (s: Awaited<ReturnType<typeof kb.suggest>>) => {
    const answer = s.answers![0]!;
    return answer.status === 'answered' ? answer.source?.id : answer.best?.id;
  };
  const italian = await kb.suggest('Buongiorno, il mio sito risulta "non sicuro" nel browser. Come posso attivare il certificato SSL gratuito?');
  t.match(italian.answers?.[0]?.gloss, /not secure.*certificate.*free/, 'glossed with the Italian glossary: no translated article holds these words');
  t.match(top(italian), /^hosting-lets-encrypt-free-ssl#/, 'the English Let\'s Encrypt article is its answer');
  t.equal(italian.language, 'en', 'shown in English…');
  t.equal(italian.needsTranslation, true, '…and marked for translation');
  t.not(italian.confidence.level, 'high');

  const german = await kb.suggest('Ich möchte meinen Hosting-Vertrag kündigen. Wie mache ich das?');
  t.match(german.answers?.[0]?.gloss, /\bcancel\b/);
  t.match(top(german), /^hosting-change-plan-refund-cancel#/);

  // A translated article still answers in the customer's language.
  const parcel = await kb.suggest('Il pacco è arrivato danneggiato, la scatola era tutta schiacciata. Cosa devo fare?');
  t.match(top(parcel), /^eshop-damaged-parcel\.it#/);

  // Of a question whose words the glossary mostly does not know, what it asks is not known: nothing is matched.
  const football = await kb.suggest("Chi è l'allenatore della nazionale italiana di calcio?");
  t.equal(football.status, 'abstained');
  t.match(football.answers?.[0]?.reason, /Written in Italian, and the knowledge base's glossaries and translated articles know [01] of its [3-9] words/);
  t.equal(football.answers?.[0]?.best, undefined, 'not searched: no likeliest source to offer');
});
