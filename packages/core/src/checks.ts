import { AnswerdeskError } from '@answerdesk/types';

/** An option that must be a whole number in [min, max]: returned as it is, or a coded error naming it. */
export function checkWholeNumber(option: string, value: unknown, min: number, max: number): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option, reason: `must be a whole number from ${min} to ${max}` });
  }
  return value;
}
