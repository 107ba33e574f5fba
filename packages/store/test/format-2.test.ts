// The fixture was written by the last Answerdesk version that wrote format 2 (hashing encoder, 16
// dimensions): two articles and four tickets with a trained categorizer in snapshot 2, then, in
// the log, a fifth ticket, the removal of T-3, and one feedback entry in the journal.
import { cp, readFile, truncate, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { readFormat2Store } from '@answerdesk/store';

const fixture = fileURLToPath(new URL('./fixtures/format-2-store', import.meta.url));

async function copy(t: Parameters<Parameters<typeof import('tap').test>[0]>[0]): Promise<string> {
  const dir = path.join(t.testdir(), 'store');
  await cp(fixture, dir, { recursive: true });
  return dir;
}

t.test('the snapshot is read with its log replayed: documents, passages with their vectors, categorizers, feedback', async (t) => {
  const records = await readFormat2Store(fixture);
  t.match(records, { formatVersion: 2, model: 'hashing-16', dimension: 16 });
  t.same(records.docs.map((doc) => doc.id).sort(), ['T-1', 'T-2', 'T-4', 'T-5', 'payments#paying-by-card-1', 'returns#how-to-return-an-item-1'], 'T-5 added and T-3 removed by the log');
  const docIds = new Set(records.docs.map((doc) => doc.id));
  t.ok(records.passages.length >= records.docs.length, 'every document has its passages');
  t.ok(records.passages.every((p) => docIds.has(p.docId)), "the removed ticket's passages are gone");
  t.ok(records.passages.some((p) => p.docId === 'T-5'), "the logged ticket's passages are there");
  t.ok(records.passages.every((p) => p.vector.length === 16 && p.vector.every(Number.isFinite) && Math.abs(Math.hypot(...p.vector) - 1) < 1e-3), 'whole, normalized vectors');
  t.match(records.categorizers, [{ field: 'category', origin: 'knowledge-base', state: { json: /"labels"/, weights: /^[A-Za-z0-9+/]+=*$/ } }]);
  t.match(records.feedback, [{ query: 'charged twice', sourceId: 'T-1', helpful: true }]);
});

t.test('a torn last log record (a crash mid-append, never acknowledged) is left out', async (t) => {
  const dir = await copy(t);
  const log = path.join(dir, 'wal-00000002.log');
  const whole = await readFormat2Store(dir);
  await writeFile(log, Buffer.concat([await readFile(log), Buffer.from([0x41, 0x44, 0x4b, 0x57, 0, 0, 0, 9])]));
  t.same((await readFormat2Store(dir)).docs, whole.docs, 'a few bytes of a next record change nothing');
  await truncate(log, (await stat(log)).size - 20);
  const torn = await readFormat2Store(dir);
  t.ok(torn.docs.some((doc) => doc.id === 'T-3'), 'the cut record (the removal of T-3) never happened');
});

t.test('a damaged or missing store is a coded error', async (t) => {
  const damaged = await copy(t);
  await writeFile(path.join(damaged, 'snap-00000002', 'docs.jsonl'), 'not what was saved');
  await t.rejects(readFormat2Store(damaged), { code: 'ADK_STORE_CORRUPT', message: /docs\.jsonl fails its checksum/ });
  const newer = await copy(t);
  const manifest = path.join(newer, 'snap-00000002', 'manifest.json');
  await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"formatVersion": 2', '"formatVersion": 3'));
  await t.rejects(readFormat2Store(newer), { code: 'ADK_STORE_VERSION_UNSUPPORTED' });
  await t.rejects(readFormat2Store(t.testdir({})), { code: 'ADK_STORE_NOT_FOUND' });
  await t.rejects(readFormat2Store(path.join(t.testdir({ 'notes.txt': 'x' }), 'notes.txt')), { code: 'ADK_STORE_NOT_A_STORE' });
});
