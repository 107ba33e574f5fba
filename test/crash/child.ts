// Helper for test/crash.test.ts and bench/crash/run.ts (not a test itself):
// plays ops from+1..to of a crash scenario against a store folder (its SQLite
// database), printing a marker line as each write goes through its phases, and
// `ack <k>` once write k has resolved (durable). The parent SIGKILLs it whenever
// it likes; with `dieAt` the child SIGKILLs itself at exactly one marker.
//
//   node --conditions=answerdesk-source --import tsx test/crash/child.ts '<json ChildArgs>'
//
// Output lines (written with fs.writeSync, so they are in the pipe before the next step runs):
//   ready | start k | files k | embedded k | writing k | committed k | ack k | closing | done
import { writeSync } from 'node:fs';
import { applyOp, makeScenario, openKnowledgeBase, trialPaths, type ChildArgs, type Marker } from './scenario.js';

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
if (typeof args.root !== 'string' || !Number.isInteger(args.seed) || !Number.isInteger(args.from) || !Number.isInteger(args.to)) {
  console.error("usage: child.ts '{\"root\":…,\"seed\":…,\"length\":…,\"from\":…,\"to\":…,\"encoder\":\"hashing\"}'");
  process.exit(2);
}

const print = (line: string) => {
  writeSync(1, line + '\n');
};
const mark = (marker: Marker, k: number) => {
  print(k > 0 ? `${marker} ${k}` : marker);
  if (args.dieAt && args.dieAt.marker === marker && k >= args.dieAt.op) process.kill(process.pid, 'SIGKILL');
};

const scenario = makeScenario(args.seed, args.length);
const paths = trialPaths(args.root);
// A round after the first resumes a store that must be there.
const kb = await openKnowledgeBase(paths.store, args.encoder, args.from > 0);
mark('ready', 0);
for (let k = args.from + 1; k <= args.to; k++) {
  await applyOp(kb, scenario.ops[k - 1]!, paths, mark);
  mark('ack', k);
}
// Closing saves the vector cache (the child never searched, so it is built here): kills can land in that save too.
mark('closing', 0);
await kb.close();
mark('done', 0);
process.exit(0);
