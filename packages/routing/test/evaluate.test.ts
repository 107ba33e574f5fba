import t from 'tap';
import { explainRoute, routeMessage } from '@answerdesk/routing';
import { facts, ruleSet } from './helpers.js';

t.test('the first rule that fires stops evaluation by default', async (t) => {
  const rules = ruleSet({
    rules: [
      { name: 'refunds', when: { category: 'refund' }, then: { queue: 'billing' } },
      { name: 'deliveries', when: { category: 'delivery' }, then: { queue: 'logistics' } },
      { name: 'everything', then: { queue: 'catch-all' } },
    ],
  });
  const route = routeMessage(rules, facts({ category: 'delivery' }));
  t.equal(route.queue, 'logistics');
  t.same(route.trace, [
    { rule: 'refunds', fired: false, why: ['category is delivery, rule wants refund'], actions: [], stopped: false },
    { rule: 'deliveries', fired: true, why: ['category is delivery'], actions: ['queue → logistics'], stopped: true },
  ], 'rules after the stopping one are not evaluated, so not traced');
});

t.test('stop: false lets evaluation continue', async (t) => {
  const rules = ruleSet({
    defaults: { queue: 'customer-care' },
    rules: [
      { name: 'tag-gold', when: { fields: { customerTier: 'gold' } }, then: { tags: ['tier__gold'], queue: 'vip' }, stop: false },
      { name: 'refunds', when: { category: 'refund' }, then: { queue: 'billing', tags: ['money'] } },
      { name: 'never-reached', then: { queue: 'nowhere' } },
    ],
  });
  const route = routeMessage(rules, facts({ category: 'refund', fields: { customerTier: 'gold' } }));
  t.equal(route.queue, 'billing', 'the later rule overwrote the queue');
  t.same(route.tags, ['tier__gold', 'money'], 'tags appended');
  t.same(
    route.trace.map((step) => [step.rule, step.fired, step.stopped]),
    [
      ['tag-gold', true, false],
      ['refunds', true, true],
    ],
  );
  t.same(route.trace[1]?.actions, ['queue → billing (was vip)', 'tag + money']);
});

t.test('stop: false on every fired rule: all rules are traced', async (t) => {
  const rules = ruleSet({
    rules: [
      { name: 'a', then: { queue: 'a' }, stop: false },
      { name: 'b', when: { category: 'x' }, then: { queue: 'b' }, stop: false },
      { name: 'c', then: { team: 'c' }, stop: false },
    ],
  });
  const route = routeMessage(rules, facts());
  t.same(route.trace.map((step) => [step.rule, step.fired, step.stopped]), [
    ['a', true, false],
    ['b', false, false],
    ['c', true, false],
  ]);
  t.equal(route.queue, 'a');
  t.equal(route.team, 'c');
});

t.test('no rule fires: the defaults are the route', async (t) => {
  const rules = ruleSet({
    defaults: { queue: 'customer-care', line: 1, tags: ['unrouted'], due: '3d' },
    rules: [{ name: 'refunds', when: { category: 'refund' }, then: { queue: 'billing' } }],
  });
  const route = routeMessage(rules, facts({ category: 'stock' }));
  t.same(route, {
    priority: 'normal',
    tags: ['unrouted'],
    notify: [],
    trace: [{ rule: 'refunds', fired: false, why: ['category is stock, rule wants refund'], actions: [], stopped: false }],
    warnings: [],
    queue: 'customer-care',
    line: 1,
    due: { within: '3d', at: '2025-03-06T09:00:00.000Z' },
  });
});

t.test('an empty rule list routes by the defaults alone', async (t) => {
  const route = routeMessage(ruleSet({ defaults: { queue: 'inbox' }, rules: [] }), facts());
  t.equal(route.queue, 'inbox');
  t.same(route.trace, []);
});

t.test('a not-fired rule names one failing condition; a fired one names all that held', async (t) => {
  const rules = ruleSet({
    rules: [
      { name: 'picky', when: { category: 'store', fields: { storeId: { exists: true } }, keywords: { any: ['rude'] } }, then: { queue: 'stores' }, stop: false },
    ],
  });
  const fired = routeMessage(rules, facts({ category: 'store', probability: 0.8, level: 'medium', fields: { storeId: 'S-014' }, text: 'rude cashier' }));
  t.same(fired.trace[0]?.why, ['category is store (p=0.80, medium)', 'fields.storeId is set (S-014)', 'keyword "rude" found']);
  const missed = routeMessage(rules, facts({ category: 'store', fields: {}, text: 'rude cashier' }));
  t.same(missed.trace[0]?.why, ['fields.storeId is not set, rule wants it set']);
});

t.test('routing is pure and deterministic', async (t) => {
  const rules = ruleSet({
    directories: { stores: { 'S-1': { mailbox: 's1@x.example' } } },
    rules: [
      { name: 'a', then: { priority: 'urgent', tags: ['{category}'], notify: [{ directory: 'stores', key: '{fields.storeId}' }] }, stop: false },
      { name: 'b', when: { priority: 'urgent' }, then: { queue: 'q', due: '1h' } },
    ],
  });
  const input = facts({ category: 'store', fields: { storeId: 'S-1' }, labels: { queue: 'x' } });
  const inputCopy = structuredClone(input);
  const rulesCopy = structuredClone(rules);
  const first = routeMessage(rules, input);
  const second = routeMessage(rules, input);
  t.same(first, second, 'same input, same route');
  t.not(first.tags, second.tags, 'no shared arrays between routes');
  t.same(input, inputCopy, 'facts untouched');
  t.same(rules, rulesCopy, 'rules untouched');
  first.tags.push('mutated');
  t.same(routeMessage(rules, input).tags, ['store'], 'mutating a route does not leak into the next');
});

t.test('warnings from the defaults are named as such', async (t) => {
  const rules = ruleSet({ defaults: { tags: ['store__{fields.storeId}'] }, rules: [] });
  t.same(routeMessage(rules, facts()).warnings, ['defaults: tag "store__{fields.storeId}" skipped: the message has no fields.storeId']);
});

t.test('explainRoute renders the trace', async (t) => {
  const rules = ruleSet({
    directories: { stores: { 'S-1': { mailbox: 's1@x.example' } } },
    rules: [
      { name: 'refunds', when: { category: 'refund' }, then: { queue: 'billing' } },
      { name: 'stores', when: { category: 'store' }, then: { queue: 'stores', notify: [{ directory: 'stores', key: '{fields.storeId}' }] } },
    ],
  });
  const route = routeMessage(rules, facts({ category: 'store', fields: { storeId: 'S-2' } }));
  t.same(explainRoute(route), [
    '✗ refunds: category is store, rule wants refund',
    '✓ stores: category is store',
    '    queue → stores',
    '    warning: directory "stores" has no entry "S-2" (from {fields.storeId}); nobody from it notified',
    '    (stop)',
    '! rule 2 "stores": directory "stores" has no entry "S-2" (from {fields.storeId}); nobody from it notified',
  ]);
});
