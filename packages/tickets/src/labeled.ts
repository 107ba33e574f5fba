import { AnswerdeskError } from '@answerdesk/types';
import { exportRows, type ExportRow, type TicketFileOptions } from './read.js';
import type { TextEncoding } from './text-file.js';

/** A message with the label a categorizer should learn or be checked against. */
export interface LabeledMessage {
  id?: string;
  text: string;
  label: string;
}

export interface LabeledImport {
  messages: LabeledMessage[];
  /** Rows without text or without the label, with their line. */
  errors: AnswerdeskError[];
}

function textOf(row: Record<string, unknown>): string {
  if (typeof row.text === 'string' && row.text.trim()) return row.text.trim();
  return [row.subject, row.body].filter((part): part is string => typeof part === 'string' && part.trim() !== '').map((p) => p.trim()).join('\n');
}

function labelOf(row: Record<string, unknown>, field: string): string | undefined {
  const fields = row.fields && typeof row.fields === 'object' ? (row.fields as Record<string, unknown>) : {};
  const value = row[field] ?? fields[field];
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Labeled messages from export rows: the text is `text`, or `subject` + `body`;
 * the label is the `field` column (or `fields.<field>`). A history of tickets
 * need not have resolutions to teach a categorizer. Pure.
 */
export function labeledFromRows(rows: readonly ExportRow[], field: string, file = '<input>'): LabeledImport {
  const messages: LabeledMessage[] = [];
  const errors: AnswerdeskError[] = [];
  for (const row of rows) {
    const result = labeledRow(row, field, file);
    if (result instanceof AnswerdeskError) errors.push(result);
    else messages.push(result);
  }
  return { messages, errors };
}

/** One row as a labeled message, or why it is not one. Pure. */
function labeledRow({ line, raw, error }: ExportRow, field: string, file: string): LabeledMessage | AnswerdeskError {
  const reject = (reason: string) => new AnswerdeskError('ADK_TICKET_INVALID', { file, line, reason });
  if (error !== undefined) return reject(error);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return reject('not a JSON object');
  const row = raw as Record<string, unknown>;
  const text = textOf(row);
  if (!text) return reject('no "text" (or "subject"/"body") to categorize');
  const label = labelOf(row, field);
  if (!label) return reject(`no "${field}" label`);
  const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : undefined;
  return { ...(id ? { id } : {}), text, label };
}

/** Read labeled messages for `field` from a .jsonl or .csv file. */
export async function readLabeled(filePath: string, field: string, options: Pick<TicketFileOptions, 'maxBytes' | 'onProgress'> = {}): Promise<LabeledImport & { encoding: TextEncoding }> {
  const { file, encoding, rows } = await exportRows(filePath, options);
  const messages: LabeledMessage[] = [];
  const errors: AnswerdeskError[] = [];
  for await (const row of rows) {
    const result = labeledRow(row, field, file);
    if (result instanceof AnswerdeskError) errors.push(result);
    else messages.push(result);
  }
  return { messages, errors, encoding };
}
