import t from 'tap';
import { addDuration, normalizeTag, parseDuration, routeMessage } from '@answerdesk/routing';
import { facts, oneRule, ruleSet, RECEIVED_AT } from './helpers.js';

t.test('queue, team and line are set', async (t) => {
  const route = routeMessage(oneRule({}, { queue: 'billing', team: 'payments', line: 2 }), facts());
  t.equal(route.queue, 'billing');
  t.equal(route.team, 'payments');
  t.equal(route.line, 2);
  t.same(route.trace[0]?.actions, ['queue → billing', 'team → payments', 'line → 2']);
});

t.test('scalars overwrite the defaults and say what they replaced', async (t) => {
  const rules = ruleSet({
    defaults: { queue: 'customer-care', line: 1, team: 'care' },
    rules: [{ name: 'r', then: { queue: 'billing', line: 1 } }],
  });
  const route = routeMessage(rules, facts());
  t.equal(route.queue, 'billing');
  t.equal(route.line, 1);
  t.equal(route.team, 'care', 'a default no rule touched stays');
  t.same(route.trace[0]?.actions, ['queue → billing (was customer-care)', 'line → 1 (unchanged)']);
});

t.test('the route leaves out what nobody set', async (t) => {
  const route = routeMessage(oneRule({}, {}), facts({ priority: 'low' }));
  t.same(route, {
    priority: 'low',
    tags: [],
    notify: [],
    trace: [{ rule: 'r', fired: true, why: ['no conditions: the rule always fires'], actions: [], stopped: true }],
    warnings: [],
  });
  t.notOk('queue' in route || 'team' in route || 'line' in route || 'due' in route);
});

t.test('priority change is seen by a later rule', async (t) => {
  const rules = ruleSet({
    rules: [
      { name: 'escalate', when: { fields: { customerTier: 'gold' } }, then: { priority: 'urgent' }, stop: false },
      { name: 'urgent-to-second-line', when: { priority: 'urgent' }, then: { line: 2 } },
    ],
  });
  const gold = routeMessage(rules, facts({ priority: 'normal', fields: { customerTier: 'gold' } }));
  t.equal(gold.priority, 'urgent');
  t.equal(gold.line, 2, 'the second rule saw the new priority');
  t.same(gold.trace[0]?.actions, ['priority → urgent (was normal)']);
  t.same(gold.trace[1]?.why, ['priority is urgent (set by rule 1 "escalate")']);

  const bronze = routeMessage(rules, facts({ priority: 'normal', fields: { customerTier: 'bronze' } }));
  t.equal(bronze.priority, 'normal');
  t.equal(bronze.line, undefined);
  t.same(bronze.trace[1]?.why, ['priority is normal, rule wants urgent']);
});

t.test('tags: templates and normalisation', async (t) => {
  const rules = oneRule(
    {},
    {
      tags: ['category__{category}', 'Lang {language}', 'prio-{priority}', 'store {fields.storeId}', 'Café Crème!', 'q_{labels.queue}', 'lvl_{level}', 'via_{channel}'],
    },
  );
  const route = routeMessage(
    rules,
    facts({ category: 'gift-certificate', level: 'high', language: 'en', channel: 'web-form', fields: { storeId: 'S-014' }, labels: { queue: 'Billing' } }),
  );
  t.same(route.tags, ['category__gift_certificate', 'lang_en', 'prio_normal', 'store_s_014', 'cafe_creme_', 'q_billing', 'lvl_high', 'via_web_form']);
  t.equal(route.trace[0]?.actions[0], 'tag + category__gift_certificate');
  t.same(route.warnings, []);
});

t.test('tags: {queue} and {priority} see the route so far', async (t) => {
  const rules = ruleSet({
    defaults: { queue: 'customer-care' },
    rules: [{ name: 'r', then: { priority: 'high', tags: ['{queue}__{priority}'] } }],
  });
  t.same(routeMessage(rules, facts()).tags, ['customer_care__high']);
});

t.test('tags: a placeholder without a value skips the tag with a warning', async (t) => {
  const route = routeMessage(oneRule({}, { tags: ['store__{fields.storeId}', 'kept'] }), facts());
  t.same(route.tags, ['kept']);
  t.same(route.warnings, ['rule 1 "r": tag "store__{fields.storeId}" skipped: the message has no fields.storeId']);
  t.same(route.trace[0]?.actions, ['warning: tag "store__{fields.storeId}" skipped: the message has no fields.storeId', 'tag + kept']);
});

t.test('tags append across rules without duplicates', async (t) => {
  const rules = ruleSet({
    rules: [
      { name: 'a', then: { tags: ['one', 'two'] }, stop: false },
      { name: 'b', then: { tags: ['TWO', 'three'] } },
    ],
  });
  const route = routeMessage(rules, facts());
  t.same(route.tags, ['one', 'two', 'three']);
  t.same(route.trace[1]?.actions, ['tag + three'], 'a tag already there is not repeated');
});

t.test('normalizeTag', async (t) => {
  const cases: Array<[string, string]> = [
    ['category__gift-certificate', 'category__gift_certificate'],
    ['Price Tag', 'price_tag'],
    ['Ärger/Über', 'arger_uber'],
    ['a.b c', 'a_b_c'],
    ['already_ok_1', 'already_ok_1'],
    ['日本', '__'],
  ];
  for (const [input, expected] of cases) t.equal(normalizeTag(input), expected, input);
});

const stores = {
  stores: {
    'S-014': {
      mailbox: 'store-014@brightcart.example',
      director: 'director.s014@brightcart.example',
      deputyDirector: ['deputy1.s014@brightcart.example', 'deputy2.s014@brightcart.example'],
      territorialManager: 'tm.north@brightcart.example',
    },
    'S-015': { mailbox: 'store-015@brightcart.example', seniorCashier: 'cashier.s015@brightcart.example', territorialManager: 'tm.north@brightcart.example' },
  },
};

t.test('notify: roles from a directory entry, and direct addresses', async (t) => {
  const rules = ruleSet({
    directories: stores,
    rules: [
      {
        name: 'store',
        then: {
          notify: [
            { directory: 'stores', key: '{fields.storeId}', roles: ['mailbox', 'deputyDirector', 'territorialManager'] },
            { address: 'complaints@brightcart.example' },
            'audit@brightcart.example',
          ],
        },
      },
    ],
  });
  const route = routeMessage(rules, facts({ fields: { storeId: 'S-014' } }));
  t.same(route.notify, [
    { address: 'store-014@brightcart.example', role: 'mailbox', from: 'stores:S-014' },
    { address: 'deputy1.s014@brightcart.example', role: 'deputyDirector', from: 'stores:S-014' },
    { address: 'deputy2.s014@brightcart.example', role: 'deputyDirector', from: 'stores:S-014' },
    { address: 'tm.north@brightcart.example', role: 'territorialManager', from: 'stores:S-014' },
    { address: 'complaints@brightcart.example' },
    { address: 'audit@brightcart.example' },
  ]);
  t.equal(route.trace[0]?.actions[0], 'notify + store-014@brightcart.example (stores:S-014 mailbox)');
  t.equal(route.trace[0]?.actions[4], 'notify + complaints@brightcart.example');
  t.same(route.warnings, []);
});

t.test('notify: without roles, every role of the entry in its order', async (t) => {
  const rules = ruleSet({ directories: stores, rules: [{ name: 'r', then: { notify: [{ directory: 'stores', key: '{fields.storeId}' }] } }] });
  const route = routeMessage(rules, facts({ fields: { storeId: 'S-015' } }));
  t.same(
    route.notify.map((n) => n.role),
    ['mailbox', 'seniorCashier', 'territorialManager'],
  );
});

t.test('notify: the key ignores case when there is no exact entry', async (t) => {
  const rules = ruleSet({ directories: stores, rules: [{ name: 'r', then: { notify: [{ directory: 'stores', key: '{fields.storeId}', roles: ['mailbox'] }] } }] });
  t.same(routeMessage(rules, facts({ fields: { storeId: ' s-014 ' } })).notify, [{ address: 'store-014@brightcart.example', role: 'mailbox', from: 'stores:S-014' }]);
});

t.test('notify: look-up misses are warnings, not errors', async (t) => {
  const rules = ruleSet({
    directories: stores,
    rules: [{ name: 'store', then: { queue: 'stores', notify: [{ directory: 'stores', key: '{fields.storeId}', roles: ['mailbox', 'director'] }, 'ops@brightcart.example'] } }],
  });

  const unknown = routeMessage(rules, facts({ fields: { storeId: 'S-999' } }));
  t.equal(unknown.queue, 'stores', 'still routed');
  t.same(unknown.notify, [{ address: 'ops@brightcart.example' }]);
  t.same(unknown.warnings, ['rule 1 "store": directory "stores" has no entry "S-999" (from {fields.storeId}); nobody from it notified']);
  t.ok(unknown.trace[0]?.actions.includes('warning: directory "stores" has no entry "S-999" (from {fields.storeId}); nobody from it notified'), 'in the trace too');

  const noDirector = routeMessage(rules, facts({ fields: { storeId: 'S-015' } }));
  t.same(noDirector.notify.map((n) => n.address), ['store-015@brightcart.example', 'ops@brightcart.example']);
  t.same(noDirector.warnings, ['rule 1 "store": directory "stores" entry "S-015" has no director']);

  const noKey = routeMessage(rules, facts({ fields: {} }));
  t.same(noKey.notify, [{ address: 'ops@brightcart.example' }]);
  t.same(noKey.warnings, ['rule 1 "store": nobody from directory "stores" notified: the message has no fields.storeId to look up']);
});

t.test('notify: templated address; duplicates dropped across rules, ignoring case', async (t) => {
  const rules = ruleSet({
    directories: stores,
    rules: [
      { name: 'a', then: { notify: ['store-{fields.storeNo}@brightcart.example', 'TM.North@brightcart.example'] }, stop: false },
      { name: 'b', then: { notify: [{ directory: 'stores', key: 'S-014', roles: ['mailbox', 'territorialManager'] }] } },
    ],
  });
  const route = routeMessage(rules, facts({ fields: { storeNo: 14 } }));
  t.same(route.notify, [{ address: 'store-14@brightcart.example' }, { address: 'TM.North@brightcart.example' }, { address: 'store-014@brightcart.example', role: 'mailbox', from: 'stores:S-014' }]);
  t.same(route.trace[1]?.actions, ['notify + store-014@brightcart.example (stores:S-014 mailbox)']);
});

t.test('due: deadline counted from receivedAt', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['1d', RECEIVED_AT, '2025-03-04T09:00:00.000Z'],
    ['90m', RECEIVED_AT, '2025-03-03T10:30:00.000Z'],
    ['4h', '2025-03-03T23:30:00+02:00', '2025-03-04T01:30:00.000Z'],
    ['2w', RECEIVED_AT, '2025-03-17T09:00:00.000Z'],
    ['1d12h', '2025-02-28T12:00:00Z', '2025-03-02T00:00:00.000Z'],
  ];
  for (const [within, receivedAt, at] of cases) {
    const route = routeMessage(oneRule({}, { due: within }), facts({ receivedAt }));
    t.same(route.due, { within, at }, `${within} after ${receivedAt}`);
    t.same(route.trace[0]?.actions, [`due → ${within} (at ${at})`]);
  }
});

t.test('due: a later rule overwrites; a bad receivedAt warns', async (t) => {
  const rules = ruleSet({
    defaults: { due: '3d' },
    rules: [{ name: 'fast', then: { due: '4h' } }],
  });
  const route = routeMessage(rules, facts());
  t.same(route.due, { within: '4h', at: '2025-03-03T13:00:00.000Z' });
  t.same(route.trace[0]?.actions, ['due → 4h (at 2025-03-03T13:00:00.000Z) (was 3d)']);

  const undated = routeMessage(rules, facts({ receivedAt: 'yesterday' }));
  t.equal(undated.due, undefined);
  t.same(undated.warnings, ['defaults: due 3d not set: receivedAt "yesterday" is not a date', 'rule 1 "fast": due 4h not set: receivedAt "yesterday" is not a date']);
});

t.test('parseDuration and addDuration', async (t) => {
  const cases: Array<[string, number | undefined]> = [
    ['30m', 1_800_000],
    ['4h', 14_400_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1d12h', 129_600_000],
    ['1 d', 86_400_000],
    ['0h', undefined],
    ['1day', undefined],
    ['1.5h', undefined],
    ['-1h', undefined],
    ['1D', undefined],
    ['', undefined],
    ['h', undefined],
  ];
  for (const [text, ms] of cases) t.equal(parseDuration(text), ms, JSON.stringify(text));
  t.equal(addDuration('not a date', '1d'), undefined);
  t.equal(addDuration(RECEIVED_AT, 'soon'), undefined);
});
