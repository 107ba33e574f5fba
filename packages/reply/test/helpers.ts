import { AnswerdeskError } from '@answerdesk/types';

/** The AnswerdeskError a call throws (fails the test when it throws nothing or something else). */
export function thrown(fn: () => unknown): AnswerdeskError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AnswerdeskError) return error;
    throw error;
  }
  throw new Error('expected the call to throw an AnswerdeskError');
}
