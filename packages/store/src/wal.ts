import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';
import { writeFailed } from './write-failed.js';

/**
 * The write-ahead log of a snapshot store: changes acknowledged since snapshot
 * N live in `wal-N.log`, and loading replays them over snapshot N. Each record
 * is framed (magic, lengths, checksum) and fsynced before `append` resolves, so
 * an acknowledged change survives a crash; a crash mid-append leaves a torn
 * last record, which was never acknowledged, and is dropped on read.
 */
export interface WalRecord<H> {
  header: H;
  payload: Uint8Array;
}

export interface WalContents<H> {
  records: WalRecord<H>[];
  /** Bytes after the last whole record: a write that never completed (never acknowledged). */
  tornBytes: number;
  bytes: number;
}

const MAGIC = 0x4144_4b57; // "ADKW"
const FRAME = 16; // magic, header length, payload length, checksum (4 bytes each)
const WAL_PATTERN = /^wal-(\d{8})\.log$/;

const checksum = (header: Uint8Array, payload: Uint8Array) => createHash('sha256').update(header).update(payload).digest().readUInt32BE(0);

export const walName = (sequence: number) => `wal-${String(sequence).padStart(8, '0')}.log`;


export class WriteAheadLog<H> {
  /** Logs whose torn tail has been cut (or checked) in this process. */
  private readonly clean = new Set<number>();

  constructor(readonly dir: string) {}

  file(sequence: number): string {
    return path.join(this.dir, walName(sequence));
  }

  /** Append one record to the log of snapshot `sequence` and fsync it. */
  async append(sequence: number, header: H, payload: Uint8Array = new Uint8Array(0)): Promise<number> {
    const head = Buffer.from(JSON.stringify(header), 'utf8');
    const frame = Buffer.alloc(FRAME);
    frame.writeUInt32BE(MAGIC, 0);
    frame.writeUInt32BE(head.byteLength, 4);
    frame.writeUInt32BE(payload.byteLength, 8);
    frame.writeUInt32BE(checksum(head, payload), 12);
    const file = this.file(sequence);
    try {
      await mkdir(this.dir, { recursive: true });
      if (!this.clean.has(sequence)) {
        // A torn record left by a crash must go before anything is appended after it.
        const { tornBytes, bytes } = await this.scan(sequence);
        if (tornBytes > 0) await truncate(file, bytes - tornBytes);
        this.clean.add(sequence);
      }
      const handle = await open(file, 'a');
      try {
        await handle.writev([frame, head, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)]);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return FRAME + head.byteLength + payload.byteLength;
    } catch (error) {
      // Whatever part of the record reached the disk is a torn tail now.
      this.clean.delete(sequence);
      throw writeFailed(this.dir, error);
    }
  }

  /** Every whole record of the log of snapshot `sequence`, oldest first. */
  async read(sequence: number): Promise<WalContents<H>> {
    return this.scan(sequence);
  }

  private async scan(sequence: number): Promise<WalContents<H>> {
    let data: Buffer;
    try {
      data = await readFile(this.file(sequence));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], tornBytes: 0, bytes: 0 };
      // The store path is a file (or under one): not a damaged store, not a store at all.
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new AnswerdeskError('ADK_STORE_NOT_A_STORE', { dir: this.dir, reason: 'it is a file, not a folder' }, { cause: error });
      throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.dir, reason: `${walName(sequence)} cannot be read (${reasonOf(error)})` });
    }
    const records: WalRecord<H>[] = [];
    let offset = 0;
    while (offset + FRAME <= data.byteLength) {
      if (data.readUInt32BE(offset) !== MAGIC) break;
      const headLength = data.readUInt32BE(offset + 4);
      const payloadLength = data.readUInt32BE(offset + 8);
      const end = offset + FRAME + headLength + payloadLength;
      if (end > data.byteLength) break;
      const head = data.subarray(offset + FRAME, offset + FRAME + headLength);
      const payload = data.subarray(offset + FRAME + headLength, end);
      if (checksum(head, payload) !== data.readUInt32BE(offset + 12)) break;
      let header: H;
      try {
        header = JSON.parse(head.toString('utf8')) as H;
      } catch {
        break;
      }
      // Copy: the payload outlives this read and must be aligned for Float32Array views.
      records.push({ header, payload: new Uint8Array(payload) });
      offset = end;
    }
    return { records, tornBytes: data.byteLength - offset, bytes: data.byteLength };
  }

  /** Size of the log of snapshot `sequence` in bytes (0 when there is none). */
  async size(sequence: number): Promise<number> {
    return stat(this.file(sequence)).then((s) => s.size, () => 0);
  }

  /** Delete the logs of snapshots before `sequence`: once a newer snapshot is current they are folded into it. */
  async prune(sequence: number): Promise<void> {
    const entries = await readdir(this.dir).catch(() => [] as string[]);
    for (const entry of entries) {
      const match = WAL_PATTERN.exec(entry);
      if (match && Number(match[1]) < sequence) {
        await rm(path.join(this.dir, entry), { force: true });
        this.clean.delete(Number(match[1]));
      }
    }
  }
}
