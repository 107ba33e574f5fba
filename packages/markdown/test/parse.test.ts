import t from 'tap';
import { parseArticle, idFromPath, sectionHash } from '@answerdesk/markdown';
import { AnswerdeskError } from '@answerdesk/types';

/** Catch the error a function throws (fails the test if it throws none). */
function thrown(fn: () => unknown): AnswerdeskError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AnswerdeskError) return error;
    throw error;
  }
  throw new Error('expected the call to throw an AnswerdeskError');
}

const lines = (text: string) => text.replace(/\r?\n$/, '').split(/\r?\n/);

t.test('front matter fields are read', async (t) => {
  const article = parseArticle(
    [
      '---',
      'id: refunds-card',
      'title: Card refunds',
      'category: billing',
      'language: de-CH',
      'tags: [Refund, card, refund, 42]',
      'translationOf: refunds-card-en',
      '---',
      '# A heading that is not the title',
      '',
      'Money goes back to the card.',
      '',
    ].join('\n'),
    { file: 'billing/refunds.md' },
  );
  t.equal(article.id, 'refunds-card');
  t.equal(article.title, 'Card refunds', 'front matter title wins over the first H1');
  t.equal(article.category, 'billing');
  t.equal(article.language, 'de-ch', 'language is lower-cased');
  t.same(article.tags, ['refund', 'card', '42'], 'tags lower-cased, de-duplicated, numbers kept as text');
  t.equal(article.translationOf, 'refunds-card-en');
  t.equal(article.file, 'billing/refunds.md');
  t.equal(article.sections.length, 1);
  t.equal(article.sections[0]!.heading, 'Card refunds');
  t.equal(article.sections[0]!.text, 'Money goes back to the card.');
});

t.test('tags given as a comma separated string', async (t) => {
  const article = parseArticle('---\ntags: " Login, Password ,,login , 2FA"\n---\n# T\n\nx\n', { file: 'a.md' });
  t.same(article.tags, ['login', 'password', '2fa']);
  const plain = parseArticle('---\ntags: single\n---\n# T\n\nx\n', { file: 'a.md' });
  t.same(plain.tags, ['single']);
});

t.test('numeric id and empty front matter', async (t) => {
  t.equal(parseArticle('---\nid: 123\n---\n# T\n\nx\n', { file: 'a.md' }).id, '123');
  const empty = parseArticle('---\n---\n# Title\n\nx\n', { file: 'docs/Empty One.md' });
  t.equal(empty.id, 'docs-empty-one');
  t.equal(empty.title, 'Title');
  const nulls = parseArticle('---\nid:\ncategory: ~\ntags:\n---\n# T\n\nx\n', { file: 'n.md' });
  t.equal(nulls.id, 'n', 'a null id falls back to the path');
  t.equal(nulls.category, undefined);
  t.same(nulls.tags, []);
});

t.test('defaults without front matter', async (t) => {
  const article = parseArticle('# Reset your password\n\nUse the link.\n', { file: 'articles/eshop/Reset Password.md' });
  t.equal(article.id, 'articles-eshop-reset-password', 'id from the path');
  t.equal(article.title, 'Reset your password', 'title from the first H1');
  t.equal(article.language, 'en', 'language defaults to en');
  t.same(article.tags, []);
  t.equal(article.category, undefined);
  t.equal(article.translationOf, undefined);

  t.equal(parseArticle('# T\n\nx\n', { file: 'a.md', defaultLanguage: 'fr' }).language, 'fr', 'defaultLanguage option');
  t.equal(parseArticle('---\nlanguage: de\n---\n# T\n\nx\n', { file: 'a.md', defaultLanguage: 'fr' }).language, 'de', 'front matter beats defaultLanguage');

  const noH1 = parseArticle('Just text, no heading.\n', { file: 'guides/Getting Started.markdown' });
  t.equal(noH1.title, 'Getting Started', 'title falls back to the file name');
  t.equal(noH1.id, 'guides-getting-started');
  t.equal(noH1.sections[0]!.text, 'Just text, no heading.');

  const h2First = parseArticle('## Not a title\n\ntext\n\n# Real title\n\nmore\n', { file: 'x.md' });
  t.equal(h2First.title, 'Real title', 'first H1 even when not the first heading');
});

t.test('idFromPath', async (t) => {
  t.equal(idFromPath('articles/eshop/Refunds Policy.md'), 'articles-eshop-refunds-policy');
  t.equal(idFromPath('A/B.MARKDOWN'), 'a-b');
  t.equal(idFromPath('__Weird__  name!!.md'), 'weird-name');
  t.equal(idFromPath('notes.md.txt'), 'notes-md-txt', 'only a trailing .md is removed');
  t.equal(idFromPath('---.md'), '');
});

t.test('an id that cannot be derived is a coded error', async (t) => {
  const error = thrown(() => parseArticle('# T\n\nx\n', { file: '---.md' }));
  t.equal(error.code, 'ADK_ARTICLE_FIELD_INVALID');
  t.equal(error.details.field, 'id');
  t.equal(error.details.file, '---.md');
});

const guide = [
  '---', //                      1
  'id: guide', //                2
  '---', //                      3
  '# Guide', //                  4
  '', //                         5
  'Intro paragraph.', //         6
  '', //                         7
  '## Install', //               8
  '', //                         9
  'Step one.', //               10
  '', //                        11
  '### On Linux', //            12
  '', //                        13
  'Use apt.', //                14
  '', //                        15
  '#### Debian', //             16
  'Use apt-get.', //            17
  '', //                        18
  '## Install', //              19
  '', //                        20
  'Again.', //                  21
  '', //                        22
  '## Empty heading', //        23
  '## Café & Crème!', //        24
  '', //                        25
  'Last line.', //              26
  '',
].join('\n');

t.test('sections split at headings', async (t) => {
  const article = parseArticle(guide, { file: 'guide.md' });
  const rows = article.sections.map((s) => ({ heading: s.heading, headingPath: s.headingPath, anchor: s.anchor, depth: s.depth, text: s.text }));
  t.same(rows, [
    { heading: 'Guide', headingPath: ['Guide'], anchor: 'guide', depth: 1, text: 'Intro paragraph.' },
    { heading: 'Install', headingPath: ['Guide', 'Install'], anchor: 'install', depth: 2, text: 'Step one.' },
    { heading: 'On Linux', headingPath: ['Guide', 'Install', 'On Linux'], anchor: 'on-linux', depth: 3, text: 'Use apt.' },
    { heading: 'Debian', headingPath: ['Guide', 'Install', 'On Linux', 'Debian'], anchor: 'debian', depth: 4, text: 'Use apt-get.' },
    { heading: 'Install', headingPath: ['Guide', 'Install'], anchor: 'install-1', depth: 2, text: 'Again.' },
    { heading: 'Café & Crème!', headingPath: ['Guide', 'Café & Crème!'], anchor: 'café--crème', depth: 2, text: 'Last line.' },
  ]);
  t.notOk(article.sections.some((s) => s.heading === 'Empty heading'), 'heading-only section skipped');
  for (const section of article.sections) {
    t.equal(section.id, `guide#${section.anchor}`);
    t.equal(section.articleId, 'guide');
    t.equal(section.articleTitle, 'Guide');
    t.match(section.hash, /^[0-9a-f]{64}$/);
  }
  t.equal(new Set(article.sections.map((s) => s.id)).size, article.sections.length, 'section ids are unique');
});

t.test('a deeper heading after a shallower one resets the path', async (t) => {
  const article = parseArticle('# T\n\n### Deep first\n\na\n\n## Two\n\nb\n\n### Three\n\nc\n\n## Four\n\nd\n', { file: 'x.md' });
  t.same(
    article.sections.map((s) => s.headingPath),
    [
      ['T', 'Deep first'],
      ['T', 'Two'],
      ['T', 'Two', 'Three'],
      ['T', 'Four'],
    ],
  );
});

t.test('headings repeating the title get a -1 anchor like GitHub', async (t) => {
  const article = parseArticle('# FAQ\n\nintro\n\n## FAQ\n\nmore\n\n## FAQ\n\nagain\n', { file: 'faq.md' });
  t.same(
    article.sections.map((s) => s.anchor),
    ['faq', 'faq-1', 'faq-2'],
  );
});

t.test('startLine and endLine match the file', async (t) => {
  const article = parseArticle(guide, { file: 'guide.md' });
  const fileLines = lines(guide);
  t.same(
    article.sections.map((s) => [s.startLine, s.endLine]),
    [
      [4, 7],
      [8, 11],
      [12, 15],
      [16, 18],
      [19, 22],
      [24, 26],
    ],
  );
  for (const section of article.sections) {
    t.ok(section.endLine >= section.startLine, `${section.anchor}: end not before start`);
    t.ok(section.endLine <= fileLines.length, `${section.anchor}: endLine ${section.endLine} is inside the ${fileLines.length}-line file`);
    const heading = fileLines[section.startLine - 1]!;
    t.match(heading, /^#{1,6} /, `${section.anchor}: startLine is its heading line`);
    t.ok(heading.endsWith(section.heading), `${section.anchor}: the heading at startLine is "${section.heading}"`);
    const span = fileLines.slice(section.startLine - 1, section.endLine).join('\n');
    for (const textLine of section.text.split('\n')) t.ok(span.includes(textLine), `${section.anchor}: "${textLine}" lies within its lines`);
  }
});

t.test('line numbers with and without a final newline, and with CRLF', async (t) => {
  const body = '# T\n\nintro\n\n## A\n\nalpha\nbeta';
  for (const [name, text] of [
    ['no final newline', body],
    ['final newline', `${body}\n`],
    ['CRLF', `${body}\n`.replace(/\n/g, '\r\n')],
  ] as const) {
    const article = parseArticle(text, { file: 'x.md' });
    t.same(
      article.sections.map((s) => [s.anchor, s.startLine, s.endLine]),
      [
        ['t', 1, 4],
        ['a', 5, 8],
      ],
      name,
    );
    t.equal(article.sections[1]!.text, 'alpha\nbeta', `${name}: text`);
  }
  const lf = parseArticle(`${body}\n`, { file: 'x.md' });
  const crlf = parseArticle(`${body}\n`.replace(/\n/g, '\r\n'), { file: 'x.md' });
  t.same(crlf.sections.map((s) => s.hash), lf.sections.map((s) => s.hash), 'CRLF checkout hashes like LF');
});

t.test('intro text before the first H1 keeps its own section', async (t) => {
  const text = 'Preface.\n\n# Title\n\nBody.\n';
  const article = parseArticle(text, { file: 'p.md' });
  t.equal(article.title, 'Title');
  t.same(
    article.sections.map((s) => [s.heading, s.text, s.startLine, s.endLine]),
    [
      ['Title', 'Preface.', 1, 2],
      ['Title', 'Body.', 3, 5],
    ],
  );
  t.not(article.sections[0]!.id, article.sections[1]!.id, 'distinct ids');
});

t.test('plain text of lists, tables, code and inline markup', async (t) => {
  const article = parseArticle(
    [
      '# T',
      '',
      '## Steps',
      '',
      '1. Open **Settings** and [choose](https://example.com) `Billing`.',
      '2. Select *Refund*.',
      '   - nested item',
      '',
      '## Table',
      '',
      '| Plan | Price |',
      '|------|------:|',
      '| Basic | $5 |',
      '| Pro | $10 |',
      '',
      '## Code',
      '',
      '```sh',
      'npm install answerdesk',
      'answerdesk index ./docs',
      '```',
      '',
      '## Quote',
      '',
      '> Note: keep the receipt.',
      '>',
      '> Second line.',
      '',
      '---',
      '',
      'After rule.',
      '',
    ].join('\n'),
    { file: 't.md' },
  );
  const text = Object.fromEntries(article.sections.map((s) => [s.anchor, s.text]));
  t.equal(text.steps, 'Open Settings and choose Billing.\nSelect Refund. nested item');
  t.equal(text.table, 'Plan | Price\nBasic | $5\nPro | $10');
  t.equal(text.code, 'npm install answerdesk\nanswerdesk index ./docs', 'code kept verbatim without fences');
  t.equal(text.quote, 'Note: keep the receipt.\nSecond line.\nAfter rule.', 'blockquote text, thematic break dropped');
  for (const value of Object.values(text)) {
    t.notMatch(value, /\*\*|`|\]\(|^\s*[-|>]/m, 'no markdown syntax left');
  }
});

t.test('raw HTML never reaches section text', async (t) => {
  const article = parseArticle(
    [
      '# Safe <b>title</b>',
      '',
      'Intro <script>steal()</script> text <img src=x onerror="alert(1)"> end.',
      '',
      '<script>',
      'document.cookie = "evil";',
      '</script>',
      '',
      '## Block <em>html</em>',
      '',
      '<div class="x">',
      'inside div',
      '</div>',
      '',
      'Visible paragraph.',
      '',
      '<!-- internal note for writers -->',
      '',
      '- item <span onclick="x()">with span</span>',
      '',
      '| a | b |',
      '|---|---|',
      '| <script>bad()</script> | ok |',
      '',
      '## Only html',
      '',
      '<iframe src="https://evil.example"></iframe>',
      '',
    ].join('\n'),
    { file: 'html.md' },
  );
  t.equal(article.title, 'Safe title', 'tags dropped from the title');
  const all = article.sections.map((s) => `${s.heading}\n${s.headingPath.join('/')}\n${s.text}`).join('\n');
  t.notMatch(all, /<\s*\/?\s*(script|img|div|span|iframe|b|em)\b/i, 'no HTML tags');
  t.notMatch(all, /document\.cookie|onerror|onclick|internal note|inside div|evil\.example/, 'no content of HTML blocks or attributes');
  const intro = article.sections.find((s) => s.anchor === 'safe-title');
  t.ok(intro, 'intro section exists');
  t.match(intro!.text, /^Intro\b.*\btext\b.*\bend\.$/);
  const block = article.sections.find((s) => s.heading === 'Block html');
  t.ok(block, 'heading text keeps its words without tags');
  t.match(block!.text, /Visible paragraph\./);
  t.match(block!.text, /item with span/);
  t.notOk(article.sections.some((s) => s.heading === 'Only html'), 'a section with only HTML has no text and is skipped');
});

t.test('content hash', async (t) => {
  const first = parseArticle(guide, { file: 'guide.md' });
  const again = parseArticle(guide, { file: 'guide.md' });
  t.same(again.sections.map((s) => s.hash), first.sections.map((s) => s.hash), 'stable for unchanged text');
  for (const section of first.sections) t.equal(section.hash, sectionHash(section.headingPath, section.text));

  const edited = parseArticle(guide.replace('Use apt.', 'Use apt or snap.'), { file: 'guide.md' });
  const byId = (article: typeof first) => new Map(article.sections.map((s) => [s.id, s.hash]));
  const before = byId(first);
  const after = byId(edited);
  t.same([...after.keys()], [...before.keys()], 'same sections');
  for (const [id, hash] of before) {
    if (id === 'guide#on-linux') t.not(after.get(id), hash, 'edited section hash changes');
    else t.equal(after.get(id), hash, `${id} unaffected by an edit elsewhere`);
  }

  const shifted = parseArticle(guide.replace('Intro paragraph.', 'Intro paragraph.\n\nA new second paragraph\nover two lines.'), { file: 'guide.md' });
  const install = shifted.sections.find((s) => s.id === 'guide#install')!;
  t.equal(install.startLine, 11, 'lines moved down');
  t.equal(install.hash, before.get('guide#install'), 'moving a section does not change its hash');
  t.not(shifted.sections[0]!.hash, before.get('guide#guide'), 'the edited intro changes');

  const renamed = parseArticle(guide.replace('### On Linux', '### On Ubuntu'), { file: 'guide.md' });
  t.not(renamed.sections.find((s) => s.heading === 'On Ubuntu')!.hash, before.get('guide#on-linux'), 'a renamed heading changes the hash');
  t.not(sectionHash(['A', 'B'], 'x'), sectionHash(['A B'], 'x'), 'heading path parts are separated');
  t.not(sectionHash(['A'], 'x'), sectionHash(['A'], 'x '), 'hash depends on the text');
});

t.test('invalid YAML names the file line', async (t) => {
  const cases: Array<[string, string[], number]> = [
    ['unclosed flow sequence', ['---', 'id: x', 'title: Y', 'category: c', 'tags: [a, b', '---', '# T', '', 'x'], 5],
    ['duplicate key', ['---', 'id: x', 'title: Y', 'id: z', '---', '# T', '', 'x'], 4],
    ['tab indentation', ['---', 'id: x', '\ttitle: Y', '---', '# T', '', 'x'], 3],
    ['unclosed quote on first line', ['---', 'title: "abc', '---', '# T'], 2],
  ];
  for (const [name, fileLines, line] of cases) {
    for (const eol of ['\n', '\r\n']) {
      const error = thrown(() => parseArticle(fileLines.join(eol), { file: 'kb/bad.md' }));
      const label = `${name} (${eol === '\n' ? 'LF' : 'CRLF'})`;
      t.equal(error.code, 'ADK_FRONTMATTER_INVALID', label);
      t.equal(error.status, 400);
      t.equal(error.details.line, line, `${label}: line ${line} in details`);
      t.equal(error.details.file, 'kb/bad.md');
      t.match(error.message, `Front matter of kb/bad.md is invalid at line ${line}: `, `${label}: message`);
      t.notMatch(error.message, /\{\w+\}/, 'every placeholder filled');
      t.ok(typeof error.details.reason === 'string' && error.details.reason.length > 0, 'a reason');
    }
  }
  const list = thrown(() => parseArticle('---\n- a\n- b\n---\n# T\n', { file: 'list.md' }));
  t.equal(list.code, 'ADK_FRONTMATTER_INVALID', 'a YAML list is not front matter');
  t.match(list.message, /must be a mapping/);
  const scalar = thrown(() => parseArticle('---\njust text\n---\n# T\n', { file: 'scalar.md' }));
  t.equal(scalar.code, 'ADK_FRONTMATTER_INVALID');
});

t.test('wrong field types name the field', async (t) => {
  const cases: Array<[string, string, RegExp]> = [
    ['title: [a, b]', 'title', /must be text/],
    ['title: ""', 'title', /must not be empty/],
    ['category: true', 'category', /must be text/],
    ['category: {a: 1}', 'category', /must be text/],
    ['id: "has space"', 'id', /only letters/],
    ['id: -leading', 'id', /start with a letter or digit/],
    ['language: English', 'language', /language code/],
    ['language: 12', 'language', /language code/],
    ['tags: {a: 1}', 'tags', /list of words/],
    ['tags: [[nested]]', 'tags', /list of words/],
    ['tags: true', 'tags', /list of words/],
    ['translationOf: "two words"', 'translationOf', /id of another article/],
    ['translationOf: [a]', 'translationOf', /must be text/],
  ];
  for (const [yaml, field, reason] of cases) {
    const error = thrown(() => parseArticle(`---\n${yaml}\n---\n# T\n\nx\n`, { file: 'f.md' }));
    t.equal(error.code, 'ADK_ARTICLE_FIELD_INVALID', yaml);
    t.equal(error.details.field, field, `${yaml}: field`);
    t.equal(error.details.file, 'f.md');
    t.match(String(error.details.reason), reason, `${yaml}: reason`);
    t.match(error.message, `Article f.md: field "${field}" `, `${yaml}: message names the field`);
  }
});
