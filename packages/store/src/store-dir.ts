import { readdir, stat } from 'node:fs/promises';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';

/**
 * What a store folder holds: its SQLite database (with SQLite's and the vector cache's files beside it),
 * or in the old file format the CURRENT pointer (and its atomic-write temporaries), snapshots, logs,
 * the writer lock, feedback.
 */
const STORE_ENTRY = /^(knowledge\.db(\..+|-wal|-shm|-journal)?|CURRENT(\..+)?|LOCK|feedback\.jsonl|snap-\d{8}|wal-\d{8}\.log|\.staging-.+)$/;

/**
 * Can `dir` be a store: missing (it will be created), an empty folder, or a folder that holds a
 * store? `ADK_STORE_NOT_A_STORE` when it is a file, lies under a file, or is a folder of other
 * things (a store is never written among someone's files). Hidden entries (`.DS_Store`) do not count.
 */
export async function checkStoreDir(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new AnswerdeskError('ADK_STORE_NOT_A_STORE', { dir, reason: 'a part of the path is a file, not a folder' }, { cause: error });
    throw new AnswerdeskError('ADK_STORE_NOT_A_STORE', { dir, reason: `it cannot be looked at (${reasonOf(error)})` }, { cause: error });
  }
  if (!info.isDirectory()) throw new AnswerdeskError('ADK_STORE_NOT_A_STORE', { dir, reason: 'it is a file, not a folder' });
  const entries = (await readdir(dir).catch(() => [] as string[])).filter((entry) => !entry.startsWith('.') || entry.startsWith('.staging-'));
  if (entries.length === 0 || entries.some((entry) => STORE_ENTRY.test(entry))) return;
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ` and ${entries.length - 3} more` : '');
  throw new AnswerdeskError('ADK_STORE_NOT_A_STORE', { dir, reason: `it is a folder of other files (${shown}) with no store in it` });
}
