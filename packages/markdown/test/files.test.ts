// Files a careless user has: too large, binary, or not UTF-8. Each is refused (or converted) on its own.
import t from 'tap';
import { open, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readArticles } from '@answerdesk/markdown';

const article = (id: string, title: string, body: string) => `---\nid: ${id}\ntitle: ${title}\nlanguage: de\n---\n\n## ${title}\n\n${body}\n`;

t.test('a file over the size limit is refused before it is read; the others are read', async (t) => {
  const dir = t.testdir({ 'small.md': article('small', 'Klein', 'Kurz.') });
  // 50 MiB of sections, written by a loop (never stored in the repository).
  const big = path.join(dir, 'big.md');
  const handle = await open(big, 'w');
  const chunk = Array.from({ length: 2000 }, (_, i) => `## Section ${i}\n\nSome text about section ${i}, long enough to matter.\n\n`).join('');
  for (let written = 0; written < 50 * 1024 * 1024; written += Buffer.byteLength(chunk)) await handle.write(chunk);
  await handle.close();
  t.ok((await stat(big)).size >= 50 * 1024 * 1024);
  const started = Date.now();
  const { articles, errors } = await readArticles(dir);
  t.ok(Date.now() - started < 5000, `refused at once (${Date.now() - started} ms): parsing 50 MiB of markdown takes minutes`);
  t.same(articles.map((a) => a.id), ['small']);
  t.equal(errors.length, 1);
  t.match(errors[0], { code: 'ADK_FILE_TOO_LARGE', status: 413, details: { file: 'big.md', max: '5 MiB' } });
  t.match(errors[0]!.message, /^big\.md is 50\.\d MiB, over the 5 MiB limit for a markdown article; it was not read\. Split it into smaller files, or raise the limit with --max-file-size/);

  const tight = await readArticles(dir, { maxFileBytes: 10 });
  t.same(tight.articles, [], 'maxFileBytes sets the limit');
  t.same(tight.errors.map((e) => [e.code, e.details.file]), [['ADK_FILE_TOO_LARGE', 'big.md'], ['ADK_FILE_TOO_LARGE', 'small.md']]);
});

t.test('binary files saved as .md are refused with a code', async (t) => {
  const dir = t.testdir({ 'ok.md': article('ok', 'Gut', 'Text.') });
  await writeFile(path.join(dir, 'image.md'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]));
  await writeFile(path.join(dir, 'report.md'), Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'));
  await writeFile(path.join(dir, 'letter.md'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('word/document.xml')]));
  await writeFile(path.join(dir, 'nul.md'), Buffer.from('# Title\n\nText\0\0\0\u0001binary\n'));
  const { articles, errors } = await readArticles(dir);
  t.same(articles.map((a) => a.id), ['ok']);
  t.same(
    errors.map((e) => [e.code, e.details.file]),
    [
      ['ADK_FILE_BINARY', 'image.md'],
      ['ADK_FILE_BINARY', 'letter.md'],
      ['ADK_FILE_BINARY', 'nul.md'],
      ['ADK_FILE_BINARY', 'report.md'],
    ],
  );
  t.match(errors[0]!.message, /^image\.md is not a text file \(it is a PNG image\); it was not read/);
  t.match(errors[1]!.details.reason, /ZIP archive, as Word, Excel and OpenDocument files are/);
  t.match(errors[2]!.details.reason, /NUL bytes/);
  t.match(errors[3]!.details.reason, /PDF document/);
});

t.test('Latin-1, UTF-16 and a UTF-8 byte order mark are read as the text they hold', async (t) => {
  const dir = t.testdir({});
  const text = article('erstattung', 'Rückerstattung', 'Sie erhalten Ihr Geld in fünf Tagen zurück: „Größe“ – 5 €.');
  await writeFile(path.join(dir, 'latin1.md'), Buffer.from(text.replace('„Größe“ – 5 €', 'Größe, 5 Euro'), 'latin1'));
  // Windows-1252: „ “ – € are bytes 0x84 0x93 0x96 0x80.
  const cp1252 = Buffer.from(text.replace('erstattung', 'cp1252').replace('„', '\u0001').replace('“', '\u0002').replace('–', '\u0003').replace('€', '\u0004'), 'latin1').map((b) => ({ 1: 0x84, 2: 0x93, 3: 0x96, 4: 0x80 })[b] ?? b);
  await writeFile(path.join(dir, 'cp1252.md'), cp1252);
  await writeFile(path.join(dir, 'utf16le.md'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('erstattung', 'le'), 'utf16le')]));
  const be = Buffer.from(text.replace('erstattung', 'be'), 'utf16le');
  for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1]!, be[i]!];
  await writeFile(path.join(dir, 'utf16be.md'), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
  await writeFile(path.join(dir, 'bom.md'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace('erstattung', 'bom'))]));
  const { articles, errors, converted } = await readArticles(dir);
  t.same(errors, []);
  const byId = Object.fromEntries(articles.map((a) => [a.id, a]));
  t.same(Object.keys(byId).sort(), ['be', 'bom', 'cp1252', 'erstattung', 'le'], 'front matter read in every encoding (a BOM does not hide the ---)');
  for (const a of articles) t.equal(a.title, 'Rückerstattung', `${a.file}: the title reads right`);
  t.match(byId.erstattung!.sections[0]!.text, /in fünf Tagen zurück: Größe, 5 Euro/);
  t.match(byId.cp1252!.sections[0]!.text, /„Größe“ – 5 €/, 'Windows-1252 quotes, dash and euro sign');
  t.match(byId.le!.sections[0]!.text, /„Größe“ – 5 €/);
  t.match(byId.be!.sections[0]!.text, /„Größe“ – 5 €/);
  t.same(converted, [
    { file: 'cp1252.md', encoding: 'windows-1252' },
    { file: 'latin1.md', encoding: 'windows-1252' },
    { file: 'utf16be.md', encoding: 'utf-16be' },
    { file: 'utf16le.md', encoding: 'utf-16le' },
  ]);
});

t.test('text that is not UTF-8 and not surely Latin-1 is refused with a code that says to save it as UTF-8', async (t) => {
  const dir = t.testdir({});
  // Russian in Windows-1251: not UTF-8, and read as Latin-1 it would be nonsense.
  const cp1251 = Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x2c, 0x20, 0xff, 0x20, 0xf5, 0xee, 0xf7, 0xf3, 0x20, 0xe2, 0xe5, 0xf0, 0xed, 0xf3, 0xf2, 0xfc, 0x20, 0xe4, 0xe5, 0xed, 0xfc, 0xe3, 0xe8, 0x2e, 0x0a]);
  await writeFile(path.join(dir, 'russian.md'), Buffer.concat([Buffer.from('# '), cp1251, cp1251, cp1251]));
  // UTF-16 without a byte order mark.
  await writeFile(path.join(dir, 'no-bom.md'), Buffer.from('# Title\n\nSome text in UTF-16 without a mark.\n', 'utf16le'));
  const { articles, errors } = await readArticles(dir);
  t.same(articles, []);
  t.same(errors.map((e) => [e.code, e.details.file]), [['ADK_FILE_ENCODING_UNSUPPORTED', 'no-bom.md'], ['ADK_FILE_ENCODING_UNSUPPORTED', 'russian.md']]);
  t.match(errors[0]!.details.reason, /UTF-16 without a byte order mark/);
  t.match(errors[1]!.details.reason, /looks like windows-1251/);
  t.match(errors[1]!.message, /^russian\.md is not UTF-8 text \(.*\); it was not read\. Save it as UTF-8/);
});
