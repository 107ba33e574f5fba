import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';
import { writeFailed } from './write-failed.js';

/**
 * Bumped when the layout of a store changes; a store from a newer version is
 * refused, an older one is migrated by its reader. 2: changes since a snapshot
 * live in its write-ahead log (a version-1 reader would ignore them).
 */
export const FORMAT_VERSION = 2;
const CURRENT = 'CURRENT';
const MANIFEST = 'manifest.json';
const SNAPSHOT_PATTERN = /^snap-(\d{8})$/;

export interface SnapshotMeta {
  /** Id of the model whose vectors the snapshot holds. */
  modelId: string;
  dimension: number;
  /** Free-form counts shown by tools (documents, passages, segments…). */
  counts: Record<string, number>;
}

export interface Manifest extends SnapshotMeta {
  formatVersion: number;
  sequence: number;
  createdAt: string;
  /** sha256 and size of every file, checked on load. */
  files: Record<string, { sha256: string; bytes: number }>;
}

export type SnapshotFile =
  | { name: string; data: string | Uint8Array }
  /** For libraries that only write to a path themselves (hnswlib). */
  | { name: string; write: (file: string) => void | Promise<void> };

export interface SaveOptions {
  /**
   * Called after every file of the new snapshot is durable and before it becomes
   * current. Tests use it to simulate a crash at the worst moment.
   */
  beforeCommit?: () => void | Promise<void>;
}

export interface LoadOptions {
  /** Verify every file's checksum. Default true. */
  verify?: boolean;
}

export interface Snapshot {
  manifest: Manifest;
  /** Folder of the snapshot; files are read-only once committed. */
  dir: string;
  path(name: string): string;
  readText(name: string): Promise<string>;
  readBuffer(name: string): Promise<Buffer>;
}

async function fsyncPath(target: string, flags = constants.O_RDONLY): Promise<void> {
  const handle = await open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const data = await readFile(file);
  return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.byteLength };
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A store directory of immutable snapshots. Saving writes a complete new
 * snapshot folder (every file fsynced), renames it into place, then flips the
 * CURRENT pointer atomically: a crash at any point leaves the previous
 * snapshot current and readable.
 */
export class SnapshotStore {
  constructor(readonly dir: string) {}

  private async currentName(): Promise<string | undefined> {
    try {
      return (await readFile(path.join(this.dir, CURRENT), 'utf8')).trim();
    } catch (error) {
      if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.dir, reason: `CURRENT cannot be read (${reasonOf(error)})` });
    }
  }

  async exists(): Promise<boolean> {
    return (await this.currentName()) !== undefined;
  }

  async load(options: LoadOptions = {}): Promise<Snapshot> {
    const name = await this.currentName();
    if (name === undefined) throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir: this.dir });
    if (!SNAPSHOT_PATTERN.test(name)) throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.dir, reason: `CURRENT names "${name}", which is not a snapshot` });
    const dir = path.join(this.dir, name);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    } catch (error) {
      throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.dir, reason: `${name}/${MANIFEST} cannot be read (${reasonOf(error)})` });
    }
    if (typeof manifest.formatVersion !== 'number') throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.dir, reason: 'the manifest has no format version' });
    if (manifest.formatVersion > FORMAT_VERSION) {
      throw new AnswerdeskError('ADK_STORE_VERSION_UNSUPPORTED', { dir: this.dir, found: manifest.formatVersion, supported: FORMAT_VERSION });
    }
    if (options.verify ?? true) {
      for (const [file, expected] of Object.entries(manifest.files)) {
        const actual = await sha256File(path.join(dir, file)).catch(() => undefined);
        if (!actual) throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.dir, reason: `${name}/${file} is missing` });
        if (actual.sha256 !== expected.sha256) throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.dir, reason: `${name}/${file} fails its checksum` });
      }
    }
    return {
      manifest,
      dir,
      path: (file) => path.join(dir, file),
      readText: (file) => readFile(path.join(dir, file), 'utf8'),
      readBuffer: (file) => readFile(path.join(dir, file)),
    };
  }

  /** Write a complete new snapshot and make it current. Returns its manifest. */
  async save(meta: SnapshotMeta, files: readonly SnapshotFile[], options: SaveOptions = {}): Promise<Manifest> {
    for (const file of files) {
      if (!FILE_NAME.test(file.name) || file.name === MANIFEST) {
        throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'files', reason: `contains an unusable file name "${file.name}"` });
      }
    }
    let staging: string | undefined;
    try {
      await mkdir(this.dir, { recursive: true });
      const sequence = (await this.latestSequence()) + 1;
      const name = `snap-${String(sequence).padStart(8, '0')}`;
      staging = path.join(this.dir, `.staging-${name}-${process.pid}`);
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging);
      const checksums: Manifest['files'] = {};
      for (const file of files) {
        const target = path.join(staging, file.name);
        if ('data' in file) {
          const handle = await open(target, 'w');
          try {
            await handle.writeFile(file.data);
            await handle.sync();
          } finally {
            await handle.close();
          }
        } else {
          await file.write(target);
          await fsyncPath(target);
        }
        checksums[file.name] = await sha256File(target);
      }
      const manifest: Manifest = { formatVersion: FORMAT_VERSION, sequence, createdAt: new Date().toISOString(), ...meta, files: checksums };
      const manifestHandle = await open(path.join(staging, MANIFEST), 'w');
      try {
        await manifestHandle.writeFile(JSON.stringify(manifest, null, 2));
        await manifestHandle.sync();
      } finally {
        await manifestHandle.close();
      }
      await fsyncPath(staging);
      await rename(staging, path.join(this.dir, name));
      staging = undefined;
      await fsyncPath(this.dir);
      await options.beforeCommit?.();
      // The committed snapshot this save replaces (undefined: none; null: CURRENT unreadable).
      const previous = await this.currentName().catch(() => null);
      // The commit point: CURRENT is replaced by rename, never edited in place.
      await writeFileAtomic(path.join(this.dir, CURRENT), name + '\n', { fsync: true });
      // Past the commit point the new snapshot is current: tidying up is best effort, and a
      // failure there must not report the save as failed (callers would think the old state stands).
      await fsyncPath(this.dir).catch(() => undefined);
      await this.prune(name, previous).catch(() => undefined);
      return manifest;
    } catch (error) {
      if (staging) await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw writeFailed(this.dir, error);
    }
  }

  /** Highest snapshot number on disk, committed or not, so a new save never reuses a folder name. */
  private async latestSequence(): Promise<number> {
    const entries = await readdir(this.dir).catch(() => [] as string[]);
    let latest = 0;
    for (const entry of entries) {
      const match = SNAPSHOT_PATTERN.exec(entry);
      if (match) latest = Math.max(latest, Number(match[1]));
    }
    return latest;
  }

  /** Keep the current and the previous committed snapshot; drop older ones and abandoned staging folders. */
  private async prune(current: string, previous: string | null | undefined): Promise<void> {
    const entries = await readdir(this.dir);
    const snapshots = entries.filter((entry) => SNAPSHOT_PATTERN.test(entry) && entry < current).sort();
    // The newest older folder may never have been committed (a save that died before its commit point),
    // so keep the one CURRENT named before this save; only when that is unknown fall back to the newest.
    const keep = previous === null ? snapshots.at(-1) : previous;
    const stale = [...snapshots.filter((entry) => entry !== keep), ...entries.filter((entry) => entry.startsWith('.staging-') && !entry.endsWith(`-${process.pid}`))];
    for (const entry of stale) await rm(path.join(this.dir, entry), { recursive: true, force: true });
  }

  /** Total bytes of the current snapshot (for reports). */
  async size(): Promise<number> {
    const snapshot = await this.load({ verify: false });
    let bytes = 0;
    for (const file of Object.keys(snapshot.manifest.files)) bytes += (await stat(snapshot.path(file))).size;
    return bytes;
  }
}
