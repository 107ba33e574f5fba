import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parseTemplate, isTemplate, pickTemplate, fillName, firstNameOf, CANNED_NAMES, type ReplyTemplate } from '@answerdesk/reply';
import { thrown } from './helpers.js';

const templatesDir = fileURLToPath(new URL('../../../docs-content/templates/', import.meta.url));


const file = (front: string, body = 'Hello {name},') => `---\n${front}\n---\n\n${body}\n`;

t.test('a template file', async (t) => {
  const template = parseTemplate(
    file('id: greeting-en\ntemplate: greeting        # greeting | closing | canned\nlanguage: EN\nbrand: Brightcart\nchannel: email\ntitle: Greeting'),
    'templates/en/greeting-en.md',
  );
  t.same(template, { id: 'greeting-en', kind: 'greeting', language: 'en', title: 'Greeting', body: 'Hello {name},', brand: 'brightcart', channel: 'email', file: 'templates/en/greeting-en.md' });

  const canned = parseTemplate(file('template: canned\nname: Off-Topic\nlanguage: it', 'Grazie.\r\n\r\nNon possiamo aiutarti.'), 'it/canned-off-topic-it.md');
  t.equal(canned.id, 'canned-off-topic-it', 'id from the file name');
  t.equal(canned.title, 'canned-off-topic-it', 'title defaults to the id');
  t.equal(canned.name, 'off-topic');
  t.equal(canned.body, 'Grazie.\n\nNon possiamo aiutarti.', 'body trimmed, CRLF as LF');
  t.notOk('brand' in canned || 'channel' in canned, 'no brand or channel: none set');
});

t.test('every template in docs-content parses', async (t) => {
  const templates: ReplyTemplate[] = [];
  for (const language of readdirSync(templatesDir)) {
    for (const name of readdirSync(path.join(templatesDir, language)).filter((n) => n.endsWith('.md'))) {
      const template = parseTemplate(readFileSync(path.join(templatesDir, language, name), 'utf8'), `${language}/${name}`);
      t.equal(template.language, language, `${language}/${name}: language matches its folder`);
      templates.push(template);
    }
  }
  for (const language of ['en', 'it', 'de', 'ru']) {
    t.ok(pickTemplate(templates, { kind: 'greeting', language, channel: 'email' }), `${language}: an e-mail greeting`);
    for (const name of CANNED_NAMES) t.ok(pickTemplate(templates, { kind: 'canned', name, language }), `${language}: canned ${name}`);
  }
});

t.test('mistakes name the file and what to fix', async (t) => {
  const cases: Array<{ source: string; code: string; says: RegExp }> = [
    { source: 'Hello {name},', code: 'ADK_TEMPLATE_INVALID', says: /has no front matter/ },
    { source: file('id: x\nlanguage: en'), code: 'ADK_TEMPLATE_INVALID', says: /"template" is missing; set it to greeting, closing or canned/ },
    { source: file('template: signature\nlanguage: en'), code: 'ADK_TEMPLATE_INVALID', says: /"template" must be greeting, closing or canned \(got "signature"\)/ },
    { source: file('template: greeting'), code: 'ADK_TEMPLATE_INVALID', says: /"language" is missing/ },
    { source: file('template: greeting\nlanguage: English'), code: 'ADK_TEMPLATE_INVALID', says: /"language" must be a language code/ },
    { source: file('template: canned\nlanguage: en'), code: 'ADK_TEMPLATE_INVALID', says: /"name" is missing; a canned reply needs one, such as off-topic/ },
    { source: file('template: closing\nlanguage: en\nname: spam'), code: 'ADK_TEMPLATE_INVALID', says: /"name" is only for canned replies/ },
    { source: file('template: closing\nlanguage: en\nchannel: fax'), code: 'ADK_TEMPLATE_INVALID', says: /"channel" must be email or chat \(got "fax"\)/ },
    { source: file('template: closing\nlanguage: en\ntitle: [a, b]'), code: 'ADK_TEMPLATE_INVALID', says: /"title" must be text/ },
    { source: file('template: closing\nlanguage: en\nid: "bad id"'), code: 'ADK_TEMPLATE_INVALID', says: /"id" may contain only/ },
    { source: file('template: closing\nlanguage: en', ''), code: 'ADK_TEMPLATE_INVALID', says: /the text after the front matter is empty/ },
    { source: file('- just\n- a list'), code: 'ADK_TEMPLATE_INVALID', says: /must be a mapping/ },
    { source: file('template: [greeting\nlanguage: en'), code: 'ADK_FRONTMATTER_INVALID', says: /templates\/en\/bad\.md is invalid at line \d/ },
  ];
  for (const c of cases) {
    const error = thrown(() => parseTemplate(c.source, 'templates/en/bad.md'));
    t.equal(error.code, c.code, String(c.says));
    t.match(error.message, c.says);
    t.match(error.message, /templates\/en\/bad\.md/, 'names the file');
  }
  t.match(thrown(() => parseTemplate('no front matter')).message, /\(unnamed template\)/, 'without a file name');
});

t.test('isTemplate', async (t) => {
  t.ok(isTemplate({ template: 'greeting' }));
  t.ok(isTemplate({ template: 'anything' }), 'has template: (parseTemplate checks the value)');
  t.notOk(isTemplate({ title: 'Refunds', category: 'refund' }), 'an article');
  t.notOk(isTemplate({ template: null }));
});

const make = (id: string, fields: Partial<ReplyTemplate>): ReplyTemplate => ({ id, kind: 'greeting', language: 'en', title: id, body: id, ...fields });
const library: ReplyTemplate[] = [
  make('g-en', {}),
  make('g-en-chat', { channel: 'chat' }),
  make('g-en-email', { channel: 'email' }),
  make('g-en-brightcart', { brand: 'brightcart' }),
  make('g-en-hostwell-email', { brand: 'hostwell', channel: 'email' }),
  make('g-de', { language: 'de' }),
  make('g-de-ch', { language: 'de-ch' }),
  make('c-en', { kind: 'closing' }),
  make('spam-en', { kind: 'canned', name: 'spam' }),
  make('off-en', { kind: 'canned', name: 'off-topic' }),
];

t.test('pickTemplate', async (t) => {
  const cases: Array<[string, Parameters<typeof pickTemplate>[1], string | undefined]> = [
    ['neutral when nothing else is asked', { kind: 'greeting', language: 'en' }, 'g-en'],
    ['channel-specific over any', { kind: 'greeting', language: 'en', channel: 'chat' }, 'g-en-chat'],
    ['brand-specific over neutral', { kind: 'greeting', language: 'en', brand: 'Brightcart' }, 'g-en-brightcart'],
    ['brand before channel', { kind: 'greeting', language: 'en', brand: 'brightcart', channel: 'email' }, 'g-en-brightcart'],
    ['brand and channel', { kind: 'greeting', language: 'en', brand: 'hostwell', channel: 'email' }, 'g-en-hostwell-email'],
    ['another channel is never used', { kind: 'greeting', language: 'en', brand: 'hostwell', channel: 'chat' }, 'g-en-chat'],
    ['exact language first', { kind: 'greeting', language: 'de-CH' }, 'g-de-ch'],
    ['then the same language', { kind: 'greeting', language: 'de-AT' }, 'g-de'],
    ['de: the plain de one, not de-ch', { kind: 'greeting', language: 'de' }, 'g-de'],
    ['none in that language', { kind: 'greeting', language: 'it' }, undefined],
    ['kind', { kind: 'closing', language: 'en' }, 'c-en'],
    ['canned by name', { kind: 'canned', name: 'off-topic', language: 'en' }, 'off-en'],
    ['an unknown canned name', { kind: 'canned', name: 'thanks', language: 'en' }, undefined],
  ];
  for (const [why, want, id] of cases) t.equal(pickTemplate(library, want)?.id, id, why);
  t.equal(pickTemplate([make('g-ru-brand', { language: 'ru', brand: 'hostwell' })], { kind: 'greeting', language: 'ru' }), undefined, 'a branded template only for its brand');
  t.equal(pickTemplate([make('g-de-ch', { language: 'de-ch' })], { kind: 'greeting', language: 'de' })?.id, 'g-de-ch', 'a regional template serves its language when it is the only one');
  t.equal(pickTemplate([...library].reverse(), { kind: 'greeting', language: 'en' })?.id, 'g-en', 'file order does not matter');
});

t.test('fillName', async (t) => {
  const cases: Array<[string, string | undefined, string]> = [
    ['Hello {name},', 'Maria', 'Hello Maria,'],
    ['Hello {name},', undefined, 'Hello,'],
    ['Hello {name},', '  ', 'Hello,'],
    ['Hi {name}!', undefined, 'Hi!'],
    ['Здравствуйте, {name}!', undefined, 'Здравствуйте!'],
    ['Здравствуйте, {name}!', 'Анна', 'Здравствуйте, Анна!'],
    ['Guten Tag { name },', 'Frau Weber', 'Guten Tag Frau Weber,'],
    ['{name}, thanks for writing.', undefined, 'thanks for writing.'],
    ['Thanks for writing.', 'Maria', 'Thanks for writing.'],
    ['Dear {name}, and {name} again', 'Jo $&', 'Dear Jo $&, and Jo $& again'],
    ['Hello {firstName},', 'Fiona Hale', 'Hello Fiona,'],
    ['Hello {firstName},', 'Fiona', 'Hello Fiona,'],
    ['Hello {firstName},', undefined, 'Hello,'],
    ['Hello { firstName }, dear {name}', 'Fiona Hale', 'Hello Fiona, dear Fiona Hale'],
    ['Ciao {firstName}!', undefined, 'Ciao!'],
    ['Hello {firstName},', 'Mr Smith', 'Hello Mr Smith,'],
    ['Guten Tag {firstName},', 'Frau Weber', 'Guten Tag Frau Weber,'],
    ['Hello {firstName},', 'Dr. Anna Weber', 'Hello Dr. Anna Weber,'],
    ['Buongiorno {firstName},', 'Sig.ra Rossi', 'Buongiorno Sig.ra Rossi,'],
  ];
  for (const [body, name, out] of cases) t.equal(fillName(body, name), out, `${body} / ${String(name)}`);
});

t.test('firstNameOf: the first word, or the whole name after a courtesy title or an initial', async (t) => {
  t.equal(firstNameOf('Fiona Hale'), 'Fiona');
  t.equal(firstNameOf('  Anna  '), 'Anna');
  t.equal(firstNameOf('Мария Иванова'), 'Мария');
  t.equal(firstNameOf('Mrs Patel'), 'Mrs Patel');
  t.equal(firstNameOf('Herr Jonas Becker'), 'Herr Jonas Becker');
  t.equal(firstNameOf('K. Novak'), 'K. Novak', 'an initial alone is no name to greet');
  t.equal(firstNameOf('J Smith'), 'J Smith');
  t.equal(firstNameOf('Jo Smith'), 'Jo');
});
