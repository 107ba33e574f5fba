import t from 'tap';
import path from 'node:path';
import { checkStoreDir, SnapshotStore, WriteAheadLog } from '@answerdesk/store';

t.test('a path that can hold a store: missing, empty, or a store already', async (t) => {
  const dir = t.testdir({ empty: {}, hidden: { '.DS_Store': 'x' }, store: { CURRENT: 'snap-00000001\n', 'snap-00000001': {} }, logged: { 'wal-00000000.log': '' } });
  for (const where of ['missing', 'empty', 'hidden', 'store', 'logged']) await t.resolves(checkStoreDir(path.join(dir, where)), where);
  const fresh = new SnapshotStore(path.join(dir, 'empty'));
  await fresh.save({ modelId: 'm', dimension: 1, counts: {} }, [{ name: 'docs.jsonl', data: '' }]);
  await t.resolves(checkStoreDir(path.join(dir, 'empty')), 'a store once saved');
});

t.test('a file, a path under a file, or a folder of other things is not a store', async (t) => {
  const dir = t.testdir({ 'notes.txt': 'my notes', documents: { 'a.md': 'x', 'b.pdf': 'x', 'c.txt': 'x', 'd.txt': 'x' } });
  await t.rejects(checkStoreDir(path.join(dir, 'notes.txt')), { code: 'ADK_STORE_NOT_A_STORE', status: 400, message: /notes\.txt is not an Answerdesk store: it is a file, not a folder\. Pass --store a new or empty folder/ });
  await t.rejects(checkStoreDir(path.join(dir, 'notes.txt', 'store')), { code: 'ADK_STORE_NOT_A_STORE', message: /a part of the path is a file/ });
  await t.rejects(checkStoreDir(path.join(dir, 'documents')), { code: 'ADK_STORE_NOT_A_STORE', message: /it is a folder of other files \(a\.md, b\.pdf, c\.txt and 1 more\) with no store in it/ });
});

t.test('reading the log of a store path that is a file: "not a store", never "damaged"', async (t) => {
  const dir = t.testdir({ 'notes.txt': 'my notes' });
  const wal = new WriteAheadLog(path.join(dir, 'notes.txt'));
  await t.rejects(wal.read(0), { code: 'ADK_STORE_NOT_A_STORE', message: /it is a file, not a folder/ });
});
