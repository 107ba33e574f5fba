import t from 'tap';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTickets, ticketFormatOf, validateTicket } from '@answerdesk/tickets';
import { AnswerdeskError } from '@answerdesk/types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

t.test('ticketFormatOf', async (t) => {
  t.equal(ticketFormatOf('a/b.jsonl'), 'jsonl');
  t.equal(ticketFormatOf('B.NDJSON'), 'jsonl');
  t.equal(ticketFormatOf('x.CSV'), 'csv');
  t.equal(ticketFormatOf('x.json'), undefined);
  t.equal(ticketFormatOf('x.csv.bak'), undefined);
});

t.test('readTickets reads JSONL and CSV files', async (t) => {
  const dir = t.testdir({
    exports: {
      'a.jsonl': '{"id":"J1","subject":"s","resolution":"r"}\n\n{"id":"J2","body":"b"}\n',
      'b.ndjson': '{"id":"N1","subject":"s","resolution":"r"}\n',
      'c.csv': 'id,subject,body,resolution\nC1,s,"two\nlines",r\nC2,s,b,\n',
    },
  });
  const jsonl = await readTickets(path.join(dir, 'exports', 'a.jsonl'));
  t.same(jsonl.tickets.map((x) => x.id), ['J1']);
  t.same(jsonl.errors.map((e) => [e.code, e.details.file, e.details.line]), [['ADK_TICKET_INVALID', 'a.jsonl', 3]], 'file relative to its folder');
  t.same((await readTickets(path.join(dir, 'exports', 'b.ndjson'))).tickets.map((x) => x.id), ['N1']);
  const csv = await readTickets(path.join(dir, 'exports', 'c.csv'), { root: dir });
  t.same(csv.tickets.map((x) => [x.id, x.body]), [['C1', 'two\nlines']]);
  t.same(csv.errors.map((e) => [e.code, e.details.file, e.details.line]), [['ADK_TICKET_INVALID', 'exports/c.csv', 4]], 'root option');
  t.match(csv.errors[0]!.message, /^exports\/c\.csv:4: ticket rejected: missing "resolution"/);
});

t.test('the CSV fixture (BOM, CRLF, multi-line body, extra columns)', async (t) => {
  const { tickets, errors } = await readTickets(path.join(fixtures, 'tickets.csv'));
  t.same(
    errors.map((e) => [e.code, e.details.line]),
    [
      ['ADK_TICKET_INVALID', 7],
      ['ADK_TICKET_ID_DUPLICATE', 8],
    ],
  );
  t.equal(errors[1]!.details.other, 'line 2');
  t.same(tickets.map((x) => x.id), ['CSV-1', 'CSV-2']);
  t.same(tickets[0]!.body.split(/\r?\n/), ['Hi,', 'my parcel "BC-1" is late.', 'Thanks'], 'quoted body kept whole, quotes unescaped');
  t.same(tickets[0]!.tags, ['delivery', 'late']);
  t.same(tickets[0]!.fields, { channel: 'email', customerTier: 'gold' });
  t.equal(tickets.length + errors.length, 4, 'four rows, none dropped');
});

t.test('unknown extension', async (t) => {
  const dir = t.testdir({ 'tickets.json': '[]', 'tickets.txt': 'x' });
  for (const name of ['tickets.json', 'tickets.txt', 'missing.xlsx']) {
    const error = await readTickets(path.join(dir, name)).catch((e: unknown) => e);
    t.type(error, AnswerdeskError, name);
    t.equal((error as AnswerdeskError).code, 'ADK_TICKET_FORMAT_UNKNOWN', name);
    t.equal((error as AnswerdeskError).details.file, name);
    t.match((error as AnswerdeskError).message, /use a \.jsonl .* or \.csv file/);
  }
});

t.test('missing file', async (t) => {
  const dir = t.testdir({});
  const missing = path.join(dir, 'nope.jsonl');
  await t.rejects(readTickets(missing), { code: 'ADK_PATH_NOT_FOUND', status: 404, details: { path: missing } });
  await t.rejects(readTickets(path.join(dir, 'no-dir', 'nope.csv')), { code: 'ADK_PATH_NOT_FOUND' });
});

t.test('a folder with a ticket extension is unreadable', async (t) => {
  const dir = t.testdir({ 'folder.jsonl': {} });
  await t.rejects(readTickets(path.join(dir, 'folder.jsonl')), { code: 'ADK_FILE_UNREADABLE', details: { file: 'folder.jsonl' } });
});

t.test('validateTicket', async (t) => {
  t.same(validateTicket({ id: 'a', subject: 's', resolution: 'r', tags: '', fields: '' }), { ok: true, ticket: { id: 'a', subject: 's', body: '', resolution: 'r' } }, 'empty CSV cells for tags and fields');
  t.same(validateTicket({ id: 'a', subject: 's', resolution: 'r', fields: null, tags: null, language: null }), { ok: true, ticket: { id: 'a', subject: 's', body: '', resolution: 'r' } });
  for (const bad of [null, undefined, 3, 'text', [], [{ id: 'a' }]]) {
    const check = validateTicket(bad);
    t.equal(check.ok, false, JSON.stringify(bad) ?? 'undefined');
  }
  const hash = validateTicket({ id: '#1', subject: 's', resolution: 'r' });
  t.notOk(hash.ok, 'id starting with #');
  const bool = validateTicket({ id: true, subject: 's', resolution: 'r' });
  t.same(bool, { ok: false, reason: 'missing "id"' });
});

t.test('the shipped resolved tickets', async (t) => {
  const file = path.join(repoRoot, 'docs-content', 'tickets', 'resolved.jsonl');
  const { tickets, errors } = await readTickets(file);
  t.same(errors.map((e) => e.message), [], 'zero errors');
  t.ok(tickets.length >= 150, `at least 150 tickets (got ${tickets.length})`);
  t.equal(new Set(tickets.map((x) => x.id)).size, tickets.length, 'unique ids');
  for (const ticket of tickets) {
    if (!(ticket.resolution && (ticket.subject || ticket.body))) t.fail(`${ticket.id}: has text and a resolution`);
  }
  t.pass('every ticket has text and a resolution');
});
