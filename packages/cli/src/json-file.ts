import { readFile } from 'node:fs/promises';
import { AnswerdeskError, reasonOf } from '@answerdesk/core';

/** A JSON file an option names (`--keys`, `--descriptions`, `--webhook-mapping`), parsed; a missing, unreadable or broken file is a coded error naming the option. */
export async function readJsonFile(file: string, option: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AnswerdeskError('ADK_PATH_NOT_FOUND', { path: file });
    throw new AnswerdeskError('ADK_FILE_UNREADABLE', { file, reason: reasonOf(error) });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option, reason: `${file} is not valid JSON (${reasonOf(error)})` });
  }
}
