import t from 'tap';
import { parseTicketsJsonl } from '@answerdesk/tickets';
import { AnswerdeskError } from '@answerdesk/types';

const row = (value: unknown) => JSON.stringify(value);
const ok = (id: string, extra: Record<string, unknown> = {}) => row({ id, subject: `Subject ${id}`, body: `Body ${id}`, resolution: `Fixed ${id}`, ...extra });

t.test('valid JSONL', async (t) => {
  const content = [
    row({
      id: 'T-1',
      subject: '  Card declined ',
      body: 'My card was declined.',
      resolution: 'Bank blocked it; retried.',
      category: 'billing',
      priority: 'HIGH',
      queue: 'payments',
      language: 'EN-us',
      createdAt: '2025-03-14T10:30:00+01:00',
      tags: ['Card', 'card', ' Decline '],
      fields: { customerTier: 'gold', seats: 5, vip: true },
      channel: 'email',
      'fields.region': 'EU',
    }),
    '',
    '   ',
    row({ id: 42, body: 'Only a body', resolution: 'Answered' }),
    row({ id: 'T-3', subject: 'Only a subject', resolution: 'Answered', tags: 'a;b,  c', category: '' }),
  ].join('\n');
  const { tickets, errors } = parseTicketsJsonl(content, 'tickets.jsonl');
  t.same(errors, []);
  t.equal(tickets.length, 3);
  t.same(tickets[0], {
    id: 'T-1',
    subject: 'Card declined',
    body: 'My card was declined.',
    resolution: 'Bank blocked it; retried.',
    category: 'billing',
    priority: 'high',
    queue: 'payments',
    language: 'en-us',
    createdAt: '2025-03-14T09:30:00.000Z',
    tags: ['card', 'decline'],
    fields: { customerTier: 'gold', seats: 5, vip: true, channel: 'email', region: 'EU' },
  });
  t.same(tickets[1], { id: '42', subject: '', body: 'Only a body', resolution: 'Answered' }, 'numeric id as text, no empty optional fields');
  t.same(tickets[2]!.tags, ['a', 'b', 'c']);
  t.equal(tickets[2]!.category, undefined, 'empty category dropped');
  t.notOk('fields' in tickets[1]!, 'no fields object when there are none');
});

t.test('CRLF and a byte order mark', async (t) => {
  const content = `\uFEFF${ok('A')}\r\n${ok('B')}\r\n\r\n${ok('C')}\r\n`;
  const { tickets, errors } = parseTicketsJsonl(content, 'win.jsonl');
  t.same(errors.map((e) => e.message), [], 'a BOM does not break the first row');
  t.same(tickets.map((x) => x.id), ['A', 'B', 'C']);
  t.equal(tickets[0]!.resolution, 'Fixed A', 'no stray \\r');
});

t.test('every invalid row has its line number and a reason', async (t) => {
  const content = [
    ok('good-1'), //                                                           1
    '{"id": "broken", ', //                                                    2 bad JSON
    '[1, 2, 3]', //                                                            3 not an object
    '"just a string"', //                                                      4 not an object
    'null', //                                                                 5 not an object
    '', //                                                                     6 blank
    row({ subject: 's', body: 'b', resolution: 'r' }), //                      7 missing id
    row({ id: '   ', subject: 's', resolution: 'r' }), //                      8 blank id
    row({ id: 'has space', subject: 's', resolution: 'r' }), //                9 bad id
    row({ id: 'no-res', subject: 's', body: 'b' }), //                        10 missing resolution
    row({ id: 'empty-res', subject: 's', body: 'b', resolution: '  ' }), //   11 blank resolution
    row({ id: 'no-text', resolution: 'r' }), //                               12 missing subject + body
    row({ id: 'bad-date', subject: 's', resolution: 'r', createdAt: 'last tuesday' }), // 13
    row({ id: 'bad-lang', subject: 's', resolution: 'r', language: 'english' }), //      14
    row({ id: 'bad-tags', subject: 's', resolution: 'r', tags: [1, 2] }), //             15
    row({ id: 'bad-tags-2', subject: 's', resolution: 'r', tags: { a: 1 } }), //         16
    row({ id: 'bad-fields', subject: 's', resolution: 'r', fields: ['x'] }), //          17
    row({ id: 'bad-field', subject: 's', resolution: 'r', fields: { nested: { a: 1 } } }), // 18
    row({ id: 'bad-column', subject: 's', resolution: 'r', extra: [1] }), //             19
    row({ id: 'bad-subject', subject: { text: 's' }, resolution: 'r' }), //              20
    row({ id: 'bad-priority', subject: 's', resolution: 'r', priority: true }), //       21
    ok('good-2'), //                                                          22
  ].join('\n');
  const { tickets, errors } = parseTicketsJsonl(content, 'export.jsonl');
  t.same(tickets.map((x) => x.id), ['good-1', 'good-2']);
  const expected: Array<[number, RegExp]> = [
    [2, /^not valid JSON/],
    [3, /must be a JSON object/],
    [4, /must be a JSON object/],
    [5, /must be a JSON object/],
    [7, /missing "id"/],
    [8, /missing "id"/],
    [9, /"id" must not contain spaces/],
    [10, /missing "resolution"/],
    [11, /missing "resolution"/],
    [12, /needs a "subject" or a "body"/],
    [13, /"createdAt" is not a date \(got "last tuesday"\)/],
    [14, /"language" must be a code/],
    [15, /"tags" must be a list of words/],
    [16, /"tags" must be a list of words/],
    [17, /"fields" must be an object/],
    [18, /custom field "nested"/],
    [19, /column "extra"/],
    [20, /"subject" must be text/],
    [21, /"priority" must be text/],
  ];
  t.equal(errors.length, expected.length, 'one error per bad row');
  errors.forEach((error, index) => {
    const [line, reason] = expected[index]!;
    t.type(error, AnswerdeskError);
    t.equal(error.code, 'ADK_TICKET_INVALID', `line ${line}: code`);
    t.equal(error.details.line, line, `line ${line}: line number`);
    t.equal(error.details.file, 'export.jsonl');
    t.match(String(error.details.reason), reason, `line ${line}: reason`);
    t.match(error.message, `export.jsonl:${line}: ticket rejected: `, `line ${line}: message`);
  });
  const nonBlank = content.split('\n').filter((l) => l.trim() !== '').length;
  t.equal(tickets.length + errors.length, nonBlank, 'no row silently dropped');
});

t.test('duplicate ids point at the first line', async (t) => {
  const content = [ok('A'), ok('B'), '', ok('A', { subject: 'again' }), ok('B'), ok('A')].join('\n');
  const { tickets, errors } = parseTicketsJsonl(content, 'd.jsonl');
  t.same(tickets.map((x) => [x.id, x.subject]), [
    ['A', 'Subject A'],
    ['B', 'Subject B'],
  ], 'the first row wins');
  t.same(
    errors.map((e) => [e.code, e.details.line, e.details.id, e.details.other]),
    [
      ['ADK_TICKET_ID_DUPLICATE', 4, 'A', 'line 1'],
      ['ADK_TICKET_ID_DUPLICATE', 5, 'B', 'line 2'],
      ['ADK_TICKET_ID_DUPLICATE', 6, 'A', 'line 1'],
    ],
  );
  t.equal(errors[0]!.status, 409);
  t.equal(errors[0]!.message, 'd.jsonl:4: ticket id "A" already appeared at line 1; ticket ids must be unique.');
  t.equal(tickets.length + errors.length, 5);
});

t.test('an invalid row does not claim its id', async (t) => {
  const content = [row({ id: 'X', subject: 's' }), ok('X')].join('\n');
  const { tickets, errors } = parseTicketsJsonl(content);
  t.same(tickets.map((x) => x.id), ['X'], 'the later valid row is kept');
  t.equal(errors.length, 1);
  t.equal(errors[0]!.code, 'ADK_TICKET_INVALID');
  t.equal(errors[0]!.details.file, '<input>', 'default file name');
});

t.test('empty input', async (t) => {
  t.same(parseTicketsJsonl(''), { tickets: [], errors: [], replaced: 0 });
  t.same(parseTicketsJsonl('\n \n\t\n'), { tickets: [], errors: [], replaced: 0 });
});

t.test('no row is silently dropped (generated mix)', async (t) => {
  const makers = [
    (i: number) => ok(`ok-${i}`),
    (i: number) => ok(`ok-${i % 3}`),
    () => '{not json',
    (i: number) => row({ id: `x-${i}`, resolution: 'r' }),
    () => '',
    (i: number) => row({ id: `d-${i}`, subject: 's', resolution: 'r', createdAt: 'soon' }),
  ];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const lines = Array.from({ length: 300 }, (_, i) => makers[next() % makers.length]!(i));
  const { tickets, errors } = parseTicketsJsonl(lines.join('\n'));
  t.equal(tickets.length + errors.length, lines.filter((l) => l.trim() !== '').length);
  for (const error of errors) {
    const line = Number(error.details.line);
    t.ok(lines[line - 1]!.trim() !== '', `error line ${line} is a real row`);
  }
  t.equal(new Set(errors.map((e) => e.details.line)).size, errors.length, 'one error per row');
});

t.test('a stream of updates keeps the last row of an id', async (t) => {
  const rows = [
    { id: 'A', subject: 's', resolution: 'old' },
    { id: 'B', subject: 's', resolution: 'b' },
    { id: 'A', subject: 's', resolution: 'new' },
  ].map((r) => JSON.stringify(r)).join('\n');
  const strict = parseTicketsJsonl(rows, 'x.jsonl');
  t.equal(strict.errors[0]?.code, 'ADK_TICKET_ID_DUPLICATE', 'an export must have unique ids by default');
  const stream = parseTicketsJsonl(rows, 'x.jsonl', { duplicates: 'last' });
  t.same(stream.errors, []);
  t.equal(stream.replaced, 1);
  t.same(stream.tickets.map((ticket) => [ticket.id, ticket.resolution]), [['A', 'new'], ['B', 'b']], 'the newer row takes the older one\'s place');
});
