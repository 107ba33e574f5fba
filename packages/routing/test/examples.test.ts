import t from 'tap';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Priority, TriageFacts } from '@answerdesk/types';
import { loadRules, routeMessage, type RuleSet } from '@answerdesk/routing';
import { examplesDir, facts, repoRoot, RECEIVED_AT, type TapTest } from './helpers.js';

const load = (name: string): Promise<RuleSet> => loadRules(path.join(examplesDir, name));

interface Scenario {
  name: string;
  facts: Partial<TriageFacts>;
  queue: string;
  team?: string;
  line?: 1 | 2;
  priority?: Priority;
  due?: string;
  tags?: string[];
  /** Rules that fired, in order. */
  fired?: string[];
}

function check(t: TapTest, rules: RuleSet, scenario: Scenario): void {
  const route = routeMessage(rules, facts(scenario.facts));
  const name = scenario.name;
  t.equal(route.queue, scenario.queue, `${name}: queue`);
  if (scenario.team !== undefined) t.equal(route.team, scenario.team, `${name}: team`);
  if (scenario.line !== undefined) t.equal(route.line, scenario.line, `${name}: line`);
  if (scenario.priority !== undefined) t.equal(route.priority, scenario.priority, `${name}: priority`);
  if (scenario.due !== undefined) t.equal(route.due?.within, scenario.due, `${name}: due`);
  if (scenario.tags !== undefined) t.same(route.tags, scenario.tags, `${name}: tags`);
  if (scenario.fired !== undefined) t.same(route.trace.filter((step) => step.fired).map((step) => step.rule), scenario.fired, `${name}: fired rules`);
  t.same(route.warnings, [], `${name}: no warnings`);
}

const confident = { level: 'high', probability: 0.91 } as const;

t.test('the example files load without warnings', async (t) => {
  for (const name of ['eshop.yaml', 'retailer.yaml', 'hosting.yaml']) {
    const rules = await load(name);
    t.ok(rules.rules.length > 5, `${name} has rules`);
    t.same(rules.warnings, [], `${name}: no warnings`);
  }
});

t.test('e-shop: tickets go to the specialists for their theme', async (t) => {
  const rules = await load('eshop.yaml');
  const scenarios: Scenario[] = [
    { name: 'late parcel', facts: { ...confident, category: 'delivery', text: 'Where is my parcel?' }, queue: 'logistics', line: 1, due: '2d', tags: ['category__delivery'], fired: ['tag-theme', 'delivery-and-returns'] },
    { name: 'damaged parcel', facts: { ...confident, category: 'delivery', text: 'The box arrived crushed and the lamp is broken' }, queue: 'logistics', team: 'carrier-claims' },
    { name: 'return', facts: { ...confident, category: 'returns', text: 'How do I send this back?' }, queue: 'logistics' },
    { name: 'refund', facts: { ...confident, category: 'refund', text: 'My refund has not arrived' }, queue: 'billing', due: '2d' },
    { name: 'payment', facts: { ...confident, category: 'payment', text: 'Card declined' }, queue: 'billing' },
    { name: 'gift certificate', facts: { ...confident, category: 'gift-certificate' }, queue: 'gift-certificates' },
    { name: 'store', facts: { ...confident, category: 'store' }, queue: 'stores', due: '1d' },
    { name: 'account', facts: { ...confident, category: 'account' }, queue: 'customer-care', due: '3d' },
    { name: 'promo code', facts: { ...confident, category: 'discount' }, queue: 'customer-care' },
    {
      name: 'fraud is urgent, even when unsure',
      facts: { category: 'fraud', level: 'low', probability: 0.41, text: 'Order I did not place' },
      queue: 'security',
      team: 'fraud-response',
      line: 2,
      priority: 'urgent',
      due: '4h',
      tags: ['fraud_suspected'],
      fired: ['fraud'],
    },
    {
      name: 'fraud words in a payment message',
      facts: { ...confident, category: 'payment', subject: 'Unknown charge', text: 'There is an unauthorized charge on my card' },
      queue: 'security',
      priority: 'urgent',
      fired: ['fraud-words'],
    },
    {
      name: 'gold customers are raised to high, then routed by theme',
      facts: { ...confident, category: 'delivery', priority: 'normal', fields: { customerTier: 'gold' } },
      queue: 'logistics',
      priority: 'high',
      tags: ['tier__gold', 'category__delivery'],
      fired: ['gold-customers', 'tag-theme', 'delivery-and-returns'],
    },
    {
      name: 'a message naming its order number is tagged, then routed by theme',
      facts: { ...confident, category: 'delivery', subject: 'Order BC-4410273', text: 'Where is my parcel?', entities: { order: ['BC-4410273'] } },
      queue: 'logistics',
      due: '2d',
      tags: ['has_order_number', 'category__delivery'],
      fired: ['order-number', 'tag-theme', 'delivery-and-returns'],
    },
    {
      name: 'gold customer with an order number',
      facts: { ...confident, category: 'refund', fields: { customerTier: 'gold' }, entities: { order: ['5521'], email: ['ann@example.com'] } },
      queue: 'billing',
      priority: 'high',
      tags: ['tier__gold', 'has_order_number', 'category__refund'],
      fired: ['gold-customers', 'order-number', 'tag-theme', 'money'],
    },
    { name: 'other details are not an order number', facts: { ...confident, category: 'payment', entities: { amount: ['312.00 USD'] } }, queue: 'billing', tags: ['category__payment'], fired: ['tag-theme', 'money'] },
    { name: 'unsure category goes to customer care for triage', facts: { category: 'refund', level: 'low', probability: 0.3 }, queue: 'customer-care', line: 1, tags: ['needs_triage'], fired: ['unsure'] },
    { name: 'no category at all', facts: { text: 'hello?' }, queue: 'customer-care', tags: [], fired: [] },
  ];
  for (const scenario of scenarios) check(t, rules, scenario);
});

t.test('retailer: gift certificates go straight to their department', async (t) => {
  const rules = await load('retailer.yaml');
  const route = routeMessage(rules, facts({ ...confident, category: 'gift-certificate', text: 'How much is left on my gift certificate?' }));
  t.equal(route.queue, 'gift-certificates');
  t.same(route.tags, ['category__gift_certificate']);
  t.same(route.trace.map((step) => [step.rule, step.fired, step.stopped]), [['gift-certificates', true, true]], 'the first rule, and nothing after it');
  t.same(route.trace[0]?.why, ['category is gift-certificate (p=0.91, high)', 'confidence level is high (at least medium)']);
});

t.test('retailer: a store complaint goes to the store mailing list and the territorial manager, due in a day', async (t) => {
  const rules = await load('retailer.yaml');
  // Modelled on ticket T-10009 in docs-content/tickets/resolved.jsonl.
  const input = facts({
    ...confident,
    category: 'store',
    subject: 'Shelf price different from what I paid',
    text: 'At your Riverside store today the shelf tag for the Keurig K-Mini said $59.99 but I was charged $79.99 at the till.',
    fields: { storeId: 'S-005', customerTier: 'silver' },
    channel: 'web-form',
  });
  const route = routeMessage(rules, input);
  t.equal(route.queue, 'stores');
  t.equal(route.line, 1);
  t.equal(route.priority, 'normal');
  t.same(route.tags, ['complaint__price_tag', 'complaint__checkout', 'store_complaint', 'store__s_005']);
  t.same(route.notify, [
    { address: 'store-005@brightcart.example', role: 'mailbox', from: 'stores:S-005' },
    { address: 'director.s005@brightcart.example', role: 'director', from: 'stores:S-005' },
    { address: 'deputy.s005@brightcart.example', role: 'deputyDirector', from: 'stores:S-005' },
    { address: 'cashier.s005@brightcart.example', role: 'seniorCashier', from: 'stores:S-005' },
    { address: 'tm.south@brightcart.example', role: 'territorialManager', from: 'stores:S-005' },
  ]);
  t.same(route.due, { within: '1d', at: '2025-03-04T09:00:00.000Z' });
  t.same(route.warnings, []);
  const complaint = route.trace.find((step) => step.rule === 'store-complaints');
  t.same(complaint?.why, ['category is store (p=0.91, high)', 'fields.storeId is set (S-005)']);
  t.ok(complaint?.stopped);
  t.same(route.trace.find((step) => step.rule === 'complaint-price-tag')?.why.at(-1), 'keywords "shelf price", "shelf tag" found');
  t.same(
    route.trace.map((step) => step.rule),
    ['gift-certificates', 'complaint-price-tag', 'complaint-checkout', 'complaint-rudeness', 'complaint-suggestion', 'store-complaints'],
  );
});

t.test('retailer: rudeness raises the priority; a role with two addresses notifies both', async (t) => {
  const rules = await load('retailer.yaml');
  const rude = routeMessage(rules, facts({ category: 'store', level: 'medium', text: 'The cashier was rude to me.', fields: { storeId: 'S-001' } }));
  t.equal(rude.priority, 'high');
  t.same(rude.tags, ['complaint__checkout', 'complaint__rudeness', 'store_complaint', 'store__s_001']);
  t.ok(rude.notify.some((n) => n.address === 'tm.north@brightcart.example' && n.role === 'territorialManager'));

  const suggestion = routeMessage(rules, facts({ category: 'store', level: 'high', text: 'Could you add a battery recycling bin?', fields: { storeId: 'S-036' } }));
  t.same(suggestion.tags, ['complaint__suggestion', 'store_complaint', 'store__s_036']);
  t.same(
    suggestion.notify.filter((n) => n.role === 'deputyDirector').map((n) => n.address),
    ['deputy1.s036@brightcart.example', 'deputy2.s036@brightcart.example'],
  );
});

t.test('retailer: an unknown store id warns but is still routed', async (t) => {
  const rules = await load('retailer.yaml');
  const route = routeMessage(rules, facts({ ...confident, category: 'store', text: 'Rude staff', fields: { storeId: 'S-999' } }));
  t.equal(route.queue, 'stores');
  t.same(route.due?.within, '1d');
  t.same(route.notify, []);
  t.same(route.warnings, ['rule 6 "store-complaints": directory "stores" has no entry "S-999" (from {fields.storeId}); nobody from it notified']);

  const smallStore = routeMessage(rules, facts({ ...confident, category: 'store', text: 'Benches please', fields: { storeId: 'S-033' } }));
  t.same(smallStore.notify.map((n) => n.role), ['mailbox', 'director', 'deputyDirector', 'territorialManager']);
  t.same(smallStore.warnings, ['rule 6 "store-complaints": directory "stores" entry "S-033" has no seniorCashier']);
});

t.test('retailer: a store complaint without a store id, and the other themes', async (t) => {
  const rules = await load('retailer.yaml');
  check(t, rules, { name: 'no store id', facts: { ...confident, category: 'store', text: 'Long queue at checkout' }, queue: 'stores', tags: ['complaint__checkout', 'store_complaint', 'needs_store_id'], due: '1d' });
  check(t, rules, { name: 'fraud', facts: { category: 'fraud', level: 'medium' }, queue: 'security', line: 2, priority: 'urgent', due: '4h' });
  check(t, rules, { name: 'delivery', facts: { ...confident, category: 'delivery' }, queue: 'logistics' });
  check(t, rules, { name: 'refund', facts: { ...confident, category: 'refund' }, queue: 'billing' });
  check(t, rules, { name: 'unsure gift certificate', facts: { category: 'gift-certificate', level: 'low' }, queue: 'customer-care', fired: [] });
});

t.test('hosting: first line, second line, and wishes and suggestions', async (t) => {
  const rules = await load('hosting.yaml');
  const scenarios: Scenario[] = [
    {
      name: 'outage is urgent, second line',
      facts: { ...confident, category: 'outage', priority: 'high', text: 'Our shop is extremely slow' },
      queue: 'second-line',
      line: 2,
      priority: 'urgent',
      due: '1h',
      tags: ['category__outage', 'incident'],
      fired: ['tag-category', 'outage'],
    },
    { name: 'outage even when unsure', facts: { category: 'outage', level: 'low' }, queue: 'second-line', line: 2, priority: 'urgent', tags: ['incident'] },
    {
      name: 'a 503 is an outage whatever the category',
      facts: { ...confident, category: 'dns', subject: 'ALL our sites down - 503', text: 'Every site returns 503 Service Unavailable' },
      queue: 'second-line',
      priority: 'urgent',
      fired: ['tag-category', 'outage-words'],
    },
    { name: 'scheduled maintenance is not an outage', facts: { ...confident, category: 'email', text: 'Is the site down during the scheduled maintenance tonight?' }, queue: 'first-line', line: 1, priority: 'normal' },
    { name: 'routine dns', facts: { ...confident, category: 'dns', text: 'How do I add a CNAME?' }, queue: 'first-line', line: 1, due: '1d', tags: ['category__dns'], fired: ['tag-category', 'first-line-routine'] },
    { name: 'routine email', facts: { category: 'email', level: 'medium', text: 'Outlook setup' }, queue: 'first-line', line: 1, due: '1d' },
    { name: 'pressing ssl', facts: { ...confident, category: 'ssl', priority: 'high', text: 'Certificate expired' }, queue: 'first-line', line: 1, due: '4h', fired: ['tag-category', 'first-line-pressing'] },
    { name: 'unsure category goes to human triage', facts: { category: 'dns', level: 'low', probability: 0.35, text: 'something is off' }, queue: 'second-line', line: 2, tags: ['needs_triage'], fired: ['unsure-to-triage'] },
    { name: 'feature request', facts: { ...confident, category: 'feature-request', text: 'Please add 2FA' }, queue: 'wishes-and-suggestions', line: 1, priority: 'low', due: '1w' },
    { name: 'feedback board channel', facts: { channel: 'feedback-board', text: 'Dark mode please' }, queue: 'wishes-and-suggestions', priority: 'low', fired: ['feedback-board'] },
    { name: 'billing', facts: { ...confident, category: 'billing' }, queue: 'billing', line: 1 },
    { name: 'backups', facts: { ...confident, category: 'backups' }, queue: 'second-line', line: 2 },
    { name: 'no category: second line reads it', facts: { text: 'hi' }, queue: 'second-line', line: 2, tags: [], fired: [] },
  ];
  for (const scenario of scenarios) check(t, rules, scenario);
});

t.test('every resolved sample ticket, with its true category, lands in the queue it was resolved in', async (t) => {
  const [eshop, retailer, hosting] = await Promise.all([load('eshop.yaml'), load('retailer.yaml'), load('hosting.yaml')]);
  const hostingCategories = new Set(['domains', 'dns', 'email', 'ssl', 'backups', 'billing', 'outage', 'feature-request']);
  const lines = (await readFile(path.join(repoRoot, 'docs-content', 'tickets', 'resolved.jsonl'), 'utf8')).split('\n').filter((line) => line.trim() !== '');
  t.ok(lines.length > 100, 'the sample has tickets');
  let checked = 0;
  for (const line of lines) {
    const ticket = JSON.parse(line) as { id: string; subject: string; body: string; category: string; priority: Priority; queue: string; createdAt: string; fields?: Record<string, string> };
    const input = facts({
      ...confident,
      category: ticket.category,
      priority: ticket.priority,
      subject: ticket.subject,
      text: ticket.body,
      fields: ticket.fields ?? {},
      ...(ticket.fields?.channel ? { channel: ticket.fields.channel } : {}),
      receivedAt: ticket.createdAt ?? RECEIVED_AT,
    });
    const sets = hostingCategories.has(ticket.category) ? { hosting } : { eshop, retailer };
    for (const [name, rules] of Object.entries(sets)) {
      const route = routeMessage(rules, input);
      t.equal(route.queue, ticket.queue, `${ticket.id} (${ticket.category}) via ${name}`);
      checked++;
    }
  }
  t.ok(checked > lines.length, 'Brightcart tickets went through both Brightcart files');
});
