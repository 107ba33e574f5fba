// Tenancy: two knowledge bases (tenants) in one PostgreSQL database never see each other's
// documents, hits, suggestions, feedback, categorizers, counts or versions, even where they use the
// same document ids and the same folder. On PGlite with pgvector, and on the server named by
// ANSWERDESK_TEST_DATABASE_URL when it is set. HashingEncoder (a deterministic embedder with no
// notion of meaning) is enough: these are claims about what is visible, not about answer quality.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { HashingEncoder, type KnowledgeDoc, type KnowledgeService, type SearchHit, type Ticket } from '@answerdesk/core';
import { PgKnowledgeBase } from '@answerdesk/core/postgres';
import { PgDocumentStore, type Database } from '@answerdesk/postgres';
import { dropAfter, eachTarget, uniqueTenant } from './databases.js';
import { markdown, type ArticleSpec, type TapTest } from './fixtures.js';

/** Everything a tenant writes names its brand, so any document can be told apart by its text. */
const brand = (doc: KnowledgeDoc) => {
  const text = JSON.stringify(doc);
  return text.includes('Acme') && !text.includes('Globex') ? 'Acme' : text.includes('Globex') && !text.includes('Acme') ? 'Globex' : 'both or neither';
};
const brands = (hits: readonly SearchHit[]) => [...new Set(hits.map((hit) => brand(hit.doc)))];
const ids = (hits: readonly SearchHit[]) => hits.map((hit) => hit.doc.id);

const refundArticle = (company: string, days: string): ArticleSpec => ({
  id: 'refund-card',
  title: 'Refunds to a credit card',
  category: 'billing',
  tags: ['refund'],
  intro: `${company} sends every refund back to the card that paid for the order.`,
  sections: { 'How long a card refund takes': `${company} card refunds take ${days} business days after the parcel reaches the warehouse.` },
});

const acmeOnly: ArticleSpec = {
  id: 'acme-loyalty',
  title: 'Loyalty points',
  category: 'loyalty',
  sections: { 'Zeppelin points': 'Acme Zeppelin points are earned on every order and can be spent at checkout.' },
};
const globexOnly: ArticleSpec = {
  id: 'globex-hosting',
  title: 'Quasar hosting',
  category: 'hosting',
  intro: 'Globex Quasar hosting plans include a free SSL certificate.',
  sections: { 'Moving a site to Quasar': 'Globex migrates one site for free; open a ticket with the current host details.' },
};
/** A help article both tenants keep in a folder of the same path. */
const commonArticle = (company: string, id: string): ArticleSpec => ({
  id,
  title: `Opening hours ${id}`,
  category: 'contact',
  sections: { 'Phone support': `${company} phone support answers on weekdays from nine to five.` },
});

const acmeTickets: Ticket[] = [
  { id: 'T-1', subject: 'Refund missing', body: 'Acme has not refunded my returned boots.', resolution: 'Acme issued the refund on Monday.', category: 'billing' },
  { id: 'T-2', subject: 'Points missing', body: 'My Acme Zeppelin points did not show up after the order.', resolution: 'Acme added 120 points by hand.', category: 'loyalty' },
];
const globexTickets: Ticket[] = [{ id: 'T-1', subject: 'Site down', body: 'My Globex site shows a 503 error.', resolution: 'Globex restarted the web server.', category: 'hosting' }];

async function openTenant(t: TapTest, db: Database, knowledgeBase: string): Promise<KnowledgeService> {
  // Tickets embed their resolution too (two passages each), as the counts below say.
  const kb = await PgKnowledgeBase.open({ database: db, knowledgeBase, encoder: new HashingEncoder(), passages: { tickets: 'question-and-resolution' } });
  t.teardown(() => kb.close());
  return kb;
}

eachTarget(t, async (t, target) => {
  const db = await target.connection(t);
  const dir = t.testdir({
    acme: { 'refund-card.md': markdown(refundArticle('Acme', 'five')), 'acme-loyalty.md': markdown(acmeOnly) },
    globex: { 'refund-card.md': markdown(refundArticle('Globex', 'ten')), 'globex-hosting.md': markdown(globexOnly) },
    common: {},
  });
  const acmeId = uniqueTenant('acme');
  const globexId = uniqueTenant('globex');
  dropAfter(t, db, acmeId);
  dropAfter(t, db, globexId);
  const acme = await openTenant(t, db, acmeId);
  const globex = await openTenant(t, db, globexId);
  // Another service process serving the Acme tenant, on its own connection where there are several.
  const acmeElsewhere = await openTenant(t, await target.connection(t), acmeId);

  await acme.publish(path.join(dir, 'acme'));
  await globex.publish(path.join(dir, 'globex'));
  await acme.addTickets(acmeTickets);
  await globex.addTickets(globexTickets);
  const acmeCounts = { documents: 3 + 2, articles: 3, tickets: 2, passages: 3 + 2 * 2 };
  const globexCounts = { documents: 4 + 1, articles: 4, tickets: 1, passages: 4 + 2 };

  t.test('documents and counts: same ids, each tenant its own', async (t) => {
    const pick = (kb: KnowledgeService) => ({ documents: kb.stats.documents, articles: kb.stats.articles, tickets: kb.stats.tickets, passages: kb.stats.passages });
    t.same(pick(acme), acmeCounts);
    t.same(pick(globex), globexCounts);
    t.same(acme.articleIds, ['acme-loyalty', 'refund-card']);
    t.same(globex.articleIds, ['globex-hosting', 'refund-card']);
    t.same(acme.categories, ['billing', 'loyalty']);
    t.same(globex.categories, ['billing', 'hosting']);
    const section = 'refund-card#how-long-a-card-refund-takes';
    t.match(await acme.document(section), { text: /^Acme card refunds take five/ });
    t.match(await globex.document(section), { text: /^Globex card refunds take ten/ });
    t.match(await acme.document('T-1'), { answer: 'Acme issued the refund on Monday.' });
    t.match(await globex.document('T-1'), { answer: 'Globex restarted the web server.' });
    t.equal(await globex.document('acme-loyalty#zeppelin-points'), undefined, "another tenant's document is not there");
    t.equal(await globex.document('T-2'), undefined);
    t.equal(await acme.document('globex-hosting#quasar-hosting'), undefined);
    await acmeElsewhere.refresh();
    t.same(pick(acmeElsewhere), acmeCounts, 'another process serving the same tenant sees the same');
    t.same(acmeElsewhere.articleIds, acme.articleIds);
    t.ok(acme.location.endsWith(`#${acmeId}`) && globex.location.endsWith(`#${globexId}`), 'the location names the tenant');
  });

  t.test('search in every mode finds only the tenant\'s own documents', async (t) => {
    const question = 'Acme Zeppelin points refund card Globex Quasar hosting';
    for (const mode of ['hybrid', 'vector', 'lexical'] as const) {
      const a = await acme.search(question, { mode, k: 100 });
      const g = await globex.search(question, { mode, k: 100 });
      t.ok(a.hits.length > 0 && g.hits.length > 0, `${mode}: both find something`);
      t.same(brands(a.hits), ['Acme'], `${mode}: Acme sees Acme documents only`);
      t.same(brands(g.hits), ['Globex'], `${mode}: Globex sees Globex documents only`);
    }
    const everything = await globex.search('Acme Zeppelin points are earned on every order', { mode: 'vector', k: 100 });
    t.equal(everything.hits.length, globexCounts.documents, 'the nearest neighbours of an Acme passage, in Globex, are all and only Globex documents');
    // The language is given: one word alone is read as Finnish, which stems it differently.
    t.same(ids((await acme.search('Zeppelin', { mode: 'lexical', language: 'en' })).hits).sort(), ['T-2', 'acme-loyalty#zeppelin-points'], 'Acme finds its word');
    t.same((await globex.search('Zeppelin', { mode: 'lexical', language: 'en' })).hits, [], 'a word only Acme uses finds nothing in Globex');
    t.same((await globex.search('refund', { mode: 'vector', k: 100, filter: { category: 'loyalty' } })).hits, [], "a filter on another tenant's category finds nothing");
  });

  t.test('suggestions cite the tenant\'s own sources', async (t) => {
    const question = 'Loyalty points: Zeppelin points. Acme Zeppelin points are earned on every order and can be spent at checkout.';
    const a = await acme.suggest(question);
    t.match(a, { status: 'answered', source: { id: 'acme-loyalty#zeppelin-points' } });
    const g = await globex.suggest(question);
    const sources = [g.source, ...g.alternatives.map((alt) => alt.source)].filter((s) => s !== undefined);
    for (const source of sources) {
      const doc = await globex.document(source.id);
      t.equal(doc && brand(doc), 'Globex', `${source.id} is a Globex document`);
    }
    t.notMatch(g.answer ?? '', /Acme/, 'no Acme text in a Globex answer');
    const refund = await globex.suggest('Refunds to a credit card: How long a card refund takes. Globex card refunds take ten business days after the parcel reaches the warehouse.');
    t.match(refund, { status: 'answered', source: { id: 'refund-card#how-long-a-card-refund-takes' }, answer: /^Globex/ }, 'the same section id answers with the tenant\'s own text');
  });

  t.test('feedback, categorizers and versions are per tenant', async (t) => {
    const entry = await acme.recordFeedback({ query: 'points missing', sourceId: 'acme-loyalty#zeppelin-points', helpful: true });
    t.same((await acme.feedback()).map((f) => f.id), [entry.id]);
    t.same(await globex.feedback(), [], "Globex does not see Acme's feedback");
    await t.rejects(globex.recordFeedback({ query: 'points missing', sourceId: 'acme-loyalty#zeppelin-points', helpful: true }), { code: 'ADK_DOCUMENT_NOT_FOUND' }, "feedback cannot cite another tenant's document");
    const own = await globex.recordFeedback({ query: 'site down', sourceId: 'T-1', helpful: false });
    t.same((await globex.feedback()).map((f) => f.id), [own.id]);
    t.same((await acme.feedback()).map((f) => f.id), [entry.id]);

    const globexVersion = (await globex.verify()).snapshot;
    const info = await acme.train({ field: 'category' });
    t.same(info.labels, ['billing', 'loyalty']);
    await globex.refresh();
    t.same(globex.categorizerFields, [], "Acme's categorizer is not Globex's");
    await t.rejects(globex.categorize(['my refund is late']), { code: 'ADK_CATEGORIZER_NOT_TRAINED' });
    t.equal((await globex.triage({ text: 'my refund is late', language: 'en' }, { suggest: false })).category, undefined);
    await acmeElsewhere.refresh();
    t.same(acmeElsewhere.categorizerFields, ['category'], 'the other Acme process has it');
    t.equal((await globex.verify()).snapshot, globexVersion, "Acme's writes do not move Globex's version (no false conflicts)");

    const globexInfo = await globex.train({ field: 'category', examples: [{ text: 'site is down', label: 'outage' }, { text: 'invoice is wrong', label: 'invoices' }, { text: 'server error 503', label: 'outage' }] });
    t.same(globexInfo.labels, ['invoices', 'outage']);
    await acme.refresh();
    t.same(acme.categorizer('category')!.labels, ['billing', 'loyalty'], 'the same field trained in Globex leaves Acme\'s alone');

    const a = await acme.verify();
    const g = await globex.verify();
    t.ok(a.ok && g.ok, [...a.problems, ...g.problems].join('; '));
    t.match(a, { counts: { documents: acmeCounts.documents, sections: 3, articles: 2, tickets: 2, passages: acmeCounts.passages }, categorizers: ['category'], feedback: 1 });
    t.match(g, { counts: { documents: globexCounts.documents, sections: 4, articles: 2, tickets: 1, passages: globexCounts.passages }, categorizers: ['category'], feedback: 1 });
  });

  t.test('writes in one tenant never touch the other, even with the same ids and folder', async (t) => {
    // The same ticket, word for word, in both tenants: each stores and embeds its own.
    const same: Ticket = { id: 'T-9', subject: 'Acme and Globex', body: 'A customer of both Acme and Globex asks about invoices.', resolution: 'Each company sends its own invoice.' };
    t.match(await acme.addTickets([same]), { updated: 1, embedded: 2 });
    t.match(await globex.addTickets([same]), { updated: 1, unchanged: 0, embedded: 2, reused: 0 }, "Globex neither skips the ticket nor reuses Acme's vectors");

    t.equal(await acme.remove(['T-1']), 1);
    t.equal(await acme.removeArticles(['refund-card']), 2);
    t.match(await globex.document('T-1'), { answer: 'Globex restarted the web server.' }, "Acme's remove leaves Globex's T-1");
    t.same(globex.articleIds, ['globex-hosting', 'refund-card'], "Acme's removeArticles leaves Globex's article");
    t.ok(await globex.document('refund-card#how-long-a-card-refund-takes'));

    // Both tenants publish one folder (the same path); an article deleted and published for Acme stays in Globex.
    const common = path.join(dir, 'common');
    await writeFile(path.join(common, 'hours.md'), markdown(commonArticle('Acme and Globex', 'hours')));
    await writeFile(path.join(common, 'holidays.md'), markdown(commonArticle('Acme and Globex', 'holidays')));
    t.same((await acme.publish(common)).plan.added, ['holidays', 'hours']);
    t.same((await globex.publish(common)).plan.added, ['holidays', 'hours'], 'new to Globex although Acme has them');
    await rm(path.join(common, 'holidays.md'));
    const acmePublish = await acme.publish(common);
    t.same(acmePublish.plan.removed, ['holidays']);
    t.same(globex.articleIds, ['globex-hosting', 'holidays', 'hours', 'refund-card']);
    await globex.refresh();
    t.ok(await globex.document('holidays#phone-support'), "Globex's copy is still there");
    const globexDry = await globex.publish(common, { dryRun: true });
    t.same(globexDry.plan.removed, ['holidays'], "Globex's own plan sees its own copy to remove");

    // Globex republishes its folder without one article: Acme is untouched.
    await rm(path.join(dir, 'globex', 'globex-hosting.md'));
    t.same((await globex.publish(path.join(dir, 'globex'))).plan.removed, ['globex-hosting']);
    await acme.refresh();
    t.same(acme.articleIds, ['acme-loyalty', 'hours'], 'Acme: only its own writes show');
    t.ok(await acme.document('acme-loyalty#zeppelin-points'));
    const a = await acme.verify();
    const g = await globex.verify();
    t.ok(a.ok && g.ok, [...a.problems, ...g.problems].join('; '));
  });

  t.test('a new tenant starts empty, and dropping one leaves the other intact', async (t) => {
    const thirdId = uniqueTenant('initech');
    dropAfter(t, db, thirdId);
    const third = await openTenant(t, db, thirdId);
    t.same([third.stats.documents, third.articleIds, third.categories, third.categorizerFields], [0, [], [], []]);
    t.same((await third.search('Acme Globex refund', { mode: 'vector', k: 100 })).hits, []);
    t.equal((await third.suggest('Acme Zeppelin points')).status, 'abstained');
    t.same(await third.feedback(), []);

    const before = { documents: globex.stats.documents, ids: globex.articleIds, feedback: (await globex.feedback()).length };
    await new PgDocumentStore({ db, knowledgeBase: acmeId }).drop();
    await globex.refresh();
    t.same({ documents: globex.stats.documents, ids: globex.articleIds, feedback: (await globex.feedback()).length }, before, 'Globex is as it was');
    t.ok((await globex.verify()).ok);
    await t.rejects(acmeElsewhere.refresh(), { code: 'ADK_DATABASE_KB_NOT_FOUND' }, 'a process of the dropped tenant is told so');
  });
});
