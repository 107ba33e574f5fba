import t from 'tap';
import path from 'node:path';
import { checkStoreDir } from '@answerdesk/store';

t.test('a path that can hold a store: missing, empty, or a store already', async (t) => {
  const dir = t.testdir({
    empty: {},
    hidden: { '.DS_Store': 'x' },
    sqlite: { 'knowledge.db': '', 'knowledge.db-wal': '', 'knowledge.db.hnsw': '' },
    old: { CURRENT: 'snap-00000001\n', 'snap-00000001': {} },
    logged: { 'wal-00000000.log': '' },
  });
  for (const where of ['missing', 'empty', 'hidden', 'sqlite', 'old', 'logged']) await t.resolves(checkStoreDir(path.join(dir, where)), where);
});

t.test('a file, a path under a file, or a folder of other things is not a store', async (t) => {
  const dir = t.testdir({ 'notes.txt': 'my notes', documents: { 'a.md': 'x', 'b.pdf': 'x', 'c.txt': 'x', 'd.txt': 'x' } });
  await t.rejects(checkStoreDir(path.join(dir, 'notes.txt')), { code: 'ADK_STORE_NOT_A_STORE', status: 400, message: /notes\.txt is not an Answerdesk store: it is a file, not a folder\. Pass --store a new or empty folder/ });
  await t.rejects(checkStoreDir(path.join(dir, 'notes.txt', 'store')), { code: 'ADK_STORE_NOT_A_STORE', message: /a part of the path is a file/ });
  await t.rejects(checkStoreDir(path.join(dir, 'documents')), { code: 'ADK_STORE_NOT_A_STORE', message: /it is a folder of other files \(a\.md, b\.pdf, c\.txt and 1 more\) with no store in it/ });
});
