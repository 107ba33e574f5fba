import t from 'tap';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { readFile } from 'node:fs/promises';
import { AnswerdeskError } from '@answerdesk/types';
import { loadRules, parseRules, ruleSchema } from '@answerdesk/routing';
import { examplesDir, type TapTest } from './helpers.js';

/** The error parseRules throws for `text`; fails the test when it does not throw an AnswerdeskError. */
function errorOf(t: TapTest, text: string, file = 'rules.yaml'): AnswerdeskError {
  try {
    parseRules(text, { file });
  } catch (error) {
    if (error instanceof AnswerdeskError) return error;
    t.fail(`threw a foreign error: ${String(error)}`);
    throw error;
  }
  t.fail('parseRules did not throw');
  throw new Error('parseRules did not throw');
}

interface Expected {
  rule: string;
  field: string;
  reason: RegExp;
  line?: number;
}

/** ADK_RULES_INVALID naming the rule and the field, in the details and the message. */
function expectInvalid(t: TapTest, text: string, expected: Expected, file = 'rules.yaml'): void {
  const error = errorOf(t, text, file);
  t.equal(error.code, 'ADK_RULES_INVALID', `${expected.field}: code`);
  t.equal(error.details.file, file);
  t.equal(error.details.rule, expected.rule, `${expected.field}: rule`);
  t.equal(error.details.field, expected.field, `${expected.field}: field`);
  t.match(String(error.details.reason), expected.reason, `${expected.field}: reason`);
  t.ok(error.message.startsWith(`Routing rules ${file}: ${expected.rule}, field "${expected.field}" `), `message names rule and field: ${error.message}`);
  if (expected.line !== undefined) {
    t.equal(error.details.line, expected.line, `${expected.field}: line`);
    t.match(error.message, `(line ${expected.line})`);
  }
}

/** A valid file with one rule whose `when`/`then` lines are replaced; rule 2 is "second". */
function file(rule: string, extra = ''): string {
  return `version: 1
directories:
  stores:
    S-014: { mailbox: s14@brightcart.example, director: d14@brightcart.example }
${extra}rules:
  - name: first
    when: { category: refund }
    then: { queue: billing }
  - name: second
${rule}
`;
}

t.test('schema errors name the rule and the field', async (t) => {
  const cases: Array<[string, string, Expected]> = [
    ['bad type', '    when: { category: 5 }', { rule: 'rule 2 "second"', field: 'when.category', reason: /^is 5; must be a category or a list of categories/, line: 10 }],
    ['bad item type', '    when: { category: [refund, 5] }', { rule: 'rule 2 "second"', field: 'when.category[2]', reason: /^is 5; must be non-empty text/ }],
    ['empty list', '    when: { category: [] }', { rule: 'rule 2 "second"', field: 'when.category', reason: /^is a list; must be a category or a list/ }],
    ['unknown condition', '    when: { categroy: refund }', { rule: 'rule 2 "second"', field: 'when.categroy', reason: /not a known key here \(did you mean "category"\?\); use category, level, priority/ }],
    ['unknown action', '    then: { queu: billing }', { rule: 'rule 2 "second"', field: 'then.queu', reason: /did you mean "queue"/ }],
    ['unknown rule key', '    stp: false', { rule: 'rule 2 "second"', field: 'stp', reason: /did you mean "stop"/ }],
    ['bad level', '    when: { level: mid }', { rule: 'rule 2 "second"', field: 'when.level', reason: /^is "mid"; must be low, medium or high/ }],
    ['bad level key', '    when: { level: { atleast: medium } }', { rule: 'rule 2 "second"', field: 'when.level.atleast', reason: /did you mean "atLeast"/ }],
    ['bad level bound', '    when: { level: { atMost: lowest } }', { rule: 'rule 2 "second"', field: 'when.level.atMost', reason: /^is "lowest"; must be low, medium or high/ }],
    ['bad line', '    then: { line: 3 }', { rule: 'rule 2 "second"', field: 'then.line', reason: /^is 3; must be 1 \(first line\) or 2 \(second line\)/, line: 10 }],
    ['line as text', "    then: { line: '2' }", { rule: 'rule 2 "second"', field: 'then.line', reason: /^is "2"; must be 1/ }],
    ['bad priority action', '    then: { priority: asap }', { rule: 'rule 2 "second"', field: 'then.priority', reason: /^is "asap"; must be urgent, high, normal or low/ }],
    ['bad priority condition', '    when: { priority: [urgent, asap] }', { rule: 'rule 2 "second"', field: 'when.priority[2]', reason: /^is "asap"; must be urgent, high, normal or low/ }],
    ['bad language', '    when: { language: english }', { rule: 'rule 2 "second"', field: 'when.language', reason: /^is "english"; must be a language code like en or de/ }],
    ['empty field value', '    when:\n      fields:\n        storeId:', { rule: 'rule 2 "second"', field: 'when.fields.storeId', reason: /^is empty; must be a value, a list of values or \{ exists: true\|false \}/ }],
    ['bad exists', '    when: { fields: { storeId: { exist: true } } }', { rule: 'rule 2 "second"', field: 'when.fields.storeId.exist', reason: /did you mean "exists"/ }],
    ['exists and anyOf together', '    when: { fields: { storeId: { exists: true, anyOf: [S-1] } } }', { rule: 'rule 2 "second"', field: 'when.fields.storeId', reason: /^is a mapping; must be a value, a list of values or \{ exists: true\|false \}/ }],
    ['empty anyOf', '    when: { fields: { storeId: { anyOf: [] } } }', { rule: 'rule 2 "second"', field: 'when.fields.storeId.anyOf', reason: /^is a list; must be a value or a list of values/ }],
    [
      'unknown entity kind',
      '    when: { entities: { orders: { exists: true } } }',
      {
        rule: 'rule 2 "second"',
        field: 'when.entities.orders',
        reason: /^is not an entity kind \(did you mean "order"\?\); use one of email, phone, url, domain, order, ticket, invoice, certificate, amount, card, date, name, address, iban, tracking/,
        line: 10,
      },
    ],
    ['entity kind far from any', '    when: { entities: { vatNumber: { exists: true } } }', { rule: 'rule 2 "second"', field: 'when.entities.vatNumber', reason: /^is not an entity kind; use one of email, phone, /, line: 10 }],
    ['entities not a mapping', '    when: { entities: [order] }', { rule: 'rule 2 "second"', field: 'when.entities', reason: /^is a list; must map entity kinds \(email, phone, .*tracking\) to a value/ }],
    ['a field called entities is a field', '    when: { fields: { entities: { exist: true } } }', { rule: 'rule 2 "second"', field: 'when.fields.entities.exist', reason: /^is not a known key here \(did you mean "exists"\?\); use exists, anyOf/ }],
    ['bad entity condition', '    when: { entities: { order: { exist: true } } }', { rule: 'rule 2 "second"', field: 'when.entities.order.exist', reason: /did you mean "exists"/ }],
    ['bad entity value', '    when: { entities: { email: [vip@acme.com, { a: 1 }] } }', { rule: 'rule 2 "second"', field: 'when.entities.email[2]', reason: /^is a mapping; must be text, a number or true\/false/ }],
    ['keyword with inner *', '    when: { keywords: { any: [pri*ce] } }', { rule: 'rule 2 "second"', field: 'when.keywords.any[1]', reason: /only a trailing \*/ }],
    ['empty keywords', '    when: { keywords: {} }', { rule: 'rule 2 "second"', field: 'when.keywords', reason: /^is a mapping; must be a mapping with any, all and\/or none/ }],
    ['stop not boolean', '    stop: "no"', { rule: 'rule 2 "second"', field: 'stop', reason: /^is "no"; must be true .* or false/ }],
    ['notify needs a target', '    then: { notify: [{ roles: [mailbox] }] }', { rule: 'rule 2 "second"', field: 'then.notify[1]', reason: /^needs either an address, or a directory and a key/ }],
    ['notify bad address', '    then: { notify: [not-an-address] }', { rule: 'rule 2 "second"', field: 'then.notify[1]', reason: /^is "not-an-address"; needs either an address/ }],
    ['when is not a mapping', '    when: always', { rule: 'rule 2 "second"', field: 'when', reason: /^is "always"; must be a mapping of conditions/ }],
    ['bad duration', '    then: { due: 1 day }', { rule: 'rule 2 "second"', field: 'then.due', reason: /^is "1 day"; write a number and a unit .* e\.g\. 30m, 4h, 1d/ }],
  ];
  for (const [name, rule, expected] of cases) {
    t.test(name, async (t) => expectInvalid(t, file(rule), expected));
  }
});

t.test('a missing or blank name is named by position', async (t) => {
  const missing = `version: 1
rules:
  - name: ok
  - when: { category: refund }
    then: { queue: billing }
`;
  expectInvalid(t, missing, { rule: 'rule 2', field: 'name', reason: /^is missing; every rule needs a unique name/, line: 4 });
  expectInvalid(t, "version: 1\nrules:\n  - name: '  '\n", { rule: 'rule 1', field: 'name', reason: /^is "  "; every rule needs a unique name/ });
  expectInvalid(t, 'version: 1\nrules:\n  - just-a-string\n', { rule: 'rule 1', field: '(the rule itself)', reason: /^is "just-a-string"; must be a mapping with a name/ });
});

t.test('semantic errors the schema cannot express', async (t) => {
  expectInvalid(t, file('    then: { queue: x }').replace('name: second', 'name: First'), {
    rule: 'rule 2 "First"',
    field: 'name',
    reason: /^repeats the name of rule 1; give each rule a unique name/,
    line: 9,
  });
  expectInvalid(t, file('    then: { notify: [{ directory: shops, key: "{fields.storeId}" }] }'), {
    rule: 'rule 2 "second"',
    field: 'then.notify[1].directory',
    reason: /^refers to directory "shops", which is not defined; defined directories: stores/,
  });
  expectInvalid(t, file('    then: { notify: [{ directory: store, key: "{fields.storeId}" }] }'), {
    rule: 'rule 2 "second"',
    field: 'then.notify[1].directory',
    reason: /did you mean "stores"\?/,
  });
  expectInvalid(t, 'version: 1\nrules:\n  - name: a\n    then: { notify: [{ directory: stores, key: x }] }\n', {
    rule: 'rule 1 "a"',
    field: 'then.notify[1].directory',
    reason: /the file has no directories section/,
  });
  expectInvalid(t, file('    then: { notify: [{ directory: stores, key: "{fields.storeId}", roles: [mailbox, directer] }] }'), {
    rule: 'rule 2 "second"',
    field: 'then.notify[1].roles[2]',
    reason: /^names role "directer", which no entry of directory "stores" has \(did you mean "director"\?\); roles there: mailbox, director/,
  });
  expectInvalid(t, file('    then: { notify: [{ address: a@b.example, directory: stores, key: x }] }'), {
    rule: 'rule 2 "second"',
    field: 'then.notify[1]',
    reason: /^has both an address and a directory look-up/,
  });
  expectInvalid(t, file('    then: { tags: ["category__{categroy}"] }'), {
    rule: 'rule 2 "second"',
    field: 'then.tags[1]',
    reason: /uses the unknown placeholder \{categroy\}; use one of \{category\}/,
  });
  expectInvalid(t, file('    then: { tags: "store__{fields.storeId" }'), { rule: 'rule 2 "second"', field: 'then.tags', reason: /unmatched brace/ });
  expectInvalid(t, file('    then: { notify: [{ directory: stores, key: "{store}" }] }'), { rule: 'rule 2 "second"', field: 'then.notify[1].key', reason: /unknown placeholder \{store\}/ });
  expectInvalid(t, file('    then: { queue: "store-{fields.storeId}" }'), { rule: 'rule 2 "second"', field: 'then.queue', reason: /placeholders only work in tags and notify/ });
  expectInvalid(t, file('    then: { due: 0h }'), { rule: 'rule 2 "second"', field: 'then.due', reason: /^is "0h", which is no time at all/ });
  expectInvalid(t, file('    when: { level: { atLeast: high, atMost: low } }'), { rule: 'rule 2 "second"', field: 'when.level', reason: /no message can be/ });
});

t.test('errors outside the rules', async (t) => {
  expectInvalid(t, 'version: 1\ndefaults: { priority: high }\nrules: []\n', { rule: 'defaults', field: 'defaults.priority', reason: /not a known key here; use queue, team, line, tags, notify, due/, line: 2 });
  expectInvalid(t, 'version: 1\ndefaults: { due: soon }\nrules: []\n', { rule: 'defaults', field: 'defaults.due', reason: /^is "soon"/ });
  expectInvalid(t, 'version: 1\ndefaults: { notify: [{ directory: x, key: y }] }\nrules: []\n', { rule: 'defaults', field: 'defaults.notify[1].directory', reason: /no directories section/ });
  expectInvalid(t, 'version: 1\ndirectories:\n  stores:\n    S-014: { director: Jane Doe }\nrules: []\n', {
    rule: 'directory "stores"',
    field: 'directories.stores.S-014.director',
    reason: /^is "Jane Doe"; must be an e-mail address or a list of them/,
    line: 4,
  });
  expectInvalid(t, 'version: 1\ndirectories:\n  stores:\n    S-014: {}\nrules: []\n', { rule: 'directory "stores"', field: 'directories.stores.S-014', reason: /must map roles/ });
  expectInvalid(t, 'version: 2\nrules: []\n', { rule: 'top level', field: 'version', reason: /^is 2; must be 1/ });
  expectInvalid(t, 'rules: []\n', { rule: 'top level', field: 'version', reason: /^is missing; must be 1/ });
  expectInvalid(t, 'version: 1\nrule: []\n', { rule: 'top level', field: 'rule', reason: /did you mean "rules"/ });
  expectInvalid(t, 'version: 1\nrules: {}\n', { rule: 'top level', field: 'rules', reason: /^is a mapping; must be a list of rules/ });
  expectInvalid(t, '', { rule: 'top level', field: '(the whole file)', reason: /^is empty; must be a mapping with version: 1 and a list of rules/ });
  expectInvalid(t, '- a\n- b\n', { rule: 'top level', field: '(the whole file)', reason: /^is a list; must be a mapping/ });
});

t.test('the first problem in the file is reported', async (t) => {
  const text = `version: 1
rules:
  - name: a
    then: { line: 5 }
  - name: b
    when: { level: sometimes }
`;
  expectInvalid(t, text, { rule: 'rule 1 "a"', field: 'then.line', reason: /^is 5/, line: 4 });
});

t.test('YAML syntax errors give the line', async (t) => {
  const unclosed = `version: 1
rules:
  - name: a
    when: { category: [refund, payment }
`;
  const error = errorOf(t, unclosed);
  t.equal(error.code, 'ADK_RULES_SYNTAX');
  t.same([error.details.file, error.details.format, error.details.line], ['rules.yaml', 'YAML', 4]);
  t.match(error.message, /^Routing rules rules\.yaml cannot be read as YAML at line 4: Flow sequence/);
  t.notMatch(error.message, /\n/, 'one line, no source excerpt');

  const duplicate = errorOf(t, 'version: 1\nrules: []\nrules: []\n');
  t.equal(duplicate.code, 'ADK_RULES_SYNTAX');
  t.equal(duplicate.details.line, 3);
  t.match(duplicate.message, /Map keys must be unique/);

  const tabs = errorOf(t, 'version: 1\nrules:\n\t- name: a\n');
  t.equal(tabs.code, 'ADK_RULES_SYNTAX');
  t.equal(tabs.details.line, 3);
});

t.test('JSON syntax errors give the line', async (t) => {
  const trailingComma = '{\n  "version": 1,\n  "rules": [\n    { "name": "a", }\n  ]\n}\n';
  const error = errorOf(t, trailingComma, 'rules.json');
  t.equal(error.code, 'ADK_RULES_SYNTAX');
  t.same([error.details.file, error.details.format, error.details.line], ['rules.json', 'JSON', 4]);
  t.match(error.message, /^Routing rules rules\.json cannot be read as JSON at line 4: /);

  const truncated = errorOf(t, '{\n  "version": 1,\n  "rules": [\n', 'rules.json');
  t.equal(truncated.code, 'ADK_RULES_SYNTAX');
  t.equal(truncated.details.line, 4, 'the end of the text');
  t.match(truncated.message, /Unexpected end of JSON input/);
});

t.test('JSON duplicate keys are an error, not a silent overwrite', async (t) => {
  const error = errorOf(t, '{\n  "version": 1,\n  "rules": [\n    { "name": "a", "stop": true, "stop": false }\n  ]\n}\n', 'rules.json');
  t.equal(error.code, 'ADK_RULES_SYNTAX');
  t.equal(error.details.line, 4);
  t.match(error.message, /at line 4: a key appears twice/);
});

t.test('JSON schema errors give the line too', async (t) => {
  const text = '{\n  "version": 1,\n  "rules": [\n    { "name": "a",\n      "then": { "line": 3 } }\n  ]\n}\n';
  expectInvalid(t, text, { rule: 'rule 1 "a"', field: 'then.line', reason: /^is 3; must be 1/, line: 5 }, 'rules.json');
});

t.test('format: from the extension, the option, or sniffed', async (t) => {
  const json = JSON.stringify({ version: 1, rules: [{ name: 'a', then: { queue: 'q' } }] });
  const yaml = 'version: 1\nrules:\n  - name: a\n    then: { queue: q }\n';
  const fromJson = parseRules(json, { file: 'r.json' });
  const fromYaml = parseRules(yaml, { file: 'r.yml' });
  t.same({ ...fromJson, file: '' }, { ...fromYaml, file: '' }, 'same rules either way');
  t.equal(parseRules(json).file, '<input>');
  t.same(parseRules(json).rules, fromJson.rules, 'sniffed as JSON');
  t.same(parseRules(yaml).rules, fromYaml.rules, 'sniffed as YAML');
  t.same(parseRules(json, { file: 'rules.txt' }).rules, fromJson.rules, 'unknown extension: sniffed');
  const forced = errorOf(t, yaml, 'r.json');
  t.equal(forced.details.format, 'JSON', 'the extension wins over the content');
  t.same(parseRules(yaml, { file: 'r.json', format: 'yaml' }).rules, fromYaml.rules, 'the option wins over the extension');
  t.same(parseRules('\uFEFF' + yaml).rules, fromYaml.rules, 'byte order mark ignored');
});

t.test('shorthands are expanded into the RuleSet', async (t) => {
  const rules = parseRules(`version: 1
directories:
  stores:
    S-1: { mailbox: s1@x.example, deputy: [a@x.example, b@x.example] }
rules:
  - name: " spaced "
    description: all shorthands
    when:
      category: store
      level: medium
      priority: high
      language: en
      channel: [email, chat]
      fields: { storeId: { exists: true }, tier: gold, floor: [1, 2] }
      labels: { queue: stores }
      entities: { order: { exists: true }, email: VIP@acme.com, card: [4242, "1881"], amount: { anyOf: [12.50 EUR] }, iban: { anyOf: X } }
      keywords: { any: rude, none: [" test "] }
    then:
      tags: one
      notify: [a@x.example, { address: b@x.example }, { directory: stores, key: "{fields.storeId}", roles: mailbox }]
      due: 1d 12h
  - name: bare
    when:
    then:
`);
  t.same(rules.rules, [
    {
      name: 'spaced',
      position: 1,
      when: {
        category: ['store'],
        level: { atLeast: 'medium' },
        priority: ['high'],
        language: ['en'],
        channel: ['email', 'chat'],
        fields: { storeId: { exists: true }, tier: { anyOf: ['gold'] }, floor: { anyOf: [1, 2] } },
        labels: { queue: ['stores'] },
        entities: { order: { exists: true }, email: { anyOf: ['VIP@acme.com'] }, card: { anyOf: [4242, '1881'] }, amount: { anyOf: ['12.50 EUR'] }, iban: { anyOf: ['X'] } },
        keywords: { any: ['rude'], none: ['test'] },
      },
      then: {
        tags: ['one'],
        notify: [{ address: 'a@x.example' }, { address: 'b@x.example' }, { directory: 'stores', key: '{fields.storeId}', roles: ['mailbox'] }],
        due: '1d12h',
      },
      stop: true,
      description: 'all shorthands',
    },
    { name: 'bare', position: 2, when: {}, then: {}, stop: true },
  ]);
  t.same(rules.directories, { stores: { 'S-1': { mailbox: ['s1@x.example'], deputy: ['a@x.example', 'b@x.example'] } } });
  t.same(rules.defaults, {});
  t.same(rules.warnings, []);
});

t.test('YAML anchors and merge keys share blocks between rules', async (t) => {
  const rules = parseRules(`version: 1
rules:
  - name: fraud
    when: { category: fraud }
    then: &security { queue: security, line: 2, priority: urgent }
  - name: fraud-words
    when: { keywords: { any: [phishing] } }
    then:
      <<: *security
      tags: [by_words]
`);
  t.same(rules.rules[1]?.then, { queue: 'security', line: 2, priority: 'urgent', tags: ['by_words'] });
});

t.test('an unconditional stopping rule that hides later rules is a warning', async (t) => {
  const rules = parseRules('version: 1\nrules:\n  - name: all\n  - name: a\n  - name: b\n');
  t.same(rules.warnings, ['rule 1 "all" has no conditions and stops evaluation, so "a", "b" never run; add stop: false or move it last']);
  t.same(parseRules('version: 1\nrules:\n  - name: a\n    when: { category: x }\n  - name: all\n').warnings, [], 'last is fine');
  t.same(parseRules('version: 1\nrules:\n  - name: all\n    stop: false\n  - name: a\n').warnings, [], 'stop: false is fine');
});

t.test('ruleSchema is plain JSON Schema that the example files satisfy', async (t) => {
  t.equal(ruleSchema.$schema, 'http://json-schema.org/draft-07/schema#');
  t.same(JSON.parse(JSON.stringify(ruleSchema)), ruleSchema, 'serialisable as JSON');
  const validate = new Ajv({ allowUnionTypes: true, strictRequired: false }).compile(ruleSchema);
  for (const name of ['eshop.yaml', 'retailer.yaml', 'hosting.yaml']) {
    const data: unknown = parseYaml(await readFile(path.join(examplesDir, name), 'utf8'));
    t.ok(validate(data), `${name} is valid: ${JSON.stringify(validate.errors)}`);
  }
  t.notOk(validate({ version: 1, rules: [{ name: 'a', then: { line: 3 } }] }), 'and rejects a bad line');
  t.ok(validate({ version: 1, rules: [{ name: 'a', when: { entities: { order: { exists: true }, email: { anyOf: ['vip@acme.com'] } } } }] }), 'entity conditions');
  t.notOk(validate({ version: 1, rules: [{ name: 'a', when: { entities: { orders: { exists: true } } } }] }), 'and rejects an unknown entity kind');
});

t.test('loadRules reads files and reports unreadable ones', async (t) => {
  const dir = t.testdir({
    'rules.yml': 'version: 1\nrules:\n  - name: a\n    then: { queue: q }\n',
    'rules.json': '{"version": 1, "rules": [{"name": "a", "then": {"line": 7}}]}',
    'folder.yaml': {},
  });
  const rules = await loadRules(path.join(dir, 'rules.yml'));
  t.equal(rules.file, path.join(dir, 'rules.yml'));
  t.equal(rules.rules[0]?.then.queue, 'q');

  const invalid = await loadRules(path.join(dir, 'rules.json')).catch((e: unknown) => e);
  t.type(invalid, AnswerdeskError);
  t.equal((invalid as AnswerdeskError).code, 'ADK_RULES_INVALID');
  t.equal((invalid as AnswerdeskError).details.file, path.join(dir, 'rules.json'));

  const missing = await loadRules(path.join(dir, 'nope.yaml')).catch((e: unknown) => e);
  t.type(missing, AnswerdeskError);
  t.equal((missing as AnswerdeskError).code, 'ADK_PATH_NOT_FOUND');
  t.equal((missing as AnswerdeskError).details.path, path.join(dir, 'nope.yaml'));

  const folder = await loadRules(path.join(dir, 'folder.yaml')).catch((e: unknown) => e);
  t.type(folder, AnswerdeskError);
  t.equal((folder as AnswerdeskError).code, 'ADK_FILE_UNREADABLE');
  t.match((folder as AnswerdeskError).message, /EISDIR/);
});
