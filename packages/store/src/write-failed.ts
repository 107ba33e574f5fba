import { AnswerdeskError, reasonOf } from '@answerdesk/types';

/** A failed write as the one coded error, with the cause in words a user can act on. */
export function writeFailed(dir: string, error: unknown): AnswerdeskError {
  if (error instanceof AnswerdeskError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'the folder is not writable' : reasonOf(error);
  return new AnswerdeskError('ADK_STORE_WRITE_FAILED', { dir, reason }, { cause: error });
}
