// A replay of the probe of issue 15: files a careless user has, and exit codes a script can trust.
// Plumbing only, so a deterministic hashing encoder stands in for the model.
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { HashingEncoder } from '@answerdesk/core';
import { EXIT, run, type Io } from '@answerdesk/cli';

interface Ran {
  code: number;
  out: string;
  err: string;
  json: () => any;
}

async function cli(args: string[], extra: Partial<Io> = {}): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), env: {}, tty: false, encoder: () => new HashingEncoder(), ...extra };
  const code = await run(args, io);
  return { code, out: out.join(''), err: err.join(''), json: () => JSON.parse(out.join('')) };
}

const article = (id: string, title: string, body: string, language = 'en') => `---\nid: ${id}\ntitle: ${title}\nlanguage: ${language}\n---\n\n## ${title}\n\n${body}\n`;
const ticket = (i: number, category = i % 3 === 0 ? 'fraud' : i % 3 === 1 ? 'billing' : 'delivery') =>
  JSON.stringify({ id: `T-${i}`, subject: `Subject ${i}`, body: `My order ${i} has a problem with ${category}`, resolution: `Resolved ${i}`, category, queue: category === 'fraud' ? 'security' : 'customer-care' });

/** 50 rows, 3 of them bad (lines 10, 25 and 40). */
function jsonl50(): string {
  const lines = Array.from({ length: 50 }, (_, i) => ticket(i + 1));
  lines[9] = '{"id": "T-10", broken';
  lines[24] = JSON.stringify({ id: 'T-25', subject: 'no resolution' });
  lines[39] = JSON.stringify({ subject: 'no id', resolution: 'r' });
  return lines.join('\n') + '\n';
}

/** 5 rows; the one on line 3 has a quote that is never closed. */
const brokenCsv = ['id,subject,body,resolution,category', 'C-1,Refund,I want my money back,Refunded,billing', 'C-2,"Broken quote,body,res,billing', 'C-3,Late,"Where is', 'my parcel?",On its way,delivery', 'C-4,Card,Someone used my card,Blocked,fraud', 'C-5,Invoice,Need an invoice,Sent,billing'].join('\n') + '\n';

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(256, 3)]);
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(256, 0)]);

/** A markdown file of `mib` MiB, written by a loop (never kept in the repository). */
async function bigMarkdown(file: string, mib: number): Promise<void> {
  const handle = await open(file, 'w');
  await handle.write('---\nid: huge\ntitle: Huge\n---\n\n');
  const chunk = Array.from({ length: 1000 }, (_, i) => `## Section ${i}\n\nA paragraph of section ${i} that says little.\n\n`).join('');
  for (let written = 0; written < mib * 1024 * 1024; written += Buffer.byteLength(chunk)) await handle.write(chunk);
  await handle.close();
}

t.test('index: the probe\'s bad files are refused one by one with a code, the rest is indexed, exit 3', async (t) => {
  const dir = t.testdir({
    kb: {
      'good.md': article('good', 'Refunds', 'Refunds reach your card within 5 working days.'),
      tickets: { 'broken.csv': brokenCsv, 'export.jsonl': jsonl50() },
    },
  });
  const kb = path.join(dir, 'kb');
  await bigMarkdown(path.join(kb, 'huge.md'), 50);
  await writeFile(path.join(kb, 'image.md'), png);
  await writeFile(path.join(kb, 'tickets', 'report.csv'), pdf);
  await writeFile(path.join(kb, 'latin1.md'), Buffer.from(article('erstattung', 'Rückerstattung', 'Wie bekomme ich eine Rückerstattung? Sie erhalten Ihr Geld zurück.', 'de'), 'latin1'));
  await writeFile(path.join(kb, 'utf16.md'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(article('groesse', 'Größentabelle', 'Die Größe steht auf dem Etikett.', 'de'), 'utf16le')]));
  const store = path.join(dir, 'store');

  const started = Date.now();
  const indexed = await cli(['--store', store, 'index', kb, '--json', '--no-train']);
  t.ok(Date.now() - started < 60_000, `done in ${Date.now() - started} ms (the probe's 50 MB file crashed after 176 s)`);
  t.equal(indexed.code, EXIT.partial, indexed.err);
  const report = indexed.json();
  t.match(report, { articles: 3, tickets: 47 + 4 });
  const errors = report.errors.map((e: any) => [e.code, String(e.details.file).split('/').pop(), e.details.line]);
  t.same(
    errors,
    [
      ['ADK_FILE_TOO_LARGE', 'huge.md', undefined],
      ['ADK_FILE_BINARY', 'image.md', undefined],
      ['ADK_TICKET_INVALID', 'broken.csv', 3],
      ['ADK_TICKET_INVALID', 'export.jsonl', 10],
      ['ADK_TICKET_INVALID', 'export.jsonl', 25],
      ['ADK_TICKET_INVALID', 'export.jsonl', 40],
      ['ADK_FILE_BINARY', 'report.csv', undefined],
    ],
    'every bad file and row, with its code (and line)',
  );
  t.match(report.errors[0].message, /^huge\.md is 50\.\d MiB, over the 5 MiB limit for a markdown article; it was not read\./);
  t.match(indexed.err, /7 file\(s\) or row\(s\) rejected \(see above\), 54 accepted: exit status 3\./);

  const german = await cli(['--store', store, 'search', 'Rückerstattung', '--mode', 'lexical', '--json']);
  t.equal(german.code, EXIT.ok);
  t.match(german.json().hits[0], { id: /^erstattung#/, source: { title: 'Rückerstattung' }, excerpt: /Sie erhalten Ihr Geld zurück/ }, 'the Latin-1 file reads right');
  const utf16 = await cli(['--store', store, 'search', 'Größe Etikett', '--mode', 'lexical', '--json']);
  t.match(utf16.json().hits[0], { id: /^groesse#/, source: { title: 'Größentabelle' } }, 'the UTF-16 file reads right');

  // Raising the limit is an option; a size that is not a size is a usage error.
  const tight = await cli(['--store', store, '--max-file-size', '100', 'index', path.join(kb, 'good.md'), '--json']);
  t.equal(tight.code, EXIT.error, 'the only file refused: nothing indexed, exit 1');
  t.match(tight.json().errors, [{ code: 'ADK_FILE_TOO_LARGE', message: /over the 100 bytes limit/ }]);
  t.equal((await cli(['--max-file-size', 'huge', 'index', kb])).code, EXIT.usage);
});

t.test('tickets add: partial imports exit 3, nothing imported exits 1', async (t) => {
  const dir = t.testdir({
    'export.jsonl': jsonl50(),
    'broken.csv': brokenCsv,
    'all-bad.jsonl': ['{"id": "A"}', 'not json', JSON.stringify({ id: 'B', subject: 's' })].join('\n'),
  });
  await writeFile(path.join(dir, 'sheet.csv'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64)]));
  const store = path.join(dir, 'store');

  const jsonl = await cli(['--store', store, 'tickets', 'add', path.join(dir, 'export.jsonl'), '--json']);
  t.equal(jsonl.code, EXIT.partial);
  t.match(jsonl.json(), { read: 47, updated: 47 });
  t.same(jsonl.json().errors.map((e: any) => e.details.line), [10, 25, 40]);
  t.match(jsonl.err, /3 row\(s\) rejected \(see above\), 47 accepted: exit status 3\./);

  const csv = await cli(['--store', store, 'tickets', 'add', path.join(dir, 'broken.csv')]);
  t.equal(csv.code, EXIT.partial);
  t.match(csv.out, /Added 4 new or changed tickets/, 'the rows around the broken quote are imported');
  // Its quote is closed by the next odd quote (line 4), too late: line 3 is rejected, line 4 read again as a row of its own.
  t.match(csv.out, /ADK_TICKET_INVALID: broken\.csv:3: ticket rejected: a quote opened on this line is not closed where its field ends/);

  const none = await cli(['--store', store, 'tickets', 'add', path.join(dir, 'all-bad.jsonl')]);
  t.equal(none.code, EXIT.error, 'every row rejected: exit 1');
  t.match(none.err, /All 3 row\(s\) rejected \(see above\), nothing accepted: exit status 1\./);

  const binary = await cli(['--store', store, 'tickets', 'add', path.join(dir, 'sheet.csv')]);
  t.equal(binary.code, EXIT.error);
  t.match(binary.err, /^error ADK_FILE_BINARY: sheet\.csv is not a text file \(it is a ZIP archive/);

  const stdin = await cli(['--store', store, 'tickets', 'add', '-', '--json'], { stdin: Readable.from([Buffer.from(`${ticket(900)}\nnot json\n${ticket(901)}\n`)]) });
  t.equal(stdin.code, EXIT.partial);
  t.match(stdin.json(), { read: 2, errors: [{ code: 'ADK_TICKET_INVALID', details: { file: '<stdin>', line: 2 } }] });

  const rm = await cli(['--store', store, 'tickets', 'rm', 'T-1', 'T-404']);
  t.equal(rm.code, EXIT.partial, 'one id removed, one not there');
  t.equal((await cli(['--store', store, 'tickets', 'rm', 'T-404'])).code, EXIT.error);
});

t.test('publish: a refused file exits 3 (its article left as it was), every file refused exits 1', async (t) => {
  const dir = t.testdir({ articles: { 'a.md': article('a', 'A', 'Text a.'), 'b.md': article('b', 'B', 'Text b.') }, bad: {} });
  await writeFile(path.join(dir, 'articles', 'scan.md'), png);
  await writeFile(path.join(dir, 'bad', 'scan.md'), png);
  const store = path.join(dir, 'store');
  const some = await cli(['--store', store, 'publish', path.join(dir, 'articles')]);
  t.equal(some.code, EXIT.partial);
  t.match(some.out, /Published: 2 new/);
  t.match(some.out, /! ADK_FILE_BINARY: scan\.md is not a text file \(it is a PNG image\)/);
  const none = await cli(['--store', store, 'publish', path.join(dir, 'bad'), '--json']);
  t.equal(none.code, EXIT.error);
  t.match(none.json(), { errors: [{ code: 'ADK_FILE_BINARY' }] });
});

t.test('batch: every line failing exits 1, some exits 3, none 0', async (t) => {
  const dir = t.testdir({
    kb: { 'a.md': article('a', 'Refunds', 'Refunds reach your card within 5 working days.') },
    'all-bad.jsonl': ['not json', '{"text": "no id"}', '[1, 2]', JSON.stringify({ id: 'e', text: '' })].join('\n'),
    'some-bad.jsonl': [JSON.stringify({ id: 'q1', text: 'refund to my card' }), 'not json'].join('\n'),
    'good.jsonl': JSON.stringify({ id: 'q1', text: 'refund to my card' }),
  });
  const store = path.join(dir, 'store');
  t.equal((await cli(['--store', store, 'index', path.join(dir, 'kb')])).code, EXIT.ok);
  for (const command of ['search', 'suggest']) {
    const all = await cli(['--store', store, command, '--input', path.join(dir, 'all-bad.jsonl'), '--json']);
    t.equal(all.code, EXIT.error, `${command}: every line failed`);
    t.equal(all.out.trim().split('\n').length, 4, `${command}: one error line out per line in`);
    t.match(all.err, /All 4 batch line\(s\) rejected \(see above\), nothing accepted: exit status 1\./);
  }
  const some = await cli(['--store', store, 'search', '--input', path.join(dir, 'some-bad.jsonl'), '--json']);
  t.equal(some.code, EXIT.partial);
  const good = await cli(['--store', store, 'search', '--input', path.join(dir, 'good.jsonl'), '--json']);
  t.equal(good.code, EXIT.ok);
  t.equal(good.err, '');
  const binary = await cli(['--store', store, 'search', '--input', '-', '--json'], { stdin: Readable.from([pdf]) });
  t.equal(binary.code, EXIT.error);
  t.match(binary.err, /^error ADK_FILE_BINARY: <stdin> is not a text file \(it is a PDF document\)/);
});

t.test('--store on a regular file, or on a folder of other files, is "not a store"', async (t) => {
  const dir = t.testdir({ 'notes.txt': 'my notes', documents: { 'cv.pdf': 'x', 'taxes.xlsx': 'x' }, kb: { 'a.md': article('a', 'A', 'Text.'), 't.jsonl': ticket(1) } });
  for (const [store, args] of [
    [path.join(dir, 'notes.txt'), ['index', path.join(dir, 'kb')]],
    [path.join(dir, 'notes.txt'), ['search', 'refund']],
    [path.join(dir, 'notes.txt'), ['tickets', 'add', path.join(dir, 'kb', 't.jsonl')]],
    [path.join(dir, 'notes.txt'), ['doctor']],
    [path.join(dir, 'notes.txt'), ['reindex']],
    [path.join(dir, 'documents'), ['index', path.join(dir, 'kb')]],
  ] as const) {
    const ran = await cli(['--store', store, ...args]);
    t.equal(ran.code, EXIT.error, `${path.basename(store)} ${args[0]}`);
    t.match(ran.err, /^error ADK_STORE_NOT_A_STORE: .* is not an Answerdesk store: it is (a file, not a folder|a folder of other files \(cv\.pdf, taxes\.xlsx\) with no store in it)\. Pass --store a new or empty folder/, `${path.basename(store)} ${args[0]}: coded`);
    t.notMatch(ran.err + ran.out, /damaged/);
  }
});

t.test('routing rules naming a category no categorizer knows: a warning, or with --strict a coded error', async (t) => {
  const dir = t.testdir({
    'tickets.jsonl': Array.from({ length: 12 }, (_, i) => ticket(i + 1)).join('\n'),
    'rules.yaml': 'version: 1\nrules:\n  - name: card-fraud\n    when: { category: fruad }\n    then: { queue: security }\n  - name: rest\n    then: { queue: customer-care }\n',
    'good.yaml': 'version: 1\nrules:\n  - name: card-fraud\n    when: { category: fraud, language: en }\n    then: { queue: security }\n',
  });
  const store = path.join(dir, 'store');
  const indexed = await cli(['--store', store, 'index', path.join(dir, 'tickets.jsonl'), '--train', 'category,queue']);
  t.equal(indexed.code, EXIT.ok, indexed.err);
  t.match(indexed.out, /categorizers trained from the tickets: category, queue/);
  const message = 'Someone used my card for three orders I never made';

  const warned = await cli(['--store', store, 'triage', message, '--rules', path.join(dir, 'rules.yaml'), '--no-suggest']);
  t.equal(warned.code, EXIT.ok, 'a warning does not fail the command');
  t.match(warned.err, /^warning: routing rules .*rules\.yaml: rule 1 "card-fraud": when\.category names category "fruad", which this knowledge base does not know \(did you mean "fraud"\?\); known categories: billing, delivery, fraud$/m);
  t.match(warned.out, /^Route: /m, 'and the message is still triaged');

  const strict = await cli(['--store', store, 'triage', message, '--rules', path.join(dir, 'rules.yaml'), '--no-suggest', '--strict']);
  t.equal(strict.code, EXIT.error);
  t.match(strict.err, /^error ADK_RULES_LABEL_UNKNOWN: Routing rules .*rules\.yaml name 1 value\(s\) this knowledge base does not know, first rule 1 "card-fraud", field "when\.category": "fruad" \(did you mean "fraud"\?\); known: billing, delivery, fraud\./m);
  t.equal(strict.out, '', 'nothing triaged');

  const good = await cli(['--store', store, 'triage', message, '--rules', path.join(dir, 'good.yaml'), '--no-suggest', '--strict']);
  t.equal(good.code, EXIT.ok, good.err);
  t.notMatch(good.err, /warning/);

  // serve warns too, once the knowledge base is loaded.
  const stop = new AbortController();
  const err: string[] = [];
  const serving = run(['--store', store, 'serve', '--port', '0', '--rules', path.join(dir, 'rules.yaml')], { stdout: () => undefined, stderr: (s) => void err.push(s), env: {}, tty: false, stop: stop.signal, encoder: () => new HashingEncoder() });
  const deadline = Date.now() + 30_000;
  while (!/warning: routing rules/.test(err.join('')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  stop.abort();
  t.equal(await serving, EXIT.ok);
  t.match(err.join(''), /^warning: routing rules .*rules\.yaml: rule 1 "card-fraud": when\.category names category "fruad".*did you mean "fraud"/m, 'serve --rules warns');
});

t.test('progress off a terminal: plain lines on stderr, unless --no-progress', async (t) => {
  const dir = t.testdir({ kb: { 'a.md': article('a', 'A', 'Text.'), 't.jsonl': [1, 2, 3].map((i) => ticket(i)).join('\n') } });
  const lines = await cli(['--store', path.join(dir, 's1'), 'index', path.join(dir, 'kb'), '--json'], { progressIntervalMs: 0 });
  t.equal(lines.code, EXIT.ok);
  t.match(lines.err, /^Reading files: \d+\.\d MiB of \d+\.\d MiB \(\d+\.\d%\), \d+ s so far/m);
  t.match(lines.err, /^Embedding: \d+\/\d+ \(\d+\.\d%\)/m);
  JSON.parse(lines.out); // stdout stays one JSON report
  const quiet = await cli(['--no-progress', '--store', path.join(dir, 's2'), 'index', path.join(dir, 'kb')], { progressIntervalMs: 0 });
  t.equal(quiet.code, EXIT.ok);
  t.equal(quiet.err, '');
  const quick = await cli(['--store', path.join(dir, 's3'), 'index', path.join(dir, 'kb')]);
  t.equal(quick.err, '', 'a command shorter than the interval prints no progress');
});

t.test('--help documents the exit codes', async (t) => {
  const help = await cli(['--help']);
  t.equal(help.code, EXIT.ok);
  t.match(help.out, /Exit codes:\n {2}0 {3}done\n {2}1 {3}error .*\n {2}2 {3}bad command line\n {2}3 {3}done with rejections/);
  t.match(help.out, /--max-file-size <size>/);
  t.same(EXIT, { ok: 0, error: 1, usage: 2, partial: 3, internal: 70 });
});
