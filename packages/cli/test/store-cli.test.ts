// publish, tickets add/rm, doctor and reindex from the command line, with the real offline model.
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import t from 'tap';
import { EXIT, run, type Io } from '@answerdesk/cli';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), env: {}, tty: false };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const article = (id: string, heading: string, text: string) => `---\nid: ${id}\ntitle: ${id}\ncategory: help\n---\n\n## ${heading}\n\n${text}\n`;

t.test('publish, tickets add and rm, doctor', async (t) => {
  const dir = t.testdir({
    articles: {
      'returns.md': article('returns', 'How to return an item', 'Print the prepaid label from your account and drop the parcel at a post office within 30 days.'),
      'password.md': article('password', 'Reset a forgotten password', 'Click Forgot password on the sign-in page and follow the emailed link.'),
    },
    'tickets.jsonl': [
      JSON.stringify({ id: 'T-1', subject: 'Charged twice', body: 'My card was charged twice', resolution: 'The second charge is a hold that drops off in 5 days.' }),
      JSON.stringify({ id: 'T-2', subject: 'No invoice', body: 'I need an invoice for my order', resolution: 'Invoices are under Orders in your account.' }),
      // A resolution that holds for the next customer too: one about that customer alone ("Refunded it today") is never suggested.
      JSON.stringify({ id: 'T-1', subject: 'Charged twice', body: 'My card was charged twice', resolution: 'A duplicate charge is refunded to your card within 3 working days.' }),
      '{"id":"T-3","subject":"no answer"}',
    ].join('\n'),
  });
  const store = path.join(dir, 'store');
  const cli = (...args: string[]) => {
    const c = capture();
    return run(['--store', store, ...args], c.io).then((code) => ({ code, out: c.out(), err: c.err() }));
  };

  const dry = await cli('publish', path.join(dir, 'articles'), '--dry-run');
  t.equal(dry.code, EXIT.ok);
  t.match(dry.out, /Would publish: 2 new, 0 changed, 0 removed, 0 unchanged articles/);
  const published = await cli('publish', path.join(dir, 'articles'));
  t.match(published.out, /Published: 2 new/);
  await writeFile(path.join(dir, 'articles', 'returns.md'), article('returns', 'How to return an item', 'Print the prepaid label and drop the parcel at any post office within 60 days.'));
  const again = await cli('publish', path.join(dir, 'articles'), '--json');
  const report = JSON.parse(again.out);
  t.match(report, { dryRun: false, embedded: 1, plan: { changed: ['returns'], unchanged: 1 } }, 'one changed section, one passage embedded');

  const added = await cli('tickets', 'add', path.join(dir, 'tickets.jsonl'));
  t.equal(added.code, EXIT.partial, 'a rejected row: done with rejections');
  t.match(added.err, /1 row\(s\) rejected \(see above\), 2 accepted: exit status 3/);
  t.match(added.out, /Added 2 new or changed tickets .* it now holds 2 tickets/);
  t.match(added.out, /1 repeated ids in the input: the last row of each was kept/);
  t.match(added.out, /ADK_TICKET_INVALID.*missing "resolution"/);
  const suggestion = await cli('suggest', 'my card was charged twice', '--json');
  t.match(
    JSON.parse(suggestion.out),
    { status: 'answered', source: { id: 'T-1', kind: 'ticket' }, answer: 'A duplicate charge is refunded to your card within 3 working days.' },
    'the last row of an id won',
  );

  const removed = await cli('tickets', 'rm', 'T-2', 'T-404');
  t.equal(removed.code, EXIT.partial, 'an id that is not there, beside one removed: done with rejections');
  const none404 = await cli('tickets', 'rm', 'T-404');
  t.equal(none404.code, EXIT.error, 'no id there at all: exit 1');
  t.match(removed.out, /Removed 1 tickets; not found: T-404/);

  const doctor = await cli('doctor');
  t.equal(doctor.code, EXIT.ok);
  t.match(doctor.out, /\(SQLite, schema version \d+, knowledge-base version \d+\)/);
  t.match(doctor.out, /2 articles \(2 sections\), 1 tickets; 3 passages, 3 vectors, 3 full-text entries/);
  t.match(doctor.out, /OK: SQLite integrity check passed/);
  const json = JSON.parse((await cli('doctor', '--json')).out);
  t.match(json, { ok: true, engine: 'sqlite', problems: [] });

  // backup: a copy that opens as a store of its own, never written over.
  const copy = path.join(path.dirname(store), 'copy', 'knowledge.db');
  const backup = await cli('backup', copy);
  t.equal(backup.code, EXIT.ok, backup.err);
  t.match(backup.out, /Backed up .* to .*knowledge\.db \(/);
  const fromCopy = await cli('--store', path.dirname(copy), 'doctor', '--json');
  t.match(JSON.parse(fromCopy.out), { ok: true, counts: { articles: 2, tickets: 1 } }, 'the copy is a whole store');
  const overwrite = await cli('backup', copy);
  t.equal(overwrite.code, EXIT.error);
  t.match(overwrite.err, /ADK_OPTION_INVALID: .*exists; back up to a new file/);

  const reindex = await cli('reindex');
  t.equal(reindex.code, EXIT.ok);
  t.match(reindex.out, /Re-embedded 3 documents \(\d+ passages\) with use-lite-en/);
  t.match(JSON.parse((await cli('doctor', '--json')).out), { ok: true, counts: { articles: 2, tickets: 1, passages: 3 } }, 'the reindexed store holds the same documents');

  // Damage the database file: doctor reports it, never crashes.
  const file = path.join(store, 'knowledge.db');
  const bytes = await readFile(file);
  bytes.fill(0x5a, 4096, bytes.length);
  await writeFile(file, bytes);
  const damaged = await cli('doctor');
  t.equal(damaged.code, EXIT.error);
  t.match(damaged.out, /PROBLEMS|ADK_STORE_CORRUPT/);
  await rm(store, { recursive: true });
  const none = await cli('doctor');
  t.equal(none.code, EXIT.error);
  t.match(none.err, /ADK_STORE_NOT_FOUND/);
});

t.test('publish --watch publishes again after a file changes, and stops on request', async (t) => {
  const dir = t.testdir({ articles: { 'hours.md': article('hours', 'Opening hours', 'We answer from nine to five on weekdays.') } });
  const out: string[] = [];
  const stop = new AbortController();
  const io: Io = { stdout: (s) => void out.push(s), stderr: (s) => void out.push(s), env: {}, tty: false, stop: stop.signal };
  const exit = run(['--store', path.join(dir, 'store'), 'publish', path.join(dir, 'articles'), '--watch'], io);
  const waitFor = async (pattern: RegExp) => {
    for (let i = 0; i < 300 && !pattern.test(out.join('')); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    return out.join('');
  };
  t.match(await waitFor(/Watching/), /Published: 1 new/);
  await writeFile(path.join(dir, 'articles', 'hours.md'), article('hours', 'Opening hours', 'We answer from eight to six on weekdays.'));
  t.match(await waitFor(/1 changed/), /Published: 0 new, 1 changed, 0 removed, 0 unchanged articles/);
  stop.abort();
  t.equal(await exit, EXIT.ok);
});

t.test('a store folder in the old file format is converted to SQLite once, on open, with nothing embedded again', async (t) => {
  // Written by the last version that wrote the old format (see packages/store/test/format-2.test.ts):
  // hashing-16 vectors, 2 articles, 4 tickets (one added and one removed in the log), a categorizer, one feedback entry.
  const { HashingEncoder } = await import('@answerdesk/core');
  const store = path.join(t.testdir(), 'store');
  await cp(fileURLToPath(new URL('../../store/test/fixtures/format-2-store', import.meta.url)), store, { recursive: true });
  const before = (await readdir(store)).sort();
  t.ok(before.includes('CURRENT') && before.some((entry) => entry.startsWith('wal-')), 'the old format: snapshots and a log');

  const out: string[] = [];
  let embedded = 0;
  const encoder = new HashingEncoder(16);
  const embedPassages = encoder.embedPassages.bind(encoder);
  encoder.embedPassages = (texts, options) => ((embedded += texts.length), embedPassages(texts, options));
  const io: Io = { stdout: (s) => void out.push(s), stderr: (s) => void out.push(s), env: {}, tty: false, encoder: () => encoder };
  t.equal(await run(['--store', store, 'doctor', '--json'], io), EXIT.ok, out.join(''));
  const report = JSON.parse(out.join(''));
  t.match(report, { ok: true, engine: 'sqlite', counts: { articles: 2, tickets: 4 }, feedback: 1 });
  t.equal(embedded, 0, 'the stored vectors were copied, not embedded again');
  t.same((await readdir(store)).filter((entry) => !entry.startsWith('knowledge.db')), [], 'the old files are gone once the conversion is complete');
  out.length = 0;
  t.equal(await run(['--store', store, 'search', 'charged twice', '--json'], io), EXIT.ok);
  t.match(JSON.parse(out.join('')), { hits: [{ id: 'T-1' }] }, 'the converted store answers');
  out.length = 0;
  t.equal(await run(['--store', store, 'categorize', 'my card was charged twice', '--json'], io), EXIT.ok, out.join(''));
  t.match(out.join(''), /payment|returns/, 'its categorizer came along');
});

t.test('a store built with another model is refused with a code, and reindex rebuilds it keeping its feedback', async (t) => {
  // Plumbing only: two hashing encoders of different sizes stand for two models.
  const { HashingEncoder, KnowledgeBase } = await import('@answerdesk/core');
  const store = path.join(t.testdir(), 'store');
  const built = await KnowledgeBase.open({ store, encoder: new HashingEncoder(64) });
  await built.addTickets([{ id: 'T-1', subject: 'Charged twice', body: 'My card was charged twice', resolution: 'A duplicate charge is refunded within 3 working days.' }]);
  await built.recordFeedback({ query: 'charged twice', sourceId: 'T-1', helpful: true });
  await built.close();

  const out: string[] = [];
  const io: Io = { stdout: (s) => void out.push(s), stderr: (s) => void out.push(s), env: {}, tty: false, encoder: () => new HashingEncoder(32) };
  t.equal(await run(['--store', store, 'search', 'charged twice'], io), EXIT.error);
  t.match(out.join(''), /ADK_STORE_MODEL_MISMATCH: .*hashing-64.*hashing-32.*answerdesk reindex/);
  out.length = 0;
  t.equal(await run(['--store', store, 'reindex'], io), EXIT.ok, out.join(''));
  t.match(out.join(''), /Re-embedded 1 documents \(\d+ passages\) with hashing-32; the store was built with hashing-64/);
  out.length = 0;
  t.equal(await run(['--store', store, 'doctor', '--json'], io), EXIT.ok);
  t.match(JSON.parse(out.join('')), { ok: true, engine: 'sqlite', counts: { tickets: 1 }, feedback: 1 }, 'the same documents, and the feedback kept');
  t.same((await readdir(store)).filter((entry) => entry.includes('reindexing')), [], 'no temporary database left behind');
});

t.test('reindex of a folder in the old file format converts it, then re-embeds it with the new model', async (t) => {
  const { HashingEncoder } = await import('@answerdesk/core');
  const store = path.join(t.testdir(), 'store');
  await cp(fileURLToPath(new URL('../../store/test/fixtures/format-2-store', import.meta.url)), store, { recursive: true });
  const out: string[] = [];
  const io: Io = { stdout: (s) => void out.push(s), stderr: (s) => void out.push(s), env: {}, tty: false, encoder: () => new HashingEncoder(32) };
  t.equal(await run(['--store', store, 'reindex'], io), EXIT.ok, out.join(''));
  t.match(out.join(''), /Re-embedded 6 documents \(\d+ passages\) with hashing-32; the store was built with hashing-16/);
  out.length = 0;
  t.equal(await run(['--store', store, 'doctor', '--json'], io), EXIT.ok, out.join(''));
  t.match(JSON.parse(out.join('')), { ok: true, engine: 'sqlite', counts: { articles: 2, tickets: 4 }, feedback: 1 });
  t.same((await readdir(store)).filter((entry) => !entry.startsWith('knowledge.db')), [], 'nothing of the old format is left');
});
