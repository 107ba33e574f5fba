import { readFile } from 'node:fs/promises';

/** The records of a JSON-lines file (blank lines skipped). */
export async function readJsonl<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}
