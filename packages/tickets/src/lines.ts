/** One physical line of a text: its text, the line break that ended it ('' at the end of the text) and its 1-based number. */
export interface Line {
  text: string;
  end: string;
  line: number;
}

/**
 * Splits text that arrives in chunks into lines, keeping each line's break so a record
 * spanning lines can be put back together exactly. `lf`: lines end at `\n` (a `\r` before it is
 * part of the break), as JSON Lines do; `any`: `\r\n`, `\n` or a lone `\r`, as CSV files from any
 * system do. Memory holds one unfinished line at a time.
 */
export class LineSplitter {
  private rest = '';
  private count = 0;

  constructor(private readonly mode: 'lf' | 'any' = 'lf') {}

  push(chunk: string): Line[] {
    const text = this.rest + chunk;
    const out: Line[] = [];
    const pattern = this.mode === 'lf' ? /\r?\n/g : /\r\n|\n|\r/g;
    let start = 0;
    // Only the new text can hold a break (less one character: a `\r` held back from the last chunk).
    pattern.lastIndex = Math.max(0, this.rest.length - 1);
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      // A `\r` at the very end of a chunk may be the first half of `\r\n`: wait for the next chunk.
      if (match[0] === '\r' && match.index === text.length - 1) break;
      out.push({ text: text.slice(start, match.index), end: match[0], line: ++this.count });
      start = match.index + match[0].length;
    }
    this.rest = text.slice(start);
    return out;
  }

  end(): Line[] {
    const rest = this.rest;
    this.rest = '';
    if (rest === '') return [];
    if (rest.endsWith('\r')) return [{ text: rest.slice(0, -1), end: '\r', line: ++this.count }];
    return [{ text: rest, end: '', line: ++this.count }];
  }
}

/** Lines of a whole text. Pure. */
export function splitLines(text: string, mode: 'lf' | 'any' = 'lf'): Line[] {
  const splitter = new LineSplitter(mode);
  return [...splitter.push(text), ...splitter.end()];
}

/** Lines of text arriving in chunks. */
export async function* linesOf(chunks: AsyncIterable<string>, mode: 'lf' | 'any' = 'lf'): AsyncGenerator<Line> {
  const splitter = new LineSplitter(mode);
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}
