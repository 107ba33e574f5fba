// The pure webhook mappings: payload → message, triage → what the helpdesk sets. No server, no model.
import { readFileSync } from 'node:fs';
import t from 'tap';
import type { TriageResult } from '@answerdesk/core';
import {
  checkWebhookOptions,
  fitText,
  genericTicket,
  helpdeskAnswer,
  languageOf,
  parsePath,
  readPath,
  zammadAnswer,
  zammadTicket,
  type GenericMapping,
} from '../src/webhook.js';
// Moved to @answerdesk/message; the server still exports it where webhook users found it.
import { htmlToText } from '../src/index.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  return undefined;
};

t.test('paths: JSON pointers and dotted paths', async (t) => {
  const doc = { a: { 'b/c': 1, 'd.e': 2, '~x': 3, list: [{ v: 'first' }, { v: 'second' }] } };
  t.same(parsePath('/a/b~1c'), ['a', 'b/c']);
  t.equal(readPath(doc, '/a/b~1c'), 1);
  t.equal(readPath(doc, '/a/d.e'), 2, 'a key holding a dot, through a pointer');
  t.equal(readPath(doc, '/a/~0x'), 3);
  t.equal(readPath(doc, 'a.list.1.v'), 'second');
  t.equal(readPath(doc, 'a.list[0].v'), 'first');
  t.equal(readPath(doc, 'a.list.x'), undefined, 'arrays take numbers only');
  t.equal(readPath(doc, 'a.missing.deeper'), undefined);
  t.equal(readPath(doc, 'a.toString'), undefined, 'inherited properties are not read');
  t.match(code(() => parsePath('a..b')), { code: 'ADK_OPTION_INVALID', message: /empty step/ });
  t.match(code(() => parsePath('')), { code: 'ADK_OPTION_INVALID' });
});

t.test('HTML bodies become the text the message reader expects', async (t) => {
  const text = htmlToText('<div>Hello,</div><div><br></div><div>No <b>refund</b> &amp; no answer&nbsp;yet.<br>\nWhen?</div><ul><li>one</li><li>two</li></ul><script>alert(1)</script><!-- x --><style>p{}</style><p>&#8364;5 &euro; &#x1F600; &bogus;</p>');
  t.equal(text, 'Hello,\n\nNo refund & no answer yet.\nWhen?\n\n- one\n- two\n\n€5 € 😀 &bogus;');
  t.equal(htmlToText('<p>Mine</p><blockquote><p>Theirs</p><blockquote>Older</blockquote></blockquote>'), 'Mine\n\n> Theirs\n>\n> > Older', 'quoted replies keep their > marks, nested ones too');
  t.equal(htmlToText('<pre>a\n  b</pre>'), 'a\nb');
  t.equal(htmlToText('a &lt;script&gt; b'), 'a <script> b', 'escaped markup stays text');
  t.equal(htmlToText('<div>a<br></div><div>b</div> <div> </div><p>c</p><table><tr><td>x</td><td>y</td></tr></table>'), 'a\nb\n\nc\n\nx y', 'a block boundary starts a line once; cells stay on their row');
});

t.test('a crafted body costs no more than a plain one (no backtracking over the payload)', async (t) => {
  const bodies = ['<'.repeat(1e6), '<script>'.repeat(1e5), '<p'.repeat(5e5), '<!--'.repeat(2e5), '<img alt="'.repeat(1e5), '<blockquote>'.repeat(5e4), '&#'.repeat(5e5), `<<<<${'<'.repeat(1e6)}>`];
  for (const body of bodies) {
    const started = performance.now();
    htmlToText(body);
    genericTicket({ t: `<p>x</p>${body}` }, { text: 't' }, 4000);
    const ms = performance.now() - started;
    t.ok(ms < 3000, `${JSON.stringify(body.slice(0, 12))}… (${body.length} characters): ${Math.round(ms)} ms`);
  }
  t.equal(htmlToText('a < b and c > d'), 'a < b and c > d', 'a lone < or > is text');
});

t.test("Zammad's trigger payload → the message", async (t) => {
  const payload = fixture('zammad-ticket-created.json');
  const ticket = zammadTicket(payload, { fields: { storeId: 'ticket.store_id' } });
  t.equal(ticket.helpdesk, 'zammad');
  t.equal(ticket.ticketId, '81');
  t.equal(ticket.ticketNumber, '10081');
  t.match(ticket.message, {
    id: '81',
    subject: 'Refund for order BC-4410273',
    channel: 'email',
    receivedAt: '2024-03-11T09:14:35.318Z',
    fields: { group: 'Users', organization: 'Awesome Customer Inc.', vip: true, storeId: 'S-012' },
  });
  t.equal(ticket.message.text, 'Hello,\n\nI returned the shoes two weeks ago and I still have no refund & nobody answers.\nWhen will my refund arrive?\n\nThanks,\nAnna\n\n> On Monday, Brightcart wrote:\n> Your return was received.');
  t.same(ticket.warnings, []);

  const plain = zammadTicket({ ticket: { id: 5, title: 'Title only', group: 'Sales' }, article: { body: 'plain <b>text</b>', content_type: 'text/plain' } });
  t.match(plain.message, { subject: 'Title only', text: 'plain <b>text</b>', fields: { group: 'Sales' } }, 'a plain-text article is taken as written; a group may be a name');

  t.match(code(() => zammadTicket({ ticket: { id: 81 } })), { code: 'ADK_WEBHOOK_PAYLOAD_INVALID', message: /no "article".*"Action is created"/ });
  t.match(code(() => zammadTicket({ ticket: { id: 81 }, article: null })), { code: 'ADK_WEBHOOK_PAYLOAD_INVALID' });
  t.match(code(() => zammadTicket({ ticket: '#{ticket.number}' })), { code: 'ADK_WEBHOOK_PAYLOAD_INVALID', message: /Custom Payload/ });
  t.match(code(() => zammadTicket({ ticket: { id: 1 }, article: { body: '<div><br></div>', content_type: 'text/html' } })), { code: 'ADK_WEBHOOK_PAYLOAD_INVALID', message: /no words to triage/ });
  const listField = zammadTicket({ ticket: { id: 1, tags: ['x'] }, article: { body: 'hi there' } }, { fields: { tags: 'ticket.tags' } });
  t.match(listField.warnings, [/field "tags" was left out: the value at "ticket.tags" is a list/]);
});

t.test('a generic payload through its mapping', async (t) => {
  const { generic } = checkWebhookOptions(fixture('generic-mapping.json'));
  const ticket = genericTicket(fixture('generic-ticket.json'), generic!);
  t.equal(ticket.helpdesk, 'acme-desk');
  t.equal(ticket.ticketId, 'HD-2211');
  t.same(ticket.message, {
    id: 'HD-2211',
    subject: 'Where is my parcel',
    text: 'Tracking has not moved for a week.\n\nOrder BC-4410273, can you check?',
    channel: 'web',
    language: 'en',
    fields: { storeId: 'S-012', tier: 'gold' },
    receivedAt: '2024-03-11T10:02:00Z',
  });
  t.match(ticket.warnings, [/field "labels" was left out/]);

  const mapping: GenericMapping = { text: 'body', id: 'id', language: 'lang', receivedAt: 'at', format: 'text' };
  const odd = genericTicket({ body: '<p>kept as text</p>', id: 42, lang: 'Deutsch', at: 'yesterday' }, mapping);
  t.equal(odd.message.text, '<p>kept as text</p>', 'format "text" never strips markup');
  t.equal(odd.ticketId, '42', 'a numeric id becomes a string');
  t.notOk(odd.message.language);
  t.notOk(odd.message.receivedAt);
  t.match(odd.warnings, [/"Deutsch" is not a language code/, /"yesterday" is not an ISO 8601 date/]);

  t.match(code(() => genericTicket({ other: 'x' }, mapping)), { code: 'ADK_WEBHOOK_PAYLOAD_INVALID', message: /no text at "body" \(the mapping's "text"\)/ });
  t.match(code(() => genericTicket({ body: { html: 'x' } }, mapping)), { code: 'ADK_WEBHOOK_PAYLOAD_INVALID', message: /the text at "body" is object; it must be a string/ });
  t.equal(languageOf('pt_BR'), 'pt');
  t.equal(languageOf('English'), undefined);
});

t.test('long tickets are cut at a line break, keeping the newest words', async (t) => {
  const text = `${'new words '.repeat(30)}\n${'> quoted history\n'.repeat(40)}`;
  const fitted = fitText('Subject', text, 400);
  t.ok(fitted.subject!.length + 1 + fitted.text.length <= 400);
  t.ok(fitted.text.startsWith('new words'));
  t.ok(fitted.text.endsWith('> quoted history'), 'cut at a line break');
  t.same(fitted.cut, { from: text.trim().length, to: fitted.text.length });
  const ticket = genericTicket({ t: text }, { text: 't' }, 400);
  t.match(ticket.warnings, [/the text is \d+ characters long; the first \d+ were triaged/]);
  t.same(fitText(undefined, 'short', 400), { text: 'short' });
});

t.test('options are checked at start, naming what to fix', async (t) => {
  t.same(checkWebhookOptions(undefined), {});
  const cases: Array<[unknown, RegExp]> = [
    [[], /"webhooks" must be an object/],
    [{ zamad: {} }, /"webhooks.zamad" is not a known option/],
    [{ generic: {} }, /"webhooks.generic.text" is required/],
    [{ generic: { text: 'a..b' } }, /"webhooks.generic.text" has an empty step/],
    [{ generic: { text: ['ok', 5] } }, /"webhooks.generic.text\[1\]" must be a JSON pointer/],
    [{ generic: { text: 't', format: 'markdown' } }, /"webhooks.generic.format" must be "text", "html" or "auto"/],
    [{ generic: { text: 't', fields: { '1st': 'x' } } }, /"webhooks.generic.fields.1st" is not a field name/],
    [{ zammad: { priorities: { critical: '4 critical' } } }, /"webhooks.zammad.priorities.critical" is not an Answerdesk priority/],
    [{ zammad: { priorities: { urgent: { name: '4 urgent', id: 'four' } } } }, /"webhooks.zammad.priorities.urgent" must be/],
    [{ zammad: { groups: { billing: '' } } }, /"webhooks.zammad.groups.billing" must be the helpdesk's group name/],
    [{ zammad: { categoryAttribute: 'Category Field' } }, /"webhooks.zammad.categoryAttribute" must be the name of a Zammad ticket attribute/],
    [{ maxTextLength: 10 }, /"webhooks.maxTextLength" must be a whole number/],
  ];
  for (const [options, message] of cases) t.match(code(() => checkWebhookOptions(options)), { code: 'ADK_OPTION_INVALID', message }, String(message));
});

/** A triage as core makes it, by hand: the mappings only read it. */
function triageResult(overrides: Partial<TriageResult> = {}): TriageResult & { suggestionId?: string } {
  return {
    id: '81',
    category: { field: 'category', label: 'refund', probability: 0.91, level: 'high', alternatives: [{ label: 'delivery', probability: 0.05 }], basis: 'examples' },
    labels: {},
    priority: { priority: 'high', basis: 'cues', cues: ['legal threat: "lawyer"'] },
    language: { code: 'en', confidence: 0.9, reliable: true },
    entities: [{ kind: 'order', text: 'BC-4410273', value: 'BC-4410273', start: 17, end: 27 }],
    route: {
      queue: 'payments',
      priority: 'urgent',
      tags: ['money', 'money', 'refund'],
      notify: [],
      trace: [{ rule: 'refunds to payments', fired: true, why: ['keywords: refund'], actions: ['queue = payments'], stopped: true }],
      warnings: [],
    },
    suggestionId: 'abc',
    suggestion: {
      query: 'q',
      status: 'answered',
      answer: 'Refunds take five days.',
      source: { id: 'card-refunds#how-long', kind: 'article', title: 'Card refunds', heading: 'How long', file: 'eshop/card-refunds.md', line: 9 },
      confidence: { level: 'high', score: 0.92 },
      alternatives: [],
      answers: [
        {
          question: 'When will my refund arrive?',
          status: 'answered',
          answer: 'Refunds take five days.',
          source: { id: 'card-refunds#how-long', kind: 'article', title: 'Card refunds', heading: 'How long', file: 'eshop/card-refunds.md', line: 9 },
          confidence: { level: 'high', score: 0.92 },
          alternatives: [],
        },
        { question: 'Why <nobody> answers?', status: 'abstained', confidence: { level: 'low', score: 0.1 }, alternatives: [], reason: 'nothing close enough', nearby: [] },
      ],
      draft: { text: 'Hello Anna,\n\nRefunds take <five> days & more.\n\nKind regards', parts: [], placeholders: ['[order number]'], notes: ['Check the return was received.'], language: 'en', needsTranslation: false },
      similarTickets: [{ id: 'T-100', subject: 'Refund not received', category: 'refund', resolution: 'Sent Monday.', source: { id: 'T-100', kind: 'ticket', title: 'Refund not received' } }],
      tookMs: 1,
    },
    tookMs: 2,
    ...overrides,
  };
}

t.test('triage → what Zammad sets: its priority names, its group, tags, the note and the update', async (t) => {
  const ticket = zammadTicket(fixture('zammad-ticket-created.json'));
  const answer = zammadAnswer(ticket, triageResult(), { groups: { payments: 'Billing' }, categoryAttribute: 'category' });
  t.match(answer, { helpdesk: 'zammad', ticketId: '81', ticketNumber: '10081', category: 'refund', queue: 'payments', group: 'Billing', tags: ['money', 'refund'] });
  t.same(answer.priority, { value: 'urgent', basis: 'rules', name: '3 high', id: 3 }, "the route's priority, in Zammad's default names (no urgent there)");
  t.same(answer.update, {
    group: 'Billing',
    priority_id: 3,
    category: 'refund',
    article: { subject: answer.note.subject, body: answer.note.html, content_type: 'text/html', type: 'note', internal: true },
  });
  t.equal(answer.note.internal, true);
  t.equal(answer.note.subject, 'Answerdesk: suggested reply · refund · urgent priority');
  const body = answer.note.body;
  t.match(body, /^Suggested reply \(High confidence: 92% likely right; check it before sending, it was not sent\):\n\n {4}Hello Anna,\n\n {4}Refunds take <five> days & more\./);
  t.match(body, /- Fill in: \[order number\]\n- Check the return was received\./);
  t.match(body, /Sources:\n\n- Card refunds › How long \(card-refunds#how-long; eshop\/card-refunds\.md, line 9\): High, 92%/);
  t.match(body, /Not answered:\n\n- "Why <nobody> answers\?": nothing close enough/);
  t.match(body, /- Category: refund \(High, 91%; next: delivery 5%\)/);
  t.match(body, /- Priority: urgent → 3 high \(set by the routing rules; triage said high; legal threat: "lawyer"\)/);
  t.match(body, /- Queue: payments → group Billing\n/);
  t.match(body, /- Details: order BC-4410273/);
  t.match(body, /- Rules: refunds to payments/);
  t.match(body, /Similar resolved tickets:\n\n- T-100: Refund not received \(refund\)/);
  const html = answer.note.html;
  t.match(html, /<blockquote>Hello Anna,<br><br>Refunds take &lt;five&gt; days &amp; more\.<br><br>Kind regards<\/blockquote>/, 'the draft is escaped, its lines kept');
  t.match(html, /&quot;Why &lt;nobody&gt; answers\?&quot;/);
  t.notMatch(html, /<five>|<nobody>/, 'no text reaches the HTML unescaped');
});

t.test('mappings: unmapped groups, low confidence, no rules, no suggestion', async (t) => {
  const ticket = genericTicket(fixture('generic-ticket.json'), checkWebhookOptions(fixture('generic-mapping.json')).generic!);
  const unmapped = helpdeskAnswer(ticket, triageResult(), { groups: { logistics: 'Shipping team' }, priorities: { urgent: 'P1' } });
  t.notOk(unmapped.group, 'a queue the mapping does not name sets no group');
  t.same(unmapped.priority, { value: 'urgent', basis: 'rules', name: 'P1' });
  t.match(unmapped.warnings, [/field "labels" was left out/, /the queue "payments" has no acme-desk group/]);
  t.match(unmapped.note.body, /Warnings:\n\n- field "labels"/);

  const unsure = triageResult({
    category: { field: 'category', label: 'refund', probability: 0.3, level: 'low', alternatives: [], basis: 'examples' },
    labels: { queue: { field: 'queue', label: 'logistics', probability: 0.8, level: 'medium', alternatives: [], basis: 'examples' } },
    priority: { priority: 'normal', basis: 'default', cues: [] },
  });
  delete unsure.route;
  delete unsure.suggestion;
  const plain = helpdeskAnswer(ticket, unsure, {});
  t.notOk(plain.category, 'a Low category is not set');
  t.match(plain, { queue: 'logistics', group: 'logistics', priority: { value: 'normal', basis: 'default', name: 'normal' }, tags: [] }, 'without rules: the predicted queue, named as it is');
  t.match(plain.note.body, /^Triage:\n\n- Category: refund \(Low, 30%\), not set: too unsure\n- Priority: normal \(nothing said how urgent: left as it is\)\n- Queue: logistics \(predicted\)/);
  const keep = zammadAnswer(zammadTicket(fixture('zammad-ticket-created.json')), unsure);
  t.notOk('priority_id' in keep.update! || 'priority' in keep.update!, "a default priority leaves the ticket's own alone");
  t.equal(keep.update!.group, 'logistics');

  const byModel = triageResult({ priority: { priority: 'low', basis: 'model', level: 'high', cues: [] } });
  delete byModel.route;
  t.same(zammadAnswer(zammadTicket(fixture('zammad-ticket-created.json')), byModel).priority, { value: 'low', basis: 'model', name: '1 low', id: 1 });
  const sameByRule = triageResult({ priority: { priority: 'normal', basis: 'default', cues: [] } });
  sameByRule.route = { ...sameByRule.route!, priority: 'normal', trace: [{ rule: 'r', fired: true, why: [], actions: ['priority → normal'], stopped: true }] };
  t.equal(helpdeskAnswer(ticket, sameByRule, {}).priority.basis, 'rules', 'a rule that sets the priority it already had still decided it');
  t.equal(plain.note.subject, 'Answerdesk: triage · normal priority');

  const abstained = triageResult();
  abstained.suggestion = { ...abstained.suggestion!, status: 'abstained', reason: 'The knowledge base has nothing on this.', answers: [{ question: 'q', status: 'abstained', confidence: { level: 'low', score: 0.1 }, alternatives: [], nearby: [{ id: 'late-delivery#parcel-is-late', kind: 'article', title: 'Late delivery', heading: 'Parcel is late' }] }] };
  const none = zammadAnswer(zammadTicket(fixture('zammad-ticket-created.json')), abstained);
  t.match(none.note.body, /^No suggested reply:\n\nThe knowledge base has nothing on this\.\n\nNearby articles:\n\n- Late delivery › Parcel is late \(late-delivery#parcel-is-late\)/);
  const withBest = triageResult();
  const best = { id: 'T-9', kind: 'ticket' as const, title: 'Parcel never came' };
  withBest.suggestion = { ...abstained.suggestion, answers: [{ ...abstained.suggestion.answers![0]!, confidence: { level: 'low', score: 0.31 }, best }] };
  t.match(zammadAnswer(zammadTicket(fixture('zammad-ticket-created.json')), withBest).note.body, /Closest sources:\n\n- .*T-9.*: likeliest, 31%\n- Late delivery › Parcel is late \(late-delivery#parcel-is-late\)/, 'the likeliest source below the bar comes first, with how likely it is');
  t.equal(none.group, 'payments', 'no groups mapping: the queue is the group');
});
