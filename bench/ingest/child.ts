/**
 * One measurement in its own process: `child.ts <task.json> <result.json>`.
 * Started by run.ts with the same Node flags (heap limit, source conditions, tsx).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { progressDone } from '../common/progress.js';
import { runTask, type Task } from './tasks.js';

const [taskPath, resultPath] = process.argv.slice(2);

async function main(): Promise<void> {
  if (!taskPath || !resultPath) throw new Error('usage: child.ts <task.json> <result.json>');
  const task = JSON.parse(await readFile(taskPath, 'utf8')) as Task;
  const result = await runTask(task);
  await writeFile(resultPath, JSON.stringify(result));
}

main().catch(async (error: unknown) => {
  progressDone();
  console.error(error);
  // The parent reports the reason in its tables (a failed size does not stop the run).
  if (resultPath) await writeFile(resultPath, JSON.stringify({ error: error instanceof Error ? error.message : String(error) })).catch(() => undefined);
  process.exitCode = 1;
});
