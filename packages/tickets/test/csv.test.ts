import t from 'tap';
import { parseTicketsCsv } from '@answerdesk/tickets';

const header = 'id,subject,body,resolution,category,priority,language,createdAt,tags,channel,fields.region';

t.test('valid CSV: BOM, multi-line quoted body, extra columns, tags "a;b"', async (t) => {
  const content = [
    `\uFEFF${header}`,
    'T-1,Refund missing,"Hello,',
    'I returned the ""blue"" kettle',
    'two weeks ago.",Refund issued today.,billing,High,en,2025-02-01,refund;Kettle; refund,email,EU',
    'T-2,,Only a body,Answered,,,,,,,',
    '',
    'T-3,Only a subject,,Answered,,,,,a,chat,',
  ].join('\n');
  const { tickets, errors } = parseTicketsCsv(content, 'export.csv');
  t.same(errors.map((e) => e.message), []);
  t.same(tickets[0], {
    id: 'T-1',
    subject: 'Refund missing',
    body: 'Hello,\nI returned the "blue" kettle\ntwo weeks ago.',
    resolution: 'Refund issued today.',
    category: 'billing',
    priority: 'high',
    language: 'en',
    createdAt: '2025-02-01T00:00:00.000Z',
    tags: ['refund', 'kettle'],
    fields: { channel: 'email', region: 'EU' },
  });
  t.same(tickets[1], { id: 'T-2', subject: '', body: 'Only a body', resolution: 'Answered' }, 'empty cells are not fields');
  t.same(tickets[2], { id: 'T-3', subject: 'Only a subject', body: '', resolution: 'Answered', tags: ['a'], fields: { channel: 'chat' } });
  t.notOk(Object.keys(tickets[0]!).some((key) => key.includes('\uFEFF')), 'the BOM is not part of the first column name');
});

t.test('CRLF line endings, including inside quoted bodies', async (t) => {
  const content = ['id,subject,body,resolution', 'A,s,"line one', 'line two",fixed', 'B,s,b,done', ''].join('\r\n');
  const { tickets, errors } = parseTicketsCsv(content);
  t.same(errors, []);
  t.same(tickets.map((x) => x.id), ['A', 'B']);
  t.equal(tickets[1]!.resolution, 'done', 'no stray \\r');
});

/** Rows whose id says on which line they start (L<n>); all lack a resolution, so each is rejected. */
const unresolved = (eol: string) =>
  [
    'id,subject,body,resolution', //  1
    'L2,"multi', //                   2
    'line', //                        3
    'subject",b,', //                 4
    'L5,s,b,', //                     5
    '', //                            6
    '', //                            7
    'L8,s,"ünïcödé 😀 body', //       8
    'over lines",', //                9
    'L10,"a ""quoted""', //          10
    'field",b,', //                  11
    'L12,s,b,', //                   12
  ].join(eol);

t.test('rejected rows are reported at the line where they start', async (t) => {
  for (const [name, eol, end] of [
    ['LF', '\n', ''],
    ['LF + final newline', '\n', '\n'],
    ['CRLF', '\r\n', ''],
    ['CRLF + final newlines', '\r\n', '\r\n\r\n'],
  ] as const) {
    const { tickets, errors } = parseTicketsCsv(unresolved(eol) + end, 'f.csv');
    t.same(tickets, [], name);
    t.same(
      errors.map((e) => e.details.line),
      [2, 5, 8, 10, 12],
      `${name}: line numbers`,
    );
    for (const error of errors) {
      t.equal(error.code, 'ADK_TICKET_INVALID');
      t.match(String(error.details.reason), /missing "resolution"/);
      t.match(error.message, `f.csv:${error.details.line}: ticket rejected`);
    }
  }
});

t.test('every invalid row has its exact line and a coded reason', async (t) => {
  const content = [
    'id,subject,body,resolution,createdAt,language,tags,fields', // 1
    'ok-1,s,b,r,,,,', //                                              2
    ',s,b,r,,,,', //                                                  3 missing id
    'bad id,s,b,r,,,,', //                                            4 id with a space
    'no-res,s,b,,,,,', //                                             5 missing resolution
    'no-text,,,r,,,,', //                                             6 missing subject and body
    'bad-date,s,b,r,31/02/2025 late,,,', //                           7 bad createdAt
    'bad-lang,s,b,r,,english,,', //                                   8 bad language
    'bad-fields,s,b,r,,,,x=1', //                                     9 fields must be an object
    'short,s,b', //                                                  10 too few columns
    'long,s,b,r,,,,,extra', //                                       11 too many columns
    '"multi-line,', //                                               12 id with a line break (quoted)
    'id",s,b,r,,,,', //                                              13
    'ok-2,s,b,r,2025-01-02T03:04:05Z,de,x;y,', //                    14
  ].join('\n');
  const { tickets, errors } = parseTicketsCsv(content, 'in.csv');
  t.same(tickets.map((x) => x.id), ['ok-1', 'ok-2'], 'rows around bad ones still import');
  t.same(tickets[1]!.tags, ['x', 'y']);
  t.equal(tickets[1]!.language, 'de');
  const expected: Array<[number, RegExp]> = [
    [3, /missing "id"/],
    [4, /"id" must not contain spaces/],
    [5, /missing "resolution"/],
    [6, /needs a "subject" or a "body"/],
    [7, /"createdAt" is not a date/],
    [8, /"language" must be a code/],
    [9, /"fields" must be an object/],
    [10, /number of columns/],
    [11, /number of columns/],
    [12, /"id" must not contain spaces/],
  ];
  t.same(
    errors.map((e) => e.details.line),
    expected.map(([line]) => line),
    'line numbers',
  );
  errors.forEach((error, index) => {
    const [line, reason] = expected[index]!;
    t.equal(error.code, 'ADK_TICKET_INVALID', `line ${line}: code`);
    t.match(String(error.details.reason), reason, `line ${line}: reason`);
  });
  const records = 12; // rows 2..14 minus the two physical lines of the multi-line record
  t.equal(tickets.length + errors.length, records, 'no row silently dropped');
});

t.test('duplicate ids point at the first line', async (t) => {
  const content = ['id,subject,body,resolution', 'A,s,"two', 'lines",r', 'B,s,b,r', 'A,again,b,r', '', 'B,s,b,r'].join('\n');
  const { tickets, errors } = parseTicketsCsv(content, 'd.csv');
  t.same(tickets.map((x) => x.id), ['A', 'B']);
  t.same(
    errors.map((e) => [e.code, e.details.line, e.details.id, e.details.other]),
    [
      ['ADK_TICKET_ID_DUPLICATE', 5, 'A', 'line 2'],
      ['ADK_TICKET_ID_DUPLICATE', 7, 'B', 'line 4'],
    ],
  );
});

t.test('a broken quote costs only its own row: the rows after it are read', async (t) => {
  const { tickets, errors } = parseTicketsCsv('id,subject,body,resolution\nA,s,b,r\nB,"never closed,b,r\nC,s,b,r\n', 'broken.csv');
  t.same(tickets.map((x) => x.id), ['A', 'C'], 'the rows before and after the broken one import');
  t.equal(errors.length, 1);
  t.equal(errors[0]!.code, 'ADK_TICKET_INVALID');
  t.equal(errors[0]!.details.file, 'broken.csv');
  t.equal(errors[0]!.details.line, 3);
  t.match(String(errors[0]!.details.reason), /quote opened on this line is never closed/);
});

t.test('every kind of broken quote: reported at its line, the rest imported', async (t) => {
  const rows = [
    'id,subject,body,resolution', //                         1
    'T-1,s,b,r', //                                           2
    'T-2,"Unclosed subject,b,r', //                           3 an opening quote never closed
    'T-3,s,b,r', //                                           4
    'T-4,He said "hi" there,b,r', //                          5 a quote inside an unquoted field
    'T-5,"Closed" too early,b,r', //                          6 text after a closing quote
    'T-6,"a real', //                                         7 a quoted field over two lines: fine
    'two-line subject",b,r', //                               8
    'T-7,12" monitor,b,r', //                                 9 an inch mark: a stray quote
    'T-8,"quoted ""ok""",b,r', //                            10
    'T-9,"opened again,b,r', //                              11 a second unclosed quote…
    'T-10,s,b,r', //                                         12
    'T-11,s,"and one that, closes"" it",r', //                13 …that a later line's quotes do not rescue
    'T-12,s,b,r', //                                         14
  ].join('\n');
  const { tickets, errors } = parseTicketsCsv(rows, 'q.csv');
  t.same(tickets.map((x) => x.id), ['T-1', 'T-3', 'T-6', 'T-8', 'T-10', 'T-11', 'T-12']);
  t.equal(tickets.find((x) => x.id === 'T-6')!.subject, 'a real\ntwo-line subject', 'a legitimate multi-line field is one value');
  t.equal(tickets.find((x) => x.id === 'T-8')!.subject, 'quoted "ok"');
  t.same(errors.map((e) => e.details.line), [3, 5, 6, 9, 11]);
  t.match(String(errors[0]!.details.reason), /a quote opened on this line is not closed/);
  t.match(String(errors[4]!.details.reason), /a quote opened on this line is never closed/);
  t.match(String(errors[1]!.details.reason), /quote in the middle of a field/);
  t.match(String(errors[2]!.details.reason), /goes on after its closing quote/);
  t.ok(errors.every((e) => e.code === 'ADK_TICKET_INVALID'));
});

t.test('a broken header row: one error, no rows guessed at', async (t) => {
  const { tickets, errors } = parseTicketsCsv('id,"subject,body,resolution\nA,s,b,r\n', 'h.csv');
  t.same(tickets, []);
  t.equal(errors.length, 1);
  t.equal(errors[0]!.details.line, 1);
  t.match(String(errors[0]!.details.reason), /header row cannot be read/);
});
