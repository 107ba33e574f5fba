// Small text helpers shared by units, adapt and draft: sentences, word-bounded patterns, language tags.

export interface Span {
  start: number;
  end: number;
}

/** `de-CH` → `de`. */
export function primaryLanguage(tag: string | undefined): string {
  return (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/**
 * A case-insensitive pattern bounded by non-letters. JavaScript's `\b` only knows ASCII letters,
 * so it would match inside "più" or any Cyrillic word.
 */
export function words(source: string, flags = 'iu'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])`, flags);
}

// Abbreviations that end with a full stop but not a sentence ("e.g.", "Mr.", "z. B.", "т. е.").
const ABBREVIATION = words(
  String.raw`e\.g|i\.e|etc|vs|approx|mr|mrs|ms|dr|st|z\.\s?b|d\.\s?h|bzw|ca|usw|u\.\s?a|str|sig|sig\.ra|dott|ecc|т\.\s?е|т\.\s?к|т\.\s?д|т\.\s?п|ул|см`,
);
const ENDS_WITH_ABBREVIATION = new RegExp(`(?:${ABBREVIATION.source})\\.$`, 'iu');
// "No. 12", "Nr. 5": an abbreviation only when a number follows.
const ENDS_WITH_NUMBER_SIGN = words(String.raw`no|nr|n`).source;
const NUMBER_SIGN = new RegExp(`(?:${ENDS_WITH_NUMBER_SIGN})\\.$`, 'iu');

const GERMAN_MONTH = /^(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)(?![\p{L}])/u;

function segmenter(language: string | undefined): Intl.Segmenter {
  try {
    return new Intl.Segmenter(primaryLanguage(language) || 'en', { granularity: 'sentence' });
  } catch {
    return new Intl.Segmenter('en', { granularity: 'sentence' });
  }
}

/**
 * Sentences of one paragraph as offsets into `text`, trimmed. Line breaks count as spaces (a
 * paragraph's soft wraps are not sentence ends); a boundary inside a `keepWhole` span (a link,
 * an e-mail address, emphasis) or after an abbreviation is not a boundary.
 */
export function sentenceSpans(text: string, language?: string, keepWhole: readonly Span[] = []): Span[] {
  const flat = text.replace(/[\r\n]/g, ' ');
  const raw: Span[] = [];
  for (const segment of segmenter(language).segment(flat)) {
    const span = { start: segment.index, end: segment.index + segment.segment.length };
    const previous = raw[raw.length - 1];
    if (previous && !isBoundary(flat, previous, span, keepWhole)) previous.end = span.end;
    else raw.push(span);
  }
  const out: Span[] = [];
  for (const span of raw) {
    let { start, end } = span;
    while (start < end && /\s/.test(flat[start]!)) start++;
    while (end > start && /\s/.test(flat[end - 1]!)) end--;
    if (end > start) out.push({ start, end });
  }
  return out;
}

function isBoundary(text: string, previous: Span, next: Span, keepWhole: readonly Span[]): boolean {
  const at = next.start;
  if (keepWhole.some((span) => span.start < at && at < span.end)) return false;
  const before = text.slice(previous.start, at).trimEnd();
  if (ENDS_WITH_ABBREVIATION.test(before)) return false;
  const after = text.slice(at).trimStart();
  if (NUMBER_SIGN.test(before) && /^\d/.test(after)) return false;
  // German ordinal dates: "am 5. September".
  if (/(?<!\d)\d{1,2}\.$/.test(before) && GERMAN_MONTH.test(after)) return false;
  // A sentence does not start with a lower-case letter: the break was inside one ("approx. ten").
  if (/^\p{Ll}/u.test(after)) return false;
  return true;
}
