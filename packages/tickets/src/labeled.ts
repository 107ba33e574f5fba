import { AnswerdeskError } from '@answerdesk/types';
import { csvRows, jsonlRows, readExport, type ExportRow } from './read.js';

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
  for (const { line, raw, error } of rows) {
    const reject = (reason: string) => errors.push(new AnswerdeskError('ADK_TICKET_INVALID', { file, line, reason }));
    if (error !== undefined) {
      reject(error);
      continue;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      reject('not a JSON object');
      continue;
    }
    const row = raw as Record<string, unknown>;
    const text = textOf(row);
    if (!text) {
      reject('no "text" (or "subject"/"body") to categorize');
      continue;
    }
    const label = labelOf(row, field);
    if (!label) {
      reject(`no "${field}" label`);
      continue;
    }
    const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : undefined;
    messages.push({ ...(id ? { id } : {}), text, label });
  }
  return { messages, errors };
}

/** Read labeled messages for `field` from a .jsonl or .csv file. */
export async function readLabeled(filePath: string, field: string): Promise<LabeledImport> {
  const { file, format, content } = await readExport(filePath);
  return labeledFromRows(format === 'jsonl' ? jsonlRows(content) : csvRows(content), field, file);
}
