import { mkdir, open, readFile, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';

/**
 * An append-only JSON-lines file: each `append` is one write followed by an
 * fsync, so a record that was acknowledged survives a crash. A crash in the
 * middle of a write can only leave a torn last line, which was never
 * acknowledged: reading skips it and the next append cuts it off first.
 */
export class Journal<T> {
  readonly file: string;
  private tail: Promise<unknown> = Promise.resolve();
  private repaired = false;

  constructor(file: string) {
    this.file = path.resolve(file);
  }

  /** Append records durably; appends from one process never interleave. */
  append(records: readonly T[]): Promise<void> {
    const run = this.tail.then(() => this.write(records));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async write(records: readonly T[]): Promise<void> {
    if (records.length === 0) return;
    const text = records.map((record) => JSON.stringify(record) + '\n').join('');
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      if (!this.repaired) await this.cutTornTail();
      const handle = await open(this.file, 'a');
      try {
        await handle.write(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      // A failed write may have left part of a line: cut it before the next append.
      this.repaired = false;
      throw new AnswerdeskError('ADK_STORE_WRITE_FAILED', { dir: path.dirname(this.file), reason: reasonOf(error) }, { cause: error });
    }
  }

  private async cutTornTail(): Promise<void> {
    const size = await stat(this.file).then((s) => s.size, () => 0);
    if (size > 0) {
      const content = await readFile(this.file);
      if (content[size - 1] !== 0x0a) await truncate(this.file, content.lastIndexOf(0x0a) + 1);
    }
    this.repaired = true;
  }

  /** Every complete record, oldest first. A damaged line other than a torn last one is an error. */
  async read(): Promise<T[]> {
    let content: string;
    try {
      content = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: path.dirname(this.file), reason: `cannot read ${path.basename(this.file)}: ${reasonOf(error)}` });
    }
    const lines = content.split('\n');
    // The part after the last newline is a torn write (or empty): never acknowledged.
    lines.pop();
    return lines.map((line, i) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: path.dirname(this.file), reason: `${path.basename(this.file)} line ${i + 1} is not JSON` });
      }
    });
  }
}
