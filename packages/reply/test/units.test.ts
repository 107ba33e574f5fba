import { readFileSync } from 'node:fs';
import t from 'tap';
import { answerUnits, introduces, refersElsewhere, type AnswerUnit } from '@answerdesk/reply';

const article = readFileSync(new URL('../../../docs-content/articles/eshop/eshop-returns-policy.md', import.meta.url), 'utf8');

/** The article's sections as markdown, keyed by heading (the intro under ''), each with its heading line. */
function sections(markdown: string): Map<string, string> {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  const out = new Map<string, string>();
  for (const part of body.split(/\n(?=#{2,6} )/)) {
    const heading = /^#{2,6} (.*)/.exec(part)?.[1] ?? '';
    out.set(heading, part.trim());
  }
  return out;
}
const returns = sections(article);
const section = (heading: string) => {
  const markdown = returns.get(heading);
  if (markdown === undefined) throw new Error(`no section "${heading}" in the returns policy`);
  return markdown;
};
const kinds = (units: readonly AnswerUnit[]) => units.map((unit) => (unit.parent === undefined ? unit.kind : `${unit.kind}<${unit.parent}`));

t.test('the returns policy, section by section', async (t) => {
  const cases: Array<{ heading: string; kinds: string[]; elsewhere: number[] }> = [
    { heading: '', kinds: ['paragraph', 'sentence<0', 'sentence<0', 'sentence<0'], elsewhere: [3] },
    { heading: 'What you can return', kinds: ['paragraph', 'sentence<0', 'sentence<0', 'sentence<0', 'list'], elsewhere: [] },
    { heading: "Items we can't take back", kinds: ['table', 'paragraph'], elsewhere: [] },
    { heading: 'How to start a return online', kinds: ['steps', 'paragraph'], elsewhere: [] },
    { heading: 'Three ways to send your return', kinds: ['list'], elsewhere: [] },
    { heading: 'After we receive your return', kinds: ['paragraph', 'sentence<0', 'sentence<0', 'sentence<0', 'sentence<0'], elsewhere: [4] },
    { heading: 'Gifts and store purchases', kinds: ['paragraph', 'paragraph'], elsewhere: [] },
  ];
  for (const c of cases) {
    const units = answerUnits(section(c.heading));
    t.same(kinds(units), c.kinds, `${c.heading || 'intro'}: kinds`);
    t.same(units.filter((u) => u.pointsElsewhere).map((u) => u.index), c.elsewhere, `${c.heading || 'intro'}: units that point elsewhere`);
    t.same(units.map((u) => u.index), units.map((_, i) => i), 'index is the position');
  }
});

t.test('a lead-in belongs to its list; the list is whole', async (t) => {
  const units = answerUnits(section('What you can return'));
  const list = units.find((u) => u.kind === 'list')!;
  t.equal(list.leadIn, 'Items must be:');
  t.ok(list.markdown.startsWith('Items must be:\n\n- unused'), 'markdown starts with the lead-in');
  t.equal(list.markdown.split('\n- ').length, 5, 'all four items, never split');
  t.ok(list.markdown.endsWith('- for clothing, with the labels still attached.'));
  t.match(list.text, /^Items must be:\nunused, apart from what's needed/, 'text: the lead-in, then one item a line');
  t.notOk(units.some((u) => u.kind === 'paragraph' && u.markdown === 'Items must be:'), 'the lead-in is never a unit of its own');
});

t.test('markdown is kept exactly as written; text is plain', async (t) => {
  const [paragraph, first] = answerUnits(section(''));
  t.ok(section('').startsWith(paragraph!.markdown), 'paragraph markdown is a slice of the section');
  t.match(first!.markdown, /within \*\*30 days\*\* of receiving them/, 'a sentence keeps its emphasis markup');
  t.match(first!.text, /within 30 days of receiving them/, '…and its text does not');
  t.equal(first!.parent, 0);
  const steps = answerUnits(section('How to start a return online'))[0]!;
  t.match(steps.markdown, /^1\. Sign in and go to \*\*My orders\*\*/);
  t.equal(steps.text.split('\n').length, 5, 'five steps, one a line');
  t.equal(steps.leadIn, undefined);
});

t.test('a table: cells, alignment and "header: cell" text', async (t) => {
  const [table] = answerUnits(section("Items we can't take back"));
  t.equal(table!.kind, 'table');
  t.same(table!.table!.header, ['Item', 'Why']);
  t.equal(table!.table!.rows.length, 5);
  t.same(table!.table!.rows[3], ['Gift certificates', 'Work like cash; see the gift certificate articles for unused e-gifts']);
  t.same(table!.table!.align, [null, null]);
  t.match(table!.text, /^Item: Earphones, underwear and swimwear with the hygiene seal removed; Why: Health protection$/m);
  t.notOk(table!.pointsElsewhere, 'a table is content, even with "see …" in a cell');

  const aligned = answerUnits('Fees:\n\n| Plan | Price | Note |\n|:---|---:|:---:|\n| Basic | 3 | - |\n')[0]!;
  t.same(aligned.table!.align, ['left', 'right', 'center']);
  t.equal(aligned.leadIn, 'Fees:');
});

t.test('what a lead-in is', async (t) => {
  const cases: Array<{ markdown: string; kinds: string[]; leadIn?: string; why: string }> = [
    { markdown: 'Check the following\n\n- cable\n- router', kinds: ['list'], leadIn: 'Check the following', why: '"check the following" without a colon' },
    { markdown: 'Follow these steps.\n\n1. one\n2. two', kinds: ['steps'], leadIn: 'Follow these steps.', why: '"these steps"' },
    { markdown: 'Add the record below.\n\n```\nv=spf1 include:mail.example ~all\n```', kinds: ['code'], leadIn: 'Add the record below.', why: '"below", before code' },
    { markdown: 'Segui i passaggi qui sotto.\n\n1. uno\n2. due', kinds: ['steps'], leadIn: 'Segui i passaggi qui sotto.', why: 'Italian "qui sotto"' },
    { markdown: 'Gehen Sie wie folgt vor.\n\n1. eins\n2. zwei', kinds: ['steps'], leadIn: 'Gehen Sie wie folgt vor.', why: 'German "wie folgt"' },
    { markdown: 'Выполните шаги ниже.\n\n1. один\n2. два', kinds: ['steps'], leadIn: 'Выполните шаги ниже.', why: 'Russian "ниже"' },
    { markdown: 'Prices are listed per month.\n\n| Plan | Price |\n|---|---|\n| A | 1 |', kinds: ['paragraph', 'table'], why: 'a statement before a table is its own unit' },
    { markdown: 'Items below 10 € ship free. Returns are easy.\n\n- a\n- b', kinds: ['paragraph', 'list'], why: '"below" in an earlier sentence introduces nothing' },
    { markdown: 'You need these:\n\nA paragraph, not a list.', kinds: ['paragraph', 'paragraph'], why: 'a colon before a paragraph is no lead-in' },
    { markdown: 'You need these:\n\n## Heading\n\n- a', kinds: ['paragraph', 'list'], why: 'a heading between them breaks the link' },
  ];
  for (const c of cases) {
    const units = answerUnits(c.markdown);
    t.same(kinds(units), c.kinds, c.why);
    if (c.leadIn !== undefined) t.equal(units[0]!.leadIn, c.leadIn, `${c.why}: leadIn`);
  }
  t.ok(introduces('Items must be:'));
  t.notOk(introduces('Items must be unused.'));
});

t.test('what points elsewhere', async (t) => {
  const yes = [
    'See our article on refund timelines.',
    'For how long each payment method takes, see our article on refund timelines.',
    'For X, see below.',
    'This article explains what can be returned and how.',
    'If nothing works, go through the checks below.',
    'More on this in our article on gift certificates.',
    'Read our guide to DNS records.',
    'Learn more about vouchers in the Promotions section.',
    'Per i tempi di rimborso, consulta l’articolo dedicato.',
    'Questo articolo spiega come restituire un prodotto.',
    'Maggiori informazioni nella sezione Resi.',
    'Siehe unseren Artikel zu Erstattungen.',
    'Dieser Artikel erklärt, wie Sie eine Rücksendung anlegen.',
    'Mehr dazu im Artikel „Zahlungsarten“.',
    'См. статью о сроках возврата.',
    'В этой статье описано, как оформить возврат.',
    'Подробнее — в разделе «Оплата».',
  ];
  const no = [
    'Choose how you will send them back (see below).',
    'Refunds to PayPal take 3–5 business days.',
    'Go to My orders and choose Return items.',
    'Check your spam folder for the e-mail.',
    'Follow the link in the e-mail to verify your account.',
    'For store purchases, they start on the date on your receipt.',
    'Il rimborso arriva in 3-5 giorni lavorativi.',
    'Die Erstattung dauert 3 bis 5 Werktage.',
    'Возврат занимает 3–5 рабочих дней.',
    'Обратитесь к нам, если деньги не пришли.',
  ];
  for (const sentence of yes) t.ok(refersElsewhere(sentence), `points elsewhere: ${sentence}`);
  for (const sentence of no) t.notOk(refersElsewhere(sentence), `is content: ${sentence}`);
});

t.test('units that point elsewhere', async (t) => {
  const units = answerUnits(
    [
      'See our article on refund timelines.',
      '',
      '- [Refund timelines](refunds.md)',
      '- [Gift certificates](gift.md)',
      '',
      'Related articles:',
      '',
      '- [Payment methods](payments.md)',
      '',
      '> See the section below.',
      '',
      'Refunds take 3–5 days. See our article on card refunds. Ask your bank for the reference.',
    ].join('\n'),
  );
  t.same(kinds(units), ['paragraph', 'list', 'list', 'quote', 'paragraph', 'sentence<4', 'sentence<4', 'sentence<4']);
  t.same(units.map((u) => u.pointsElsewhere), [true, true, true, true, false, false, true, false], 'a paragraph points elsewhere only when every sentence does');
  const two = answerUnits('Every product page shows the measurements and what is in the box. This article tells you where to find each of these.');
  t.same(kinds(two), ['paragraph', 'sentence<0', 'sentence<0'], 'two sentences, one a pointer: each is a unit');
  t.same(two.map((u) => u.pointsElsewhere), [false, false, true]);
  t.same(kinds(answerUnits('Refunds take 3–5 days. Cards can take longer.')), ['paragraph'], 'two sentences that both answer stay one unit');
});

t.test('sentences: links, abbreviations and line breaks do not end them', async (t) => {
  const units = answerUnits('Use the form, e.g. the one on [Help Centre. Contact](https://example.com/a.b). It is\nopen 24/7. Mr. Jones answers in 1 day.');
  t.same(kinds(units), ['paragraph', 'sentence<0', 'sentence<0', 'sentence<0']);
  t.equal(units[1]!.markdown, 'Use the form, e.g. the one on [Help Centre. Contact](https://example.com/a.b).');
  t.equal(units[1]!.text, 'Use the form, e.g. the one on Help Centre. Contact.');
  t.equal(units[2]!.markdown, 'It is\nopen 24/7.', 'a soft line break stays in the markdown');
  t.equal(units[2]!.text, 'It is open 24/7.');
  t.equal(units[3]!.text, 'Mr. Jones answers in 1 day.');
  t.same(kinds(answerUnits('One. Two.')), ['paragraph'], 'fewer than 3 sentences: the paragraph only');
});

t.test('headings, HTML and empty input make no units; CRLF is LF', async (t) => {
  t.same(answerUnits(''), []);
  t.same(kinds(answerUnits('## Title\n\n<div>raw</div>\n\n---\n\nText.')), ['paragraph']);
  const crlf = answerUnits('Items must be:\r\n\r\n- a\r\n- b\r\n');
  t.equal(crlf[0]!.markdown, 'Items must be:\n\n- a\n- b');
  const quote = answerUnits('> Keep the box.\n> It helps.')[0]!;
  t.equal(quote.kind, 'quote');
  t.equal(quote.text, 'Keep the box. It helps.');
});
