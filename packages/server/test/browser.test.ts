// End to end: the agent page in a real browser (Debian's chromium driven by
// playwright-core) against a real server on loopback, over a knowledge base
// embedded with the real offline model (USE-lite), because the test claims
// semantic behaviour: a customer question gets the right sourced answer.
// Hostile article and ticket text must show as text and never run.
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
const REAL_ARTICLES = ['eshop-parcel-missing-items', 'eshop-refund-timelines', 'eshop-reset-password', 'eshop-promo-code-not-working'];

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
};

const PARCEL_QUESTION = 'My parcel says it was delivered yesterday but it never arrived and I have nothing';
const GIFT_QUESTION = 'How much money is left on my gift card?';
const INVOICE_QUESTION = 'Can you send me an invoice with my company VAT number on it?';

/** Markdown emphasis and whitespace removed, to compare rendered text with the source file. */
const plain = (s: string) => s.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();

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
  t.match(report, { articles: 5, tickets: 1 }, '5 articles and 1 ticket');
  await kb.train({ field: 'category' });

  // ---- the server, for real on loopback: reads open, writes need the key
  const app = await createServer({ knowledgeBase: kb, keys: [{ name: KEY_NAME, key: KEY, scopes: ['read', 'write'] }], openReads: true, logger: false });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  const url = `http://127.0.0.1:${address.port}/`;

  // ---- the browser
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  t.teardown(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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

  /** Type a question, submit with Ctrl+Enter, wait for the triage reply and its rendering. */
  const ask = async (question: string) => {
    await page.fill('#message', question);
    await page.focus('#message');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/v1/triage') && r.request().method() === 'POST'), page.keyboard.press('Control+Enter')]);
    t.equal(response.status(), 200, `POST /v1/triage answered 200 for "${question}"`);
    const body = await response.json();
    await page.waitForFunction(() => document.getElementById('result')?.getAttribute('aria-busy') === 'false' && !document.getElementById('answer-card')?.hidden);
    return body as { suggestion: { status: string; answer?: string; source?: { id: string; kind: string; title: string }; confidence: { level: string; score: number } }; category?: { label: string }; priority?: { priority: string }; language?: { code: string } };
  };

  /** Click the first source link and wait for the panel to finish loading. */
  const openFirstSource = async () => {
    const href = (await page.getAttribute('#sources a.source-link >> nth=0', 'href')) ?? '';
    const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/v1/documents/')), page.click('#sources a.source-link >> nth=0')]);
    const id = decodeURIComponent(href.replace(/^#source=/, ''));
    t.equal(response.status(), 200, `GET /v1/documents/${encodeURIComponent(id)} answered 200 (id of ${id.length} characters)`);
    await page.waitForFunction(() => {
      const panel = document.getElementById('source-panel');
      return !!panel && !panel.hidden && panel.getAttribute('aria-busy') === 'false';
    });
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

  // ---- 1. the page loads cleanly, 2. the status shows the ready state with counts
  const loaded = await page.goto(url);
  t.equal(loaded?.status(), 200, 'GET / answered 200');
  t.match(loaded?.headers()['content-security-policy'] ?? '', /script-src 'self'/, 'the page is served with its CSP');
  await page.waitForFunction(() => document.getElementById('status')?.classList.contains('is-ready'));
  t.equal(await page.textContent('#status-text'), '5 articles · 1 ticket', '#status shows the ready state with article and ticket counts');
  t.same(consoleErrors, [], 'no console errors or warnings on load');
  t.same(pageErrors, [], 'no uncaught page errors on load');
  t.same(await cspViolations(), [], 'no CSP violations on load');

  // ---- 3. a customer question gets the delivery article, with triage
  const parcel = await ask(PARCEL_QUESTION);
  const parcelSource = parcel.suggestion.source!;
  t.equal(parcel.suggestion.status, 'answered', 'the parcel question is answered');
  t.match(parcelSource, { kind: 'article', id: /^eshop-parcel-missing-items#/ }, 'from the missing-parcel article');
  const parcelDoc = kb.getDocument(parcelSource.id)!;
  const answerText = (await page.textContent('#answer')) ?? '';
  t.equal(answerText, parcelDoc.answer, '#answer shows the section text of the cited section');
  const parcelFile = plain(await readFile(path.join(eshop, 'eshop-parcel-missing-items.md'), 'utf8'));
  t.ok(parcelFile.includes(plain(answerText).slice(0, 120)), '#answer text is taken from the article file itself');
  t.match(answerText, /report it to us within 14 days/, 'the answer says how to report a parcel that did not arrive');
  const firstLink = (await page.textContent('#sources a.source-link >> nth=0')) ?? '';
  t.match(firstLink, parcelDoc.title, 'the first source link names the article');
  t.match(await page.getAttribute('#sources a.source-link >> nth=0', 'href'), `#source=${encodeURIComponent(parcelSource.id)}`, 'and points at its section');
  const { level, score } = parcel.suggestion.confidence;
  t.equal(await page.textContent('#confidence'), `${level[0]!.toUpperCase()}${level.slice(1)} · ${Math.round(score * 100)}%`, '#confidence shows the level and score of the reply');
  t.match(await page.textContent('#confidence'), /^(High|Medium) · \d+%$/, '#confidence shows a high or medium level');
  t.equal(parcel.category?.label, 'delivery', 'the trained categorizer says delivery');
  t.equal(await page.textContent('#category strong'), 'delivery', '#category shows the label');
  t.match(await page.textContent('#category'), /^delivery (High|Medium|Low) · \d+%/, '#category shows the label with its probability');
  // No priority categorizer is trained and the message has no urgency cues: the default priority.
  t.match(parcel.priority, { priority: 'normal', basis: 'default', cues: [] }, 'the reply gives the default priority');
  t.equal(await page.textContent('#priority strong'), 'Normal', '#priority shows the priority');
  t.equal(await page.textContent('#priority'), 'Normal · default', '#priority shows the priority and its basis, and nothing else');
  t.equal(parcel.language?.code, 'en', 'the reply detects English');
  t.match(await page.textContent('#language'), /^en/, '#language shows en');
  t.equal(await page.textContent('#route'), 'No routing rules configured', '#route says no rules are configured');
  t.notMatch(await page.textContent('#facts-col'), /null|undefined|NaN/, 'no null, undefined or NaN leaks into the triage column');
  t.notMatch(await page.textContent('#answer-card'), /null|undefined|NaN/, 'nor into the answer card');
  t.ok(await page.isVisible('#copy'), 'the copy button is shown');
  t.ok((await page.isVisible('#helpful')) && (await page.isVisible('#not-helpful')), 'the feedback buttons are shown');

  // ---- 7. the screenshot artifact, right after the first answer renders
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: screenshotPath, fullPage: true });
  t.ok((await stat(screenshotPath)).size > 10_000, `screenshot kept at ${path.relative(repoRoot, screenshotPath)}`);

  // ---- 4. the source panel shows the section; Esc closes it
  await openFirstSource();
  t.ok(await page.isVisible('#source-panel'), 'clicking the first source opens #source-panel');
  t.equal(await page.textContent('#source-title'), parcelDoc.title, 'the panel is titled with the article');
  t.equal(await page.textContent('#source-body'), parcelDoc.text, '#source-body shows the section text');
  t.match(page.url(), `#source=${encodeURIComponent(parcelSource.id)}`, 'the URL names the open source');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.getElementById('source-panel')?.hidden === true);
  t.ok(await page.isHidden('#source-panel'), 'Esc closes the panel');
  t.ok(await page.evaluate(() => document.activeElement?.classList.contains('source-link')), 'focus returns to the source link');

  // ---- 6. feedback: refused without a key, recorded once the key is set through the dialog
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

  // ---- 5. hostile content: the gift-card article and the ticket render as text only
  const gift = await ask(GIFT_QUESTION);
  t.equal(gift.suggestion.status, 'answered', 'the gift-card question is answered');
  t.match(gift.suggestion.source, { kind: 'article', id: /^gift-cards#/ }, 'from the hostile gift-card article');
  t.match(await page.textContent('#sources a.source-link >> nth=0'), 'Check the balance of a gift certificate', 'its first source link names it');
  t.match(await page.textContent('#answer'), /balance checker page/, 'the link text is shown as text');
  await assertInert('gift-card answer');
  await openFirstSource();
  t.match(await page.textContent('#source-body'), /enter the 16-digit number and the PIN/, 'its source panel shows the section');
  await assertInert('gift-card source panel');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.getElementById('source-panel')?.hidden === true);

  const invoice = await ask(INVOICE_QUESTION);
  t.equal(invoice.suggestion.status, 'answered', 'the invoice question is answered');
  t.match(invoice.suggestion.source, { kind: 'ticket', id: HOSTILE_TICKET.id }, 'from the hostile ticket');
  t.match(await page.textContent('#sources a.source-link >> nth=0'), `Ticket ${HOSTILE_TICKET.id}: ${HOSTILE_TICKET.subject}`, 'its first source link names the ticket');
  const invoiceAnswer = (await page.textContent('#answer')) ?? '';
  t.equal(invoiceAnswer, HOSTILE_TICKET.resolution, '#answer is the ticket resolution, verbatim');
  t.ok(invoiceAnswer.includes("<script>window.__pwned='ticket'</script>") && invoiceAnswer.includes('<b>bold</b>'), 'the markup appears literally, as text');
  t.equal(await page.locator('#answer b').count(), 0, 'no <b> element was made from it');
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
});
