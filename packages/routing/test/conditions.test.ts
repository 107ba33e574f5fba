import t from 'tap';
import type { TriageFacts } from '@answerdesk/types';
import { hasKeyword } from '@answerdesk/routing';
import { facts, oneRule, routeOne, ruleSet, type TapTest } from './helpers.js';

interface Row {
  name: string;
  when: Record<string, unknown>;
  facts: Partial<TriageFacts>;
  fired: boolean;
  /** The whole `why` of the trace entry. */
  why: string[];
}

function runTable(t: TapTest, rows: Row[]): void {
  for (const row of rows) {
    const { route, fired, why } = routeOne(oneRule(row.when), facts(row.facts));
    t.equal(fired, row.fired, `${row.name}: fired`);
    t.same(why, row.why, `${row.name}: why`);
    t.equal(route.queue, row.fired ? 'hit' : undefined, `${row.name}: actions applied only when fired`);
  }
}

t.test('category', async (t) => {
  runTable(t, [
    { name: 'equal', when: { category: 'gift-certificate' }, facts: { category: 'gift-certificate', probability: 0.934, level: 'high' }, fired: true, why: ['category is gift-certificate (p=0.93, high)'] },
    { name: 'no probability', when: { category: 'refund' }, facts: { category: 'refund', level: 'low' }, fired: true, why: ['category is refund (low)'] },
    { name: 'ignores case', when: { category: 'Gift-Certificate' }, facts: { category: 'gift-certificate' }, fired: true, why: ['category is gift-certificate'] },
    { name: 'list is any of', when: { category: ['refund', 'payment'] }, facts: { category: 'payment' }, fired: true, why: ['category is payment'] },
    { name: 'other', when: { category: 'gift-certificate' }, facts: { category: 'delivery' }, fired: false, why: ['category is delivery, rule wants gift-certificate'] },
    { name: 'not in list', when: { category: ['refund', 'payment'] }, facts: { category: 'delivery' }, fired: false, why: ['category is delivery, rule wants one of refund, payment'] },
    { name: 'none predicted', when: { category: 'refund' }, facts: {}, fired: false, why: ['no category predicted, rule wants refund'] },
  ]);
});

t.test('level is a minimum, or a range', async (t) => {
  runTable(t, [
    { name: 'above', when: { level: 'medium' }, facts: { level: 'high' }, fired: true, why: ['confidence level is high (at least medium)'] },
    { name: 'equal', when: { level: 'medium' }, facts: { level: 'medium' }, fired: true, why: ['confidence level is medium (at least medium)'] },
    { name: 'below', when: { level: 'medium' }, facts: { level: 'low' }, fired: false, why: ['confidence level is low, rule wants at least medium'] },
    { name: 'low is everything', when: { level: 'low' }, facts: { level: 'low' }, fired: true, why: ['confidence level is low (at least low)'] },
    { name: 'atMost holds', when: { level: { atMost: 'low' } }, facts: { level: 'low' }, fired: true, why: ['confidence level is low (at most low)'] },
    { name: 'atMost fails', when: { level: { atMost: 'low' } }, facts: { level: 'medium' }, fired: false, why: ['confidence level is medium, rule wants at most low'] },
    { name: 'exact', when: { level: { atLeast: 'medium', atMost: 'medium' } }, facts: { level: 'high' }, fired: false, why: ['confidence level is high, rule wants exactly medium'] },
    { name: 'range', when: { level: { atLeast: 'low', atMost: 'medium' } }, facts: { level: 'medium' }, fired: true, why: ['confidence level is medium (between low and medium)'] },
    { name: 'no level', when: { level: 'low' }, facts: {}, fired: false, why: ['no category confidence level, rule wants at least low'] },
  ]);
});

t.test('priority', async (t) => {
  runTable(t, [
    { name: 'single', when: { priority: 'low' }, facts: { priority: 'low' }, fired: true, why: ['priority is low'] },
    { name: 'any of', when: { priority: ['urgent', 'high'] }, facts: { priority: 'urgent' }, fired: true, why: ['priority is urgent'] },
    { name: 'not in list', when: { priority: ['urgent', 'high'] }, facts: { priority: 'normal' }, fired: false, why: ['priority is normal, rule wants one of urgent, high'] },
  ]);
});

t.test('language and channel', async (t) => {
  runTable(t, [
    { name: 'language', when: { language: 'de' }, facts: { language: 'DE' }, fired: true, why: ['language is DE'] },
    { name: 'language list', when: { language: ['en', 'de'] }, facts: { language: 'fr' }, fired: false, why: ['language is fr, rule wants one of en, de'] },
    { name: 'undetermined language', when: { language: 'en' }, facts: { language: 'und' }, fired: false, why: ['language is und, rule wants en'] },
    { name: 'channel', when: { channel: 'email' }, facts: { channel: 'email' }, fired: true, why: ['channel is email'] },
    { name: 'channel list', when: { channel: ['chat', 'phone'] }, facts: { channel: 'web-form' }, fired: false, why: ['channel is web-form, rule wants one of chat, phone'] },
    { name: 'no channel', when: { channel: 'email' }, facts: {}, fired: false, why: ['no channel given, rule wants email'] },
  ]);
});

t.test('custom fields: exists, equals, any of', async (t) => {
  runTable(t, [
    { name: 'anyOf, as the normalized form is written', when: { fields: { customerTier: { anyOf: ['gold', 'platinum'] } } }, facts: { fields: { customerTier: 'gold' } }, fired: true, why: ['fields.customerTier = gold'] },
    { name: 'anyOf with one value', when: { fields: { customerTier: { anyOf: 'gold' } } }, facts: { fields: { customerTier: 'silver' } }, fired: false, why: ['fields.customerTier = silver, rule wants gold'] },
    { name: 'exists', when: { fields: { storeId: { exists: true } } }, facts: { fields: { storeId: 'S-014' } }, fired: true, why: ['fields.storeId is set (S-014)'] },
    { name: 'exists, missing', when: { fields: { storeId: { exists: true } } }, facts: { fields: {} }, fired: false, why: ['fields.storeId is not set, rule wants it set'] },
    { name: 'exists, blank', when: { fields: { storeId: { exists: true } } }, facts: { fields: { storeId: '  ' } }, fired: false, why: ['fields.storeId is not set, rule wants it set'] },
    { name: 'not exists', when: { fields: { storeId: { exists: false } } }, facts: { fields: {} }, fired: true, why: ['fields.storeId is not set'] },
    { name: 'not exists, set', when: { fields: { storeId: { exists: false } } }, facts: { fields: { storeId: 'S-014' } }, fired: false, why: ['fields.storeId is set (S-014), rule wants it unset'] },
    { name: 'equals', when: { fields: { storeId: 'S-014' } }, facts: { fields: { storeId: 'S-014' } }, fired: true, why: ['fields.storeId = S-014'] },
    { name: 'equals ignores case', when: { fields: { customerTier: 'Gold' } }, facts: { fields: { customerTier: 'gold' } }, fired: true, why: ['fields.customerTier = gold'] },
    { name: 'not equal', when: { fields: { storeId: 'S-014' } }, facts: { fields: { storeId: 'S-099' } }, fired: false, why: ['fields.storeId = S-099, rule wants S-014'] },
    { name: 'equals, missing', when: { fields: { storeId: 'S-014' } }, facts: { fields: {} }, fired: false, why: ['fields.storeId is not set, rule wants S-014'] },
    { name: 'any of', when: { fields: { customerTier: ['gold', 'platinum'] } }, facts: { fields: { customerTier: 'platinum' } }, fired: true, why: ['fields.customerTier = platinum'] },
    { name: 'none of', when: { fields: { customerTier: ['gold', 'platinum'] } }, facts: { fields: { customerTier: 'silver' } }, fired: false, why: ['fields.customerTier = silver, rule wants one of gold, platinum'] },
    { name: 'number equals its text', when: { fields: { floor: '3' } }, facts: { fields: { floor: 3 } }, fired: true, why: ['fields.floor = 3'] },
    { name: 'number rule, text field', when: { fields: { floor: 3 } }, facts: { fields: { floor: '3' } }, fired: true, why: ['fields.floor = 3'] },
    { name: 'boolean', when: { fields: { vip: true } }, facts: { fields: { vip: true } }, fired: true, why: ['fields.vip = true'] },
    { name: 'boolean false', when: { fields: { vip: true } }, facts: { fields: { vip: false } }, fired: false, why: ['fields.vip = false, rule wants true'] },
    {
      name: 'all fields must hold; the first failure is named',
      when: { fields: { storeId: { exists: true }, customerTier: 'gold' } },
      facts: { fields: { storeId: 'S-1', customerTier: 'bronze' } },
      fired: false,
      why: ['fields.customerTier = bronze, rule wants gold'],
    },
    {
      name: 'every field that held is listed',
      when: { fields: { storeId: { exists: true }, customerTier: 'gold' } },
      facts: { fields: { storeId: 'S-1', customerTier: 'gold' } },
      fired: true,
      why: ['fields.storeId is set (S-1)', 'fields.customerTier = gold'],
    },
    { name: 'inherited properties are not fields', when: { fields: { constructor: { exists: true } } }, facts: { fields: {} }, fired: false, why: ['fields.constructor is not set, rule wants it set'] },
  ]);
});

t.test('labels', async (t) => {
  runTable(t, [
    { name: 'equal', when: { labels: { queue: 'billing' } }, facts: { labels: { queue: 'billing' } }, fired: true, why: ['labels.queue is billing'] },
    { name: 'any of', when: { labels: { queue: ['billing', 'logistics'] } }, facts: { labels: { queue: 'logistics' } }, fired: true, why: ['labels.queue is logistics'] },
    { name: 'other', when: { labels: { queue: 'billing' } }, facts: { labels: { queue: 'stores' } }, fired: false, why: ['labels.queue is stores, rule wants billing'] },
    { name: 'not predicted', when: { labels: { queue: 'billing' } }, facts: {}, fired: false, why: ['no labels.queue predicted, rule wants billing'] },
  ]);
});

t.test('entities: found, equal, any of; any value of the kind may match', async (t) => {
  const found = { order: ['BC-4410273'], email: ['ann@example.com', 'vip@acme.com'] };
  runTable(t, [
    { name: 'exists', when: { entities: { order: { exists: true } } }, facts: { entities: found }, fired: true, why: ['entities.order is set (BC-4410273)'] },
    { name: 'exists, several values', when: { entities: { email: { exists: true } } }, facts: { entities: found }, fired: true, why: ['entities.email is set (ann@example.com, vip@acme.com)'] },
    { name: 'exists, none found', when: { entities: { order: { exists: true } } }, facts: { entities: { email: ['ann@example.com'] } }, fired: false, why: ['entities.order is not set, rule wants it set'] },
    { name: 'exists, no entities in the facts', when: { entities: { order: { exists: true } } }, facts: {}, fired: false, why: ['entities.order is not set, rule wants it set'] },
    { name: 'exists, empty list', when: { entities: { order: { exists: true } } }, facts: { entities: { order: [] } }, fired: false, why: ['entities.order is not set, rule wants it set'] },
    { name: 'exists, blank value', when: { entities: { order: { exists: true } } }, facts: { entities: { order: [' '] } }, fired: false, why: ['entities.order is not set, rule wants it set'] },
    { name: 'not exists', when: { entities: { iban: { exists: false } } }, facts: { entities: found }, fired: true, why: ['entities.iban is not set'] },
    { name: 'not exists, found', when: { entities: { order: { exists: false } } }, facts: { entities: found }, fired: false, why: ['entities.order is set (BC-4410273), rule wants it unset'] },
    { name: 'anyOf', when: { entities: { email: { anyOf: ['vip@acme.com'] } } }, facts: { entities: found }, fired: true, why: ['entities.email = vip@acme.com'] },
    { name: 'equals, the second value matches', when: { entities: { email: 'vip@acme.com' } }, facts: { entities: found }, fired: true, why: ['entities.email = vip@acme.com'] },
    { name: 'equals ignores case', when: { entities: { order: 'bc-4410273' } }, facts: { entities: found }, fired: true, why: ['entities.order = BC-4410273'] },
    { name: 'list is any of', when: { entities: { email: ['boss@acme.com', 'ann@example.com'] } }, facts: { entities: found }, fired: true, why: ['entities.email = ann@example.com'] },
    { name: 'number equals its text', when: { entities: { order: 5521 } }, facts: { entities: { order: ['5521'] } }, fired: true, why: ['entities.order = 5521'] },
    { name: 'none of the values', when: { entities: { email: { anyOf: ['boss@acme.com'] } } }, facts: { entities: found }, fired: false, why: ['entities.email = ann@example.com or vip@acme.com, rule wants boss@acme.com'] },
    { name: 'one value, not wanted', when: { entities: { order: ['BC-1', 'BC-2'] } }, facts: { entities: found }, fired: false, why: ['entities.order = BC-4410273, rule wants one of BC-1, BC-2'] },
    { name: 'three values', when: { entities: { order: 'BC-1' } }, facts: { entities: { order: ['BC-7', 'BC-8', 'BC-9'] } }, fired: false, why: ['entities.order = BC-7, BC-8 or BC-9, rule wants BC-1'] },
    { name: 'equals, none found', when: { entities: { email: 'vip@acme.com' } }, facts: {}, fired: false, why: ['entities.email is not set, rule wants vip@acme.com'] },
    {
      name: 'every kind that held is listed',
      when: { entities: { order: { exists: true }, email: 'vip@acme.com' } },
      facts: { entities: found },
      fired: true,
      why: ['entities.order is set (BC-4410273)', 'entities.email = vip@acme.com'],
    },
    {
      name: 'all kinds must hold; the first failure is named',
      when: { entities: { order: { exists: true }, phone: { exists: true } } },
      facts: { entities: found },
      fired: false,
      why: ['entities.phone is not set, rule wants it set'],
    },
    { name: 'a custom field of the same name is not an entity', when: { entities: { order: { exists: true } } }, facts: { fields: { order: 'BC-1' } }, fired: false, why: ['entities.order is not set, rule wants it set'] },
  ]);
});

t.test('keywords: any, all, none', async (t) => {
  runTable(t, [
    { name: 'phrase', when: { keywords: { any: ['price tag'] } }, facts: { text: 'The price tag said $5.' }, fired: true, why: ['keyword "price tag" found'] },
    { name: 'phrase ignores case', when: { keywords: { any: ['price tag'] } }, facts: { text: 'PRICE TAG wrong' }, fired: true, why: ['keyword "price tag" found'] },
    { name: 'phrase over a line break', when: { keywords: { any: ['price tag'] } }, facts: { text: 'the price\n  tag' }, fired: true, why: ['keyword "price tag" found'] },
    { name: 'phrase with a hyphen', when: { keywords: { any: ['price tag'] } }, facts: { text: 'a price-tag issue' }, fired: true, why: ['keyword "price tag" found'] },
    { name: 'phrase words apart', when: { keywords: { any: ['price tag'] } }, facts: { text: 'the price on the tag' }, fired: false, why: ['none of the keywords "price tag" found'] },
    { name: 'whole word only', when: { keywords: { any: ['rude'] } }, facts: { text: 'such rudeness' }, fired: false, why: ['none of the keywords "rude" found'] },
    { name: 'word inside another', when: { keywords: { any: ['till'] } }, facts: { text: 'I am still waiting' }, fired: false, why: ['none of the keywords "till" found'] },
    { name: 'word before punctuation', when: { keywords: { any: ['rude'] } }, facts: { text: 'She was rude!' }, fired: true, why: ['keyword "rude" found'] },
    { name: 'trailing * matches word endings', when: { keywords: { any: ['rude*'] } }, facts: { text: 'such rudeness' }, fired: true, why: ['keyword "rude*" found'] },
    { name: 'subject is searched too', when: { keywords: { any: ['cashier'] } }, facts: { subject: 'Cashier was rude', text: 'see subject' }, fired: true, why: ['keyword "cashier" found'] },
    { name: 'several found', when: { keywords: { any: ['checkout', 'rude', 'queue'] } }, facts: { text: 'Rude staff at checkout' }, fired: true, why: ['keywords "checkout", "rude" found'] },
    { name: 'all present', when: { keywords: { all: ['refund', 'card'] } }, facts: { text: 'refund to my card please' }, fired: true, why: ['all keywords "refund", "card" found'] },
    { name: 'all, one missing', when: { keywords: { all: ['refund', 'card'] } }, facts: { text: 'refund please' }, fired: false, why: ['keyword "card" not found, rule wants all of "refund", "card"'] },
    { name: 'none present', when: { keywords: { none: ['test'] } }, facts: { text: 'this is a test' }, fired: false, why: ['keyword "test" found, rule excludes it'] },
    { name: 'none absent', when: { keywords: { none: ['test'] } }, facts: { text: 'testing is fine' }, fired: true, why: ['none of "test" found'] },
    {
      name: 'any + all + none together',
      when: { keywords: { any: ['site down', '503'], all: ['since'], none: ['scheduled maintenance'] } },
      facts: { text: 'Error 503 since 6am.' },
      fired: true,
      why: ['keyword "503" found', 'all keywords "since" found', 'none of "scheduled maintenance" found'],
    },
    { name: 'digits are whole words too', when: { keywords: { any: ['503'] } }, facts: { text: 'order 15030' }, fired: false, why: ['none of the keywords "503" found'] },
    { name: 'symbols at the edge', when: { keywords: { any: ['c++'] } }, facts: { text: 'I write C++ daily' }, fired: true, why: ['keyword "c++" found'] },
    { name: 'non-ASCII letters', when: { keywords: { any: ['über'] } }, facts: { text: 'Ärger ÜBER den Preis' }, fired: true, why: ['keyword "über" found'] },
  ]);
});

t.test('hasKeyword: boundaries are letters in any script', async (t) => {
  t.notOk(hasKeyword('Überpreis', 'preis'), 'part of a longer German word');
  t.ok(hasKeyword('zu hoher Preis.', 'preis'));
  t.ok(hasKeyword('regex chars (a+b)? are literal', '(a+b)?'));
  t.notOk(hasKeyword('aab', 'a.b'), '. is not a wildcard');
});

t.test('all conditions must hold, checked in a fixed order', async (t) => {
  const when = { keywords: { any: ['refund'] }, entities: { order: { exists: true } }, priority: 'urgent', category: 'refund' };
  const held = routeOne(oneRule(when), facts({ category: 'refund', priority: 'urgent', text: 'refund now', entities: { order: ['BC-1'] } }));
  t.ok(held.fired);
  t.same(held.why, ['category is refund', 'priority is urgent', 'entities.order is set (BC-1)', 'keyword "refund" found'], 'category, level, priority, language, channel, fields, labels, entities, keywords');

  const failsTwice = routeOne(oneRule(when), facts({ category: 'delivery', priority: 'low', text: 'refund now' }));
  t.notOk(failsTwice.fired);
  t.same(failsTwice.why, ['category is delivery, rule wants refund'], 'only the first failing condition');
});

t.test('no conditions: the rule always fires', async (t) => {
  for (const when of [{}, null]) {
    const { fired, why } = routeOne(oneRule(when as Record<string, unknown>), facts());
    t.ok(fired);
    t.same(why, ['no conditions: the rule always fires']);
  }
  const { fired } = routeOne(ruleSet({ rules: [{ name: 'r', then: { queue: 'hit' } }] }), facts());
  t.ok(fired, 'when left out');
});
