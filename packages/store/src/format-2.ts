import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AnswerdeskError, reasonOf, type KnowledgeDoc } from '@answerdesk/types';

/**
 * The store folder format of Answerdesk before SQLite (format 2; format 1 is the same without
 * the log): immutable snapshots named by `CURRENT`, each with a manifest of sha256 checksums, a
 * write-ahead log of the changes made after it, and a feedback journal. Only read, so that such
 * a folder can be converted once; nothing writes this format any more.
 */

/** The newest format this reader understands. */
export const FORMAT_VERSION = 2;

const SNAPSHOT = /^snap-(\d{8})$/;
const FILES = { categorizers: 'categorizers.json', docs: 'docs.jsonl', passages: 'passages.json', vectors: 'vectors.f32' } as const;
/** A log record's frame: magic, header length, payload length, checksum (4 bytes each). */
const FRAME = 16;
const MAGIC = 0x4144_4b57; // "ADKW"

export interface Format2Passage {
  key: string;
  docId: string;
  text: string;
  vector: Float32Array;
}

/** A categorizer as it was saved: its JSON description and its weights (base64 of float32). */
export interface Format2Categorizer {
  field: string;
  origin: 'knowledge-base' | 'examples';
  state: { json: string; weights: string };
}

/** Everything a format-2 store holds, with the log replayed. */
export interface Format2Records {
  formatVersion: number;
  model: string;
  dimension: number;
  docs: KnowledgeDoc[];
  passages: Format2Passage[];
  categorizers: Format2Categorizer[];
  feedback: Array<{ id: string; at: string } & Record<string, unknown>>;
}

interface Manifest {
  formatVersion: number;
  sequence: number;
  modelId: string;
  dimension: number;
  files: Record<string, { sha256: string; bytes: number }>;
}

interface LogRecord {
  model: string;
  dimension: number;
  docs: KnowledgeDoc[];
  passages: Array<{ key: string; docId: string; text: string }>;
  removed: string[];
}

const corrupt = (dir: string, reason: string, cause?: unknown) => new AnswerdeskError('ADK_STORE_CORRUPT', { dir, reason }, cause === undefined ? undefined : { cause });

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new AnswerdeskError('ADK_STORE_NOT_A_STORE', { dir: path.dirname(file), reason: 'it is a file, not a folder' }, { cause: error });
    throw corrupt(path.dirname(file), `${path.basename(file)} cannot be read (${reasonOf(error)})`, error);
  }
}

/** The snapshot `CURRENT` names, every file checked against its manifest; undefined when there is none (a store that only has a log). */
async function readSnapshot(dir: string): Promise<{ manifest: Manifest; file: (name: string) => Promise<Buffer | undefined> } | undefined> {
  const current = (await readOptional(path.join(dir, 'CURRENT')))?.toString('utf8').trim();
  if (current === undefined) return undefined;
  if (!SNAPSHOT.test(current)) throw corrupt(dir, `CURRENT names "${current}", which is not a snapshot`);
  const folder = path.join(dir, current);
  let manifest: Manifest;
  try {
    manifest = JSON.parse((await readFile(path.join(folder, 'manifest.json'))).toString('utf8')) as Manifest;
  } catch (error) {
    throw corrupt(dir, `${current}/manifest.json cannot be read (${reasonOf(error)})`, error);
  }
  if (typeof manifest.formatVersion !== 'number') throw corrupt(dir, 'the manifest has no format version');
  if (manifest.formatVersion > FORMAT_VERSION) throw new AnswerdeskError('ADK_STORE_VERSION_UNSUPPORTED', { dir, found: manifest.formatVersion, supported: FORMAT_VERSION });
  const files = new Map<string, Buffer>();
  for (const [name, expected] of Object.entries(manifest.files)) {
    const data = await readOptional(path.join(folder, name));
    if (!data) throw corrupt(dir, `${current}/${name} is missing`);
    if (createHash('sha256').update(data).digest('hex') !== expected.sha256) throw corrupt(dir, `${current}/${name} fails its checksum`);
    files.set(name, data);
  }
  return { manifest, file: async (name) => files.get(name) };
}

/**
 * The whole records of the log of snapshot `sequence`. A torn last record (a crash mid-append)
 * was never acknowledged and is left out, as the old reader did.
 */
async function readLog(dir: string, sequence: number): Promise<Array<{ header: LogRecord; payload: Buffer }>> {
  const data = await readOptional(path.join(dir, `wal-${String(sequence).padStart(8, '0')}.log`));
  if (!data) return [];
  const records: Array<{ header: LogRecord; payload: Buffer }> = [];
  for (let offset = 0; offset + FRAME <= data.byteLength; ) {
    if (data.readUInt32BE(offset) !== MAGIC) break;
    const headLength = data.readUInt32BE(offset + 4);
    const end = offset + FRAME + headLength + data.readUInt32BE(offset + 8);
    if (end > data.byteLength) break;
    const head = data.subarray(offset + FRAME, offset + FRAME + headLength);
    const payload = data.subarray(offset + FRAME + headLength, end);
    const sum = createHash('sha256').update(head).update(payload).digest().readUInt32BE(0);
    if (sum !== data.readUInt32BE(offset + 12)) break;
    let header: LogRecord;
    try {
      header = JSON.parse(head.toString('utf8')) as LogRecord;
    } catch {
      break;
    }
    records.push({ header, payload: Buffer.from(payload) });
    offset = end;
  }
  return records;
}

/** Float32 vectors of `dimension` from little-endian bytes (copied: the buffer may not be aligned). */
function vectorsOf(data: Buffer, dimension: number, count: number, dir: string, what: string): Float32Array[] {
  if (data.byteLength !== count * dimension * 4) throw corrupt(dir, `${what} holds ${data.byteLength / 4 / dimension} vectors for ${count} passages`);
  const all = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return Array.from({ length: count }, (_v, i) => all.slice(i * dimension, (i + 1) * dimension));
}

/** JSON lines; the part after the last newline is a torn write, never acknowledged. */
function jsonLines<T>(text: string, dir: string, name: string): T[] {
  const lines = text.split('\n');
  lines.pop();
  return lines.flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as T];
    } catch (error) {
      throw corrupt(dir, `${name} line ${i + 1} is not JSON`, error);
    }
  });
}

/**
 * Reads a format-1 or format-2 store folder whole: the current snapshot (checksums verified) with
 * its log replayed, and the feedback journal. `ADK_STORE_NOT_FOUND` when the folder holds neither
 * a snapshot nor a log; `ADK_STORE_CORRUPT` when a file is damaged.
 */
export async function readFormat2Store(dir: string): Promise<Format2Records> {
  const snapshot = await readSnapshot(dir);
  const docs = new Map<string, KnowledgeDoc>();
  const passages = new Map<string, Format2Passage>();
  const categorizers: Format2Categorizer[] = [];
  let model = snapshot?.manifest.modelId;
  let dimension = snapshot?.manifest.dimension;
  if (snapshot) {
    const { manifest, file } = snapshot;
    try {
      for (const doc of jsonLines<KnowledgeDoc>(((await file(FILES.docs)) ?? Buffer.alloc(0)).toString('utf8') + '\n', dir, FILES.docs)) docs.set(doc.id, doc);
      const keys = JSON.parse(((await file(FILES.passages)) ?? '[]').toString()) as Array<{ key: string; doc: string; text: string }>;
      const vectors = vectorsOf((await file(FILES.vectors)) ?? Buffer.alloc(0), manifest.dimension, keys.length, dir, FILES.vectors);
      keys.forEach((entry, i) => passages.set(entry.key, { key: entry.key, docId: entry.doc, text: entry.text, vector: vectors[i]! }));
      // Stores saved before categorizers existed have no list.
      const list = JSON.parse(((await file(FILES.categorizers)) ?? '[]').toString()) as Array<{ field: string; origin: Format2Categorizer['origin'] }>;
      for (const { field, origin } of list) {
        const json = await file(`categorizer-${field}.json`);
        const weights = await file(`categorizer-${field}.f32`);
        if (!json || !weights) throw new Error(`the categorizer of "${field}" is missing its files`);
        categorizers.push({ field, origin, state: { json: json.toString('utf8'), weights: weights.toString('base64') } });
      }
    } catch (error) {
      if (error instanceof AnswerdeskError) throw error;
      throw corrupt(dir, reasonOf(error), error);
    }
  }
  const log = await readLog(dir, snapshot?.manifest.sequence ?? 0);
  if (!snapshot && log.length === 0) throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir });
  for (const { header, payload } of log) {
    if (model !== undefined && (header.model !== model || header.dimension !== dimension)) throw corrupt(dir, `the log holds vectors of ${header.model} (${header.dimension}) for a store of ${model} (${dimension})`);
    model = header.model;
    dimension = header.dimension;
    const vectors = vectorsOf(payload, header.dimension, header.passages.length, dir, 'a log record');
    // A record removes documents, then replaces the passages of every document it writes.
    const replaced = new Set([...header.removed, ...header.docs.map((doc) => doc.id)]);
    for (const [key, passage] of passages) if (replaced.has(passage.docId)) passages.delete(key);
    for (const id of header.removed) docs.delete(id);
    for (const doc of header.docs) docs.set(doc.id, doc);
    header.passages.forEach((p, i) => passages.set(p.key, { key: p.key, docId: p.docId, text: p.text, vector: vectors[i]! }));
  }
  const journal = await readOptional(path.join(dir, 'feedback.jsonl'));
  return {
    formatVersion: snapshot?.manifest.formatVersion ?? FORMAT_VERSION,
    model: model!,
    dimension: dimension!,
    docs: [...docs.values()],
    passages: [...passages.values()],
    categorizers,
    feedback: journal ? jsonLines(journal.toString('utf8'), dir, 'feedback.jsonl') : [],
  };
}
