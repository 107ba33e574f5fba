import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { answerUnits, chooseUnit, chooseDefaults, plainText, renderTable, type AnswerUnit } from '@answerdesk/reply';
import { thrown } from './helpers.js';

const article = readFileSync(new URL('../../../docs-content/articles/eshop/eshop-returns-policy.md', import.meta.url), 'utf8');
const section = (heading: string): string => {
  const body = article.replace(/^---\n[\s\S]*?\n---\n/, '');
  const part = body.split(/\n(?=#{2,6} )/).find((p) => (/^#{2,6} (.*)/.exec(p)?.[1] ?? '') === heading);
  if (part === undefined) throw new Error(`no section "${heading}"`);
  return part.trim();
};

/** Scores by unit index; every unit not named scores `rest`. */
const scoring = (units: readonly AnswerUnit[], given: Record<number, number>, rest = 0.1) => units.map((u) => given[u.index] ?? rest);


t.test('defaults', async (t) => {
  t.same(chooseDefaults, { tolerance: 0.03, wholeBelow: 450, wholeUnits: 2 });
});

t.test('the smallest complete unit that answers (returns policy)', async (t) => {
  const receive = answerUnits(section('After we receive your return')); // paragraph 0, sentences 1–4 (4 points elsewhere)
  const what = answerUnits(section('What you can return')); // paragraph 0, sentences 1–3, list 4 (with its lead-in)
  const cases: Array<{ why: string; units: AnswerUnit[]; scores: Record<number, number>; options?: { tolerance?: number }; shown: number[]; starts: string }> = [
    { why: 'a sentence within tolerance of its paragraph wins', units: receive, scores: { 0: 0.7, 3: 0.69 }, shown: [3], starts: 'You get back the price you paid' },
    { why: 'a sentence scoring best wins outright', units: receive, scores: { 0: 0.6, 2: 0.8 }, shown: [2], starts: 'The refund goes back to your original payment method.' },
    { why: 'a sentence too far below: the paragraph, minus what points elsewhere', units: receive, scores: { 0: 0.7, 3: 0.6 }, shown: [1, 2, 3], starts: 'We check online returns' },
    { why: 'a wider tolerance narrows further', units: receive, scores: { 0: 0.7, 3: 0.6 }, options: { tolerance: 0.2 }, shown: [3], starts: 'You get back' },
    { why: 'the best unit points elsewhere: never shown', units: receive, scores: { 4: 0.95, 1: 0.5 }, shown: [1], starts: 'We check online returns within 3 working days' },
    { why: 'a list is whole, with its lead-in', units: what, scores: { 4: 0.8, 0: 0.5 }, shown: [4], starts: 'Items must be:\n\n- unused' },
    { why: 'a sentence in the same section does not split the list', units: what, scores: { 4: 0.8, 2: 0.79 }, shown: [4], starts: 'Items must be:' },
  ];
  for (const c of cases) {
    // wholeBelow 0: these sections are short enough to be shown whole by default.
    const chosen = chooseUnit(c.units, scoring(c.units, c.scores), { wholeBelow: 0, ...c.options });
    t.same(chosen.units, c.shown, `${c.why}: units`);
    t.ok(chosen.markdown.startsWith(c.starts), `${c.why}: markdown`);
    t.equal(chosen.whole, false, `${c.why}: not whole`);
    t.notMatch(chosen.markdown, /see our article/i, `${c.why}: no reference to elsewhere`);
  }
});

t.test('by default a short section of one paragraph is shown whole', async (t) => {
  const receive = answerUnits(section('After we receive your return'));
  const chosen = chooseUnit(receive, scoring(receive, { 0: 0.7, 3: 0.69 }));
  t.equal(chosen.whole, true);
  t.same(chosen.units, [1, 2, 3], 'the paragraph without its last sentence, which points elsewhere');
  t.match(chosen.markdown, /the whole order\.$/);
});

t.test('a table stays whole and is handed over as data', async (t) => {
  const units = answerUnits(section("Items we can't take back"));
  const chosen = chooseUnit(units, scoring(units, { 0: 0.8, 1: 0.78 }));
  t.same(chosen.units, [0]);
  t.equal(chosen.table?.rows.length, 5);
  t.match(chosen.text, /^Item {2,}Why\n-+ {2}-+\nEarphones/, 'text renders the table as columns');
});

t.test('steps stay whole', async (t) => {
  const units = answerUnits(section('How to start a return online'));
  const chosen = chooseUnit(units, scoring(units, { 0: 0.9 }));
  t.same(chosen.units, [0]);
  t.match(chosen.markdown, /^1\. Sign in[\s\S]*5\. Print the label/);
  t.match(chosen.text, /^1\. Sign in and go to My orders, or use Help Centre > Order lookup for guest orders\.\n2\. Select/);
});

t.test('a short section is shown whole, minus what points elsewhere', async (t) => {
  const gifts = answerUnits(section('Gifts and store purchases'));
  const whole = chooseUnit(gifts, scoring(gifts, { 1: 0.9 }), { wholeBelow: 1000 });
  t.equal(whole.whole, true);
  t.same(whole.units, [0, 1]);
  t.equal(whole.markdown, section('Gifts and store purchases').replace(/^## .*\n\n/, ''));
  const narrowed = chooseUnit(gifts, scoring(gifts, { 1: 0.9 }), { wholeBelow: 100 });
  t.same(narrowed.units, [1], 'longer than wholeBelow: chosen as usual');

  const units = answerUnits('Refunds take 3–5 days.\n\nSee our article on refund timelines.');
  const shown = chooseUnit(units, [0.1, 0.9]);
  t.same(shown, { markdown: 'Refunds take 3–5 days.', text: 'Refunds take 3–5 days.', units: [0], whole: true });
  t.same(chooseUnit(answerUnits('See our article on refund timelines.'), [0.9]), { markdown: '', text: '', units: [], whole: false }, 'nothing but a reference: nothing to show');
  const intro = answerUnits('Every product page shows the measurements and what is in the box. This article tells you where to find each of these.');
  t.equal(chooseUnit(intro, [0.9, 0.8, 0.7]).markdown, 'Every product page shows the measurements and what is in the box.', 'a paragraph of two sentences is shown without the one that points to the article');
  t.same(chooseUnit([], []), { markdown: '', text: '', units: [], whole: false });
});

t.test('a sentence that leans on the one before takes it along', async (t) => {
  const units = answerUnits('Refunds go to your card. It takes 3–5 days. Gift cards are instant. Store credit never expires.');
  const narrow = { wholeBelow: 0 }; // short enough to be shown whole otherwise
  t.same(chooseUnit(units, scoring(units, { 0: 0.5, 2: 0.9 }), narrow).units, [1, 2], '"It takes…" is shown with "Refunds go to your card."');
  t.equal(chooseUnit(units, scoring(units, { 0: 0.5, 2: 0.9 }), narrow).markdown, 'Refunds go to your card. It takes 3–5 days.');
  t.same(chooseUnit(units, scoring(units, { 0: 0.5, 3: 0.9 }), narrow).units, [3], 'a self-contained sentence stands alone');
  t.same(chooseUnit(units, scoring(units, { 0: 0.5, 3: 0.9 })).units, [0], 'by default this short paragraph is shown whole');
});

t.test('a short paragraph and the list right after it, when the list is the runner-up', async (t) => {
  const markdown = [
    'Returns are free for members.',
    '',
    '- drop-off points',
    '- stores',
    '',
    'Courier collection costs €3.95 and is booked online, and the fee is taken from your refund, which we send within 3 days of receiving the items back at the warehouse in full.',
  ].join('\n');
  const units = answerUnits(markdown);
  t.same(units.map((u) => u.kind), ['paragraph', 'list', 'paragraph']);
  const together = chooseUnit(units, [0.8, 0.6, 0.3], { wholeBelow: 0 });
  t.same(together.units, [0, 1]);
  t.equal(together.markdown, 'Returns are free for members.\n\n- drop-off points\n- stores');
  t.same(chooseUnit(units, [0.8, 0.3, 0.6], { wholeBelow: 0 }).units, [0], 'the list is not the runner-up: the paragraph alone');
});

t.test('bad input is a coded error', async (t) => {
  const units = answerUnits('One.\n\nTwo.');
  const cases: Array<[string, () => unknown, string]> = [
    ['scores', () => chooseUnit(units, [0.5]), 'one score per unit'],
    ['tolerance', () => chooseUnit(units, [0.5, 0.4], { tolerance: -1 }), '≥ 0'],
    ['wholeBelow', () => chooseUnit(units, [0.5, 0.4], { wholeBelow: Number.NaN }), '≥ 0'],
  ];
  for (const [option, fn, reason] of cases) {
    const error = thrown(fn);
    t.equal(error.code, 'ADK_OPTION_INVALID', option);
    t.equal(error.details.option, option);
    t.match(error.message, reason);
  }
});

t.test('renderTable', async (t) => {
  const table = { header: ['Plan', 'Price', 'Note'], rows: [['Basic', '3', 'ok'], ['Business plus', '120', '']], align: ['left', 'right', 'center'] as Array<'left' | 'right' | 'center' | null> };
  t.equal(renderTable(table, 'text'), ['Plan           Price  Note', '-------------  -----  ----', 'Basic              3   ok', 'Business plus    120'].join('\n'));
  t.equal(renderTable({ header: ['A'], rows: [['x', 'extra']], align: [null] }, 'text'), 'A\n-  -----\nx  extra', 'ragged rows get empty cells');
  t.equal(thrown(() => renderTable(table, 'html' as 'text')).code, 'ADK_OPTION_INVALID');
});

t.test('plainText', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['emphasis and code', 'Go to **My orders** and pick `Return`.', 'Go to My orders and pick Return.'],
    ['a relative link keeps its label only', 'See [refunds](refunds.md).', 'See refunds.'],
    ['an absolute link keeps its address', 'Use [order lookup](https://brightcart.com/lookup).', 'Use order lookup (https://brightcart.com/lookup).'],
    ['a bare address is not repeated', 'Go to <https://brightcart.com>.', 'Go to https://brightcart.com.'],
    ['lists as "- item"', 'Items:\n\n* one\n* **two**', 'Items:\n\n- one\n- two'],
    ['steps numbered from their start', '3. three\n4. four', '3. three\n4. four'],
    ['nested lists are indented', '- a\n  - b\n- c', '- a\n  - b\n- c'],
    [
      'code in a step keeps every line under the step',
      '1. Look up the records:\n\n   ```\n   dig TXT example.com +short\n   dig TXT _dmarc.example.com +short\n   ```\n2. Send a test message.',
      '1. Look up the records:\n   dig TXT example.com +short\n   dig TXT _dmarc.example.com +short\n2. Send a test message.',
    ],
    ['a second paragraph with a hard break stays under its item', '- one\n\n  two  \n  three', '- one\n  two\n  three'],
    ['raw HTML is dropped', 'Hi <b>there</b>\n\n<script>alert(1)</script>', 'Hi there'],
    ['soft breaks are spaces', 'one\ntwo', 'one two'],
  ];
  for (const [why, markdown, text] of cases) t.equal(plainText(markdown), text, why);
});

t.test('plainText gives text without markup what the markdown parser gives, without parsing it', async (t) => {
  // An HTML comment is markup (so the text is parsed) that adds nothing: the parser's reading of the rest.
  const parsed = (text: string) => plainText(`${text}\n\n<!-- parsed -->`);
  const root = new URL('../../../docs-content/tickets/', import.meta.url);
  const resolutions = readdirSync(root)
    .filter((file) => file.endsWith('.jsonl'))
    .flatMap((file) => readFileSync(new URL(file, root), 'utf8').split('\n').filter(Boolean))
    .map((line) => (JSON.parse(line) as { resolution: string }).resolution);
  t.ok(resolutions.length > 100, 'the sample tickets were read');
  const tricky = [
    'one\ntwo\n\n\n  three  \n   four',
    '  indented by two\n\t\nafter a blank line of a tab',
    'Visit www.brightcart.com/help or https://hostwell.com/status, or write to help@hostwell.com.',
    'Call +1 (555) 010-2291 before 5 p.m.; the fee is $4.99 (€4.50) + VAT.',
    'A line\n2024. is a year\nand 3) a list?',
    '1. first\n2. second',
    'Price: 10 - 20 %\n- a list item',
    'Setext\n===',
    'Hard  \nbreak',
    '    code block',
    'Sign:\n+ plus',
    'Pay with Visa * 2291 or Mastercard _ok_',
    'Tom & Jerry &amp; friends',
    'a <b>bold</b> claim',
    'back\\slash',
    'pipe | table',
    '#hashtag and # heading',
    '~~gone~~',
    '\r\nWindows\r\nlines\r\n\r\nend',
    '\u00a0 non-breaking \u00a0',
    'Привет! Ваш сертификат masterskaya-dereva.ru выпущен.',
  ];
  let fast = 0;
  for (const text of [...resolutions, ...tricky]) {
    if (!/[*_`~<>[\]\\&|#]/.test(text)) fast++;
    t.equal(plainText(text), parsed(text), JSON.stringify(text.slice(0, 60)));
  }
  t.ok(fast > 100, 'most resolutions have no markup character at all');
});
