/** Spaces and hyphens inside a keyword match any run of either, so `price tag` also finds `price-tag` and `price\ntag`. */
const SEPARATOR = '[\\s\\-\\u2010-\\u2015]+';
/** A letter, digit or underscore on either side means the keyword is part of a longer word. */
const WORD_CHAR = '[\\p{L}\\p{N}_]';

/**
 * The pattern for one keyword: a whole word or phrase, case-insensitive; a
 * trailing `*` lets the last word go on (`refund*` finds `refunded`).
 */
export function keywordPattern(keyword: string): RegExp {
  const trimmed = keyword.normalize('NFC').trim();
  const prefix = trimmed.endsWith('*');
  const words = (prefix ? trimmed.slice(0, -1) : trimmed)
    .split(/[\s\-\u2010-\u2015]+/)
    .filter((word) => word !== '')
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Only demand a boundary next to a word character: "c++" or "$100" have none to give at their edge.
  const first = words[0] ?? '';
  const last = words[words.length - 1] ?? '';
  const before = /^[\p{L}\p{N}_]/u.test(first) ? `(?<!${WORD_CHAR})` : '';
  const after = prefix || !/[\p{L}\p{N}_]$/u.test(last) ? '' : `(?!${WORD_CHAR})`;
  return new RegExp(`${before}${words.join(SEPARATOR)}${after}`, 'iu');
}

/** Whether `keyword` occurs in `text` as a whole word or phrase. */
export function hasKeyword(text: string, keyword: string): boolean {
  return keywordPattern(keyword).test(text.normalize('NFC'));
}
