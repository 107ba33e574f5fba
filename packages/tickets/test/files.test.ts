// Ticket exports a careless user has: big, binary, not UTF-8, with broken rows. Read as a stream, row by row.
import t from 'tap';
import { Readable } from 'node:stream';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  LineSplitter,
  decodeText,
  formatBytes,
  parseByteSize,
  readLabeled,
  readTickets,
  readTicketsJsonlStream,
  sniffBytes,
} from '@answerdesk/tickets';

const row = (i: number, extra: Record<string, unknown> = {}) => JSON.stringify({ id: `T-${i}`, subject: `Subject ${i}`, body: `Body ${i}`, resolution: `Resolved ${i}`, category: i % 2 ? 'billing' : 'delivery', ...extra });

t.test('a JSONL export with 3 bad rows of 50: 47 tickets, 3 errors at their lines', async (t) => {
  const lines = Array.from({ length: 50 }, (_, i) => row(i + 1));
  lines[9] = '{"id":"T-10", "subject": broken json';
  lines[24] = JSON.stringify({ id: 'T-25', subject: 'no resolution' });
  lines[49] = JSON.stringify({ id: 'T-1', subject: 'again', body: 'b', resolution: 'r' });
  const dir = t.testdir({ 'export.jsonl': lines.join('\r\n') + '\r\n' });
  const read = await readTickets(path.join(dir, 'export.jsonl'));
  t.equal(read.tickets.length, 47);
  t.same(read.errors.map((e) => [e.code, e.details.line]), [['ADK_TICKET_INVALID', 10], ['ADK_TICKET_INVALID', 25], ['ADK_TICKET_ID_DUPLICATE', 50]]);
  t.equal(read.encoding, 'utf-8');
  t.equal(read.tickets[0]!.resolution, 'Resolved 1', 'no stray \\r');
});

t.test('a big export is streamed, with progress in bytes', async (t) => {
  const dir = t.testdir({});
  const file = path.join(dir, 'big.jsonl');
  const handle = await open(file, 'w');
  const batch = Array.from({ length: 1000 }, (_, i) => row(i)).join('\n') + '\n';
  for (let n = 0; n < 30; n++) await handle.write(batch.replaceAll('"id":"T-', `"id":"B${n}-`));
  await handle.close();
  const seen: number[] = [];
  let total = 0;
  const read = await readTickets(file, { onProgress: (done, size) => (seen.push(done), (total = size)) });
  t.equal(read.tickets.length, 30_000);
  t.same(read.errors, []);
  t.ok(seen.length > 3, `several progress reports (${seen.length})`);
  t.ok(seen.every((v, i) => i === 0 || v >= seen[i - 1]!), 'progress only grows');
  t.equal(seen.at(-1), total, 'and ends at the file size');

  await t.rejects(readTickets(file, { maxBytes: 1024 * 1024 }), { code: 'ADK_FILE_TOO_LARGE', status: 413, message: /^big\.jsonl is \d+\.\d MiB, over the 1 MiB limit for a ticket export; it was not read/ });
});

t.test('a CSV export with one broken quote: the other rows import, the bad row is reported at its line', async (t) => {
  const csv = ['id,subject,body,resolution', 'T-1,s,b,r', 'T-2,"broken quote,b,r', 'T-3,s,"two', 'lines",r', 'T-4,s,b,r'].join('\n');
  const dir = t.testdir({ 'export.csv': csv });
  const read = await readTickets(path.join(dir, 'export.csv'));
  t.same(read.tickets.map((x) => x.id), ['T-1', 'T-3', 'T-4']);
  t.equal(read.tickets[1]!.body, 'two\nlines');
  t.same(read.errors.map((e) => [e.code, e.details.line]), [['ADK_TICKET_INVALID', 3]]);
  t.match(read.errors[0]!.message, /^export\.csv:3: ticket rejected: a quote opened on this line is not closed where its field ends/, 'the next odd quote (line 4) closed it, too late');
});

t.test('binary exports are refused; Latin-1 and UTF-16 exports are converted', async (t) => {
  const dir = t.testdir({});
  await writeFile(path.join(dir, 'sheet.csv'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('xl/workbook.xml')]));
  await writeFile(path.join(dir, 'dump.jsonl'), Buffer.concat([Buffer.from('{"id":"T-1"}\n'), Buffer.alloc(100)]));
  await t.rejects(readTickets(path.join(dir, 'sheet.csv')), { code: 'ADK_FILE_BINARY', message: /sheet\.csv is not a text file \(it is a ZIP archive.*export its content as text \(a \.jsonl or \.csv export saved as text\)/ });
  await t.rejects(readTickets(path.join(dir, 'dump.jsonl')), { code: 'ADK_FILE_BINARY', details: { reason: /NUL bytes/ } });

  const csv = 'id,subject,body,resolution,category\nT-1,Rückerstattung,Wo bleibt mein Geld? Größe 42,Überwiesen,refund\n';
  await writeFile(path.join(dir, 'latin1.csv'), Buffer.from(csv, 'latin1'));
  const latin = await readTickets(path.join(dir, 'latin1.csv'));
  t.same(latin.errors, []);
  t.equal(latin.encoding, 'windows-1252');
  t.match(latin.tickets[0], { subject: 'Rückerstattung', body: 'Wo bleibt mein Geld? Größe 42', resolution: 'Überwiesen' });

  await writeFile(path.join(dir, 'utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]));
  const utf16 = await readTickets(path.join(dir, 'utf16.csv'));
  t.equal(utf16.encoding, 'utf-16le');
  t.match(utf16.tickets[0], { id: 'T-1', subject: 'Rückerstattung' }, 'the byte order mark is not part of the first column name');

  await writeFile(path.join(dir, 'bom.jsonl'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(row(1) + '\n')]));
  t.equal((await readTickets(path.join(dir, 'bom.jsonl'))).tickets.length, 1, 'a UTF-8 byte order mark is dropped');

  // Labeled files for train and eval are read the same way.
  const labeled = await readLabeled(path.join(dir, 'latin1.csv'), 'category');
  t.same(labeled.messages, [{ id: 'T-1', text: 'Rückerstattung\nWo bleibt mein Geld? Größe 42', label: 'refund' }]);
  t.equal(labeled.encoding, 'windows-1252');
});

t.test('Latin-1 found late in a big export is converted; an export mixing UTF-8 and Latin-1 is refused', async (t) => {
  const dir = t.testdir({});
  const ascii = Array.from({ length: 8000 }, (_, i) => row(i)).join('\n') + '\n'; // about 800 KiB before the first Latin-1 byte
  const late = Buffer.concat([Buffer.from(ascii), Buffer.from(row(9000, { subject: 'Rückerstattung' }) + '\n', 'latin1')]);
  await writeFile(path.join(dir, 'late.jsonl'), late);
  const read = await readTickets(path.join(dir, 'late.jsonl'));
  t.equal(read.encoding, 'windows-1252');
  t.equal(read.tickets.length, 8001);
  t.equal(read.tickets.at(-1)!.subject, 'Rückerstattung');

  const mixed = Buffer.concat([Buffer.from(row(1, { subject: 'Größe' }) + '\n'), Buffer.from(ascii), Buffer.from(row(9000, { subject: 'Rückerstattung' }) + '\n', 'latin1')]);
  await writeFile(path.join(dir, 'mixed.jsonl'), mixed);
  await t.rejects(readTickets(path.join(dir, 'mixed.jsonl')), { code: 'ADK_FILE_ENCODING_UNSUPPORTED', message: /mixed\.jsonl is not UTF-8 text \(it mixes UTF-8 with another encoding\).*Save it as UTF-8/ });
  t.throws(() => decodeText(Buffer.concat([Buffer.from('Größe '), Buffer.from('Rückerstattung', 'latin1')]), 'small.md'), { code: 'ADK_FILE_ENCODING_UNSUPPORTED', details: { reason: /mixes UTF-8/ } });
});

t.test('standard input: read line by line, characters split across chunks, binary refused', async (t) => {
  const bytes = Buffer.from([row(1, { subject: 'Größe 😀' }), 'not json', row(2)].join('\n'));
  // One byte at a time: every multi-byte character is split between chunks.
  const chunks = [...bytes].map((b) => Buffer.from([b]));
  const read = await readTicketsJsonlStream(Readable.from(chunks), '<stdin>');
  t.same(read.tickets.map((x) => [x.id, x.subject]), [['T-1', 'Größe 😀'], ['T-2', 'Subject 2']]);
  t.same(read.errors.map((e) => [e.details.file, e.details.line]), [['<stdin>', 2]]);
  await t.rejects(readTicketsJsonlStream(Readable.from([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0])]), '<stdin>'), { code: 'ADK_FILE_BINARY', details: { reason: /gzip/ } });
  await t.rejects(readTicketsJsonlStream(Readable.from([Buffer.from('{"id":"T-1","subject":"R'), Buffer.from([0xfc]), Buffer.from('ck"}\n')]), '<stdin>'), { code: 'ADK_FILE_ENCODING_UNSUPPORTED' });
});

t.test('helpers: sniffing, decoding, line splitting, sizes', async (t) => {
  t.same(sniffBytes(Buffer.from('plain text')), { encoding: 'utf-8', bom: 0 });
  t.same(sniffBytes(Buffer.from([0xff, 0xfe, 0x00, 0x00])), { unsupported: 'it is UTF-32' });
  t.match(sniffBytes(Buffer.from('SQLite format 3\0')), { binary: /SQLite/ });
  t.throws(() => decodeText(Buffer.from([0x41, 0x81, 0x42]), 'x.md'), { code: 'ADK_FILE_ENCODING_UNSUPPORTED' }, 'a byte Windows-1252 leaves unused: not Latin-1');
  // The detector ranks Turkish ISO-8859-9 first here; these bytes read the same in Windows-1252, so the text is sure.
  t.equal(decodeText(Buffer.from('Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade', 'latin1')).text, 'Café crème brûlée, naïve façade');

  const splitter = new LineSplitter('any');
  const lines = [...splitter.push('a,b\r'), ...splitter.push('\nc,d\re,f\n'), ...splitter.push('g'), ...splitter.end()];
  t.same(lines.map((l) => [l.line, l.text, l.end]), [[1, 'a,b', '\r\n'], [2, 'c,d', '\r'], [3, 'e,f', '\n'], [4, 'g', '']], 'a CRLF split between chunks is one line break');

  t.equal(parseByteSize('5MB'), 5 * 1024 * 1024);
  t.equal(parseByteSize('512 KiB'), 512 * 1024);
  t.equal(parseByteSize('1g'), 1024 ** 3);
  t.equal(parseByteSize('2048'), 2048);
  t.equal(parseByteSize('five'), undefined);
  t.equal(formatBytes(5 * 1024 * 1024), '5 MiB');
  t.equal(formatBytes(812), '812 bytes');
});
