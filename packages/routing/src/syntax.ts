import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';

export type RulesFormat = 'yaml' | 'json';

/** Path into the parsed data: keys and list indexes. */
export type DataPath = Array<string | number>;

/** Parsed file data, plus a way to find the line of any value for error messages. */
export interface ParsedText {
  data: unknown;
  format: RulesFormat;
  /** 1-based line of the value at `path` (or of its nearest parent that exists), when known. */
  lineOf(path: DataPath): number | undefined;
}

/** The format named by a file extension, if any. */
export function formatOfFile(file: string): RulesFormat | undefined {
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (/\.json$/i.test(file)) return 'json';
  return undefined;
}

/** JSON objects start with `{`; anything else is read as YAML (which also reads most JSON). */
export function sniffFormat(text: string): RulesFormat {
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/** Text to data; a syntax error becomes ADK_RULES_SYNTAX with the line it is on. */
export function parseText(text: string, format: RulesFormat, file: string): ParsedText {
  const source = text.replace(/^\uFEFF/, '');
  return format === 'json' ? parseJson(source, file) : parseYaml(source, file);
}

function parseYaml(text: string, file: string): ParsedText {
  const lines = new LineCounter();
  // merge: YAML's `<<: *anchor` lets rules share a block of actions, a common need in rule files.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true, merge: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line ?? 1;
    // prettyErrors appends a source excerpt after the first line; the reason only needs the first.
    const reason = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new AnswerdeskError('ADK_RULES_SYNTAX', { file, format: 'YAML', line, reason });
  }
  let data: unknown;
  try {
    // A small alias budget keeps a "billion laughs" file from exhausting memory.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new AnswerdeskError('ADK_RULES_SYNTAX', { file, format: 'YAML', line: 1, reason: reasonOf(error) });
  }
  return { data, format: 'yaml', lineOf: locator(doc, lines) };
}

function parseJson(text: string, file: string): ParsedText {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = reasonOf(error);
    throw new AnswerdeskError('ADK_RULES_SYNTAX', { file, format: 'JSON', line: jsonErrorLine(text, reason), reason: reason.replace(/ in JSON at position \d+.*$/, '') });
  }
  // JSON is YAML too: the YAML parser gives the positions JSON.parse does not keep, and catches
  // duplicate keys, which JSON.parse silently resolves to the last one.
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const duplicate = doc.errors.find((error) => error.code === 'DUPLICATE_KEY');
  if (duplicate) {
    throw new AnswerdeskError('ADK_RULES_SYNTAX', { file, format: 'JSON', line: duplicate.linePos?.[0].line ?? 1, reason: 'a key appears twice in the same object; keep one' });
  }
  return { data, format: 'json', lineOf: doc.errors.length === 0 ? locator(doc, lines) : () => undefined };
}

/** Line of a JSON.parse error: V8 names a character position (or, newer, a line), or says the input ended early. */
function jsonErrorLine(text: string, reason: string): number {
  const line = /\(line (\d+) column \d+\)/.exec(reason);
  if (line) return Number(line[1]);
  const position = /at position (\d+)/.exec(reason);
  const offset = position ? Number(position[1]) : text.length;
  return text.slice(0, offset).split('\n').length;
}

function locator(doc: Document, lines: LineCounter): (path: DataPath) => number | undefined {
  return (path) => {
    for (let length = path.length; length >= 0; length--) {
      const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
}
