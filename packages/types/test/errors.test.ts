import t from 'tap';
import { AnswerdeskError, errorCatalogue, isAnswerdeskError, reasonOf, type ErrorCode } from '@answerdesk/types';

const codes = Object.keys(errorCatalogue) as ErrorCode[];

t.test('catalogue entries', async (t) => {
  t.ok(codes.length >= 20, `a full catalogue (${codes.length} codes)`);
  for (const code of codes) {
    const entry = errorCatalogue[code];
    t.match(code, /^ADK_[A-Z_]+$/, `${code}: code format`);
    t.ok(Number.isInteger(entry.status) && entry.status >= 400 && entry.status <= 599, `${code}: status ${entry.status} in 400–599`);
    t.type(entry.message, 'string');
    t.ok(entry.message.trim().length >= 10, `${code}: has a message`);
    t.match(entry.message, /[.!?]$/, `${code}: message is a sentence`);
  }
  t.equal(errorCatalogue.ADK_PATH_NOT_FOUND.status, 404);
  t.equal(errorCatalogue.ADK_ARTICLE_ID_DUPLICATE.status, 409);
  t.equal(errorCatalogue.ADK_QUERY_TOO_LONG.status, 413);
  t.equal(errorCatalogue.ADK_ENCODER_LOAD_FAILED.status, 503);
});

t.test('every placeholder of every template is filled from details', async (t) => {
  for (const code of codes) {
    const keys = [...errorCatalogue[code].message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const details = Object.fromEntries(keys.map((key) => [key, `<${key}-value>`]));
    const error = new AnswerdeskError(code, details);
    for (const key of keys) t.match(error.message, `<${key}-value>`, `${code}: {${key}} rendered`);
    t.notMatch(error.message, /\{\w+\}/, `${code}: no placeholder left`);
  }
});

t.test('AnswerdeskError renders its template', async (t) => {
  const error = new AnswerdeskError('ADK_TICKET_INVALID', { file: 'tickets.jsonl', line: 12, reason: 'missing "id"' });
  t.equal(error.message, 'tickets.jsonl:12: ticket rejected: missing "id".');
  t.equal(error.code, 'ADK_TICKET_INVALID');
  t.equal(error.status, 400);
  t.same(error.details, { file: 'tickets.jsonl', line: 12, reason: 'missing "id"' });
  t.equal(error.name, 'AnswerdeskError');
  t.ok(error instanceof AnswerdeskError);
  t.ok(error instanceof Error);
  t.match(error.stack, /AnswerdeskError: tickets\.jsonl:12/);
  t.match(String(error), 'AnswerdeskError: tickets.jsonl:12: ticket rejected');

  const repeated = new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir: '/kb' });
  t.equal(repeated.message, 'No knowledge base found in /kb. Run `answerdesk index <paths> --store /kb` first.', 'a placeholder used twice is filled twice');
  t.equal(new AnswerdeskError('ADK_DIMENSION_MISMATCH', { actual: 0, expected: 384 }).message, 'Vector of dimension 0 given to an index of dimension 384.', 'zero is a value');
  t.equal(new AnswerdeskError('ADK_OPTION_INVALID', { option: '', reason: 'must be set' }).message, 'Option "" must be set.', 'empty string is a value');
});

t.test('unknown or missing placeholders stay visible', async (t) => {
  const missing = new AnswerdeskError('ADK_TICKET_INVALID', { file: 'a.csv' });
  t.equal(missing.message, 'a.csv:{line}: ticket rejected: {reason}.');
  const undef = new AnswerdeskError('ADK_TICKET_INVALID', { file: 'a.csv', line: undefined, reason: 'x' });
  t.equal(undef.message, 'a.csv:{line}: ticket rejected: x.', 'undefined keeps the placeholder');
  const none = new AnswerdeskError('ADK_FILE_UNREADABLE');
  t.equal(none.message, 'Cannot read {file}: {reason}.');
  t.same(none.details, {});
  const extra = new AnswerdeskError('ADK_QUERY_EMPTY', { unused: 'x' });
  t.equal(extra.message, errorCatalogue.ADK_QUERY_EMPTY.message, 'extra details do not change the message');
  const json = new AnswerdeskError('ADK_INPUT_LINE_INVALID', { file: 'q.jsonl', line: 3, reason: 'bad' });
  t.equal(json.message, 'q.jsonl:3: bad. Each line must be a JSON object like {"id":"q1","text":"..."}.', 'literal JSON braces untouched');
  const injected = new AnswerdeskError('ADK_OPTION_INVALID', { option: '{reason}', reason: 'is $& odd $1' });
  t.equal(injected.message, 'Option "{reason}" is $& odd $1.', 'values are inserted literally, not re-rendered');
});

t.test('toJSON', async (t) => {
  const error = new AnswerdeskError('ADK_PATH_NOT_FOUND', { path: '/nope' });
  t.same(error.toJSON(), {
    code: 'ADK_PATH_NOT_FOUND',
    message: 'Path /nope does not exist. Pass a folder of markdown articles or a .jsonl/.csv ticket file.',
    details: { path: '/nope' },
  });
  t.same(Object.keys(error.toJSON()).sort(), ['code', 'details', 'message']);
  t.same(JSON.parse(JSON.stringify(error)), error.toJSON(), 'JSON.stringify uses toJSON');
});

t.test('cause, isAnswerdeskError, reasonOf', async (t) => {
  const cause = new Error('EACCES: permission denied');
  const error = new AnswerdeskError('ADK_FILE_UNREADABLE', { file: 'a.md', reason: reasonOf(cause) }, { cause });
  t.equal(error.cause, cause);
  t.equal(error.message, 'Cannot read a.md: EACCES: permission denied.');
  t.ok(isAnswerdeskError(error));
  t.ok(isAnswerdeskError(error, 'ADK_FILE_UNREADABLE'));
  t.notOk(isAnswerdeskError(error, 'ADK_PATH_NOT_FOUND'));
  t.notOk(isAnswerdeskError(cause));
  t.notOk(isAnswerdeskError({ code: 'ADK_FILE_UNREADABLE', message: 'x' }), 'a look-alike object is not one');
  t.equal(reasonOf('plain'), 'plain');
  t.equal(reasonOf(42), '42');
  t.equal(reasonOf(undefined), 'undefined');
});
