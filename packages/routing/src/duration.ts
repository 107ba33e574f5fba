/** Milliseconds per duration unit. Calendar time: a day is 24 hours, whatever the business hours. */
const UNIT_MS = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

/** A duration as written in a rule file: one or more number+unit parts, e.g. `30m`, `4h`, `1d`, `1d12h`. */
export const DURATION_PATTERN = '^\\s*(\\d+\\s*[mhdw]\\s*)+$';

/** Hint appended to every duration error, so the fix is in the message. */
export const DURATION_HINT = 'write a number and a unit (m minutes, h hours, d days, w weeks), e.g. 30m, 4h, 1d or 1d12h';

/**
 * Milliseconds in a duration like `1d` or `2h30m`, or undefined when the text is
 * not a duration or is zero (a deadline equal to the arrival time is never meant).
 */
export function parseDuration(text: string): number | undefined {
  if (!new RegExp(DURATION_PATTERN).test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(/(\d+)\s*([mhdw])/g)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return total > 0 && Number.isSafeInteger(total) ? total : undefined;
}

/** ISO deadline `duration` after `start` (an ISO date), or undefined when `start` is not a date. */
export function addDuration(start: string, duration: string): string | undefined {
  const from = Date.parse(start);
  const ms = parseDuration(duration);
  if (Number.isNaN(from) || ms === undefined) return undefined;
  const at = new Date(from + ms);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
