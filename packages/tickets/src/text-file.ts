import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
// chardet (a port of ICU's charset detector, no dependencies, maintained) ranks the encodings a
// byte sequence could be in, from letter statistics per language. It is only asked once a file
// has proved not to be UTF-8, and only its verdict "this is Latin-1 / Windows-1252" is acted on.
import chardet from 'chardet';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';

/**
 * Reading text files a careless user has: too large, binary, or not UTF-8.
 * Every refusal is a coded error for that one file; callers carry on with the others.
 *
 * - The size is checked with `stat` before a byte is read.
 * - Binary files (NUL bytes near the start, or the signature of a PDF, ZIP/Office
 *   document, image, archive…) are refused: `ADK_FILE_BINARY`.
 * - A UTF-8 byte order mark is dropped; UTF-16 LE/BE with a byte order mark is converted.
 * - Text that is not valid UTF-8 is converted from Windows-1252 (a superset of Latin-1) only when
 *   the detector says Latin-1/Windows-1252 and every byte makes sense there; anything else is
 *   refused with `ADK_FILE_ENCODING_UNSUPPORTED`, which says to save the file as UTF-8.
 */

export const MiB = 1024 * 1024;
/** Largest markdown article read by default: far above any real article (a long one is 50 KiB), far below what would exhaust memory. */
export const DEFAULT_MAX_ARTICLE_BYTES = 5 * MiB;
/** Largest ticket export read by default. Exports are streamed, but the tickets read are kept in memory. */
export const DEFAULT_MAX_EXPORT_BYTES = 512 * MiB;

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface TextFileOptions {
  /** The file's name in messages. Default: the path. */
  display?: string;
  /** Refuse larger files (checked with stat before reading). Default: no limit. */
  maxBytes?: number;
  /** What the limit is for, in messages: "a markdown article". */
  kind?: string;
  /** The option that raises the limit, in messages. */
  option?: string;
  /** What the file should have been, in the binary-file message: "a markdown article". */
  expected?: string;
}

/** `5 MiB`, `50.0 MiB`, `12.3 KiB`, `812 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** `5MB`, `5 MiB`, `512k`, `1g`, `1048576` → bytes (K/M/G are powers of 1024). Undefined when it is not a size. */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|bytes?|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase()[0]!;
  const factor = unit === 'k' ? 1024 : unit === 'm' ? MiB : unit === 'g' ? 1024 * MiB : 1;
  const bytes = Math.round(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
/** Signatures of binary formats people save under a text name (a .docx renamed .md, a PDF export named .csv…). */
const SIGNATURES: Array<[number[], string]> = [
  [ascii('%PDF-'), 'it is a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'it is a ZIP archive, as Word, Excel and OpenDocument files are'],
  [[0x50, 0x4b, 0x05, 0x06], 'it is an empty ZIP archive'],
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'it is an old Microsoft Office document (.doc, .xls)'],
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'it is a PNG image'],
  [ascii('GIF87a'), 'it is a GIF image'],
  [ascii('GIF89a'), 'it is a GIF image'],
  [[0xff, 0xd8, 0xff], 'it is a JPEG image'],
  [[0x1f, 0x8b], 'it is gzip-compressed'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'it is zstd-compressed'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'it is xz-compressed'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'it is a 7-Zip archive'],
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], 'it is a RAR archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'it is a program (ELF)'],
  [ascii('SQLite format 3\0'), 'it is an SQLite database'],
];

/** How many leading bytes are looked at for byte order marks, signatures and NUL bytes. */
const SNIFF_BYTES = 8192;

type Sniffed = { encoding: TextEncoding; bom: number } | { encoding?: undefined; binary: string } | { encoding?: undefined; unsupported: string };

/** What the first bytes of a file say it is. Pure. */
export function sniffBytes(head: Uint8Array): Sniffed {
  const starts = (bytes: number[]) => bytes.length <= head.length && bytes.every((b, i) => head[i] === b);
  // UTF-32 byte order marks start like UTF-16 ones: check them first.
  if (starts([0xff, 0xfe, 0x00, 0x00]) || starts([0x00, 0x00, 0xfe, 0xff])) return { unsupported: 'it is UTF-32' };
  if (starts([0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bom: 3 };
  if (starts([0xff, 0xfe])) return { encoding: 'utf-16le', bom: 2 };
  if (starts([0xfe, 0xff])) return { encoding: 'utf-16be', bom: 2 };
  for (const [signature, what] of SIGNATURES) if (starts(signature)) return { binary: what };
  const sample = head.subarray(0, SNIFF_BYTES);
  const nul = sample.indexOf(0);
  if (nul >= 0) {
    // UTF-16 without a byte order mark: ASCII text has a NUL in every other byte.
    let even = 0;
    let odd = 0;
    for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 === 0 ? even++ : odd++);
    const half = sample.length / 2;
    if (Math.max(even, odd) > 0.4 * half && Math.min(even, odd) < 0.05 * half) return { unsupported: 'it looks like UTF-16 without a byte order mark' };
    return { binary: `it holds NUL bytes (the first at byte ${nul + 1}), as binary files do` };
  }
  return { encoding: 'utf-8', bom: 0 };
}

/** Windows-1252's characters for bytes 0x80–0x9F (Latin-1 has control codes there); `\0` marks the five unused bytes. */
const CP1252 = '€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ';

/** Decode Windows-1252 (and so Latin-1) bytes. Pure. (Node's TextDecoder decodes "windows-1252" as Latin-1, so it is done here.) */
export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    // The five unused bytes stay the C1 controls they are in Latin-1, as the WHATWG decoder keeps them.
    .replace(/[\x80-\x9f]/g, (c) => (CP1252[c.charCodeAt(0) - 0x80] === '\0' ? c : CP1252[c.charCodeAt(0) - 0x80]!));
}

const LATIN1_NAMES = new Set(['ISO-8859-1', 'windows-1252', 'ISO-8859-15']);

/**
 * Is text that is not UTF-8 surely Windows-1252/Latin-1? `undefined` when it is, else why not.
 * The detector must rank Latin-1 or Windows-1252 first (or an encoding in which these bytes
 * read exactly as in Windows-1252), and no byte may be one that Windows-1252 leaves unused or
 * a control code that text never holds. Pure.
 */
export function latin1Doubt(sample: Uint8Array): string | undefined {
  const bytes = byteDoubt(sample);
  if (bytes) return bytes;
  const [best] = chardet.analyse(sample);
  if (!best || best.confidence < 20 || best.name === 'UTF-8' || best.name === 'ASCII') return 'its encoding could not be recognised';
  if (LATIN1_NAMES.has(best.name)) return undefined;
  // A sibling of Latin-1 (Turkish ISO-8859-9, Central European ISO-8859-2…) ranked first, where this text
  // reads the same as in Windows-1252 ("Café" is the same bytes in both): the text is sure, whichever it was.
  if (sameAsWindows1252(sample, best.name)) return undefined;
  return `it looks like ${best.name}`;
}

const MIXED = 'it mixes UTF-8 with another encoding';

/** Does `bytes` hold a well-formed UTF-8 sequence of 2–4 bytes? In Latin-1 text that is mojibake ("Ã¼"): a sign of mixed encodings. Pure. */
function hasUtf8Sequence(bytes: Uint8Array): boolean {
  const continuation = (i: number) => i < bytes.length && (bytes[i]! & 0xc0) === 0x80;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) continue;
    let ok = true;
    for (let k = 1; k < length; k++) ok &&= continuation(i + k);
    if (ok) return true;
  }
  return false;
}

/** A byte that Windows-1252 text never holds: a control code, or one of the five bytes it leaves unused; or UTF-8 mixed in. Pure. */
function byteDoubt(bytes: Uint8Array): string | undefined {
  if (hasUtf8Sequence(bytes)) return MIXED;
  for (const byte of bytes) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) || byte === 0x7f) return 'it holds control characters, so its encoding cannot be told';
    if (byte === 0x81 || byte === 0x8d || byte === 0x8f || byte === 0x90 || byte === 0x9d) return 'its encoding could not be recognised';
  }
  return undefined;
}

function sameAsWindows1252(sample: Uint8Array, encoding: string): boolean {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    return false; // an encoding this Node cannot decode
  }
  try {
    return decoder.decode(sample) === decodeWindows1252(sample);
  } catch {
    return false;
  }
}

function sizeCheck(bytes: number, display: string, options: TextFileOptions): void {
  if (options.maxBytes !== undefined && bytes > options.maxBytes) {
    throw new AnswerdeskError('ADK_FILE_TOO_LARGE', {
      file: display,
      size: formatBytes(bytes),
      max: formatBytes(options.maxBytes),
      kind: options.kind ?? 'a file',
      option: options.option ?? 'the maxBytes option',
    });
  }
}

async function statFile(filePath: string, display: string): Promise<number> {
  let info;
  try {
    info = await stat(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AnswerdeskError('ADK_PATH_NOT_FOUND', { path: filePath }, { cause: error });
    throw new AnswerdeskError('ADK_FILE_UNREADABLE', { file: display, reason: reasonOf(error) }, { cause: error });
  }
  if (!info.isFile()) throw new AnswerdeskError('ADK_FILE_UNREADABLE', { file: display, reason: info.isDirectory() ? 'it is a folder' : 'it is not a regular file' });
  return info.size;
}

function refusal(sniffed: Sniffed, display: string, options: TextFileOptions): AnswerdeskError | undefined {
  if ('binary' in sniffed) return new AnswerdeskError('ADK_FILE_BINARY', { file: display, reason: sniffed.binary, expected: options.expected ?? 'UTF-8 text' });
  if ('unsupported' in sniffed) return new AnswerdeskError('ADK_FILE_ENCODING_UNSUPPORTED', { file: display, reason: sniffed.unsupported });
  return undefined;
}

/** Decode a whole file's bytes by the rules above. Pure. */
export function decodeText(bytes: Uint8Array, display = '<input>', options: TextFileOptions = {}): { text: string; encoding: TextEncoding } {
  const sniffed = sniffBytes(bytes);
  const refused = refusal(sniffed, display, options);
  if (refused) throw refused;
  const encoding = sniffed.encoding!;
  if (encoding !== 'utf-8' || (sniffed as { bom: number }).bom > 0) {
    try {
      // The decoder drops the byte order mark itself.
      return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes), encoding };
    } catch {
      throw new AnswerdeskError('ADK_FILE_ENCODING_UNSUPPORTED', { file: display, reason: `it starts with a ${encoding.toUpperCase()} byte order mark but is not valid ${encoding.toUpperCase()}` });
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding };
  } catch {
    // Not UTF-8. A NUL further in than the sniffed head still means binary.
    const nul = bytes.indexOf(0);
    if (nul >= 0) throw new AnswerdeskError('ADK_FILE_BINARY', { file: display, reason: `it holds NUL bytes (the first at byte ${nul + 1}), as binary files do`, expected: options.expected ?? 'UTF-8 text' });
    const doubt = byteDoubt(bytes) ?? latin1Doubt(sampleAroundInvalid(bytes));
    if (doubt) throw new AnswerdeskError('ADK_FILE_ENCODING_UNSUPPORTED', { file: display, reason: doubt });
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

/** Up to 256 KiB of the bytes, around the first that is not ASCII (where the encoding shows). */
function sampleAroundInvalid(bytes: Uint8Array): Uint8Array {
  const limit = 256 * 1024;
  if (bytes.length <= limit) return bytes;
  let first = bytes.findIndex((b) => b >= 0x80);
  if (first < 0) first = 0;
  const start = Math.max(0, Math.min(first - limit / 4, bytes.length - limit));
  return bytes.subarray(start, start + limit);
}

/**
 * Read a whole text file (a markdown article): size checked with stat first, then decoded by the
 * rules above. ADK_PATH_NOT_FOUND, ADK_FILE_UNREADABLE, ADK_FILE_TOO_LARGE, ADK_FILE_BINARY,
 * ADK_FILE_ENCODING_UNSUPPORTED.
 */
export async function readTextFile(filePath: string, options: TextFileOptions = {}): Promise<{ text: string; encoding: TextEncoding; bytes: number }> {
  const display = options.display ?? filePath;
  sizeCheck(await statFile(filePath, display), display, options);
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    throw new AnswerdeskError('ADK_FILE_UNREADABLE', { file: display, reason: reasonOf(error) }, { cause: error });
  }
  // It may have grown since stat.
  sizeCheck(bytes.byteLength, display, options);
  return { ...decodeText(bytes, display, options), bytes: bytes.byteLength };
}

/** A text file opened for streaming: what it was found to be, and its text chunk by chunk. */
export interface TextStream {
  encoding: TextEncoding;
  /** Size in bytes. */
  bytes: number;
  /** The decoded text, chunk by chunk; `onBytes` hears how many bytes were read so far. */
  chunks(onBytes?: (read: number) => void): AsyncIterable<string>;
}

function decoderFor(encoding: TextEncoding): (chunk: Uint8Array | undefined) => string {
  if (encoding === 'windows-1252') return (chunk) => (chunk ? decodeWindows1252(chunk) : '');
  const decoder = new TextDecoder(encoding, { fatal: true });
  return (chunk) => (chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode());
}

/**
 * Open a big text file (a ticket export) for streaming. Before anything is parsed, its size is
 * checked with stat and its bytes are scanned once (binary? valid UTF-8?), so a file is refused
 * or converted as a whole, never half-read. The same errors as `readTextFile`.
 */
export async function openTextStream(filePath: string, options: TextFileOptions = {}): Promise<TextStream> {
  const display = options.display ?? filePath;
  const size = await statFile(filePath, display);
  sizeCheck(size, display, options);
  const unreadable = (error: unknown) => (error instanceof AnswerdeskError ? error : new AnswerdeskError('ADK_FILE_UNREADABLE', { file: display, reason: reasonOf(error) }, { cause: error }));

  let sniffed: Sniffed | undefined;
  let encoding: TextEncoding | undefined;
  // One pass over the bytes: the head says BOM or binary; a UTF-8 candidate must decode whole.
  try {
    const validator = new TextDecoder('utf-8', { fatal: true });
    let previous: Buffer | undefined;
    let sawNonAscii = false;
    for await (const chunk of createReadStream(filePath, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
      if (!sniffed) {
        sniffed = sniffBytes(chunk);
        const refused = refusal(sniffed, display, options);
        if (refused) throw refused;
        if (sniffed.encoding !== 'utf-8') break; // UTF-16 with a BOM: its decoder checks it as it goes
      }
      if (encoding === 'windows-1252') {
        // Once the detector said Latin-1, every later byte must still make sense in it.
        const doubt = byteDoubt(chunk);
        if (doubt) throw new AnswerdeskError('ADK_FILE_ENCODING_UNSUPPORTED', { file: display, reason: doubt });
        continue;
      }
      try {
        validator.decode(chunk, { stream: true });
      } catch {
        const nul = chunk.indexOf(0);
        if (nul >= 0) throw new AnswerdeskError('ADK_FILE_BINARY', { file: display, reason: 'it holds NUL bytes, as binary files do', expected: options.expected ?? 'UTF-8 text' });
        // The chunk where UTF-8 broke shows the encoding. The bytes before it must have been plain
        // ASCII: UTF-8 characters there would mean a file of two encodings, which no reading gets right.
        const doubt = sawNonAscii ? MIXED : latin1Doubt(previous ? Buffer.concat([previous.subarray(-16 * 1024), chunk]) : chunk);
        if (doubt) throw new AnswerdeskError('ADK_FILE_ENCODING_UNSUPPORTED', { file: display, reason: doubt });
        encoding = 'windows-1252';
        continue;
      }
      previous = chunk;
      sawNonAscii ||= chunk.some((b) => b >= 0x80);
    }
    if (!encoding) {
      try {
        validator.decode();
      } catch {
        throw new AnswerdeskError('ADK_FILE_ENCODING_UNSUPPORTED', { file: display, reason: 'it ends in the middle of a UTF-8 character' });
      }
    }
  } catch (error) {
    throw unreadable(error);
  }
  encoding ??= sniffed?.encoding ?? 'utf-8';
  const chosen = encoding;
  return {
    encoding: chosen,
    bytes: size,
    async *chunks(onBytes) {
      const decode = decoderFor(chosen);
      let read = 0;
      let first = true;
      try {
        for await (const chunk of createReadStream(filePath, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
          read += chunk.byteLength;
          if (options.maxBytes !== undefined && read > options.maxBytes) sizeCheck(read, display, options);
          let text: string;
          try {
            text = decode(chunk);
          } catch {
            throw new AnswerdeskError('ADK_FILE_ENCODING_UNSUPPORTED', { file: display, reason: `it is not valid ${chosen.toUpperCase()}` });
          }
          // A UTF-8 byte order mark is not part of the first row (the UTF-16 decoders drop theirs).
          if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          first = false;
          onBytes?.(read);
          if (text) yield text;
        }
        const rest = decode(undefined);
        if (rest) yield rest;
      } catch (error) {
        throw unreadable(error);
      }
    },
  };
}

/**
 * Text of a stream that cannot be read twice (standard input): UTF-8 (a BOM dropped) or UTF-16
 * with a BOM; binary input, or input that is not valid UTF-8, is refused as it shows up.
 */
export async function* decodeStream(input: AsyncIterable<Buffer | string>, display = '<stdin>', options: TextFileOptions = {}): AsyncGenerator<string> {
  let decode: ((chunk: Uint8Array | undefined) => string) | undefined;
  let encoding: TextEncoding = 'utf-8';
  let first = true;
  let read = 0;
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    read += chunk.byteLength;
    if (options.maxBytes !== undefined) sizeCheck(read, display, options);
    if (!decode) {
      const sniffed = sniffBytes(chunk);
      const refused = refusal(sniffed, display, options);
      if (refused) throw refused;
      encoding = sniffed.encoding!;
      decode = decoderFor(encoding);
    } else if (encoding === 'utf-8' && chunk.indexOf(0) >= 0) {
      throw new AnswerdeskError('ADK_FILE_BINARY', { file: display, reason: 'it holds NUL bytes, as binary files do', expected: options.expected ?? 'UTF-8 text' });
    }
    let text: string;
    try {
      text = decode(chunk);
    } catch {
      throw new AnswerdeskError('ADK_FILE_ENCODING_UNSUPPORTED', { file: display, reason: `it is not valid ${encoding.toUpperCase()}` });
    }
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    if (text) yield text;
  }
  if (decode) {
    let rest: string;
    try {
      rest = decode(undefined);
    } catch {
      throw new AnswerdeskError('ADK_FILE_ENCODING_UNSUPPORTED', { file: display, reason: `it ends in the middle of a ${encoding.toUpperCase()} character` });
    }
    if (rest) yield rest;
  }
}
