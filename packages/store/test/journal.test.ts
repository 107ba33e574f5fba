import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { Journal } from '@answerdesk/store';

t.test('appends survive reopening, in order, even when concurrent', async (t) => {
  const file = path.join(t.testdir(), 'log', 'feedback.jsonl');
  const journal = new Journal<{ n: number }>(file);
  t.same(await journal.read(), [], 'a missing journal is empty');
  await Promise.all(Array.from({ length: 20 }, (_, n) => journal.append([{ n }])));
  t.same((await new Journal<{ n: number }>(file).read()).map((r) => r.n), Array.from({ length: 20 }, (_, n) => n));
});

t.test('a torn last line (a crash mid-write) is skipped, then cut off by the next append', async (t) => {
  const file = path.join(t.testdir(), 'j.jsonl');
  await writeFile(file, '{"n":1}\n{"n":2}\n{"n":');
  const journal = new Journal<{ n: number }>(file);
  t.same(await journal.read(), [{ n: 1 }, { n: 2 }], 'the unacknowledged torn record is not returned');
  await journal.append([{ n: 3 }]);
  t.equal(await readFile(file, 'utf8'), '{"n":1}\n{"n":2}\n{"n":3}\n', 'the torn tail was removed, not glued to the new record');
});

t.test('a damaged line in the middle is reported, not skipped', async (t) => {
  const file = path.join(t.testdir(), 'j.jsonl');
  await writeFile(file, '{"n":1}\n');
  await appendFile(file, 'garbage\n{"n":3}\n');
  await t.rejects(new Journal(file).read(), { code: 'ADK_STORE_CORRUPT', message: /j\.jsonl line 2 is not JSON/ });
});

t.test('a write that cannot happen is a coded error', async (t) => {
  const dir = t.testdir({ 'not-a-dir': 'file' });
  const journal = new Journal(path.join(dir, 'not-a-dir', 'j.jsonl'));
  await t.rejects(journal.append([{ a: 1 }]), { code: 'ADK_STORE_WRITE_FAILED' });
  await t.rejects(journal.append([{ a: 2 }]), { code: 'ADK_STORE_WRITE_FAILED' }, 'and the journal stays usable for the next try');
});
