import t from 'tap';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chmod, mkdtemp, readFile as realReadFile, rm } from 'node:fs/promises';
import * as realFs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readArticles, listMarkdownFiles } from '@answerdesk/markdown';
import { AnswerdeskError } from '@answerdesk/types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const article = (id: string, title: string, extra = '') => `---\nid: ${id}\ntitle: ${title}\n${extra}---\n\nAbout ${title}.\n\n## Details\n\nMore on ${title}.\n`;

t.test('a folder with one bad file still returns the good ones', async (t) => {
  const dir = t.testdir({
    'good.md': article('good', 'Good one', 'category: billing\n'),
    'bad.md': '---\nid: bad\ntags: [a, b\n---\n# Bad\n\ntext\n',
    sub: { 'also-good.markdown': article('also-good', 'Also good') },
    '.hidden': { 'secret.md': article('secret', 'Secret') },
    node_modules: { 'dep.md': article('dep', 'Dep') },
    'notes.txt': 'not markdown',
  });
  const { articles, errors } = await readArticles(dir);
  t.same(articles.map((a) => a.id).sort(), ['also-good', 'good']);
  t.same(articles.map((a) => a.file).sort(), ['good.md', 'sub/also-good.markdown'], 'paths relative to the folder, with /');
  t.equal(errors.length, 1);
  const error = errors[0]!;
  t.type(error, AnswerdeskError);
  t.equal(error.code, 'ADK_FRONTMATTER_INVALID');
  t.equal(error.details.file, 'bad.md', 'the error names the file');
  t.equal(error.details.line, 3);
  t.match(error.message, /bad\.md/);
  const good = articles.find((a) => a.id === 'good')!;
  t.equal(good.category, 'billing');
  t.same(good.sections.map((s) => s.heading), ['Good one', 'Details']);
});

t.test('a field error is reported per file', async (t) => {
  const dir = t.testdir({
    'a.md': article('a', 'A'),
    'b.md': '---\nid: b\nlanguage: English\n---\n# B\n\nx\n',
  });
  const { articles, errors } = await readArticles(dir);
  t.same(articles.map((a) => a.id), ['a']);
  t.equal(errors.length, 1);
  t.equal(errors[0]!.code, 'ADK_ARTICLE_FIELD_INVALID');
  t.equal(errors[0]!.details.file, 'b.md');
  t.equal(errors[0]!.details.field, 'language');
});

t.test('listMarkdownFiles is sorted and skips dot folders and node_modules', async (t) => {
  const dir = t.testdir({
    'b.md': 'x',
    'A.MD': 'x',
    'c.markdown': 'x',
    'd.mdx': 'x',
    z: { 'y.md': 'x' },
    '.git': { 'x.md': 'x' },
    node_modules: { 'x.md': 'x' },
    '.draft.md': 'x',
  });
  const files = (await listMarkdownFiles(dir)).map((f) => path.relative(dir, f).split(path.sep).join('/'));
  t.same(files, ['A.MD', 'b.md', 'c.markdown', 'z/y.md']);
});

t.test('duplicate ids', async (t) => {
  const dir = t.testdir({
    'a.md': article('shared', 'First'),
    'b.md': article('shared', 'Second'),
    'x-y.md': '# Implicit\n\nid from path\n',
    x: { 'y.md': '# Also implicit\n\nsame id from path\n' },
  });
  const { articles, errors } = await readArticles(dir);
  t.same(articles.map((a) => [a.id, a.file]), [
    ['shared', 'a.md'],
    ['x-y', 'x/y.md'],
  ], 'the first owner keeps the id (files are read in walk order: folder `x` sorts before `x-y.md`)');
  t.same(
    errors.map((e) => [e.code, e.details.id, e.details.file, e.details.other]),
    [
      ['ADK_ARTICLE_ID_DUPLICATE', 'shared', 'b.md', 'a.md'],
      ['ADK_ARTICLE_ID_DUPLICATE', 'x-y', 'x-y.md', 'x/y.md'],
    ],
  );
  t.equal(errors[0]!.status, 409);
  t.match(errors[0]!.message, 'Article id "shared" is used by both b.md and a.md');
});

t.test('missing path', async (t) => {
  const dir = t.testdir({});
  const missing = path.join(dir, 'nope');
  await t.rejects(readArticles(missing), { code: 'ADK_PATH_NOT_FOUND', status: 404, details: { path: missing } });
  const error = await readArticles(missing).catch((e: unknown) => e);
  t.type(error, AnswerdeskError);
  t.match((error as Error).message, missing);
});

t.test('a single file path', async (t) => {
  const dir = t.testdir({ docs: { 'One Article.md': '# One\n\ntext\n' } });
  const { articles, errors } = await readArticles(path.join(dir, 'docs', 'One Article.md'));
  t.same(errors, []);
  t.equal(articles.length, 1);
  t.equal(articles[0]!.file, 'One Article.md');
  t.equal(articles[0]!.id, 'one-article');
  const rooted = await readArticles(path.join(dir, 'docs', 'One Article.md'), { root: dir, defaultLanguage: 'nl' });
  t.equal(rooted.articles[0]!.file, 'docs/One Article.md', 'root option');
  t.equal(rooted.articles[0]!.id, 'docs-one-article');
  t.equal(rooted.articles[0]!.language, 'nl', 'defaultLanguage option');
});

t.test('an empty folder gives nothing and no errors', async (t) => {
  const result = await readArticles(t.testdir({ 'readme.txt': 'x' }));
  t.same(result, { articles: [], errors: [] });
});

t.test('unreadable file (chmod 000)', { skip: isRoot ? 'running as root: chmod 000 does not stop root from reading' : process.platform === 'win32' ? 'no POSIX permissions' : false }, async (t) => {
  const dir = t.testdir({ 'ok.md': '# Ok\n\ntext\n', 'locked.md': '# Locked\n\ntext\n' });
  await chmod(path.join(dir, 'locked.md'), 0o000);
  t.teardown(() => chmod(path.join(dir, 'locked.md'), 0o644));
  const { articles, errors } = await readArticles(dir);
  t.same(articles.map((a) => a.id), ['ok']);
  t.equal(errors.length, 1);
  t.equal(errors[0]!.code, 'ADK_FILE_UNREADABLE');
  t.equal(errors[0]!.details.file, 'locked.md');
});

t.test('unreadable file (read fails with EACCES)', async (t) => {
  const dir = t.testdir({ 'a.md': '# A\n\ntext\n', 'b.md': '# B\n\ntext\n', 'c.md': '# C\n\ntext\n' });
  const { readArticles: mockedRead } = await t.mockImport<typeof import('@answerdesk/markdown')>('@answerdesk/markdown', {
    'node:fs/promises': {
      ...realFs,
      readFile: async (file: string, encoding: BufferEncoding) => {
        if (path.basename(file) === 'b.md') throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
        return realReadFile(file, encoding);
      },
    },
  });
  const { articles, errors } = await mockedRead(dir);
  t.same(articles.map((a) => a.id), ['a', 'c'], 'the other files still load');
  t.equal(errors.length, 1);
  t.equal(errors[0]!.code, 'ADK_FILE_UNREADABLE');
  t.equal(errors[0]!.details.file, 'b.md');
  t.match(String(errors[0]!.details.reason), /EACCES/);
  t.match(errors[0]!.message, /^Cannot read b\.md: EACCES/);
  t.ok(errors[0]!.cause, 'the system error is kept as the cause');
});

t.test('unreadable file (a socket named x.md)', { skip: process.platform === 'win32' ? 'no unix sockets' : false }, async (t) => {
  // A socket's path must fit in 107 bytes: tap's fixture folder under a long checkout path does not.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'adk-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const socketPath = path.join(dir, 'x.md');
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { articles, errors } = await readArticles(socketPath);
  t.same(articles, []);
  t.equal(errors.length, 1);
  t.equal(errors[0]!.code, 'ADK_FILE_UNREADABLE');
  t.equal(errors[0]!.details.file, 'x.md');
});

t.test('the shipped help articles', async (t) => {
  const { articles: read, errors } = await readArticles(path.join(repoRoot, 'docs-content'));
  t.same(errors.map((e) => e.message), [], 'no errors');
  t.notOk(read.some((a) => /(^|\/)readme\.md$/i.test(a.file)), "a folder's README is for writers, not an article");
  const templates = read.filter((a) => a.template);
  const glossaries = read.filter((a) => a.glossary);
  const articles = read.filter((a) => !a.template && !a.glossary);
  t.ok(templates.length >= 40 && templates.every((a) => a.file.startsWith('templates/')), `reply templates are read as templates (${templates.length})`);
  t.same(glossaries.map((a) => [a.file, a.language, a.glossary?.into]).sort(), [['glossary/de.md', 'de', 'en'], ['glossary/it.md', 'it', 'en'], ['glossary/ru.md', 'ru', 'en']], 'glossaries are read as glossaries');
  for (const glossary of glossaries) t.ok(glossary.glossary!.rows.length >= 300, `${glossary.file}: ${glossary.glossary!.rows.length} rows`);
  t.ok(articles.length >= 40, `at least 40 articles (got ${articles.length})`);
  t.equal(new Set(read.map((a) => a.id)).size, read.length, 'unique ids');
  for (const a of articles) {
    t.ok(a.category, `${a.file}: has a category`);
    t.ok(a.sections.length >= 2, `${a.file}: has at least 2 sections (got ${a.sections.length})`);
    t.match(a.file, /^articles\/.+\.md$/);
    for (const s of a.sections) {
      t.ok(s.text.length > 0 && !/<script/i.test(s.text), `${s.id}: text present, no script`);
    }
  }
});
