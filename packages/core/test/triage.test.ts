// Triage in the knowledge base: categorizers trained when indexing, kept in the store, and the
// triage result. Semantic claims use the real offline model (USE-lite) on docs-content, indexed and
// trained once for the whole file; pure pieces (checkMessage, choosePriority, triageFacts) need no model.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import {
  HashingEncoder,
  KnowledgeBase,
  UseLiteEncoder,
  checkFieldName,
  checkMessage,
  choosePriority,
  isAnswerdeskError,
  loadRules,
  messageText,
  parseRules,
  priorityFromCues,
  triageFacts,
  entityFacts,
  type LabelPrediction,
  type LanguageGuess,
  type PriorityAssessment,
} from '@answerdesk/core';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const docsContent = path.join(repoRoot, 'docs-content');
const examples = path.join(repoRoot, 'examples', 'routing');

/** Call `fn` and return the coded error it throws (fails the test when it does not throw one). */
async function codeOf(fn: () => unknown): Promise<{ code: string; message: string } | undefined> {
  try {
    await fn();
  } catch (error) {
    if (isAnswerdeskError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  return undefined;
}

const prediction = (label: string, level: LabelPrediction['level'], field = 'priority', probability = 0.8): LabelPrediction => ({ field, label, probability, level, alternatives: [], basis: 'examples' });

// ------------------------------------------------------------------ pure pieces

t.test('checkMessage rejects what a helpdesk must fix, naming the problem', async (t) => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['a string', 'my parcel is late', /must be an object like \{"text": "..."\}/],
    ['null', null, /must be an object/],
    ['an array', [{ text: 'hi' }], /must be an object/],
    ['no text', { subject: 'Late parcel' }, /"text" must be the customer's words/],
    ['text not a string', { text: 42 }, /"text" must be the customer's words/],
    ['blank text and no subject', { text: '   ' }, /"text" must be the customer's words/],
    ['blank text and a blank subject', { text: '', subject: '  ' }, /"text" must be the customer's words/],
    ['id not a string', { id: 7, text: 'hi' }, /"id" must be a string/],
    ['subject not a string', { text: 'hi', subject: ['a'] }, /"subject" must be a string/],
    ['channel not a string', { text: 'hi', channel: 1 }, /"channel" must be a string/],
    ['fields a string', { text: 'hi', fields: 'storeId=S-012' }, /"fields" must be an object of custom fields/],
    ['fields an array', { text: 'hi', fields: ['S-012'] }, /"fields" must be an object/],
    ['a nested field', { text: 'hi', fields: { store: { id: 'S-012' } } }, /field "store" must be a string, number or boolean/],
    ['receivedAt not a date', { text: 'hi', receivedAt: 'last Tuesday' }, /"receivedAt" must be an ISO 8601 date, got "last Tuesday"/],
    ['receivedAt a number', { text: 'hi', receivedAt: 1741000000000 }, /"receivedAt" must be a string/],
    ['too long', { text: 'x'.repeat(41) }, /it is 41 characters long; the limit is 40/],
    ['too long with its subject', { subject: 'Refund', text: 'x'.repeat(34) }, /it is 41 characters long; the limit is 40/],
  ];
  for (const [name, message, reason] of bad) {
    const error = await codeOf(() => checkMessage(message, 40));
    t.equal(error?.code, 'ADK_MESSAGE_INVALID', `${name}: ADK_MESSAGE_INVALID`);
    t.match(error?.message, reason, `${name}: says why`);
  }
  t.match((await codeOf(() => checkMessage({ id: 'M-9', text: '' }, 40)))?.message, /^Message M-9 is invalid: /, 'the error names the message by its id');
  t.match((await codeOf(() => checkMessage({ text: '' }, 40)))?.message, /^Message \(no id\) is invalid: /, 'or says it has none');

  const subjectOnly = { subject: 'Refund still missing', text: '' };
  t.equal(checkMessage(subjectOnly, 40), subjectOnly, 'an empty body is allowed when the subject says it');
  const full = { id: 'M-1', subject: 'Store', text: 'rude cashier', channel: 'email', language: 'en', receivedAt: '2025-03-03T09:00:00Z', fields: { storeId: 'S-012', visits: 3, vip: true } };
  t.same(checkMessage(full, 4000), full, 'a complete message passes unchanged');
  t.doesNotThrow(() => checkMessage({ text: 'x'.repeat(40) }, 40), 'exactly at the limit is fine');
});

t.test('messageText: subject and body; an HTML body as its text, a plain one quoting markup as written', async (t) => {
  t.equal(messageText({ subject: 'Refund', text: '<div><p>Where is my refund?</p><p>Thanks,<br>Sam</p></div>' }), 'Refund\nWhere is my refund?\n\nThanks,\nSam');
  t.equal(messageText({ text: "My <div> won't center" }), "My <div> won't center");
});

t.test('checkFieldName accepts label field names and nothing that could escape a file name', async (t) => {
  for (const good of ['category', 'queue', 'priority', 'customer_tier', 'sub-type', 'Q2']) t.equal(checkFieldName(good), good, good);
  for (const bad of ['', '1st', 'has space', 'a.b', '../category', 'a/b', 'x'.repeat(65), 42, undefined]) {
    t.equal((await codeOf(() => checkFieldName(bad)))?.code, 'ADK_OPTION_INVALID', JSON.stringify(bad));
  }
});

t.test('choosePriority: a Medium or High priority model wins, otherwise the cues', async (t) => {
  const cues: PriorityAssessment = { priority: 'urgent', basis: 'cues', cues: ['fraud: "unauthorized charge"'] };
  const table: Array<[string, LabelPrediction | undefined, PriorityAssessment]> = [
    ['model medium wins over the cues', prediction('normal', 'medium'), { priority: 'normal', basis: 'model', level: 'medium', cues: cues.cues }],
    ['model high wins', prediction('low', 'high'), { priority: 'low', basis: 'model', level: 'high', cues: cues.cues }],
    ['model low: the cues decide', prediction('normal', 'low'), cues],
    ['model label is not a priority: the cues decide', prediction('P1', 'high'), cues],
    ['no model: the cues decide', undefined, cues],
  ];
  for (const [name, model, expected] of table) t.same(choosePriority(model, cues), expected, name);
  const none: PriorityAssessment = { priority: 'normal', basis: 'default', cues: [] };
  t.equal(choosePriority(prediction('P2', 'medium'), none), none, 'the default stands when nothing else does');
});

t.test('triageFacts maps a message and its predictions to routing facts, purely', async (t) => {
  const now = new Date('2025-03-03T09:00:00Z');
  const language: LanguageGuess = { code: 'en', confidence: 0.9, reliable: true };
  const priority: PriorityAssessment = { priority: 'high', basis: 'cues', cues: ['legal'] };
  const message = { id: 'M-1', subject: 'Rude cashier', text: 'The cashier shouted at me', fields: { storeId: 'S-012', channel: 'chat' } };
  const before = JSON.stringify(message);
  const category = { ...prediction('store', 'medium', 'category', 0.83) };
  const facts = triageFacts(message, { category, labels: { queue: prediction('stores', 'high', 'queue') }, priority, language }, now);
  t.same(facts, {
    text: 'The cashier shouted at me',
    subject: 'Rude cashier',
    category: 'store',
    level: 'medium',
    probability: 0.83,
    priority: 'high',
    language: 'en',
    channel: 'chat',
    fields: { storeId: 'S-012', channel: 'chat' },
    labels: { queue: 'stores' },
    entities: {},
    receivedAt: '2025-03-03T09:00:00.000Z',
  }, 'category, level, probability, labels by field, channel from fields.channel, receivedAt from the clock');
  t.not(facts.fields, message.fields, 'fields are copied, not shared');
  t.equal(JSON.stringify(message), before, 'the message is not changed');

  const explicit = triageFacts({ text: 'hi', channel: 'email', receivedAt: '2025-01-01T00:00:00Z', fields: { channel: 'chat' } }, { labels: {}, priority, language }, now);
  t.equal(explicit.channel, 'email', 'the message channel wins over fields.channel');
  t.equal(explicit.receivedAt, '2025-01-01T00:00:00Z', 'receivedAt is kept');
  t.notOk('category' in explicit || 'level' in explicit || 'probability' in explicit || 'subject' in explicit, 'no category or subject keys without them');
  t.same(explicit.labels, {});
  t.notOk('channel' in triageFacts({ text: 'hi', fields: { channel: 3 } }, { labels: {}, priority, language }, now), 'a non-text channel field is not a channel');

  const entities = [
    { kind: 'order', text: 'bc-4410273', value: 'BC-4410273', start: 0, end: 10 },
    { kind: 'email', text: 'Ann@Example.com', value: 'ann@example.com', start: 20, end: 35 },
    { kind: 'order', text: 'BC-4410273', value: 'BC-4410273', start: 40, end: 50 },
    { kind: 'order', text: '5521', value: '5521', start: 60, end: 64 },
  ] as const;
  t.same(triageFacts(message, { labels: {}, priority, language, entities }, now).entities, { order: ['BC-4410273', '5521'], email: ['ann@example.com'] }, 'entities by kind');
});

t.test('entityFacts: kind → normalized values, each once, in order of appearance', async (t) => {
  const at = (kind: 'order' | 'email' | 'amount', value: string, start: number) => ({ kind, text: value, value, start, end: start + value.length });
  t.same(entityFacts([]), {}, 'nothing found: no kinds');
  const entities = [at('order', 'BC-2', 0), at('amount', '12.50 EUR', 5), at('order', 'BC-1', 10), at('order', 'BC-2', 20), at('email', 'a@x.example', 30)];
  const before = JSON.stringify(entities);
  t.same(entityFacts(entities), { order: ['BC-2', 'BC-1'], amount: ['12.50 EUR'], email: ['a@x.example'] });
  t.same(Object.keys(entityFacts(entities)), ['order', 'amount', 'email'], 'kinds in order of first appearance');
  t.equal(JSON.stringify(entities), before, 'the entities are not changed');
});

// ------------------------------------------------------------------ plumbing without categorizers

t.test('a knowledge base without categorizers still triages (HashingEncoder: plumbing only, no meaning)', async (t) => {
  const dir = t.testdir({ kb: { 'a.md': '---\nid: a\ntitle: Refunds\ncategory: refund\n---\n\n## Refund times\n\nRefunds take five days.\n' } });
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  const report = await kb.index([path.join(dir, 'kb')], { train: ['category'] });
  t.same(report.trained, [], 'no labeled tickets, and one article label is not enough to train');
  t.same(kb.categorizerFields, []);
  const result = await kb.triage({ text: 'Someone made an unauthorized charge on my card', language: 'en' }, { suggest: false });
  t.equal(result.category, undefined, 'no category without a categorizer');
  t.same(result.labels, {});
  t.match(result.priority, { priority: 'urgent', basis: 'cues', cues: [/^fraud/] }, 'priority from the cues');
  t.equal(result.suggestion, undefined);
  t.same(result.entities, [], 'no details in the message');

  const rules = parseRules('version: 1\nrules:\n  - name: has-order\n    when: { entities: { order: { exists: true } } }\n    then: { tags: [has_order_number] }\n', { file: 'rules.yaml' });
  const withOrder = await kb.triage({ subject: 'Order BC-4410273', text: 'Please write to Ann@Example.com about it', language: 'en' }, { suggest: false, rules });
  t.match(withOrder.entities, [
    { kind: 'order', text: 'BC-4410273', value: 'BC-4410273', start: 6, end: 16 },
    { kind: 'email', text: 'Ann@Example.com', value: 'ann@example.com' },
  ], 'details of the subject and the text, offsets in subject + line break + text');
  t.same(withOrder.route?.tags, ['has_order_number'], 'routing rules see them');
  t.same(withOrder.route?.trace[0]?.why, ['entities.order is set (BC-4410273)']);
  t.equal((await codeOf(() => kb.categorize(['hello'])))?.code, 'ADK_CATEGORIZER_NOT_TRAINED');
  t.equal((await codeOf(() => kb.triage({ text: '' })))?.code, 'ADK_MESSAGE_INVALID', 'triage checks the message');
});

// ------------------------------------------------------------------ the real model on docs-content

// Messages written for this test in my own words (not copied from docs-content), one or more per category.
const fresh: Array<[string, string]> = [
  ['My package was supposed to come on Monday and there is still no sign of it, the courier page just says in transit', 'delivery'],
  ['I returned the coat three weeks ago and the money still has not come back to my card', 'refund'],
  ['Is it possible to pay for a gift voucher and have it emailed to my sister for her birthday?', 'gift-certificate'],
  ['The staff at your High Street shop ignored me for twenty minutes and nobody would help', 'store'],
  ['There are two purchases on my statement from your site that I never made, someone must have my card', 'fraud'],
  ['I changed the A record for my domain yesterday but it still points to the old server', 'dns'],
  ['Browsers show a certificate warning on my site since the SSL expired, how do I renew it?', 'ssl'],
  ['Messages I send from my mailbox keep bouncing back and Gmail marks them as spam', 'email'],
  ['All my websites are down and show a 503 error, customers cannot place orders', 'outage'],
  ['Please consider adding a staging environment to the control panel, we would really use it', 'feature-request'],
  ['I forgot the password for my account and the reset link does not arrive', 'account'],
  ['The promo code from your newsletter is rejected at checkout', 'discount'],
  ['My card keeps getting declined when I try to pay for the order', 'payment'],
  ['When will the black running shoes in size 42 be available again?', 'stock'],
  ['I want to send back a dress that does not fit, what is the procedure?', 'returns'],
  ['How do I move my domain name from GoDaddy over to you?', 'domains'],
  ["Could you restore the files of my site from last week's backup?", 'backups'],
  ['Why was my invoice higher this month, I did not change my hosting plan', 'billing'],
];

t.test('docs-content, indexed and trained with the offline model', async (t) => {
  const dir = t.testdir({
    extra: {
      'new.jsonl': JSON.stringify({ id: 'T-99001', subject: 'Parcel left at wrong door', body: 'The driver left my parcel at number 14 instead of 41.', resolution: 'We asked the courier to collect it from number 14 and redeliver it tomorrow.', category: 'delivery', priority: 'normal', queue: 'logistics' }) + '\n',
    },
  });
  const store = path.join(dir, 'store');
  const encoder = new UseLiteEncoder();
  const kb = await KnowledgeBase.open({ store, encoder });
  t.teardown(() => kb.close());
  const fields = ['category', 'priority', 'queue'];
  const report = await kb.index([docsContent], { train: fields, answerUnits: false });
  t.same(report.errors.map((e) => e.message), [], 'docs-content has no bad files');
  t.same([...report.trained].sort(), fields, 'the report names the categorizers trained');
  t.same(kb.categorizerFields, fields, 'categorizerFields lists them, sorted');
  for (const field of fields) t.equal(kb.categorizer(field)?.field, field, `${field} categorizer is for ${field}`);
  t.equal(kb.categorizer('type'), undefined, 'no categorizer for an untrained field');
  const category = kb.categorizer('category')!;
  t.equal(category.labels.length, 18, 'one label per category in docs-content');
  t.ok(category.labels.includes('gift-certificate') && category.labels.includes('feature-request'));
  t.same([...kb.categorizer('priority')!.labels], ['high', 'low', 'normal', 'urgent'], 'priority labels are the tickets\' priorities');
  t.ok(['logistics', 'security', 'first-line', 'second-line', 'wishes-and-suggestions'].every((queue) => kb.categorizer('queue')!.labels.includes(queue)), 'queue labels are the tickets\' queues');
  const ticketCount = report.tickets;
  t.equal(Object.values(kb.categorizer('queue')!.info.support).reduce((a, b) => a + b, 0), ticketCount, 'queue learned from the tickets only');
  t.ok(Object.values(category.info.support).reduce((a, b) => a + b, 0) > ticketCount, 'category learned from article sections too');
  const probes = fresh.slice(0, 6).map(([text]) => text);

  t.test('indexing again with nothing changed retrains nothing', async (t) => {
    const before = fields.map((field) => kb.categorizer(field));
    const again = await kb.index([docsContent], { train: fields, answerUnits: false });
    t.same(again.trained, [], 'trained is empty');
    t.equal(again.updated, 0);
    t.same(fields.map((field) => kb.categorizer(field)), before, 'the same categorizer objects are kept');
  });

  t.test('a reopened store loads its categorizers and predicts exactly the same', async (t) => {
    const reopened = await KnowledgeBase.openExisting({ store, encoder });
    t.same(reopened.categorizerFields, fields);
    for (const field of fields) {
      t.same(reopened.categorizer(field)!.info, kb.categorizer(field)!.info, `${field}: same labels, support and calibration`);
      const [a, b] = [await kb.categorize(probes, { field }), await reopened.categorize(probes, { field })];
      t.same(b.map((p) => [p.label, p.probability, p.level]), a.map((p) => [p.label, p.probability, p.level]), `${field}: same label, probability and level`);
      t.same(b, a, `${field}: same alternatives too`);
    }
  });

  t.test('train and categorize errors are coded', async (t) => {
    for (const field of ['has space', '../queue', '']) {
      t.equal((await codeOf(() => kb.train({ field })))?.code, 'ADK_OPTION_INVALID', `bad field ${JSON.stringify(field)}`);
    }
    const none = await codeOf(() => kb.train({ field: 'type' }));
    t.equal(none?.code, 'ADK_TRAINING_DATA_INVALID', 'a field no indexed ticket has');
    t.match(none?.message, /no indexed ticket has a "type" label/);
    t.equal((await codeOf(() => kb.train({ field: 'queue', examples: [] })))?.code, 'ADK_TRAINING_DATA_INVALID', 'no examples given');
    const untrained = await codeOf(() => kb.categorize(['where is my parcel'], { field: 'type' }));
    t.equal(untrained?.code, 'ADK_CATEGORIZER_NOT_TRAINED');
    t.match(untrained?.message, /answerdesk train --label type/);
    t.same(kb.categorizerFields, fields, 'failed calls leave the categorizers alone');
  });

  t.test('top-1 category accuracy on messages written for this test', async (t) => {
    const predictions = await kb.categorize(fresh.map(([text]) => text));
    const misses = predictions.flatMap((p, i) => (p.label === fresh[i]![1] ? [] : [`${fresh[i]![1]} → ${p.label}`]));
    const accuracy = 1 - misses.length / fresh.length;
    // Measured: 18/18 = 1.00 (probabilities 0.42 to 1.00). Floor 0.85 allows two misses.
    t.ok(accuracy >= 0.85, `accuracy ${accuracy.toFixed(2)} ≥ 0.85; misses: ${misses.join('; ') || 'none'}`);
    t.ok(predictions.every((p) => p.field === 'category' && p.basis === 'examples' && p.alternatives.length === 3), 'each prediction has its field, basis and 3 runners-up');
    t.ok(predictions.every((p) => p.probability >= p.alternatives[0]!.probability), 'the label is the most probable');
  });

  t.test('triage: category, other labels, priority, language, suggestion, route', async (t) => {
    const text = 'I forgot the password for my account and the reset link never arrives in my inbox';
    const result = await kb.triage({ id: 'M-1', text });
    t.equal(result.id, 'M-1');
    t.match(result.category, { field: 'category', label: 'account', level: /high|medium/ });
    t.same(Object.keys(result.labels), ['queue'], 'the other trained fields, without category and priority');
    t.match(result.labels.queue, { field: 'queue', label: 'customer-care' });
    const priorityModel = (await kb.categorize([text], { field: 'priority' }))[0]!;
    t.same(result.priority, choosePriority(priorityModel, priorityFromCues(text)), 'priority is the model when confident, else the cues');
    // Measured: normal. With the 176 English tickets the priority model said it at medium confidence (p 0.84);
    // with the 12 Italian, German and Russian tickets added it is less sure, and the default (normal) applies.
    t.match(result.priority, { priority: 'normal' });
    t.match(result.language, { code: 'en', reliable: true });
    t.equal(result.suggestion?.status, 'answered', 'a suggested answer comes with the triage');
    t.equal((await kb.document(result.suggestion!.source!.id))?.category, 'account', 'from an account article or ticket');
    const { tookMs: _a, ...suggested } = result.suggestion!;
    const { tookMs: _b, ...direct } = await kb.suggest(text);
    t.same(suggested, direct, 'the same suggestion as suggest() gives');
    t.equal(result.route, undefined, 'no route without rules');
    t.ok(result.tookMs >= 0);

    const fraud = 'There are three orders on my account I never placed and an unauthorized charge on my card';
    const urgent = await kb.triage({ text: fraud }, { suggest: false });
    t.equal(urgent.suggestion, undefined, 'suggest: false skips the suggestion');
    t.match(urgent.priority, { priority: 'urgent', basis: 'cues', cues: [/^fraud/] }, 'an unsure priority model leaves it to the fraud cue');
    t.equal(urgent.category?.label, 'fraud');

    const rules = await loadRules(path.join(examples, 'eshop.yaml'));
    const routed = await kb.triage({ text: fraud, receivedAt: '2025-03-03T09:00:00Z' }, { rules, suggest: false });
    t.match(routed.route, { queue: 'security', team: 'fraud-response', priority: 'urgent', due: { within: '4h', at: '2025-03-03T13:00:00.000Z' } }, 'rules give a route');
    t.ok(routed.route!.trace.some((step) => step.fired && (step.rule === 'fraud' || step.rule === 'fraud-words')), 'the trace names the fraud rule');

    const german = await kb.triage({ text: 'Mein Paket ist seit zwei Wochen unterwegs und immer noch nicht angekommen. Können Sie bitte nachsehen, wo es bleibt?' }, { suggest: false });
    t.equal(german.language.code, 'de', 'a German message is detected as German');
    const restricted = await kb.triage({ text: 'Meine Rechnung ist falsch, bitte korrigieren Sie den Betrag' }, { suggest: false, languages: ['en', 'de'] });
    t.equal(restricted.language.code, 'de', 'detection among the helpdesk\'s languages');
    const given = await kb.triage({ text: 'my parcel is late', language: 'fr' }, { suggest: false });
    t.same(given.language, { code: 'fr', confidence: 1, reliable: true }, 'a language given with the message is kept');

    const subjectOnly = await kb.triage({ subject: 'Gift card balance', text: '' }, { suggest: false });
    t.equal(subjectOnly.category?.label, 'gift-certificate', 'the subject alone is categorized');
  });

  t.test('channel falls back to fields.channel for the rules', async (t) => {
    const rules = parseRules('version: 1\ndefaults:\n  queue: email-desk\nrules:\n  - name: chat-desk\n    when:\n      channel: chat\n    then:\n      queue: chat-desk\n', { file: 'channel.yaml' });
    const fromField = await kb.triage({ text: 'my parcel is late', fields: { channel: 'chat' } }, { rules, suggest: false });
    t.equal(fromField.route?.queue, 'chat-desk', 'fields.channel counts as the channel');
    t.match(fromField.route?.trace[0], { rule: 'chat-desk', fired: true });
    const explicit = await kb.triage({ text: 'my parcel is late', channel: 'email', fields: { channel: 'chat' } }, { rules, suggest: false });
    t.equal(explicit.route?.queue, 'email-desk', 'the message channel wins');
    t.match(explicit.route?.trace[0], { rule: 'chat-desk', fired: false });
  });

  t.test('a categorizer trained from given examples is kept when indexing retrains', async (t) => {
    // A helpdesk's own queues, unlike the ones in docs-content's tickets.
    const given = [
      ['my parcel has not arrived yet', 'shop-desk'],
      ['the shoes I ordered are the wrong size', 'shop-desk'],
      ['my refund for the returned jacket is missing', 'shop-desk'],
      ['the discount code does not work at checkout', 'shop-desk'],
      ['I want to buy a gift card for a friend', 'shop-desk'],
      ['the cashier in your store was rude', 'shop-desk'],
      ['my website shows a 502 error', 'hosting-desk'],
      ['how do I point my domain to your nameservers', 'hosting-desk'],
      ['my mailbox is full and rejects messages', 'hosting-desk'],
      ['the SSL certificate on my site expired', 'hosting-desk'],
      ['please restore yesterday\'s backup of my database', 'hosting-desk'],
      ['add support for a newer PHP version please', 'hosting-desk'],
    ].map(([text, label]) => ({ text: text!, label: label! }));
    const info = await kb.train({ field: 'queue', examples: given });
    t.same(info.labels, ['hosting-desk', 'shop-desk']);
    t.same(info.support, { 'hosting-desk': 6, 'shop-desk': 6 });
    const before = await kb.categorize(probes, { field: 'queue' });
    t.same(before.map((p) => p.label), ['shop-desk', 'shop-desk', 'shop-desk', 'shop-desk', 'shop-desk', 'hosting-desk'], 'it predicts the given queues');

    // Reopen (the origin is stored too), then index with a new ticket: tickets changed, so the
    // knowledge base's own priority categorizer is retrained but the queue one from examples is not.
    // One writer per store: the first instance hands the store over before the reopened one writes.
    await kb.close();
    const reopened = await KnowledgeBase.openExisting({ store, encoder });
    t.teardown(() => reopened.close());
    const priorityBefore = reopened.categorizer('priority');
    const changed = await reopened.index([docsContent, path.join(dir, 'extra', 'new.jsonl')], { train: ['queue', 'priority'], answerUnits: false });
    t.equal(changed.updated, 1, 'one new ticket');
    t.same(changed.trained, ['priority'], 'priority is retrained, queue is kept');
    t.not(reopened.categorizer('priority'), priorityBefore, 'a new priority categorizer');
    t.same(reopened.categorizer('queue')!.labels, ['hosting-desk', 'shop-desk'], 'the queue categorizer is still the one from the examples');
    const after = await reopened.categorize(probes, { field: 'queue' });
    t.same(after.map((p) => [p.label, p.probability]), before.map((p) => [p.label, p.probability]), 'and predicts exactly as before');

    // Training from the knowledge base again hands the field back to indexing.
    await reopened.train({ field: 'queue', save: false });
    t.ok(reopened.categorizer('queue')!.labels.includes('logistics'), 'train() without examples learns the indexed tickets\' queues');
  });
});
