import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { AnswerdeskError, decodeStream, linesOf } from '@answerdesk/core';

export interface BatchQuery {
  id: string;
  text: string;
  /** The whole line, for commands that read more than the text (triage: subject, channel, fields…). */
  raw: Record<string, unknown>;
}

export type BatchLine = { line: number; query: BatchQuery } | { line: number; id?: string; error: AnswerdeskError };

/** Parse one line of a batch input file. Pure. */
export function parseBatchLine(text: string, line: number, file: string): BatchLine | undefined {
  if (text.trim() === '') return undefined;
  const fail = (reason: string, id?: string) => ({ line, id, error: new AnswerdeskError('ADK_INPUT_LINE_INVALID', { file, line, reason }) });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('not a JSON object');
  const { id, text: query } = value as Record<string, unknown>;
  const idText = typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  if (idText === undefined) return fail('missing "id"');
  if (typeof query !== 'string') return fail('missing "text"', idText);
  return { line, query: { id: idText, text: query, raw: value as Record<string, unknown> } };
}

/**
 * Lines of a JSONL file, or of standard input when `file` is `-`, read as a stream. Binary
 * input and text that is not UTF-8 are refused (`ADK_FILE_BINARY`, `ADK_FILE_ENCODING_UNSUPPORTED`);
 * a UTF-8 byte order mark is dropped, UTF-16 with one converted.
 */
export async function* readBatch(file: string, stdin: AsyncIterable<Buffer | string> = process.stdin): AsyncGenerator<BatchLine> {
  if (file !== '-') {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new AnswerdeskError('ADK_PATH_NOT_FOUND', { path: file });
  }
  const name = file === '-' ? '<stdin>' : file;
  const input = file === '-' ? stdin : createReadStream(file);
  const expected = { expected: 'JSON Lines: one {"id","text"} object per line' };
  for await (const { text, line } of linesOf(decodeStream(input as AsyncIterable<Buffer | string>, name, expected), 'lf')) {
    const parsed = parseBatchLine(text, line, name);
    if (parsed) yield parsed;
  }
}
