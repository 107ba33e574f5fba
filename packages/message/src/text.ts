/** Lines, spans and the cleaned text assembled from spans of the original, with a map back to it. */

/** A half-open range of offsets. */
export interface Span {
  start: number;
  end: number;
}

/** A line of a text: offsets of its content, without the line break. */
export interface Line extends Span {
  text: string;
}

export function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  const breaks = /\r\n|\n|\r/g;
  let start = 0;
  for (const match of text.matchAll(breaks)) {
    lines.push({ start, end: match.index, text: text.slice(start, match.index) });
    start = match.index + match[0].length;
  }
  lines.push({ start, end: text.length, text: text.slice(start) });
  return lines;
}

/** One emoji character, or what joins and modifies one (joiner, variation selector, skin tone, keycap): a regular-expression source. */
export const PICTOGRAPH = String.raw`[\p{Extended_Pictographic}\u{FE0F}\u{200D}\u{1F3FB}-\u{1F3FF}\u{20E3}]`;

/** `text` with `span` blanked: every character but line breaks a space, so every offset stays where it was. */
export const blankSpan = (text: string, span: Span): string =>
  text.slice(0, span.start) + text.slice(span.start, span.end).replace(/[^\n]/g, ' ') + text.slice(span.end);

export const isBlank = (text: string): boolean => !/\S/u.test(text);

export const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

/** The span without its leading and trailing white space (empty spans collapse to their start). */
export function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  return { start, end };
}

/** `spans` minus `cut`: the parts of each span outside it. */
export function subtract(spans: readonly Span[], cut: Span): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    if (!overlaps(span, cut)) {
      out.push(span);
      continue;
    }
    if (span.start < cut.start) out.push({ start: span.start, end: cut.start });
    if (cut.end < span.end) out.push({ start: cut.end, end: span.end });
  }
  return out;
}

/** A text built from spans of another, and where each of its characters came from (-1: a separator). */
export interface Assembled {
  text: string;
  origin: Int32Array;
}

/**
 * Joins spans of `original` into one text. Spans are trimmed; a gap with a line break becomes a
 * line break (two for a paragraph break), any other gap one space. CR LF becomes LF.
 */
export function assemble(original: string, spans: readonly Span[]): Assembled {
  const parts = spans.map((span) => trimSpan(original, span)).filter((span) => span.end > span.start);
  let text = '';
  const origin: number[] = [];
  let previous: Span | undefined;
  for (const span of parts) {
    if (previous) {
      const gap = original.slice(previous.end, span.start);
      const breaks = (gap.match(/\r\n|\n|\r/g) ?? []).length;
      const separator = breaks >= 2 ? '\n\n' : breaks === 1 ? '\n' : ' ';
      text += separator;
      for (let i = 0; i < separator.length; i++) origin.push(-1);
    }
    for (let i = span.start; i < span.end; i++) {
      if (original[i] === '\r' && original[i + 1] === '\n') continue;
      text += original[i] === '\r' ? '\n' : original[i];
      origin.push(i);
    }
    previous = span;
  }
  return { text, origin: Int32Array.from(origin) };
}

/** Spans of `text` that do not overlap any of `spans` (sorted by start). */
export function uncovered(length: number, spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start > at) out.push({ start: at, end: span.start });
    at = Math.max(at, span.end);
  }
  if (at < length) out.push({ start: at, end: length });
  return out;
}

/** Upper-cases the first letter, when the text starts with one (not "4 of 6"), keeping the length (so offsets stay valid). */
export function capitalizeFirst(text: string): string {
  const index = text.search(/[\p{L}\p{N}]/u);
  if (index < 0 || !/\p{Ll}/u.test(text[index]!)) return text;
  const letter = text[index]!;
  const upper = letter.toUpperCase();
  return upper.length === 1 ? text.slice(0, index) + upper + text.slice(index + 1) : text;
}

function segmenterFor(language: string | undefined): Intl.Segmenter {
  try {
    return new Intl.Segmenter(language || 'en', { granularity: 'sentence' });
  } catch {
    // An invalid language tag: English rules split sentences well enough for any Latin or Cyrillic text.
    return new Intl.Segmenter('en', { granularity: 'sentence' });
  }
}

/** Sentences of a text (Intl.Segmenter, which also breaks at line breaks), trimmed, with offsets. */
export function sentencesOf(text: string, language: string | undefined): Array<Span & { text: string }> {
  const segmenter = segmenterFor(language);
  const out: Array<Span & { text: string }> = [];
  for (const segment of segmenter.segment(text)) {
    const span = trimSpan(text, { start: segment.index, end: segment.index + segment.segment.length });
    if (span.end > span.start) out.push({ ...span, text: text.slice(span.start, span.end) });
  }
  return out;
}
