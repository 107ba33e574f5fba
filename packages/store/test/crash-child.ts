// Helper for crash.test.ts (not a test itself): saves a snapshot in a child
// process and SIGKILLs itself part-way through.
//
//   node --conditions=answerdesk-source --import tsx crash-child.ts <storeDir> <mode> <generation> [delayMs]
//
// mode "commit": kill inside beforeCommit (every file durable, CURRENT not yet flipped).
// mode "timer":  kill after delayMs, wherever the save happens to be (a negative delay: no kill;
//                 the child prints how long the save took).
import { writeFileSync } from 'node:fs';
import { SnapshotStore } from '@answerdesk/store';
import { crashFiles, crashMeta } from './crash-data.js';

const [dir, mode, generationText, delayText] = process.argv.slice(2);
if (!dir || (mode !== 'commit' && mode !== 'timer') || !generationText) {
  console.error('usage: crash-child.ts <storeDir> commit|timer <generation> [delayMs]');
  process.exit(2);
}
const generation = Number(generationText);
const store = new SnapshotStore(dir);
const files = crashFiles(generation).map(({ name, data }, i) =>
  // Exercise the write() form too: one file is written by path, like hnswlib does.
  i === 1 ? { name, write: (file: string) => writeFileSync(file, data) } : { name, data },
);

if (mode === 'timer' && Number(delayText) >= 0) setTimeout(() => process.kill(process.pid, 'SIGKILL'), Number(delayText));
const started = performance.now();

await store.save(crashMeta(generation), files, {
  beforeCommit: mode === 'commit' ? () => void process.kill(process.pid, 'SIGKILL') : undefined,
});
// Only reached when the timer was slower than the whole save.
process.stdout.write(`saved ${Math.round(performance.now() - started)}\n`);
process.exit(0);
