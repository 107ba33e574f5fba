// Another process on the same store, for processes.test.ts (not a test itself).
//   child.ts <file> write <id> <seed>   writes one ticket, prints "written <version>", then waits to be killed
//   child.ts <file> stream <prefix> <seed>  writes tickets <prefix>-0, <prefix>-1, … one transaction each, printing
//                                       "ack <id>" once each is committed, until it is killed
import { SqliteDocumentStore } from '../src/index.js';
import { passage, seededVector, ticket } from './helpers.js';

export const CHILD_DIMENSION = 16;

const [file, mode, name, seed] = process.argv.slice(2);
const store = await SqliteDocumentStore.open({ file: file! });
const one = (id: string, n: number, title?: string) => ({
  docs: [ticket(id, title ? { title } : {})],
  passages: [passage(id, 0, seededVector(n, CHILD_DIMENSION), `text of ${id}`)],
});

if (mode === 'write') {
  const version = await store.write(one(name!, Number(seed), 'Zeppelin parcel delayed'));
  process.stdout.write(`written ${version}\n`);
  setInterval(() => undefined, 1000);
} else if (mode === 'stream') {
  for (let n = 0; ; n++) {
    const id = `${name}-${n}`;
    await store.write(one(id, Number(seed) + n));
    process.stdout.write(`ack ${id}\n`);
  }
}
