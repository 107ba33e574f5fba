import { hostname } from 'node:os';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';
import { writeFailed } from './write-failed.js';

/**
 * One writer per store: a `LOCK` file holding the writer's pid and host.
 * Staleness is decided by whether that process still runs (not by age, as
 * mtime-based lock libraries do), so a writer killed by SIGKILL frees the store
 * at once. Readers never take it.
 */
/**
 * Lock files held by this process. The OS-level lock cannot tell two instances
 * of one process apart (same pid), so the process keeps this registry: it
 * mirrors the LOCK files it owns and is the only process-wide state here.
 */
const heldHere = new Set<string>();

export class WriterLock {
  readonly file: string;
  private held = false;

  constructor(readonly dir: string) {
    this.file = path.join(dir, 'LOCK');
  }

  get isHeld(): boolean {
    return this.held;
  }

  async acquire(): Promise<void> {
    if (this.held) return;
    const me = { pid: process.pid, host: hostname() };
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (error) {
      throw writeFailed(this.dir, error);
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(this.file, 'wx');
        try {
          await handle.writeFile(JSON.stringify(me));
          await handle.sync();
        } finally {
          await handle.close();
        }
        this.held = true;
        heldHere.add(this.file);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') throw writeFailed(this.dir, error);
      }
      const owner = await readFile(this.file, 'utf8').then((text) => JSON.parse(text) as { pid: number; host: string }, () => undefined);
      if (owner && owner.host === me.host && owner.pid === me.pid && heldHere.has(this.file)) {
        throw new AnswerdeskError('ADK_STORE_LOCKED', { dir: this.dir, pid: `${owner.pid}, another knowledge base in this process` });
      }
      if (owner && owner.host === me.host && owner.pid !== me.pid && alive(owner.pid)) {
        throw new AnswerdeskError('ADK_STORE_LOCKED', { dir: this.dir, pid: owner.pid });
      }
      if (owner && owner.host !== me.host) throw new AnswerdeskError('ADK_STORE_LOCKED', { dir: this.dir, pid: `${owner.pid} on ${owner.host}` });
      // The writer that left this lock is gone: take it over.
      try {
        await rm(this.file, { force: true });
      } catch (error) {
        throw writeFailed(this.dir, error);
      }
    }
    throw new AnswerdeskError('ADK_STORE_LOCKED', { dir: this.dir, pid: 'unknown' });
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    heldHere.delete(this.file);
    await rm(this.file, { force: true }).catch(() => undefined);
  }
}


function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
