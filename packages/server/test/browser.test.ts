// End to end: the agent page in a real browser (Debian's chromium driven by
// playwright-core) against a real server on loopback, over a knowledge base
// embedded with the real offline model (USE-lite), because the test claims
// semantic behaviour: a customer question gets the right sourced answer.
// Hostile article and ticket text must show as text and never run.
//
// The rendering of the suggestion's parts (reply draft, one answer per question,
// tables, "Read as", similar tickets) is checked twice: against fixed suggestions
// (page.route answers POST /v1/triage with the JSON below, so every part and edge
// is certain to be there whatever the pipeline picks; everything else, the page,
// the source viewer, feedback, still goes to the real server), and end to end,
// where the real pipeline's reply must be rendered as it is.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { KnowledgeBase } from '@answerdesk/core';
import { createServer } from '@answerdesk/server';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const eshop = path.join(repoRoot, 'docs-content/articles/eshop');
const artifacts = path.join(repoRoot, 'test-artifacts');
const screenshotPath = path.join(artifacts, 'agent-page.png');

const KEY = 'desk-secret-0123456789abcdef';
const KEY_NAME = 'agent-page';

// Real articles on distinct topics; the questions below were checked to land on them.
// eshop-delivery-options-costs holds a markdown table (delivery options compared).
const REAL_ARTICLES = ['eshop-parcel-missing-items', 'eshop-refund-timelines', 'eshop-reset-password', 'eshop-promo-code-not-working', 'eshop-delivery-options-costs'];

// A hostile article: raw HTML, an inline event handler and a javascript: link in the markdown.
const HOSTILE_ARTICLE = `---
id: gift-cards
title: Check the balance of a gift certificate
category: gift-certificate
language: en
tags: [gift-certificate, balance]
---

Gift certificates never expire while they have money on them.

## Check your gift certificate balance

To see how much is left on a gift certificate, open **My account > Gift certificates** and enter the 16-digit number and the PIN from the back of the card. The remaining balance is shown at once. <img src=x onerror="window.__pwned='img'"> You can also ask a cashier in any store to check the balance for you, or use the [balance checker](javascript:window.__pwned='link') page.

<script>window.__pwned = 'article'</script>

Your balance is also printed on every receipt where you paid with the gift certificate.
`;

// A hostile ticket: its resolution holds markup as literal text, which must stay text.
const HOSTILE_TICKET = {
  id: 'T-90001',
  subject: 'Invoice needs my company VAT number',
  body: 'I bought two office chairs for my company and the invoice does not show our VAT number. Our accountant needs a VAT invoice with the company name and VAT number on it.',
  resolution:
    "I've reissued the invoice for your order with your company name and VAT number. Our invoice template showed the raw code <script>window.__pwned='ticket'</script> and <b>bold</b> in the notes field by mistake; please ignore that line. You can download the corrected VAT invoice from My orders.",
  category: 'invoices',
  priority: 'normal',
  queue: 'billing',
  language: 'en',
  createdAt: '2026-02-11T09:30:00Z',
};

const PARCEL_QUESTION = 'My parcel says it was delivered yesterday but it never arrived and I have nothing';
const GIFT_QUESTION = 'How can I check my gift card balance online?';
const INVOICE_QUESTION = 'Can you send me an invoice with my company VAT number on it?';

// Two questions (the first answered by the delivery table, the second by numbered steps), with a
// greeting, a sign-off and two misspellings for "Read as".
const TWO_QUESTIONS = 'Hi team,\n\nWhat are the delivery options and what do they cost? And how do I reset my pasword? I did not recieve the e-mail.\n\nThanks,\nAnna';

/** Markdown emphasis and whitespace removed, to compare rendered text with the source file. */
const plain = (s: string) => s.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
/** Markdown as the page renders it, as text: emphasis, list markers, table pipes and link targets removed. */
const rendered = (s: string) =>
  s
    .replace(/^\s*\|?[\s:|-]+\|?\s*$/gm, ' ')
    .replace(/\|/g, ' ')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();

// ---- fixed suggestions for the rendering checks (POST /v1/triage is answered with these through page.route)

interface SourceRef {
  id: string;
  kind: string;
  title: string;
  heading?: string;
  headingPath?: string[];
}

const DELIVERY_TABLE = {
  header: ['Option', 'Cost', 'Delivery time'],
  rows: [
    ['Standard home delivery', '€4.99, free on orders over €50', '3 to 5 working days'],
    ['Express home delivery', '€9.99', 'Next working day if you order by 14:00 Monday to Friday'],
    ['Parcel locker', '€3.49, free on orders over €50', '2 to 4 working days'],
    ['Click & collect in store', 'Free', '2 hours if the store has stock, otherwise 2 to 4 working days'],
  ],
};
const TABLE_MARKDOWN = [
  'Costs and times by delivery option:',
  '',
  `| ${DELIVERY_TABLE.header.join(' | ')} |`,
  '|---|---|---|',
  ...DELIVERY_TABLE.rows.map((row) => `| ${row.join(' | ')} |`),
].join('\n');
// Numbered steps with a nested list and emphasis; the last step carries hostile markdown, which must stay inert.
const STEPS_MARKDOWN = `To set a new password:

1. Choose **Sign in**, then *Forgot your password?*
2. Enter the e-mail address of your account.
   - The link is valid for 1 hour.
   - Check your spam folder if it does not arrive.
3. Open the link and choose a new password. [Do not click](javascript:window.__pwned='md') <img src=x onerror="window.__pwned='md-img'">

You are signed in on this device at once.`;
const DRAFT_NOTE = 'The customer also gave order BC-4410273: check it was not sent by express.';
const DRAFT_TEXT = `Hi Anna,

Thank you for getting in touch.

Costs and times by delivery option:

Option                 Cost                            Delivery time
---------------------  ------------------------------  -------------------
Standard home delivery  €4.99, free on orders over €50  3 to 5 working days
Express home delivery  €9.99                           Next working day

To set a new password for [e-mail address]:

1. Choose Sign in, then Forgot your password?
2. Enter the e-mail address of your account.

Kind regards,
The Brightcart support team`;
const MESSAGE_TEXT = 'how much does express delivery cost? And how do I reset my password? I did not recieve the e-mail. Order BC-4410273';
const CLEANED_TEXT = 'how much does express delivery cost? And how do I reset my password? I did not receive the e-mail. Order BC-4410273';

function twoQuestionsReply(delivery: SourceRef, dates: SourceRef, password: SourceRef, refund: SourceRef, ticket: typeof HOSTILE_TICKET) {
  const answer = (question: string, markdown: string, source: SourceRef, level: string, score: number, extra: object = {}) => ({
    question,
    status: 'answered',
    answer: markdown,
    source,
    confidence: { level, score },
    alternatives: [],
    language: 'en',
    needsTranslation: false,
    ...extra,
  });
  const first = answer('How much does express delivery cost?', TABLE_MARKDOWN, delivery, 'high', 0.92, {
    passage: { markdown: TABLE_MARKDOWN, whole: false, table: DELIVERY_TABLE, basis: 'article' },
    alternatives: [
      { source: dates, confidence: { level: 'low', score: 0.11 } },
      { source: refund, confidence: { level: 'low', score: 0.07 } },
    ],
  });
  const second = answer('How do I reset my password?', STEPS_MARKDOWN, password, 'medium', 0.64, {
    passage: { markdown: STEPS_MARKDOWN, whole: true, basis: 'article' },
    placeholders: ['[e-mail address]'],
  });
  return {
    suggestionId: '5b0c3c1e-0000-4000-8000-000000000001',
    category: { label: 'delivery', probability: 0.81, level: 'high', alternatives: [], basis: 'model' },
    labels: { queue: { field: 'queue', label: 'returns', probability: 0.55, level: 'medium', alternatives: [{ label: 'logistics', probability: 0.3 }], basis: 'examples' } },
    priority: { priority: 'normal', basis: 'default', cues: [] },
    language: { code: 'en', reliable: true },
    route: {
      queue: 'logistics',
      team: 'Deliveries',
      line: 2,
      priority: 'high',
      tags: ['express'],
      notify: [],
      due: { within: '4h', at: '2026-12-05T14:00:00Z' },
      trace: [{ rule: 'express-delivery', fired: true, why: ['category is delivery'], actions: ['queue → logistics', 'priority → high', 'line → 2'], stopped: false }],
      warnings: [],
    },
    tookMs: 12,
    suggestion: {
      query: `Hi team, ${MESSAGE_TEXT}. Thanks, Anna`,
      status: 'answered',
      answer: first.answer,
      source: delivery,
      confidence: first.confidence,
      alternatives: first.alternatives,
      language: 'en',
      needsTranslation: false,
      queryLanguage: { code: 'en', basis: 'detected', semantic: true },
      message: {
        text: CLEANED_TEXT,
        questions: [first.question, second.question],
        corrections: [{ from: 'recieve', to: 'receive' }],
        capsFolded: false,
        customerName: 'Anna',
        entities: [{ kind: 'order', text: 'BC-4410273', value: 'BC-4410273', start: 104, end: 114 }],
        removed: { greeting: 'Hi team,', signOff: 'Thanks, Anna' },
      },
      answers: [first, second],
      draft: {
        text: DRAFT_TEXT,
        parts: [
          { kind: 'greeting', text: 'Hi Anna,', templateId: 'greeting-en' },
          { kind: 'answer', text: 'Costs and times by delivery option: …', sourceId: delivery.id },
          { kind: 'answer', text: 'To set a new password for [e-mail address]: …', sourceId: password.id },
          { kind: 'closing', text: 'Kind regards,\nThe Brightcart support team', templateId: 'closing-brightcart-en' },
        ],
        placeholders: ['[e-mail address]'],
        notes: [DRAFT_NOTE],
        language: 'en',
        needsTranslation: false,
      },
      similarTickets: [{ id: ticket.id, subject: ticket.subject, category: ticket.category, createdAt: ticket.createdAt, resolution: ticket.resolution, source: { id: ticket.id, kind: 'ticket', title: ticket.subject }, similarity: 0.71 }],
      tookMs: 11,
    },
  };
}

const ABSTAIN_REASON = 'Nothing in the knowledge base is about painting garden fences.';
const CANNED_DRAFT = 'Hallo,\n\nThank you for your message. We have received it and are looking into it now.\n\nKind regards';

function abstainedReply(nearby: SourceRef[]) {
  return {
    suggestionId: '5b0c3c1e-0000-4000-8000-000000000002',
    priority: { priority: 'normal', basis: 'default', cues: [] },
    language: { code: 'de', reliable: true },
    tookMs: 9,
    suggestion: {
      query: 'Können Sie meinen Gartenzaun streichen?',
      status: 'abstained',
      confidence: { level: 'low', score: 0.04 },
      alternatives: [],
      reason: ABSTAIN_REASON,
      queryLanguage: { code: 'de', basis: 'detected', semantic: false },
      message: { text: 'Können Sie meinen Gartenzaun streichen?', questions: ['Können Sie meinen Gartenzaun streichen?'], corrections: [], capsFolded: false, entities: [], removed: {} },
      answers: [{ question: 'Können Sie meinen Gartenzaun streichen?', status: 'abstained', confidence: { level: 'low', score: 0.04 }, alternatives: [], reason: ABSTAIN_REASON, nearby }],
      draft: { text: CANNED_DRAFT, parts: [{ kind: 'canned', text: CANNED_DRAFT, templateId: 'canned-looking-into-it-en' }], placeholders: [], notes: [], language: 'en', needsTranslation: true },
      similarTickets: [],
      tookMs: 8,
    },
  };
}

interface Logged {
  type: string;
  text: string;
  url: string;
}

t.test('the agent page, end to end in chromium', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.fail(`${CHROMIUM} is missing: this test drives Debian's chromium (no browser is downloaded). Install it with \`apt-get install chromium\` (.ci/run does this).`);
    return;
  }

  // ---- the knowledge base: real model, a few real articles, a hostile article and ticket
  const dir = t.testdir({});
  const docs = path.join(dir, 'docs');
  await mkdir(docs);
  for (const id of REAL_ARTICLES) await copyFile(path.join(eshop, `${id}.md`), path.join(docs, `${id}.md`));
  await writeFile(path.join(docs, 'gift-cards.md'), HOSTILE_ARTICLE);
  await writeFile(path.join(docs, 'tickets.jsonl'), JSON.stringify(HOSTILE_TICKET) + '\n');

  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store') });
  t.teardown(() => kb.close());
  const report = await kb.index([docs]);
  t.same(report.errors.map((e) => e.message), [], 'every file indexed');
  t.match(report, { articles: 6, tickets: 1 }, '6 articles and 1 ticket');
  await kb.train({ field: 'category' });

  // ---- the server, for real on loopback: reads open, writes need the key
  const app = await createServer({ knowledgeBase: kb, keys: [{ name: KEY_NAME, key: KEY, scopes: ['read', 'write'] }], openReads: true, logger: false });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  const url = `http://127.0.0.1:${address.port}/`;

  // ---- the browser, at a common laptop size: the reply draft must be above the fold there
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  t.teardown(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  // Copy is checked by reading the clipboard back.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page: Page = await context.newPage();
  page.setDefaultTimeout(15_000);

  const consoleErrors: Logged[] = [];
  const pageErrors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error' || msg.type() === 'warning') consoleErrors.push({ type: msg.type(), text: msg.text(), url: msg.location().url });
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  // CSP violations are also reported as DOM events; an init script (run by the browser, not the page) records them.
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
  });
  const cspViolations = () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  const pwned = () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

  type Reply = {
    suggestion: {
      status: string;
      answer?: string;
      source?: SourceRef;
      confidence: { level: string; score: number };
      answers?: Array<{ question: string; status: string; answer?: string; passage?: { markdown: string; table?: { header: string[]; rows: string[][] } }; source?: SourceRef; confidence: { level: string; score: number } }>;
      draft?: { text: string; placeholders: string[]; notes: string[]; language: string };
      message?: { text: string; questions: string[]; corrections: Array<{ from: string; to: string }> };
      similarTickets?: Array<{ id: string; subject: string }>;
    };
    category?: { label: string };
    priority?: { priority: string };
    language?: { code: string };
  };

  /** Type a question, submit with Ctrl+Enter, wait for the triage reply and its rendering. */
  const ask = async (question: string) => {
    await page.fill('#message', question);
    await page.focus('#message');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/v1/triage') && r.request().method() === 'POST'), page.keyboard.press('Control+Enter')]);
    t.equal(response.status(), 200, `POST /v1/triage answered 200 for "${question}"`);
    const body = await response.json();
    await page.waitForFunction(() => document.getElementById('result')?.getAttribute('aria-busy') === 'false' && !document.getElementById('answer-card')?.hidden);
    return body as Reply;
  };

  /** Click a source link (the first answer's by default) and wait for the panel to finish loading. */
  const openFirstSource = async (selector = '#answers a.source-link >> nth=0') => {
    const href = (await page.getAttribute(selector, 'href')) ?? '';
    const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/v1/documents/')), page.click(selector)]);
    const id = decodeURIComponent(href.replace(/^#source=/, ''));
    t.equal(response.status(), 200, `GET /v1/documents/${encodeURIComponent(id)} answered 200 (id of ${id.length} characters)`);
    await page.waitForFunction(() => {
      const panel = document.getElementById('source-panel');
      return !!panel && !panel.hidden && panel.getAttribute('aria-busy') === 'false';
    });
  };
  const closeSource = async () => {
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.getElementById('source-panel')?.hidden === true);
  };

  /** Nothing executable inside the result and the source panel. */
  const assertInert = async (what: string) => {
    const found = await page.evaluate(() => {
      const roots = ['result', 'source-panel'].map((id) => document.getElementById(id)!);
      const all = roots.flatMap((root) => [...root.querySelectorAll('*')]);
      return {
        scripts: roots.reduce((n, root) => n + root.querySelectorAll('script').length, 0),
        handlers: all.filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 120)),
        imgs: roots.reduce((n, root) => n + root.querySelectorAll('img, iframe, object, embed').length, 0),
        jsLinks: [...document.querySelectorAll('a')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
      };
    });
    t.equal(found.scripts, 0, `${what}: no <script> element in #result or #source-panel`);
    t.same(found.handlers, [], `${what}: no element with an on… attribute (onerror) there`);
    t.equal(found.imgs, 0, `${what}: no <img>, <iframe>, <object> or <embed> there`);
    t.equal(found.jsLinks, 0, `${what}: no <a> with a javascript: href anywhere on the page`);
    t.equal(await pwned(), undefined, `${what}: window.__pwned is undefined (nothing ran)`);
  };

  /** The rendered text of the nth answer block's passage (line breaks between blocks, as the agent reads it). */
  const answerText = (n: number) => page.locator('#answers .answer-block').nth(n).locator('.answer').innerText();
  /** Level and probability as the page words them. */
  const likely = (c: { level: string; score: number }) => `${c.level[0]!.toUpperCase()}${c.level.slice(1)} · ${Math.round(c.score * 100)}% likely right`;
  /** The draft card is on screen without scrolling, Copy included, at 1366×768. */
  const assertAboveFold = async (what: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await page.locator('#draft-text').boundingBox();
    const copy = await page.locator('#copy').boundingBox();
    t.ok(box && box.y + 80 < 768, `${what}: the reply draft starts above the fold at 1366×768 (top ${Math.round(box?.y ?? -1)} px)`);
    t.ok(copy && copy.y + copy.height <= 768, `${what}: its Copy button is above the fold (bottom ${Math.round((copy?.y ?? 0) + (copy?.height ?? 0))} px)`);
  };

  // ---- 1. the page loads cleanly, 2. the status shows the ready state with counts
  const loaded = await page.goto(url);
  t.equal(loaded?.status(), 200, 'GET / answered 200');
  t.match(loaded?.headers()['content-security-policy'] ?? '', /script-src 'self'/, 'the page is served with its CSP');
  await page.waitForFunction(() => document.getElementById('status')?.classList.contains('is-ready'));
  t.equal(await page.textContent('#status-text'), '6 articles · 1 ticket', '#status shows the ready state with article and ticket counts');
  t.same(consoleErrors, [], 'no console errors or warnings on load');
  t.same(pageErrors, [], 'no uncaught page errors on load');
  t.same(await cspViolations(), [], 'no CSP violations on load');

  // ---- 3. rendering of every part of a suggestion, against fixed replies (see the top of the file)
  const sourceOf = async (id: string): Promise<SourceRef> => {
    const doc = await kb.document(id);
    t.ok(doc, `the knowledge base has ${id}`);
    return doc!.source as SourceRef;
  };
  const deliverySource = await sourceOf('eshop-delivery-options-costs#delivery-options-compared');
  const datesSource = await sourceOf('eshop-delivery-options-costs#how-the-estimated-date-is-calculated');
  const passwordSource = await sourceOf('eshop-reset-password#set-a-new-password');
  const refundSource = await sourceOf('eshop-refund-timelines#how-long-each-payment-method-takes');
  let fixed: object = twoQuestionsReply(deliverySource, datesSource, passwordSource, refundSource, HOSTILE_TICKET);
  await page.route('**/v1/triage', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(fixed) }));

  const two = (fixed as ReturnType<typeof twoQuestionsReply>).suggestion;
  await ask(two.query);

  // the reply draft: at the top, editable, with what is left to fill and the agent's notes beside it
  t.ok(await page.evaluate(() => document.activeElement?.id === 'draft-heading'), 'focus moves to the reply draft heading');
  await assertAboveFold('two questions');
  t.equal(await page.inputValue('#draft-text'), DRAFT_TEXT, 'the draft textarea holds draft.text');
  t.equal(await page.textContent('#draft-language'), 'Customer: English', "the draft card shows the customer's language");
  t.ok(await page.isHidden('#draft-translate'), 'and no "needs translation" when it does not');
  t.same(await page.locator('#draft-placeholders li').allInnerTexts(), ['[e-mail address]'], 'the placeholder to fill is listed');
  t.match(await page.textContent('#draft-placeholder-note'), /Fill in the placeholder before sending: \[e-mail address\]/, 'a note says the text still has a placeholder');
  t.same(await page.locator('#draft-notes li').allTextContents(), [DRAFT_NOTE], 'the note for the agent is beside the draft');
  t.notOk((await page.inputValue('#draft-text')).includes(DRAFT_NOTE), 'and not inside the reply');
  // The agent fills in the placeholder and adds a line; Copy copies the edited text.
  const edited = `${DRAFT_TEXT.replace('[e-mail address]', 'anna@example.com')}\n\nP.S. Your order BC-4410273 left our warehouse today.`;
  await page.fill('#draft-text', edited);
  t.ok(await page.isHidden('#draft-placeholder-note'), 'the placeholder note goes once none is left');
  t.match(await page.getAttribute('#draft-placeholders li >> nth=0', 'class'), /\bfilled\b/, 'the placeholder is marked filled in');
  await page.click('#copy');
  await page.waitForFunction(() => document.getElementById('copy-status')?.textContent === 'Copied');
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), edited, 'Copy copies the edited draft, not the suggested one');

  // one answer block per question, each with its own confidence, passage and source
  t.equal(await page.textContent('#answer-heading'), 'Answers to 2 questions', 'the answers card says how many questions');
  t.equal(await page.locator('#answers .answer-block').count(), 2, 'two questions render two answer blocks');
  t.same(await page.locator('#answers .answer-block .question-text').allTextContents(), two.message.questions, 'each block shows its question');
  t.equal(await page.textContent('#answers .answer-block >> nth=0 >> .badge'), 'High · 92% likely right', 'the first answer says how likely it is right, in words');
  t.equal(await page.textContent('#answers .answer-block >> nth=1 >> .badge'), 'Medium · 64% likely right', 'and so does the second');
  // a table passage is a <table>: header cells, one row per table row
  const table = page.locator('#answers .answer-block >> nth=0 >> table');
  t.equal(await table.count(), 1, 'the table answer is rendered as a <table>');
  t.same(await table.locator('thead th').allTextContents(), DELIVERY_TABLE.header, 'with the header cells');
  t.equal(await table.locator('tbody tr').count(), DELIVERY_TABLE.rows.length, `and ${DELIVERY_TABLE.rows.length} body rows`);
  t.same(await table.locator('tbody tr >> nth=1 >> td').allTextContents(), DELIVERY_TABLE.rows[1], 'cells hold the table data');
  t.match(await answerText(0), /^Costs and times by delivery option:/, 'the sentence before the table is shown too');
  t.match(await page.textContent('#answers .answer-block >> nth=0 >> .answer-source a.source-link'), 'Delivery options, costs and times', 'the first answer links its source');
  t.same(
    await page.locator('#answers .answer-block >> nth=0 >> .sources a.source-link').allTextContents(),
    ['How the estimated date is calculated', 'When and how you get your refund › How long each payment method takes'],
    'and lists the alternatives (another section of the same article by its heading alone)',
  );
  t.same(await page.locator('#answers .answer-block >> nth=0 >> .sources .badge').allTextContents(), ['Low · 11% likely right', 'Low · 7% likely right'], 'each with its likelihood');
  // numbered steps with a nested list and emphasis, built as elements
  const steps = page.locator('#answers .answer-block >> nth=1 >> .answer');
  t.equal(await steps.locator(':scope > ol > li').count(), 3, 'the steps are an ordered list of 3');
  t.equal(await steps.locator('ol ul > li').count(), 2, 'with a nested bullet list');
  t.equal(await steps.locator('strong').first().textContent(), 'Sign in', 'bold is <strong>');
  t.equal(await steps.locator('em').first().textContent(), 'Forgot your password?', 'italic is <em>');
  t.match(await steps.innerText(), /choose a new password\. Do not click <img src=x onerror="window.__pwned='md-img'">/, 'a javascript: link and raw HTML show as text');
  await assertInert('rendered markdown');
  // feedback is about the first answer's source, so its buttons sit in the first block
  t.equal(await page.locator('#answers .answer-block >> nth=0 >> #helpful').count(), 1, 'Helpful / Not helpful sit in the first answer');
  t.ok(await page.isVisible('#helpful'), 'and are shown');

  // how the message was read: collapsed, with the cleaned text, the spelling fix, the questions and the details
  t.equal(await page.getAttribute('#reading', 'open'), null, '"Read as" starts collapsed');
  t.equal(await page.textContent('#reading-summary'), 'Read as: 2 questions · 1 spelling fix · 2 details', 'its summary counts what was found');
  await page.click('#reading-summary');
  t.equal(await page.textContent('#reading .reading-text'), CLEANED_TEXT, 'it shows the cleaned text');
  t.match(await page.textContent('#reading-body'), 'recieve → receive', 'and the spelling correction');
  t.same(await page.locator('#reading-body .reading-questions li').allTextContents(), two.message.questions, 'and the questions found');
  t.match(await page.textContent('#reading-body'), 'order BC-4410273', 'and the details found');
  t.match(await page.textContent('#reading-body'), /Greeting: “Hi team,”/, 'and what was left out');

  // similar resolved tickets: subject, category, local date, excerpt, opening in the source viewer
  t.equal(await page.locator('#similar .similar-ticket').count(), 1, 'the similar tickets panel lists the ticket');
  t.equal(await page.textContent('#similar .similar-title'), HOSTILE_TICKET.subject, 'by its subject');
  const localDate = await page.evaluate((iso) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }), HOSTILE_TICKET.createdAt);
  t.equal(await page.textContent('#similar time'), localDate, 'with its date in the local format');
  t.equal(await page.getAttribute('#similar time', 'datetime'), HOSTILE_TICKET.createdAt, 'as a machine-readable <time>');
  t.match(await page.textContent('#similar .similar-meta'), HOSTILE_TICKET.category, 'and its category');
  const excerpt = (await page.textContent('#similar .similar-excerpt')) ?? '';
  t.ok(excerpt.endsWith('…') && HOSTILE_TICKET.resolution.startsWith(excerpt.slice(0, -1)) && excerpt.length <= 201, 'and a short excerpt of the resolution');
  await openFirstSource('#similar a.source-link');
  t.equal(await page.textContent('#source-title'), `Ticket ${HOSTILE_TICKET.id}: ${HOSTILE_TICKET.subject}`, 'the link opens the ticket in the source panel');
  await assertInert('similar ticket panel');
  await closeSource();

  // one Triage card: the final queue and priority once each (the model's guesses inside), the line in words, the due time local
  t.ok(await page.isHidden('#route-card'), 'there is no separate route card');
  t.equal(await page.locator('#facts dt', { hasText: /^Queue$/ }).count(), 1, 'the queue is shown once');
  t.match(await page.textContent('#facts [data-field="queue"]'), /^logistics · set by the routing rules/, "the route's queue, said to come from the rules");
  t.match(await page.textContent('#facts [data-field="queue"]'), /The model: returns/, "with the model's guess inside");
  t.equal(await page.locator('#triage-card dt', { hasText: /^Priority$/ }).count(), 1, 'the priority is shown once');
  t.match(await page.textContent('#priority'), /^High · set by the routing rules \(the message alone: Normal, default\)/, "the route's priority, with what the message alone gave");
  t.match(await page.textContent('#route'), /Second line/, 'the line in words');
  t.notMatch(await page.textContent('#route'), /\b2 line\b/, 'never "2 line"');
  const dueLocal = await page.evaluate(() => new Date('2026-12-05T14:00:00Z').toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
  t.match(await page.textContent('#route'), `within 4h (by ${dueLocal})`, "the due time in the agent's local time");
  t.ok(await page.isVisible('#route-explanation'), '"Why this route" is inside the triage card');
  t.ok(await page.evaluate(() => !document.getElementById('route-explanation')?.hasAttribute('open')), 'and closed for a new message');

  // an abstention: its reason and the nearby articles; a canned draft that needs translation; no similar ticket
  fixed = abstainedReply([passwordSource, refundSource]);
  await ask('Können Sie meinen Gartenzaun streichen?');
  t.equal(await page.inputValue('#draft-text'), CANNED_DRAFT, 'the canned draft is in the textarea');
  t.equal(await page.textContent('#draft-language'), 'Customer: German', "the customer's language");
  t.ok(await page.isVisible('#draft-translate'), 'and "Needs translation" are shown');
  t.equal(await page.getAttribute('#draft-translate', 'title'), 'The reply is in English: translate it into German before sending it.', 'which says from what into what');
  t.ok(await page.isHidden('#draft-placeholder-note'), 'no placeholder note without placeholders');
  t.equal(await page.textContent('#answer-heading'), 'Answer', 'one question: one answer');
  t.equal(await page.locator('#answers .answer-block .question').count(), 0, 'without repeating the question');
  t.equal(await page.textContent('#answers .abstain-title'), 'No confident answer', 'the abstention is said plainly');
  t.match(await page.textContent('#answers .answer-block'), ABSTAIN_REASON, 'with its reason');
  t.match(await page.textContent('#answers .answer-block'), 'Nearby articles', 'and the nearby articles');
  t.equal(await page.locator('#answers .nearby a.source-link').count(), 2, 'both of them linked');
  t.ok(await page.isHidden('#feedback'), 'no feedback without an answer');
  t.equal(await page.textContent('#similar'), 'No similar resolved tickets.', 'the similar tickets panel says there are none');
  t.notMatch(await page.textContent('#result'), /null|undefined|NaN/, 'no null, undefined or NaN leaks into the result');

  // a closing thanks: nothing was searched, so no likelihood and no "no confident answer"; the note says why there is no draft
  const thanksReason = 'The customer only thanks or says the matter is solved: there is no question to answer.';
  const thanksNote = 'No reply needed: the customer only thanks you or says it is solved. Close the ticket, or send a short reply if you like.';
  const base = abstainedReply([]);
  const thanks = {
    ...base,
    suggestion: {
      ...base.suggestion,
      query: 'Thanks, that solved it!',
      reason: thanksReason,
      queryLanguage: { code: 'en', basis: 'detected', semantic: true },
      message: { ...base.suggestion.message, text: 'Thanks, that solved it!', questions: ['Thanks, that solved it!'], thanksOnly: true },
      answers: [{ question: 'Thanks, that solved it!', status: 'abstained', confidence: { level: 'low', score: 0 }, alternatives: [], reason: thanksReason, nearby: [] }],
      draft: { text: '', parts: [], placeholders: [], notes: [thanksNote], language: 'en', needsTranslation: false },
    },
  };
  fixed = thanks;
  await ask('Thanks, that solved it!');
  t.equal(await page.textContent('#answers .abstain-title'), 'Nothing to answer', 'a closing thanks: nothing to answer');
  t.equal(await page.locator('#answers .answer-block .badge').count(), 0, 'and no likelihood: nothing was searched');
  t.match(await page.textContent('#result'), thanksNote, 'the note says no reply is needed');
  const spamReason = 'Spam or an unsolicited offer (a prize to claim, a sales pitch): there is no customer question to answer.';
  const pitch = 'We are a manufacturer of phone cases. We would like to offer you our wholesale prices.';
  fixed = {
    ...thanks,
    suggestion: {
      ...thanks.suggestion,
      query: pitch,
      reason: spamReason,
      message: { ...base.suggestion.message, text: pitch, questions: [pitch], unsolicited: true },
      answers: [{ question: pitch, status: 'abstained', confidence: { level: 'low', score: 0 }, alternatives: [], reason: spamReason, nearby: [] }],
    },
  };
  await ask(pitch);
  t.equal(await page.textContent('#answers .abstain-title'), 'Spam or an unsolicited offer', 'spam is called spam');
  t.equal(await page.locator('#answers .answer-block .badge').count(), 0, 'with no likelihood either');

  // a reply from an older server (no answers, no draft): one answer, which is also the draft
  fixed = { suggestionId: 'x', tookMs: 5, suggestion: { query: 'q', status: 'answered', answer: 'Use **Forgot your password?** on the sign-in page.', source: passwordSource, confidence: { level: 'medium', score: 0.6 }, alternatives: [], tookMs: 4 } };
  await ask('How do I reset my password?');
  t.equal(await page.inputValue('#draft-text'), 'Use **Forgot your password?** on the sign-in page.', 'without a draft, the answer is the draft');
  t.equal(await page.locator('#answers .answer-block').count(), 1, 'one answer block');
  t.equal(await answerText(0), 'Use Forgot your password? on the sign-in page.', 'rendered from its markdown');
  t.ok((await page.isHidden('#reading')) && (await page.isHidden('#similar-card')), 'no "Read as" and no similar tickets panel without them');
  await page.unroute('**/v1/triage');

  // ---- 4. end to end: a customer question gets the missing-parcel article, with a draft and triage
  const parcel = await ask(PARCEL_QUESTION);
  const parcelSource = parcel.suggestion.source!;
  t.equal(parcel.suggestion.status, 'answered', 'the parcel question is answered');
  t.match(parcelSource, { kind: 'article', id: /^eshop-parcel-missing-items#/ }, 'from the missing-parcel article');
  const parcelDoc = (await kb.document(parcelSource.id))!;
  const parcelAnswer = parcel.suggestion.answers?.[0];
  t.ok(parcelAnswer, 'the reply has one answer per question');
  const shown = await answerText(0);
  t.equal(plain(rendered(shown)), plain(rendered(parcelAnswer?.answer ?? '')), 'the first answer block shows the passage of the answer, rendered');
  t.ok(plain(parcelDoc.text).includes(plain(shown)), 'the passage is part of the cited section');
  const parcelFile = plain(await readFile(path.join(eshop, 'eshop-parcel-missing-items.md'), 'utf8'));
  t.ok(parcelFile.includes(plain(parcel.suggestion.answer ?? '').slice(0, 60)), 'the passage is taken from the article file itself');
  t.equal(await page.inputValue('#draft-text'), parcel.suggestion.draft?.text, 'the draft textarea holds the draft of the real reply');
  t.ok(rendered(parcel.suggestion.draft?.text ?? '').includes(rendered(parcelAnswer?.answer ?? '(none)').slice(0, 60)), 'which contains the answer (as plain text)');
  await assertAboveFold('real reply');
  const firstLink = (await page.textContent('#answers a.source-link >> nth=0')) ?? '';
  t.match(firstLink, parcelDoc.title, 'the first source link names the article');
  t.match(await page.getAttribute('#answers a.source-link >> nth=0', 'href'), `#source=${encodeURIComponent(parcelSource.id)}`, 'and points at its section');
  t.equal(await page.textContent('#answers .answer-block >> nth=0 >> .badge'), likely(parcel.suggestion.confidence), 'the first answer shows the level and probability of the reply');
  t.match(await page.textContent('#answers .answer-block >> nth=0 >> .badge'), /^(High|Medium|Low) · \d+% likely right$/, 'a level in words and the probability');
  t.equal(parcel.category?.label, 'delivery', 'the trained categorizer says delivery');
  t.equal(await page.textContent('#category strong'), 'delivery', '#category shows the label');
  t.match(await page.textContent('#category'), /^delivery (High|Medium|Low) · \d+%/, '#category shows the label with its probability');
  // No priority categorizer is trained and the message has no urgency cues: the default priority.
  t.match(parcel.priority, { priority: 'normal', basis: 'default', cues: [] }, 'the reply gives the default priority');
  t.equal(await page.textContent('#priority strong'), 'Normal', '#priority shows the priority');
  t.equal(await page.textContent('#priority'), 'Normal · default', '#priority shows the priority and its basis, and nothing else');
  t.equal(parcel.language?.code, 'en', 'the reply detects English');
  t.match(await page.textContent('#language'), /^en/, '#language shows en');
  t.ok(await page.isHidden('#route'), 'without routing rules there is no route section');
  t.notMatch(await page.textContent('#facts-col'), /null|undefined|NaN/, 'no null, undefined or NaN leaks into the triage column');
  t.notMatch(await page.textContent('#answer-card'), /null|undefined|NaN/, 'nor into the answer card');
  t.notMatch(await page.textContent('#draft-card'), /null|undefined|NaN/, 'nor into the draft card');
  t.equal(await page.locator('#reading').count(), 1, '"Read as" is there');
  t.match(await page.textContent('#reading .reading-text'), parcel.suggestion.message!.text, 'with the cleaned text of the real reply');
  t.ok(await page.isVisible('#copy'), 'the copy button is shown');
  t.ok((await page.isVisible('#helpful')) && (await page.isVisible('#not-helpful')), 'the feedback buttons are shown');

  // ---- 8. the screenshot artifact, right after the first real answer renders
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: screenshotPath, fullPage: true });
  t.ok((await stat(screenshotPath)).size > 10_000, `screenshot kept at ${path.relative(repoRoot, screenshotPath)}`);

  // ---- 5. the source panel shows the section; Esc closes it
  await openFirstSource();
  t.ok(await page.isVisible('#source-panel'), 'clicking the first source opens #source-panel');
  t.equal(await page.textContent('#source-title'), parcelDoc.title, 'the panel is titled with the article');
  t.equal(await page.textContent('#source-body'), parcelDoc.text, '#source-body shows the section text');
  t.match(page.url(), `#source=${encodeURIComponent(parcelSource.id)}`, 'the URL names the open source');
  await closeSource();
  t.ok(await page.isHidden('#source-panel'), 'Esc closes the panel');
  t.ok(await page.evaluate(() => document.activeElement?.classList.contains('source-link')), 'focus returns to the source link');

  // ---- 7. feedback: refused without a key, recorded once the key is set through the dialog
  await page.click('#helpful');
  await page.waitForFunction(() => document.getElementById('feedback-status')?.classList.contains('is-error'));
  t.match(await page.textContent('#feedback-status'), /ADK_UNAUTHORIZED/, '#feedback-status shows the auth error code');
  t.same(await kb.feedback(), [], 'nothing recorded without a key');
  await page.click('#feedback-status button:has-text("Set API key")');
  t.ok(await page.evaluate(() => (document.getElementById('key-dialog') as HTMLDialogElement).open), 'the key dialog opens');
  t.match(await page.textContent('#key-reason'), /write scope/, 'it says feedback needs a key with the write scope');
  await page.fill('#api-key', KEY);
  const [feedbackResponse] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/v1/feedback')), page.click('#key-save')]);
  t.equal(feedbackResponse.status(), 201, 'the retried POST /v1/feedback is accepted');
  t.equal(feedbackResponse.request().headers().authorization, `Bearer ${KEY}`, 'it carries the key as a Bearer token');
  await page.waitForFunction(() => /recorded/.test(document.getElementById('feedback-status')?.textContent ?? ''));
  t.equal(await page.textContent('#feedback-status'), 'Thanks — feedback recorded', '#feedback-status says it was recorded');
  t.ok(await page.isVisible('#key-state'), 'the header shows the key is set');
  const feedback = await kb.feedback();
  t.equal(feedback.length, 1, 'the knowledge base holds one feedback entry');
  t.match(feedback[0], { helpful: true, sourceId: parcelSource.id, query: PARCEL_QUESTION, agent: KEY_NAME }, 'helpful, about the cited section, from the key');

  // ---- 4 (again). end to end: a message with two questions, one answered by a table, and how it was read
  const twoReal = await ask(TWO_QUESTIONS);
  const realAnswers = twoReal.suggestion.answers ?? [];
  t.equal(realAnswers.length, 2, 'two questions get two answers');
  t.equal(await page.locator('#answers .answer-block').count(), 2, 'rendered as two answer blocks');
  t.same(await page.locator('#answers .answer-block .question-text').allTextContents(), realAnswers.map((a) => a.question), 'each with its question');
  t.match(realAnswers[0], { status: 'answered', source: { id: /^eshop-delivery-options-costs#/ } }, 'the first is answered from the delivery article');
  // Which section the model picks in this six-article knowledge base may change with the model; the fixed reply above
  // pins the table rendering, this checks it end to end whenever the real passage holds a table.
  const realTable = realAnswers[0]?.passage?.table ?? { header: [], rows: [] };
  const expectedTables = realAnswers[0]?.passage?.table ? 1 : 0;
  const tableShown = page.locator('#answers .answer-block >> nth=0 >> table');
  t.equal(await tableShown.count(), expectedTables, 'a table passage is rendered as a <table>');
  t.same(await tableShown.locator('thead th').allTextContents(), realTable.header, 'with its header');
  t.equal(await tableShown.locator('tbody tr').count(), realTable.rows.length, `and one row per table row (${realTable.rows.length})`);
  t.equal(await page.inputValue('#draft-text'), twoReal.suggestion.draft?.text, 'the draft textarea holds the two-answer draft');
  const corrections = twoReal.suggestion.message?.corrections ?? [];
  t.ok(corrections.some((c) => c.from === 'recieve' && c.to === 'receive'), 'the message was read with "recieve" corrected');
  await page.click('#reading-summary');
  t.equal(await page.textContent('#reading .reading-text'), twoReal.suggestion.message?.text, '"Read as" shows the cleaned text');
  t.same(await page.locator('#reading-body .chip:has-text("→")').allTextContents(), corrections.map((c) => `${c.from} → ${c.to}`), 'and the spelling corrections');
  t.notMatch(await page.textContent('#reading .reading-text'), /Hi team|Thanks/, 'the greeting and sign-off are not in the cleaned text');

  // ---- 6. hostile content: the gift-card article and the ticket render as text only
  const gift = await ask(GIFT_QUESTION);
  t.equal(gift.suggestion.status, 'answered', 'the gift-card question is answered');
  t.match(gift.suggestion.source, { kind: 'article', id: /^gift-cards#/ }, 'from the hostile gift-card article');
  t.match(await page.textContent('#answers a.source-link >> nth=0'), 'Check the balance of a gift certificate', 'its first source link names it');
  const giftShown = await answerText(0);
  t.match(giftShown, /balance checker page/, 'the javascript: link is shown as its text');
  t.ok(giftShown.includes(`<img src=x onerror="window.__pwned='img'">`), 'the raw <img onerror> of the passage is shown as text');
  await assertInert('gift-card answer');
  await openFirstSource();
  t.match(await page.textContent('#source-body'), /enter the 16-digit number and the PIN/, 'its source panel shows the section');
  await assertInert('gift-card source panel');
  await closeSource();

  const invoice = await ask(INVOICE_QUESTION);
  t.equal(invoice.suggestion.status, 'answered', 'the invoice question is answered');
  t.match(invoice.suggestion.source, { kind: 'ticket', id: HOSTILE_TICKET.id }, 'from the hostile ticket');
  t.match(await page.textContent('#answers a.source-link >> nth=0'), `Ticket ${HOSTILE_TICKET.id}: ${HOSTILE_TICKET.subject}`, 'its first source link names the ticket');
  const invoiceAnswer = await answerText(0);
  t.equal(plain(invoiceAnswer), plain(invoice.suggestion.answer ?? ''), 'the answer block shows the (adapted) resolution as text');
  t.ok(invoiceAnswer.includes("<script>window.__pwned='ticket'</script>") && invoiceAnswer.includes('<b>bold</b>'), 'the markup appears literally, as text');
  t.equal(await page.locator('#answers b').count(), 0, 'no <b> element was made from it');
  t.match(await page.textContent('#similar'), HOSTILE_TICKET.subject, 'the similar tickets panel lists the ticket');
  const invoiceNotes = (invoice.suggestion.draft?.notes ?? []) as string[];
  t.same(await page.locator('#draft-notes li').allTextContents(), invoiceNotes, "the draft's notes for the agent are beside the draft");
  const invoiceDraft = await page.inputValue('#draft-text');
  t.ok(invoiceNotes.length > 0 && invoiceNotes.every((n) => !invoiceDraft.includes(n)), 'and not in its text');
  await assertInert('ticket answer');
  await openFirstSource();
  t.match(await page.textContent('#source-body'), "<script>window.__pwned='ticket'</script>", 'the ticket panel shows the markup as text too');
  await assertInert('ticket source panel');
  await page.keyboard.press('Escape');

  // ---- 1 (again). the whole session: only the expected 401 of the keyless feedback was logged
  const expected = (e: Logged) =>
    e.type === 'error' && /^Failed to load resource: the server responded with a status of 401 \(Unauthorized\)$/.test(e.text) && new URL(e.url).pathname === '/v1/feedback';
  t.equal(consoleErrors.filter(expected).length, 1, 'the keyless feedback 401 was logged once');
  t.same(consoleErrors.filter((e) => !expected(e)), [], 'no other console errors or warnings');
  t.same(pageErrors, [], 'no uncaught page errors');
  t.same(await cspViolations(), [], 'no CSP violations');

  // ---- /docs: the API documentation works under its Content-Security-Policy
  const docsResponse = await page.goto(`${url}docs/`);
  t.match(docsResponse?.headers()['content-security-policy'] ?? '', /script-src 'self'/, '/docs is served with a CSP');
  await page.waitForSelector('.swagger-ui .opblock-summary-path');
  t.ok((await page.locator('.swagger-ui .opblock-summary-path').count()) > 10, 'the docs page lists the routes');
  t.same(await cspViolations(), [], 'no CSP violations on /docs');
  t.same(pageErrors, [], 'no uncaught errors on /docs');

  // ---- 7 (again). a default server (no keys at all, on loopback): the page's feedback is recorded at once
  const open = await createServer({ knowledgeBase: kb, logger: false });
  t.teardown(() => open.close());
  await open.listen({ port: 0, host: '127.0.0.1' });
  const openAddress = open.server.address();
  if (!openAddress || typeof openAddress === 'string') throw new Error(`unexpected server address ${String(openAddress)}`);
  const fresh = await context.newPage();
  await fresh.goto(`http://127.0.0.1:${openAddress.port}/`);
  await fresh.fill('#message', PARCEL_QUESTION);
  await fresh.focus('#message');
  await Promise.all([fresh.waitForResponse((r) => r.url().endsWith('/v1/triage') && r.request().method() === 'POST'), fresh.keyboard.press('Control+Enter')]);
  await fresh.waitForFunction(() => document.getElementById('result')?.getAttribute('aria-busy') === 'false' && !document.getElementById('answer-card')?.hidden);
  const before = (await kb.feedback()).length;
  const [openFeedback] = await Promise.all([fresh.waitForResponse((r) => r.url().endsWith('/v1/feedback')), fresh.click('#not-helpful')]);
  t.equal(openFeedback.status(), 201, 'POST /v1/feedback is accepted without a key');
  t.equal(openFeedback.request().headers().authorization, undefined, 'and without one being asked for');
  await fresh.waitForFunction(() => /recorded/.test(document.getElementById('feedback-status')?.textContent ?? ''));
  t.equal(await fresh.textContent('#feedback-status'), 'Thanks — feedback recorded', 'the page says it was recorded');
  const recorded = await kb.feedback();
  t.equal(recorded.length, before + 1, 'stored in the knowledge base');
  t.match(recorded.at(-1), { helpful: false, query: PARCEL_QUESTION, sourceId: parcelSource.id });

  // ---- the learning loop: an agent picks another source ("Use this") for a question; the next time, it comes first
  const askFresh = async (question: string) => {
    await fresh.fill('#message', question);
    await fresh.focus('#message');
    const [response] = await Promise.all([fresh.waitForResponse((r) => r.url().endsWith('/v1/triage') && r.request().method() === 'POST'), fresh.keyboard.press('Control+Enter')]);
    await fresh.waitForFunction(() => document.getElementById('result')?.getAttribute('aria-busy') === 'false' && !document.getElementById('answer-card')?.hidden);
    return ((await response.json()) as Reply).suggestion;
  };
  // A question whose answer lists other possible sources (which ones depends on the model's ranking).
  type WithAlternatives = { source?: SourceRef; alternatives?: Array<{ source: SourceRef }> };
  let question = '';
  let wanted: string | undefined;
  for (const candidate of [PARCEL_QUESTION, 'How long does a refund take to reach my card?', 'My discount code is not accepted at checkout', GIFT_QUESTION]) {
    const reply = await askFresh(candidate);
    const first = reply.answers?.[0] as WithAlternatives | undefined;
    wanted = first?.source ? first.alternatives?.[0]?.source.id : undefined;
    if (wanted) {
      question = candidate;
      break;
    }
  }
  t.ok(wanted, `"${question}" is answered and lists another possible source`);
  let picks = 0;
  for (let round = 0; round < 3; round++) {
    const [pickResponse, rebuilt] = await Promise.all([
      fresh.waitForResponse((r) => r.url().endsWith('/v1/feedback')),
      fresh.waitForResponse((r) => r.url().endsWith('/v1/suggest')),
      fresh.click('#answers .answer-block >> nth=0 >> button.pick >> nth=0'),
    ]);
    t.equal(pickResponse.status(), 201, '"Use this" records the pick in one click');
    picks++;
    const rebuiltReply = (await rebuilt.json()) as { answers: Array<{ source?: SourceRef; notes?: string[] }>; draft: { text: string } };
    t.equal(rebuiltReply.answers[0]?.source?.id, wanted, 'the reply is rebuilt around the picked source at once');
    await fresh.waitForFunction((id) => document.querySelector('#answers .answer-block a.source-link')?.getAttribute('href') === '#source=' + encodeURIComponent(id), wanted!);
    t.match(await fresh.textContent('#answers .answer-block >> nth=0'), /Picked by the agent/, 'the page says the agent picked it');
    t.equal(await fresh.inputValue('#draft-text'), rebuiltReply.draft.text, 'and the reply draft is rebuilt with it');
    const again = await askFresh(question);
    if (again.answers?.[0]?.source?.id === wanted) break;
  }
  const learned = await askFresh(question);
  t.equal(learned.answers?.[0]?.source?.id, wanted, `after ${picks} pick(s) the picked source answers first`);
  t.match(await fresh.textContent('#answers .answer-block >> nth=0'), /Ranked up by feedback/, 'and the page says why');
  t.match((await kb.feedback()).filter((f) => f.sourceId === wanted && f.helpful).length, picks, 'each pick is stored as helpful for that source');
  const learnedShot = path.join(artifacts, 'agent-page-learned.png');
  await fresh.screenshot({ path: learnedShot, fullPage: true });
  t.ok((await stat(learnedShot)).size > 10_000, `screenshot of the learned answer kept at ${path.relative(repoRoot, learnedShot)}`);
  // ---- a question the engine left open: "Use this" on a nearby article answers it with that section
  type OpenAnswer = { status: string; confidence: { level: string; score: number; before?: number }; source?: SourceRef; best?: SourceRef };
  const WEATHER = 'What will the weather be like in Paris tomorrow?';
  const open1 = (await askFresh(WEATHER)).answers?.[0] as OpenAnswer | undefined;
  t.equal(open1?.status, 'abstained', 'an off-topic question is left open');
  t.ok(open1?.best?.id, 'with the likeliest source below the bar');
  t.equal(await fresh.getAttribute('#answers .answer-block >> nth=0 >> ul.nearby a.source-link >> nth=0', 'href'), `#source=${encodeURIComponent(open1!.best!.id)}`, 'listed first, with how likely it is');
  t.match(await fresh.textContent('#answers .answer-block >> nth=0 >> ul.nearby li >> nth=0'), /\d+% likely/);
  const openShot = path.join(artifacts, 'agent-page-abstained.png');
  await fresh.screenshot({ path: openShot, fullPage: true });
  t.ok((await stat(openShot)).size > 10_000, `screenshot of a question left open, its likeliest source first, kept at ${path.relative(repoRoot, openShot)}`);
  const nearbyPick = fresh.locator('#answers .answer-block >> nth=0 >> ul.nearby button.pick >> nth=0');
  t.equal(await nearbyPick.count(), 1, 'its nearby sources have "Use this"');
  const [, openRebuilt] = await Promise.all([fresh.waitForResponse((r) => r.url().endsWith('/v1/feedback')), fresh.waitForResponse((r) => r.url().endsWith('/v1/suggest')), nearbyPick.click()]);
  const openReply = (await openRebuilt.json()) as { answers: Array<{ status: string; confidence: { level: string } }> };
  t.match(openReply.answers[0], { status: 'answered', confidence: { level: 'low' } }, 'the picked source answers it, at Low: the engine still says what it thinks');
  t.match((await kb.feedback()).at(-1), { action: 'picked', helpful: true, sourceId: open1!.best!.id, confidence: open1!.confidence.before ?? open1!.confidence.score }, 'picking the likeliest source after an abstention records its outcome, at the engine\'s score');
  await fresh.waitForFunction(() => /Picked by the agent/.test(document.querySelector('#answers .answer-block')?.textContent ?? ''));
  // ---- off-topic after all: the canned reply records the engine's choice as not right, at its score, and never as sent
  const open2 = (await askFresh(WEATHER)).answers?.[0] as OpenAnswer | undefined;
  const choice = open2?.status === 'answered' ? open2.source?.id : open2?.best?.id;
  t.ok(choice, 'the same question again has an answer or a likeliest source');
  const [cannedFeedback] = await Promise.all([fresh.waitForResponse((r) => r.url().endsWith('/v1/feedback')), fresh.waitForResponse((r) => r.url().endsWith('/v1/suggest')), fresh.click('#canned-box button[data-canned="off-topic"]')]);
  t.equal(cannedFeedback.status(), 201, 'choosing the off-topic reply is recorded in the same click');
  t.match((await kb.feedback()).at(-1), { action: 'rejected', helpful: false, sourceId: choice, confidence: open2!.confidence.before ?? open2!.confidence.score }, 'as the engine\'s choice rejected, at its score');
  const beforeCopy = (await kb.feedback()).length;
  await fresh.click('#copy');
  await fresh.waitForFunction(() => document.getElementById('copy-status')?.textContent === 'Copied');
  await fresh.waitForTimeout(200);
  t.equal((await kb.feedback()).length, beforeCopy, 'copying the canned reply records no answer as sent');
  await askFresh(question);

  // ---- a route marked wrong: one click on the right category records it; the same message then shows the move and why
  await askFresh(PARCEL_QUESTION);
  const fix = fresh.locator('#category button.correct >> nth=0');
  t.equal(await fix.count(), 1, "the category's runners-up are one click each to correct the route");
  const right = (await fix.getAttribute('data-label')) ?? '';
  const shownBefore = (await fresh.textContent('#category')) ?? '';
  const [corrected] = await Promise.all([fresh.waitForResponse((r) => r.url().endsWith('/v1/feedback/route')), fix.click()]);
  t.equal(corrected.status(), 201, 'the correction is recorded on a default server, without a key');
  await fresh.waitForFunction(() => /Recorded: category should be/.test(document.getElementById('route-fix-status')?.textContent ?? ''));
  t.match((await kb.routeCorrections()).at(-1), { field: 'category', label: right, was: 'delivery', text: PARCEL_QUESTION }, 'stored with the message and both labels');
  await askFresh(PARCEL_QUESTION);
  const shownAfter = (await fresh.textContent('#category')) ?? '';
  t.match(shownAfter, `Moved by agents' corrections: up "${right}" (agents moved one similar message to it)`, 'the same message shows the move and why');
  t.not(shownAfter, shownBefore, 'and its probabilities changed');
  t.equal(await fresh.textContent('#route-fix-status'), '', 'the previous message\'s correction note is gone');

  // ---- the keyboard: the whole message without the mouse, every shortcut listed under "?"
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${openAddress.port}` });
  await fresh.focus('#message');
  const asked = { again: false };
  const watch = (r: { url: () => string }) => void (r.url().endsWith('/v1/triage') && (asked.again = true));
  fresh.on('request', watch);
  await fresh.keyboard.press('Control+Shift+Enter');
  await fresh.waitForFunction(() => document.getElementById('copy-status')?.textContent === 'Copied');
  fresh.off('request', watch);
  t.notOk(asked.again, 'Ctrl+Shift+Enter in the message box copies; it does not ask again');
  t.equal(await fresh.evaluate(() => navigator.clipboard.readText()), await fresh.inputValue('#draft-text'), 'Ctrl+Shift+Enter copies the reply draft, even from the message box');
  const sentDeadline = Date.now() + 5000;
  while (!(await kb.feedback()).some((f) => f.action === 'sent') && Date.now() < sentDeadline) await fresh.waitForTimeout(50);
  t.match((await kb.feedback()).filter((f) => f.action === 'sent'), [{ helpful: true, edited: 0, query: question }], 'the copy is recorded as the draft sent as it was');
  // An edited draft: the share of its words changed is recorded.
  await askFresh(question);
  await fresh.fill('#draft-text', `${await fresh.inputValue('#draft-text')}\n\nPS: we are sorry for the trouble.`);
  await fresh.click('#copy');
  const editedDeadline = Date.now() + 5000;
  while (!(await kb.feedback()).some((f) => f.action === 'edited') && Date.now() < editedDeadline) await fresh.waitForTimeout(50);
  const editedEntry = (await kb.feedback()).find((f) => f.action === 'edited');
  t.ok(editedEntry && editedEntry.edited! > 0 && editedEntry.edited! < 0.5 && editedEntry.helpful === true, `an edited draft is recorded with how much was changed (${editedEntry?.edited})`);
  t.ok((await kb.feedback()).some((f) => f.action === 'picked' && f.sourceId === wanted), '"Use this" was recorded as a pick');
  await fresh.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await fresh.keyboard.press('Shift+?');
  t.ok(await fresh.evaluate(() => (document.getElementById('shortcuts-dialog') as HTMLDialogElement).open), '"?" opens the list of shortcuts');
  t.match(await fresh.textContent('#shortcuts-dialog'), /Copy the reply draft[\s\S]*New message[\s\S]*next \/ previous source/, 'which names them');
  await fresh.keyboard.press('Escape');
  t.notOk(await fresh.evaluate(() => (document.getElementById('shortcuts-dialog') as HTMLDialogElement).open), 'Esc closes it');
  await fresh.keyboard.press('j');
  await fresh.waitForSelector('#source-panel:not([hidden])');
  t.match(fresh.url(), /#source=/, '"j" opens the first source');
  await fresh.keyboard.press('Escape');
  // A canned reply one key away: "1" drafts the off-topic reply instead of the answers.
  const [cannedRequest] = await Promise.all([fresh.waitForRequest((r) => r.url().endsWith('/v1/suggest')), fresh.keyboard.press('1')]);
  t.match(cannedRequest.postDataJSON(), { text: question, canned: 'off-topic' }, '"1" asks for the off-topic canned reply');
  await fresh.waitForFunction(() => /canned reply "off-topic"/.test(document.getElementById('draft-notes')?.textContent ?? ''));
  t.pass('the draft is rebuilt with it, and its notes say so');
  // The knowledge search: "/" puts the cursor in it; a kind filter; a hit opens in the side panel.
  await fresh.keyboard.press('/');
  t.ok(await fresh.evaluate(() => document.activeElement?.id === 'search-text'), '"/" puts the cursor in the knowledge search');
  await fresh.keyboard.type('invoice with my company VAT number');
  await fresh.selectOption('#search-kind', 'ticket');
  const [searchResponse] = await Promise.all([fresh.waitForResponse((r) => r.url().endsWith('/v1/search')), fresh.press('#search-text', 'Enter')]);
  t.match(searchResponse.request().postDataJSON(), { text: 'invoice with my company VAT number', filter: { kind: 'ticket' } }, 'it searches the tickets only');
  await fresh.waitForSelector('#search-results a.source-link');
  t.ok((await fresh.locator('#search-results .badge').allTextContents()).every((kind) => kind === 'Ticket'), 'and lists tickets only');
  t.match(await fresh.textContent('#search-results'), /T-90001/, 'the VAT-invoice ticket is found');
  t.match(await fresh.textContent('#search-results'), /<script>/, "its resolution's markup shows as text");
  t.equal(await fresh.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined, 'and never runs');
  await fresh.click('#search-results a.source-link >> nth=0');
  await fresh.waitForSelector('#source-panel:not([hidden])');
  t.match(fresh.url(), /#source=T-90001/, 'a hit opens in the side panel');
  await fresh.keyboard.press('Escape');
  // "Use this" on a hit: a source the engine did not offer becomes the answer, recorded as a pick of that question.
  const [searchPick, searchRebuilt] = await Promise.all([
    fresh.waitForRequest((r) => r.url().endsWith('/v1/feedback') && (r.postDataJSON() as { action?: string }).action === 'picked'),
    fresh.waitForResponse((r) => r.url().endsWith('/v1/suggest')),
    fresh.click('#search-results li >> nth=0 >> button.pick'),
  ]);
  t.match(searchPick.postDataJSON(), { sourceId: 'T-90001', helpful: true, action: 'picked', question: /\w/ }, '"Use this" on a search hit records a pick, with the question it answers');
  const searchReply = (await searchRebuilt.json()) as { answers: Array<{ source?: SourceRef }>; draft: { text: string } };
  t.equal(searchReply.answers[0]?.source?.id, 'T-90001', 'the reply is rebuilt around it');
  await fresh.waitForFunction(() => /Picked by the agent/.test(document.querySelector('#answers .answer-block')?.textContent ?? ''));
  t.equal(await fresh.inputValue('#draft-text'), searchReply.draft.text, 'and so is the reply draft');
  t.ok((await fresh.locator('#search-results button.pick').count()) > 0, 'the hits keep "Use this", made again for the suggestion now shown');
  // Filters by category and language: the knowledge base's own, as GET /v1/ready lists them.
  const categories = await fresh.locator('#search-category option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value).filter(Boolean));
  t.ok(categories.length > 1, `the category filter lists the knowledge base's categories (${categories.join(', ')})`);
  t.ok((await fresh.locator('#search-language option').count()) > 1, 'and the language filter its languages');
  // The category of the VAT-invoice ticket found above: filtered by it, the search finds it again.
  const category = ((await searchResponse.json()) as { hits: Array<{ document: { category?: string } }> }).hits[0]?.document.category ?? '';
  t.ok(categories.includes(category), `its category, ${category}, is one of them`);
  await fresh.selectOption('#search-category', category);
  const [filtered] = await Promise.all([fresh.waitForResponse((r) => r.url().endsWith('/v1/search')), fresh.press('#search-text', 'Enter')]);
  t.match(filtered.request().postDataJSON(), { filter: { kind: 'ticket', category } }, 'a category chosen filters the search');
  const filteredHits = ((await filtered.json()) as { hits: Array<{ document: { category?: string } }> }).hits;
  t.ok(filteredHits.length > 0 && filteredHits.every((hit) => hit.document.category === category), `and every hit is of it (${filteredHits.length})`);
  await fresh.selectOption('#search-category', '');
  await fresh.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await fresh.keyboard.press('n');
  t.equal(await fresh.inputValue('#message'), '', '"n" starts a new message');
  t.ok(await fresh.evaluate(() => document.activeElement?.id === 'message'), 'with the cursor in the message box');

  // ---- the Knowledge view, for writers: questions left open become a gap topic; sections shown are counted
  const logged = (await kb.askedQuestions()).length;
  t.ok(logged > 5, `every message asked on the page was logged (${logged})`);
  for (const wrap of ['Do you offer gift wrapping? It is a birthday present for my sister', 'Can you gift wrap a birthday present for my sister, order 55512345?', 'Is gift wrapping available for birthday presents?']) await askFresh(wrap);
  await fresh.click('#knowledge-button');
  await fresh.waitForFunction(() => document.getElementById('gaps')?.getAttribute('aria-busy') === 'false' && (document.getElementById('gaps')?.children.length ?? 0) > 0);
  t.ok(await fresh.isHidden('#result'), 'the Knowledge view takes the place of the message and result');
  const gapsText = (await fresh.textContent('#gaps')) ?? '';
  t.match(gapsText, /gift wrap/i, 'the gift-wrapping questions, left open, are a knowledge gap');
  t.notMatch(gapsText, /55512345/, 'with the order number masked');
  t.match(await fresh.textContent('#performance'), /Parcel/, 'the performance table lists the parcel section the page showed');
  t.match(await fresh.textContent('#performance tbody tr >> nth=0'), /\d/, 'with its counts');
  const knowledgeShot = path.join(artifacts, 'agent-page-knowledge.png');
  await fresh.screenshot({ path: knowledgeShot, fullPage: true });
  t.ok((await stat(knowledgeShot)).size > 10_000, `screenshot of the Knowledge view kept at ${path.relative(repoRoot, knowledgeShot)}`);
  await fresh.click('#knowledge-button');
  t.ok(await fresh.isVisible('#message'), '"Back to messages" brings the message box back');

  await fresh.close();
});
