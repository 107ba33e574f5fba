import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkRuleLabels, parseRules, unknownLabelsError } from '@answerdesk/routing';
import { examplesDir, ruleSet } from './helpers.js';

const known = {
  category: ['fraud', 'refund', 'delivery', 'store'],
  language: ['en', 'de', 'it', 'no'],
  labels: { queue: ['billing', 'security', 'logistics'], priority: ['low', 'normal', 'urgent'] },
};

t.test('a category no categorizer knows is a warning that lists the known ones, with a suggestion', async (t) => {
  const rules = ruleSet({ rules: [{ name: 'card-fraud', when: { category: 'fruad' }, then: { queue: 'security' } }] });
  const warnings = checkRuleLabels(rules, known);
  t.equal(warnings.length, 1);
  t.match(warnings[0], {
    rule: 'rule 1 "card-fraud"',
    field: 'when.category',
    value: 'fruad',
    suggestion: 'fraud',
    known: ['delivery', 'fraud', 'refund', 'store'],
  });
  t.equal(warnings[0]!.message, 'rule 1 "card-fraud": when.category names category "fruad", which this knowledge base does not know (did you mean "fraud"?); known categories: delivery, fraud, refund, store');
});

t.test('every place a label is named: categories, languages, labels, queues and teams of actions and defaults', async (t) => {
  const rules = ruleSet({
    defaults: { queue: 'customer-care' },
    rules: [
      { name: 'a', when: { category: ['refund', 'Delivery', 'xyzzy'] }, then: { queue: 'biling' } },
      { name: 'b', when: { language: ['de-AT', 'nb', 'fr'] }, then: { tags: ['x'] } },
      { name: 'c', when: { labels: { queue: ['logistics', 'securty'], priority: 'urgent', team: 'anyone' } }, then: { team: 'nobody-knows' } },
    ],
  });
  const warnings = checkRuleLabels(rules, known);
  t.same(
    warnings.map((w) => [w.rule, w.field, w.value, w.suggestion]),
    [
      ['defaults', 'defaults.queue', 'customer-care', undefined],
      ['rule 1 "a"', 'when.category', 'xyzzy', undefined],
      ['rule 1 "a"', 'then.queue', 'biling', 'billing'],
      ['rule 2 "b"', 'when.language', 'fr', undefined],
      ['rule 3 "c"', 'when.labels.queue', 'securty', 'security'],
    ],
    'case is ignored (Delivery), a regional or Norwegian code matches its language (de-AT, nb), fields nothing predicts (team) are not checked',
  );
  t.match(warnings[3]!.message, /names language "fr", which this knowledge base does not know; known languages: de, en, it, no$/, 'no "did you mean" for a two-letter code two edits away');
  t.match(warnings[4]!.message, /when\.labels\.queue names queue "securty".*\(did you mean "security"\?\); known queues: billing, logistics, security$/);
});

t.test('nothing known about a field: nothing to warn about', async (t) => {
  const rules = ruleSet({ rules: [{ name: 'a', when: { category: 'fruad', language: 'xx' }, then: { queue: 'q' } }] });
  t.same(checkRuleLabels(rules, {}), []);
  t.same(checkRuleLabels(rules, { category: [], language: [], labels: {} }), []);
});

t.test('--strict: the warnings as one coded error naming the first', async (t) => {
  const rules = ruleSet({ rules: [{ name: 'card-fraud', when: { category: 'fruad' } }, { name: 'b', when: { language: 'pl' } }] });
  const error = unknownLabelsError(rules, checkRuleLabels(rules, known));
  t.equal(error.code, 'ADK_RULES_LABEL_UNKNOWN');
  t.equal(error.status, 400);
  t.equal(
    error.message,
    'Routing rules test.json name 2 value(s) this knowledge base does not know, first rule 1 "card-fraud", field "when.category": "fruad" (did you mean "fraud"?); known: delivery, fraud, refund, store. Fix the rules, or leave out --strict to use them anyway.',
  );
});

t.test('the shipped examples name only what their tickets teach', async (t) => {
  // The categories and queues of docs-content's resolved tickets, which the example rules are written for.
  const tickets = (await readFile(path.join(examplesDir, '..', '..', 'docs-content', 'tickets', 'resolved.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { category: string; queue: string });
  const fromTickets = { category: tickets.map((x) => x.category), labels: { queue: tickets.map((x) => x.queue) }, language: ['en', 'de', 'it', 'ru'] };
  for (const file of ['eshop.yaml', 'retailer.yaml', 'hosting.yaml']) {
    const rules = parseRules(await readFile(path.join(examplesDir, file), 'utf8'), { file });
    t.same(checkRuleLabels(rules, fromTickets).map((w) => w.message), [], file);
  }
});
