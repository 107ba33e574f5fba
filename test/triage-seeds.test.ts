// End to end across packages: the three seed helpdesks of docs-content, triaged with the real offline
// model (USE-lite) and routed with the example rule files in examples/routing. The knowledge base is
// indexed and its categorizers trained once for the whole file, as `answerdesk index` does by default.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { KnowledgeBase, UseLiteEncoder, explainRoute, loadRules, type IncomingMessage, type Route, type RuleSet, type TriageResult } from '@answerdesk/core';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const rulesFile = (name: string) => path.join(repoRoot, 'examples', 'routing', name);
const RECEIVED_AT = '2025-03-03T09:00:00Z';

type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

/** Rules that fired, in order. */
const fired = (route: Route | undefined) => (route?.trace ?? []).filter((step) => step.fired).map((step) => step.rule);
/** The rule that fired and stopped evaluation (the one that decided the queue), if any. */
const decidedBy = (route: Route | undefined) => route?.trace.find((step) => step.fired && step.stopped)?.rule;

t.test('seed helpdesks, triaged and routed end to end', async (t) => {
  const kb = await KnowledgeBase.open({ store: path.join(t.testdir({}), 'store'), encoder: new UseLiteEncoder() });
  t.teardown(() => kb.close());
  const report = await kb.index([path.join(repoRoot, 'docs-content')], { train: ['category', 'priority', 'queue'], answerUnits: false });
  t.same(report.errors.map((e) => e.message), []);
  t.same([...report.trained].sort(), ['category', 'priority', 'queue']);

  const rules: Record<string, RuleSet> = {};
  for (const name of ['eshop', 'retailer', 'hosting']) {
    rules[name] = await loadRules(rulesFile(`${name}.yaml`));
    t.same(rules[name]!.warnings, [], `${name}.yaml loads without warnings`);
  }
  const triage = async (t: Tap, name: string, message: IncomingMessage): Promise<TriageResult & { route: Route }> => {
    const result = await kb.triage({ receivedAt: RECEIVED_AT, ...message }, { rules: rules[name], suggest: false });
    t.ok(result.route, `${name}: routed`);
    // The explanation is what an agent reads: every fired rule appears in it.
    const explanation = explainRoute(result.route!).join('\n');
    for (const rule of fired(result.route)) t.match(explanation, `✓ ${rule}:`, `the explanation shows ${rule} firing`);
    return result as TriageResult & { route: Route };
  };

  t.test('e-shop (eshop.yaml)', async (t) => {
    const damaged = await triage(t, 'eshop', { text: 'My order came today but the box was crushed and the ceramic lamp inside is broken in three pieces.' });
    t.match(damaged.category, { label: 'delivery', level: /high|medium/ }, 'a damaged parcel is a delivery problem');
    t.match(damaged.route, { queue: 'logistics', team: 'carrier-claims', due: { within: '2d', at: '2025-03-05T09:00:00.000Z' } }, 'carrier claims, in logistics');
    t.equal(decidedBy(damaged.route), 'damaged-parcels', 'the damaged-parcels rule decided');
    t.same(fired(damaged.route), ['tag-theme', 'damaged-parcels']);
    t.ok(damaged.route.tags.includes('category__delivery'), 'tagged with its theme');
    t.match(damaged.route.trace.find((s) => s.rule === 'damaged-parcels')!.why.join('; '), /keywords? .*(crushed|broken)/, 'the trace says which words showed the damage');

    const fraud = await triage(t, 'eshop', { text: 'Someone used my card on your website to order two laptops last night. I have never shopped with you and I want these payments stopped and the card blocked.' });
    t.equal(fraud.category?.label, 'fraud', 'categorized as fraud');
    t.match(fraud.route, { queue: 'security', team: 'fraud-response', line: 2, priority: 'urgent', due: { within: '4h', at: '2025-03-03T13:00:00.000Z' } });
    t.ok(fraud.route.tags.includes('fraud_suspected'));
    t.equal(decidedBy(fraud.route), 'fraud', 'the fraud rule decided, whatever the confidence');

    // Fraud given away by its words while the category says payment.
    const words = await triage(t, 'eshop', { subject: 'Charge on my card', text: 'There is an unauthorized charge of $312 from your shop on my card statement this morning.' });
    t.match(words.route, { queue: 'security', priority: 'urgent' });
    // Measured: the categorizer says payment here, so it is the words that catch it.
    t.not(words.category?.label, 'fraud');
    t.equal(decidedBy(words.route), 'fraud-words', 'the fraud-words rule decided');
  });

  t.test('retailer (retailer.yaml)', async (t) => {
    const gift = await triage(t, 'retailer', { text: 'I received a gift certificate for my birthday. Can I spend it in your shops as well as online, and does it expire?' });
    t.match(gift.category, { label: 'gift-certificate', level: /high|medium/ });
    t.match(gift.route, { queue: 'gift-certificates', due: { within: '2d' } });
    t.same(gift.route.tags, ['category__gift_certificate']);
    t.equal(decidedBy(gift.route), 'gift-certificates');

    const complaint = {
      subject: 'Complaint about your Bayview store',
      text: 'The price tag on the shelf said $3.99 for the olive oil but I was charged $5.49 at the checkout, and when I pointed it out the cashier was rude and told me to read the label myself.',
      fields: { storeId: 'S-012' },
    };
    const store = await triage(t, 'retailer', complaint);
    t.equal(store.category?.label, 'store', 'a store complaint');
    t.equal(store.route.queue, 'stores');
    t.equal(decidedBy(store.route), 'store-complaints', 'the store-complaints rule decided');
    t.same(
      store.route.notify.map((n) => [n.role, n.address]),
      [
        ['mailbox', 'store-012@brightcart.example'],
        ['director', 'director.s012@brightcart.example'],
        ['deputyDirector', 'deputy.s012@brightcart.example'],
        ['seniorCashier', 'cashier.s012@brightcart.example'],
        ['territorialManager', 'tm.coast@brightcart.example'],
      ],
      "the store's mailing list and its territorial manager",
    );
    t.ok(store.route.notify.every((n) => n.from === 'stores:S-012'), 'looked up under the store id');
    t.same(store.route.due, { within: '1d', at: '2025-03-04T09:00:00.000Z' }, 'one day to resolve it');
    for (const tag of ['complaint__price_tag', 'complaint__checkout', 'complaint__rudeness', 'store_complaint', 'store__s_012']) t.ok(store.route.tags.includes(tag), `tag ${tag}`);
    t.equal(store.route.priority, 'high', 'rudeness raises the priority');
    t.ok(['complaint-price-tag', 'complaint-rudeness'].every((rule) => fired(store.route).includes(rule)), 'the tagging rules fired first');
    t.same(store.route.warnings, []);

    const unknown = await triage(t, 'retailer', { ...complaint, fields: { storeId: 'S-999' } });
    t.equal(unknown.route.queue, 'stores', 'an unknown store id still goes to stores');
    t.equal(decidedBy(unknown.route), 'store-complaints');
    t.same(unknown.route.notify, [], 'nobody to notify');
    t.match(unknown.route.warnings, [/directory "stores" has no entry "S-999"/], 'with a warning');
    t.match(explainRoute(unknown.route).join('\n'), /! .*S-999/, 'which the explanation shows');

    const noId = await triage(t, 'retailer', { text: complaint.text });
    t.equal(noId.route.queue, 'stores');
    t.equal(decidedBy(noId.route), 'store-without-id');
    t.ok(noId.route.tags.includes('needs_store_id'), 'the desk asks which store');
  });

  t.test('hosting (hosting.yaml)', async (t) => {
    const down = await triage(t, 'hosting', { text: 'Our website has been down since 7am, every page returns a 503 Service Unavailable error and customers cannot place orders.' });
    t.equal(down.category?.label, 'outage');
    t.match(down.route, { queue: 'second-line', line: 2, priority: 'urgent', due: { within: '1h', at: '2025-03-03T10:00:00.000Z' } });
    t.ok(down.route.tags.includes('incident'));
    t.equal(decidedBy(down.route), 'outage');

    const dns = await triage(t, 'hosting', { text: 'I added a CNAME record for www in the DNS zone editor an hour ago. How long does it usually take before it starts working?' });
    t.match(dns.category, { label: 'dns', level: /high|medium/ });
    t.match(dns.route, { queue: 'first-line', line: 1 });
    t.notOk(['urgent', 'high'].includes(dns.priority.priority), `not pressing (${dns.priority.priority}, ${dns.priority.basis})`);
    t.equal(decidedBy(dns.route), 'first-line-routine', 'the routine first-line rule decided');
    t.equal(dns.route.due?.within, '1d');

    const wish = await triage(t, 'hosting', { text: 'Feature request: please add two-factor authentication to the control panel login. It would make our accounts much safer and many of us would love it.' });
    t.match(wish.category, { label: 'feature-request', level: /high|medium/ });
    t.match(wish.route, { queue: 'wishes-and-suggestions', line: 1, priority: 'low', due: { within: '1w' } });
    t.equal(decidedBy(wish.route), 'feature-requests');

    const board = await triage(t, 'hosting', { text: 'Dark mode for the control panel would be nice', fields: { channel: 'feedback-board' } });
    t.equal(board.route.queue, 'wishes-and-suggestions', 'the feedback-board channel, kept in fields.channel');
    t.equal(decidedBy(board.route), 'feedback-board');
  });
});
