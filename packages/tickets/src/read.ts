import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { AnswerdeskError, reasonOf, type Ticket } from '@answerdesk/types';
import { linesOf, splitLines, type Line } from './lines.js';
import { DEFAULT_MAX_EXPORT_BYTES, decodeStream, openTextStream, readTextFile, type TextEncoding, type TextFileOptions } from './text-file.js';
import { validateTicket } from './validate.js';

export interface TicketImport {
  tickets: Ticket[];
  /** Every rejected row with its line number and a coded reason. */
  errors: AnswerdeskError[];
  /** Rows whose id appeared again later and were replaced by it (with `duplicates: 'last'`). */
  replaced: number;
  /** What the file was read as, when read from a file or stream: `utf-8`, or what it was converted from. */
  encoding?: TextEncoding;
}

export interface TicketReadOptions {
  /** A repeated id: `error` rejects the later row (a full export must have unique ids); `last` keeps the later row, as in a stream of updates. Default `error`. */
  duplicates?: 'error' | 'last';
}

export interface TicketFileOptions extends TicketReadOptions {
  /** Folder that the file's name in messages is relative to. Default: the file's folder. */
  root?: string;
  /** Refuse larger files, checked with stat before reading (`ADK_FILE_TOO_LARGE`). Default `DEFAULT_MAX_EXPORT_BYTES` (512 MiB). */
  maxBytes?: number;
  /** Hears how many bytes of the file were read so far, of its size: exports are read as a stream, row by row. */
  onProgress?: (read: number, total: number) => void;
}

export type TicketFormat = 'jsonl' | 'csv';

export function ticketFormatOf(file: string): TicketFormat | undefined {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  if (/\.csv$/i.test(file)) return 'csv';
  return undefined;
}

/** One row of an export: its parsed object, or why it could not be parsed, at the line it starts on. */
export interface ExportRow {
  line: number;
  raw?: unknown;
  error?: string;
}

/** Turns rows into validated tickets one at a time, so an export is never held whole. */
class TicketCollector {
  private readonly tickets: Ticket[] = [];
  private readonly errors: AnswerdeskError[] = [];
  private readonly seen = new Map<string, number>();
  private readonly at = new Map<string, number>();
  private replaced = 0;

  constructor(
    private readonly file: string,
    private readonly options: TicketReadOptions = {},
  ) {}

  add({ line, raw, error }: ExportRow): void {
    const file = this.file;
    if (error !== undefined) {
      this.errors.push(new AnswerdeskError('ADK_TICKET_INVALID', { file, line, reason: error }));
      return;
    }
    const check = validateTicket(raw);
    if (!check.ok) {
      this.errors.push(new AnswerdeskError('ADK_TICKET_INVALID', { file, line, reason: check.reason }));
      return;
    }
    const first = this.seen.get(check.ticket.id);
    if (first !== undefined && this.options.duplicates === 'last') {
      this.tickets[this.at.get(check.ticket.id)!] = check.ticket;
      this.replaced++;
      return;
    }
    if (first !== undefined) {
      this.errors.push(new AnswerdeskError('ADK_TICKET_ID_DUPLICATE', { file, line, id: check.ticket.id, other: `line ${first}` }));
      return;
    }
    this.seen.set(check.ticket.id, line);
    this.at.set(check.ticket.id, this.tickets.length);
    this.tickets.push(check.ticket);
  }

  result(): TicketImport {
    return { tickets: this.tickets, errors: this.errors, replaced: this.replaced };
  }
}

function collect(file: string, rows: Iterable<ExportRow>, options: TicketReadOptions = {}): TicketImport {
  const collector = new TicketCollector(file, options);
  for (const row of rows) collector.add(row);
  return collector.result();
}

/** Parse JSONL text: one ticket object per line; blank lines are skipped. Pure. */
export function parseTicketsJsonl(content: string, file = '<input>', options: TicketReadOptions = {}): TicketImport {
  return collect(file, jsonlRows(content), options);
}

function jsonlRow({ text, line }: Line): ExportRow | undefined {
  if (text.trim() === '') return undefined;
  try {
    return { line, raw: JSON.parse(text) };
  } catch (error) {
    return { line, error: `not valid JSON (${reasonOf(error)})` };
  }
}

/** Rows of JSONL text, one object per line; blank lines skipped. Pure. */
export function jsonlRows(content: string): ExportRow[] {
  // A byte order mark (Windows exports) is not part of the first JSON object.
  return splitLines(content.replace(/^\uFEFF/, ''), 'lf').flatMap((line) => jsonlRow(line) ?? []);
}

/** Rows of JSON Lines arriving line by line. */
export async function* jsonlRowsOf(lines: AsyncIterable<Line>): AsyncGenerator<ExportRow> {
  for await (const line of lines) {
    const row = jsonlRow(line);
    if (row) yield row;
  }
}

/** Parse CSV text with a header row (id, subject, body, resolution, …; extra columns become custom fields). Pure. */
export function parseTicketsCsv(content: string, file = '<input>', options: TicketReadOptions = {}): TicketImport {
  return collect(file, csvRows(content), options);
}

/** Rows of CSV text with a header row, as objects keyed by column. Pure. */
export function csvRows(content: string): ExportRow[] {
  const rows = new CsvRows();
  const out: ExportRow[] = [];
  for (const line of splitLines(content.replace(/^\uFEFF/, ''), 'any')) out.push(...rows.push(line));
  out.push(...rows.end());
  return out;
}

/** Rows of CSV arriving line by line. */
export async function* csvRowsOf(lines: AsyncIterable<Line>): AsyncGenerator<ExportRow> {
  const rows = new CsvRows();
  for await (const line of lines) yield* rows.push(line);
  yield* rows.end();
}

/** A quoted field may span lines, but not this many: past them, its opening quote is taken for a broken one. */
const MAX_RECORD_LINES = 10_000;
const MAX_RECORD_CHARS = 4 * 1024 * 1024;

const quoteCount = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
};

/** What went wrong, in words, for a record csv-parse refused. */
function csvReason(error: unknown, lines: number): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote opened on this line is never closed (a quoted field must end with a quote; write "" for a quote inside it)';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote in the middle of a field that does not start with one (put the whole field in quotes and write "" for each quote inside it)';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return lines > 1
        ? `a quote opened on this line is not closed where its field ends (write "" for a quote inside a quoted field); the ${lines - 1} line(s) after it were read as rows of their own`
        : 'a quoted field goes on after its closing quote (write "" for a quote inside a quoted field)';
    default:
      return `CSV cannot be read (${reasonOf(error)})`;
  }
}

/**
 * CSV records, line by line, with the line each starts on. A record ends at a line break
 * outside quotes: lines are gathered while a quoted field is open (an odd count of `"`), then
 * the record is parsed with csv-parse. A broken quote costs only its own row: when a quote
 * opened on a line is never closed (or closes in a way csv-parse refuses), that line is
 * rejected and reading goes on at the next line. (csv-parse's own `skip_records_with_error`
 * cannot do that: after an unclosed quote it reads the rest of the file as one field.)
 */
class CsvRows {
  private header?: string[];
  /** The header row could not be read: no row can be. */
  private dead = false;
  private pending: Line[] = [];
  private quotes = 0;
  private chars = 0;
  private queue: Line[] = [];
  private head = 0;
  private out: ExportRow[] = [];

  push(line: Line): ExportRow[] {
    this.queue.push(line);
    this.run();
    return this.drain();
  }

  end(): ExportRow[] {
    while (this.pending.length > 0) {
      this.giveUp();
      this.run();
    }
    return this.drain();
  }

  private drain(): ExportRow[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private run(): void {
    while (this.head < this.queue.length) this.step(this.queue[this.head++]!);
    this.queue = [];
    this.head = 0;
  }

  /** Read `lines` again, before whatever is still queued. */
  private replay(lines: readonly Line[]): void {
    this.queue = [...lines, ...this.queue.slice(this.head)];
    this.head = 0;
  }

  private reset(): Line[] {
    const lines = this.pending;
    this.pending = [];
    this.quotes = 0;
    this.chars = 0;
    return lines;
  }

  private step(line: Line): void {
    if (this.dead) return;
    if (this.pending.length === 0 && line.text.trim() === '') return;
    this.pending.push(line);
    this.quotes += quoteCount(line.text);
    this.chars += line.text.length;
    if (this.quotes % 2 === 0) return this.complete();
    if (this.pending.length === 1) {
      // An odd quote on a record's first line: a quoted field going on to the next line, or a stray quote.
      try {
        parseCsv(line.text, { relax_column_count: true });
      } catch (error) {
        if ((error as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED') return;
        this.reset();
        this.reject(line.line, csvReason(error, 1));
      }
      return;
    }
    if (this.pending.length > MAX_RECORD_LINES || this.chars > MAX_RECORD_CHARS) this.giveUp();
  }

  /** The first pending line opened a quote that never closed: reject it, read the others again. */
  private giveUp(): void {
    const [first, ...rest] = this.reset();
    if (!first) return;
    this.reject(first.line, csvReason({ code: 'CSV_QUOTE_NOT_CLOSED' }, 1));
    this.replay(rest);
  }

  private reject(line: number, reason: string): void {
    if (this.header === undefined) {
      this.dead = true;
      this.out.push({ line, error: `the header row cannot be read: ${reason}; no row of this file was read` });
      return;
    }
    this.out.push({ line, error: reason });
  }

  private complete(): void {
    const lines = this.reset();
    const start = lines[0]!.line;
    const text = lines.map((l, i) => (i < lines.length - 1 ? l.text + l.end : l.text)).join('');
    let records: string[][];
    try {
      records = parseCsv(text, { relax_column_count: true }) as string[][];
    } catch (error) {
      this.reject(start, csvReason(error, lines.length));
      if (lines.length > 1) this.replay(lines.slice(1));
      return;
    }
    for (const fields of records) {
      if (this.header === undefined) {
        this.header = fields;
        continue;
      }
      if (fields.length !== this.header.length) {
        this.out.push({ line: start, error: 'the row does not have the same number of columns as the header row' });
        continue;
      }
      if (fields.some((field) => field.includes('\0'))) {
        this.out.push({ line: start, error: 'it holds NUL bytes (binary data), not text' });
        continue;
      }
      const header = this.header;
      this.out.push({ line: start, raw: Object.fromEntries(fields.map((value, i) => [header[i]!, value])) });
    }
  }
}

const EXPORT_LIMIT: Pick<TextFileOptions, 'kind' | 'option' | 'expected'> = {
  kind: 'a ticket export',
  option: '--max-ticket-file-size (maxTicketFileBytes)',
  expected: 'a .jsonl or .csv export saved as text',
};

function displayName(filePath: string, root?: string): string {
  return path.relative(root ?? path.dirname(filePath), filePath).split(path.sep).join('/');
}

/** Rows of an export file, read as a stream after its size and encoding were checked. */
async function openExportRows(filePath: string, options: TicketFileOptions): Promise<{ file: string; encoding: TextEncoding; rows: AsyncGenerator<ExportRow> }> {
  const file = displayName(filePath, options.root);
  const format = ticketFormatOf(filePath);
  if (!format) throw new AnswerdeskError('ADK_TICKET_FORMAT_UNKNOWN', { file });
  const stream = await openTextStream(filePath, { ...EXPORT_LIMIT, display: file, maxBytes: options.maxBytes ?? DEFAULT_MAX_EXPORT_BYTES });
  const onProgress = options.onProgress;
  const lines = linesOf(stream.chunks(onProgress ? (read) => onProgress(read, stream.bytes) : undefined), format === 'jsonl' ? 'lf' : 'any');
  return { file, encoding: stream.encoding, rows: format === 'jsonl' ? jsonlRowsOf(lines) : csvRowsOf(lines) };
}

/**
 * Rows of an export file (.jsonl or .csv), streamed: the size is checked with stat first
 * (`ADK_FILE_TOO_LARGE`), binary files and text that is not UTF-8 are refused or converted
 * (see `openTextStream`), then rows come one at a time with the line each starts on.
 */
export async function exportRows(filePath: string, options: TicketFileOptions = {}): Promise<{ file: string; encoding: TextEncoding; rows: AsyncIterable<ExportRow> }> {
  return openExportRows(filePath, options);
}

/** Read an export file (.jsonl or .csv) whole, as text, with coded errors when it cannot be. Prefer `exportRows` for big files. */
export async function readExport(filePath: string, options: { root?: string; maxBytes?: number } = {}): Promise<{ file: string; format: TicketFormat; content: string }> {
  const file = displayName(filePath, options.root);
  const format = ticketFormatOf(filePath);
  if (!format) throw new AnswerdeskError('ADK_TICKET_FORMAT_UNKNOWN', { file });
  const { text } = await readTextFile(filePath, { ...EXPORT_LIMIT, display: file, maxBytes: options.maxBytes ?? DEFAULT_MAX_EXPORT_BYTES });
  return { file, format, content: text };
}

/** Read a ticket export (.jsonl or .csv) from disk, row by row. */
export async function readTickets(filePath: string, options: TicketFileOptions = {}): Promise<TicketImport> {
  const { file, encoding, rows } = await openExportRows(filePath, options);
  const collector = new TicketCollector(file, options);
  for await (const row of rows) collector.add(row);
  return { ...collector.result(), encoding };
}

/** Read JSONL tickets from a stream that can be read once (standard input), line by line. */
export async function readTicketsJsonlStream(input: AsyncIterable<Buffer | string>, file = '<stdin>', options: TicketReadOptions & { maxBytes?: number } = {}): Promise<TicketImport> {
  const collector = new TicketCollector(file, options);
  const text = decodeStream(input, file, { ...EXPORT_LIMIT, ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}) });
  for await (const row of jsonlRowsOf(linesOf(text, 'lf'))) collector.add(row);
  return { ...collector.result(), encoding: 'utf-8' };
}
