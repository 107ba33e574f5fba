// Tools for writers, without a model: facts and yes/no policies read from text, how a ticket's facts are
// matched with a section's, article drafts from docs-content's tickets, and drafts never published.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import {
  HashingEncoder,
  KnowledgeBase,
  conflictingFacts,
  draftArticle,
  draftFromTickets,
  extractFacts,
  parseArticle,
  policyConflicts,
  policyStatements,
  readTickets,
  sameValue,
  ticketDoc,
  ticketVerdict,
  topicTerms,
  type KnowledgeDoc,
} from '@answerdesk/core';
import { extractEntities } from '@answerdesk/message';

const docsContent = fileURLToPath(new URL('../../../docs-content', import.meta.url));
const DAY = 24;

t.test('facts: durations, amounts and percentages with what they are about', async (t) => {
  const cases: Array<[string, Array<{ kind: string; unit: string; low: number; high: number; text: string }>]> = [
    ['Refunds take 3–5 business days.', [{ kind: 'duration', unit: 'working-days', low: 3 * DAY, high: 5 * DAY, text: '3–5 business days' }]],
    ['Items can be returned within 30 days of delivery.', [{ kind: 'duration', unit: 'days', low: 30 * DAY, high: 30 * DAY, text: '30 days' }]],
    ["You're still inside our 30-day return window.", [{ kind: 'duration', unit: 'days', low: 30 * DAY, high: 30 * DAY, text: '30-day' }]],
    ['It can take up to 10 working days.', [{ kind: 'duration', unit: 'working-days', low: 0, high: 10 * DAY, text: 'up to 10 working days' }]],
    ['The link is valid for 1 hour.', [{ kind: 'duration', unit: 'hours', low: 1, high: 1, text: '1 hour' }]],
    ['Certificates are valid for 24 months.', [{ kind: 'duration', unit: 'months', low: 2 * 365 * DAY, high: 2 * 365 * DAY, text: '24 months' }]],
    ['Express delivery costs €9.99.', [{ kind: 'amount', unit: 'EUR', low: 9.99, high: 9.99, text: '€9.99' }]],
    ['A 20% discount applies.', [{ kind: 'percent', unit: 'percent', low: 20, high: 20, text: '20%' }]],
    ['Die Rücksendung ist innerhalb von 14 Tagen kostenlos.', [{ kind: 'duration', unit: 'days', low: 14 * DAY, high: 14 * DAY, text: '14 Tagen' }]],
    ['Backups run between 01:00 and 05:00 UTC on March 19th.', []],
  ];
  for (const [text, expected] of cases) {
    const language = /Tagen/.test(text) ? 'de' : 'en';
    t.match(extractFacts(text, language), expected, text);
    t.equal(extractFacts(text, language).length, expected.length, `${text}: nothing else`);
  }
  t.ok(sameValue({ low: 3, high: 5 }, { low: 5, high: 5 }), 'ranges that meet agree');
  t.notOk(sameValue({ low: 14, high: 14 }, { low: 30, high: 30 }));

  const [kept] = extractFacts('Our automatic daily backups are kept for 14 days, so the oldest one is from March 19th.');
  t.same(kept!.topic.sort(), ['automat', 'backup', 'daili', 'kept'], 'a fact is about the words of its clause, not its number or the next clause');

  const table = extractFacts('Service | How often | How long restore points are kept\nShared hosting | Daily | 30 days\nVPS with the Backup add-on | Daily | 14 days');
  t.equal(table.length, 2, 'one fact per cell with a value; the header row is no fact');
  t.match(table[1], { text: '14 days', sentence: 'VPS with the Backup add-on | Daily | 14 days' });
  t.ok(table[1]!.topic.includes('kept'), "a cell is about its column's header");
  t.same(table[1]!.qualifier, topicTerms('VPS with the Backup add-on'), "and qualified by its row's label");

  t.equal(extractFacts('The €95 total will come off the €110 coat.')[0]!.rule, false, "one case's sum is no price");
  t.equal(extractFacts('Express delivery costs €9.99.')[0]!.rule, true, 'what something costs is');
});

t.test('a ticket fact conflicts only with section facts about the same thing, that apply to its case', async (t) => {
  const section = extractFacts('Service | How long restore points are kept\nShared hosting | 30 days\nVPS with the Backup add-on | 14 days\nA problem you only discover after 30 days cannot be fixed from our backups.');
  const scope = new Set(topicTerms('Automatic backups: How long restore points are kept'));
  const ticket = (resolution: string, body = 'Can you restore my site from three weeks ago?') => ({
    facts: extractFacts(resolution),
    terms: new Set(topicTerms(`${body}\n${resolution}`)),
  });
  const check = (t14: ReturnType<typeof ticket>) => conflictingFacts([{ section: 'backups#kept', facts: section, scope }], t14.facts, { ticket: t14.terms });

  const wrong = check(ticket('Our automatic daily backups are kept for 14 days.'));
  t.equal(wrong.length, 1, '14 days for shared hosting: the VPS row does not apply, the sentence says 30');
  t.match(wrong[0], { kind: 'duration', in: 'backups#kept', ticket: { text: '14 days' }, section: { text: '30 days' } });
  t.same(check(ticket('Our automatic daily backups are kept for 30 days.')), [], 'the same value agrees');
  t.same(check(ticket('Backups of a VPS with the Backup add-on are kept for 14 days.', 'My VPS broke')), [], 'a ticket about a VPS agrees with the VPS row');
  t.same(check(ticket('The download link is valid for 7 days.')), [], 'a fact about something else is no conflict');

  const elsewhere = conflictingFacts(
    [
      { section: 'a#near', facts: extractFacts('Incoming moves are accepted within 7 days.'), scope: new Set(topicTerms('Move a domain')) },
      { section: 'a#other', facts: extractFacts('The domain cannot be moved to another registrar for 60 days after the change.'), scope: new Set(topicTerms('Change the owner')), agreeOnly: true },
    ],
    extractFacts('The domain cannot be moved to another registrar for 60 days after the change.'),
    { ticket: new Set(topicTerms('transfer the domain to a new owner')) },
  );
  t.same(elsewhere, [], 'another section of the article stating the value is agreement');

  const common = new Set(['deliveri', 'date']);
  t.same(
    conflictingFacts(
      [{ section: 'missing', facts: extractFacts('Report it within 14 days of the delivery date.'), scope: new Set() }],
      extractFacts('The original 30-day window counts from the delivery date.'),
      { ticket: new Set(), distinctive: (term) => !common.has(term) },
    ),
    [],
    'words every other document has ("delivery", "date") do not make two facts one',
  );
});

t.test('yes/no policies and the yes or no a ticket opened with', async (t) => {
  const statements = policyStatements(
    [
      'Not refundable: domain registrations, renewals and transfers; commercial SSL certificates that have already been issued.',
      'Gift certificates are non-refundable.',
      "Sale items can't be returned.",
      "After 30 days, hosting fees aren't refunded.",
      'Delivery is free on orders over €50.',
    ].join('\n'),
  );
  t.match(statements, [
    { polarity: 'no', predicate: 'refund', text: 'domain registrations, renewals and transfers' },
    { polarity: 'no', predicate: 'refund', text: 'commercial SSL certificates that have already been issued' },
    { polarity: 'no', predicate: 'refund', subject: ['gift', 'certif'] },
    { polarity: 'no', predicate: 'return', subject: ['sale', 'item'] },
  ]);
  t.equal(statements.length, 4, 'conditional rules ("after 30 days", "over €50") are no flat yes or no');
  t.same(policyStatements('Nicht erstattungsfähig: Domains.', 'de'), [], 'English only');

  const renewal = { text: 'Renewed without me wanting it\nMy hosting auto-renewed on May 29. Can you refund?', answer: 'Yes. The renewal was charged 6 days ago, so I have refunded it.', language: 'en' };
  const verdict = ticketVerdict(renewal)!;
  t.match(verdict, { polarity: 'yes', asked: ['refund'] });
  const conflicts = policyConflicts(statements, verdict);
  t.equal(conflicts.length, 1, 'the renewals rule, not the SSL one');
  t.match(conflicts[0], { section: { text: 'domain registrations, renewals and transfers' }, shared: ['renew'] });
  t.equal(ticketVerdict({ ...renewal, answer: 'No need to worry: it is refunded.' }), undefined, '"No need…" is no verdict');
  t.equal(ticketVerdict({ ...renewal, text: 'My hosting auto-renewed. What now?' }), undefined, 'a customer who asked for no refund, return… gets no verdict on one');
  t.same(policyConflicts(statements, { ...verdict, polarity: 'no' }), [], 'the same polarity agrees');
});

/** Every detail of a ticket a draft must not repeat: what the message extractor finds in it, and its identifier labels. */
function detailsOf(ticket: KnowledgeDoc, ownDomains: readonly string[]): string[] {
  const own = (text: string) => ownDomains.some((domain) => text.toLowerCase().includes(domain));
  const found = [ticket.text, ticket.answer].flatMap((text) => extractEntities(text).map((entity) => entity.text));
  const labels = Object.values(ticket.labels ?? {}).filter((value) => /[\d@.]/.test(value));
  const hosts = [...found, ...labels].filter((text) => /[@.]/.test(text)).map((text) => text.replace(/^.*@/, '').split('.')[0]!);
  return [...new Set([...found, ...labels, ...hosts.filter((host) => host.length >= 5)])].filter((text) => !own(text) && text.length >= 3);
}

t.test('an article drafted from three docs-content tickets that resolve one problem', async (t) => {
  const { tickets } = await readTickets(path.join(docsContent, 'tickets', 'resolved.jsonl'));
  const docs = new Map(tickets.map((ticket) => [ticket.id, ticketDoc(ticket)]));
  // Setting up a mail app: the same server settings and ports in three resolutions.
  const ids = ['T-10015', 'T-10077', 'T-10110'];
  const ownDomains = ['hostwell.net'];
  const draft = draftArticle(ids.map((id) => docs.get(id)!), { title: 'Set up your e-mail app', ownDomains });

  const article = parseArticle(draft.markdown, { file: 'drafts/mail-app.md' });
  t.match(article, { id: 'set-up-your-e-mail-app', title: 'Set up your e-mail app', category: 'email', language: 'en', draft: true }, 'the front matter parses');
  t.match(draft.markdown, /^---\n[^]*\ndraft: true\nfrom-tickets: \[T-10015, T-10077, T-10110\]\n---\n/, 'marked a draft, with the tickets it came from');
  t.ok(article.tags.includes('imap') && article.tags.includes('smtp'), `tags from the tickets: ${article.tags.join(', ')}`);
  t.match(draft.markdown, /\n# Set up your e-mail app\n/);
  t.match(draft.markdown, /\n## What to do\n\n1\. [^\n]+\n2\. [^\n]+/, 'numbered steps under a heading');
  t.ok(article.sections.some((section) => section.heading === 'What to do'), 'a section a writer can publish once it is checked');
  t.equal(draft.steps, 2);
  t.equal((draft.markdown.match(/port 465/g) ?? []).length, 1, 'the outgoing server settings two tickets gave are said once');
  t.match(draft.markdown, /mail\.hostwell\.net/, "the helpdesk's own mail server stays");
  t.notMatch(draft.markdown, /\b(?:thanks|thank you|sorry)\b/i, 'no thanks or apologies to that customer');
  t.match(draft.markdown, /<!-- For the writer: what agents did[^]*T-10110: removed the block\.[^]*-->/, 'what agents did is a comment for the writer');
  const published = (markdown: string) => markdown.replace(/<!--[^]*?-->/g, '');
  t.notMatch(published(draft.markdown), /\bI['’]ve\b|\bI have\b|\bI['’]ll\b/, 'no first-person claim where readers will see it');

  for (const id of ids) {
    for (const detail of detailsOf(docs.get(id)!, ownDomains)) t.notOk(draft.markdown.toLowerCase().includes(detail.toLowerCase()), `${id}'s "${detail}" is not in the draft`);
  }
  t.same(draft.placeholders.sort(), ['[domain]', '[e-mail address]'], 'what the writer fills in');

  // Another problem, with amounts, order numbers, a card ending and a bank reference in the tickets.
  const refunds = ['T-10012', 'T-10071', 'T-10148'];
  const refundDraft = draftArticle(refunds.map((id) => docs.get(id)!));
  t.match(refundDraft.markdown, /Card refunds take 3–5 business days after we process them/);
  for (const id of refunds) {
    for (const detail of detailsOf(docs.get(id)!, [])) t.notOk(refundDraft.markdown.includes(detail), `${id}'s "${detail}" is not in the draft`);
  }
  t.notMatch(refundDraft.markdown, /€\s?\d|(?<!T-)\d{5,}|BC-\d/, 'no amount, reference or order number at all, comments for the writer included');
  t.equal(parseArticle(refundDraft.markdown, { file: 'refunds.md' }).draft, true);
});

t.test('drafts are never published or indexed, and say so', async (t) => {
  const article = (id: string, extra = '') => `---\nid: ${id}\ntitle: ${id}\ncategory: help\n${extra}---\n\n## About ${id}\n\nEverything about ${id}.\n`;
  const dir = t.testdir({ articles: { 'live.md': article('live'), 'wip.md': article('wip', 'draft: true\n') }, 'tickets.jsonl': `${JSON.stringify({ id: 'T-1', subject: 'Mail app', body: 'How do I set up mail on anna@example.org?', resolution: 'Use port 993 for IMAP.' })}\n` });
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());

  const published = await kb.publish(path.join(dir, 'articles'));
  t.same(published.plan.added, ['live'], 'the draft is not published');
  t.same(published.plan.drafts, [{ id: 'wip', file: 'wip.md' }], 'and the plan says it was skipped');
  t.same(kb.articleIds, ['live']);

  // A published article marked a draft again is withdrawn, as its writer asked.
  await writeFile(path.join(dir, 'articles', 'live.md'), article('live', 'draft: true\n'));
  const withdrawn = await kb.publish(path.join(dir, 'articles'));
  t.same(withdrawn.plan.removed, ['live']);
  t.equal(withdrawn.plan.drafts?.length, 2);

  await writeFile(path.join(dir, 'articles', 'live.md'), article('live', 'draft: false\n'));
  const indexed = await kb.index([path.join(dir, 'articles'), path.join(dir, 'tickets.jsonl')]);
  t.equal(indexed.articles, 1, 'index reads the published article');
  t.same(indexed.drafts, [{ id: 'wip', file: `${path.join(dir, 'articles').split(path.sep).join('/')}/wip.md` }], 'and says which draft it left out');
  t.same(kb.articleIds, ['live']);
  t.throws(() => parseArticle('---\ndraft: maybe\n---\n\nText.\n', { file: 'x.md' }), { code: 'ADK_ARTICLE_FIELD_INVALID', message: /field "draft" must be true or false/ });

  await t.rejects(draftFromTickets(kb, ['T-1', 'T-404', 'live#about-live']), { code: 'ADK_TICKETS_NOT_FOUND', details: { ids: 'T-404, live#about-live', found: 1, given: 3 } }, 'unknown ids, and ids of articles, are named');
  await t.rejects(draftFromTickets(kb, [' ']), { code: 'ADK_OPTION_INVALID' });
  const draft = await draftFromTickets(kb, ['T-1']);
  t.notMatch(draft.markdown, /anna|example\.org/, "the customer's address from the message is gone");
  t.equal(await readFile(path.join(dir, 'articles', 'wip.md'), 'utf8').then((text) => text.includes('draft: true')), true);
});
