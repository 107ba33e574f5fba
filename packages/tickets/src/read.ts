import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { AnswerdeskError, reasonOf, type Ticket } from '@answerdesk/types';
import { validateTicket } from './validate.js';

export interface TicketImport {
  tickets: Ticket[];
  /** Every rejected row with its line number and a coded reason. */
  errors: AnswerdeskError[];
  /** Rows whose id appeared again later and were replaced by it (with `duplicates: 'last'`). */
  replaced: number;
}

export interface TicketReadOptions {
  /** A repeated id: `error` rejects the later row (a full export must have unique ids); `last` keeps the later row, as in a stream of updates. Default `error`. */
  duplicates?: 'error' | 'last';
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

function collect(file: string, rows: Iterable<ExportRow>, options: TicketReadOptions = {}): TicketImport {
  const tickets: Ticket[] = [];
  const errors: AnswerdeskError[] = [];
  const seen = new Map<string, number>();
  const at = new Map<string, number>();
  let replaced = 0;
  for (const { line, raw, error } of rows) {
    if (error !== undefined) {
      errors.push(new AnswerdeskError('ADK_TICKET_INVALID', { file, line, reason: error }));
      continue;
    }
    const check = validateTicket(raw);
    if (!check.ok) {
      errors.push(new AnswerdeskError('ADK_TICKET_INVALID', { file, line, reason: check.reason }));
      continue;
    }
    const first = seen.get(check.ticket.id);
    if (first !== undefined && options.duplicates === 'last') {
      tickets[at.get(check.ticket.id)!] = check.ticket;
      replaced++;
      continue;
    }
    if (first !== undefined) {
      errors.push(new AnswerdeskError('ADK_TICKET_ID_DUPLICATE', { file, line, id: check.ticket.id, other: `line ${first}` }));
      continue;
    }
    seen.set(check.ticket.id, line);
    at.set(check.ticket.id, tickets.length);
    tickets.push(check.ticket);
  }
  return { tickets, errors, replaced };
}

/** Parse JSONL text: one ticket object per line; blank lines are skipped. Pure. */
export function parseTicketsJsonl(content: string, file = '<input>', options: TicketReadOptions = {}): TicketImport {
  return collect(file, jsonlRows(content), options);
}

/** Rows of JSONL text, one object per line; blank lines skipped. Pure. */
export function jsonlRows(content: string): ExportRow[] {
  const rows: ExportRow[] = [];
  // A byte order mark (Windows exports) is not part of the first JSON object.
  content.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((text, index) => {
    if (text.trim() === '') return;
    try {
      rows.push({ line: index + 1, raw: JSON.parse(text) });
    } catch (error) {
      rows.push({ line: index + 1, error: `not valid JSON (${reasonOf(error)})` });
    }
  });
  return rows;
}

/** Parse CSV text with a header row (id, subject, body, resolution, …; extra columns become custom fields). Pure. */
export function parseTicketsCsv(content: string, file = '<input>', options: TicketReadOptions = {}): TicketImport {
  return collect(file, csvRows(content), options);
}

/** Rows of CSV text with a header row, as objects keyed by column. Pure. */
export function csvRows(content: string): ExportRow[] {
  const text = content.replace(/^\uFEFF/, '');
  let records: Array<{ record: Record<string, string>; raw: string; info: { bytes: number; error?: unknown } }>;
  try {
    // relax_column_count: a row with too few or too many values is rejected on its own (below), not the whole file.
    records = parseCsv(text, { columns: true, skip_empty_lines: true, info: true, raw: true, relax_column_count: true });
  } catch (error) {
    return [{ line: (error as { lines?: number }).lines ?? 1, error: `CSV cannot be read (${reasonOf(error)})` }];
  }
  // Report each row at the line it starts on. csv-parse's info.lines is where a record ends, and it
  // counts a CRLF inside a quoted field as two lines, so count line breaks up to the record's start instead.
  const bytes = Buffer.from(text);
  let offset = 0;
  let line = 1;
  const lineAt = (end: number): number => {
    line += bytes.subarray(offset, end).toString().match(/\r\n|\r|\n/g)?.length ?? 0;
    offset = end;
    return line;
  };
  return records.map(({ record, raw, info }) => {
    const skipped = /^[\r\n]*/.exec(raw)![0].length; // empty lines skipped before the record
    const start = lineAt(info.bytes - Buffer.byteLength(raw) + skipped);
    if (info.error !== undefined) return { line: start, error: 'the row does not have the same number of columns as the header row' };
    return { line: start, raw: record };
  });
}

/** Read an export file (.jsonl or .csv) as text, with coded errors when it cannot be. */
export async function readExport(filePath: string, options: { root?: string } = {}): Promise<{ file: string; format: TicketFormat; content: string }> {
  const file = path.relative(options.root ?? path.dirname(filePath), filePath).split(path.sep).join('/');
  const format = ticketFormatOf(filePath);
  if (!format) throw new AnswerdeskError('ADK_TICKET_FORMAT_UNKNOWN', { file });
  try {
    return { file, format, content: await readFile(filePath, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AnswerdeskError('ADK_PATH_NOT_FOUND', { path: filePath });
    throw new AnswerdeskError('ADK_FILE_UNREADABLE', { file, reason: reasonOf(error) }, { cause: error });
  }
}

/** Read a ticket export (.jsonl or .csv) from disk. */
export async function readTickets(filePath: string, options: { root?: string } & TicketReadOptions = {}): Promise<TicketImport> {
  const { file, format, content } = await readExport(filePath, options);
  return format === 'jsonl' ? parseTicketsJsonl(content, file, options) : parseTicketsCsv(content, file, options);
}
