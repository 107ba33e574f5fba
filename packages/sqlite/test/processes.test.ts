import t from 'tap';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { SqliteDocumentStore } from '../src/index.js';
import { freshStore, passage, seededVector, ticket } from './helpers.js';

// Real processes on one database file: a child (node --import tsx child.ts) writes while this
// process reads and writes, and is killed with SIGKILL part-way through its writes.

const here = path.dirname(fileURLToPath(import.meta.url));
const DIM = 16; // child.ts's CHILD_DIMENSION

type Child = ChildProcessByStdio<null, Readable, Readable>;

function startChild(...args: string[]): { child: Child; lines: (count: number, prefix: string) => Promise<string[]>; exited: Promise<NodeJS.Signals | null>; stderr: () => string } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // keep the test runner's hooks out of the child
  const child = spawn(process.execPath, ['--conditions=answerdesk-source', '--import', 'tsx', path.join(here, 'child.ts'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: string[] = [];
  let buffered = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    seen.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => {
    resolve(signal);
    for (const wake of waiters.splice(0)) wake();
  }));
  const lines = async (count: number, prefix: string) => {
    for (;;) {
      const matching = seen.filter((line) => line.startsWith(prefix));
      if (matching.length >= count) return matching;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the child exited early: ${stderr.slice(0, 1000)}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { child, lines, exited, stderr: () => stderr };
}

async function kill(child: Child, exited: Promise<NodeJS.Signals | null>): Promise<NodeJS.Signals | null> {
  child.kill('SIGKILL');
  return exited;
}

t.test("a running reader answers from another process's writes on its next search", async (t) => {
  const store = await freshStore(t, { dimension: DIM });
  await store.write({ docs: Array.from({ length: 10 }, (_, i) => ticket(`T-${i}`)), passages: Array.from({ length: 10 }, (_, i) => passage(`T-${i}`, 0, seededVector(i, DIM))) });
  t.equal((await store.searchVectors(seededVector(3, DIM), 1))[0]?.id, 'T-3', 'the vector index is loaded before the child writes');
  t.same(await store.searchLexical('zeppelin', 'en', 5), []);

  const { child, lines, exited } = startChild(store.file, 'write', 'FROM-CHILD', '999');
  t.teardown(() => void child.kill('SIGKILL'));
  const [written] = await lines(1, 'written');
  t.equal(written, 'written 2');
  t.equal((await store.searchVectors(seededVector(999, DIM), 1))[0]?.id, 'FROM-CHILD', "vectors: the other process's passage, without reopening");
  t.same((await store.searchLexical('zeppelins', 'en', 5)).map((h) => h.id), ['FROM-CHILD'], 'words too');
  t.equal((await store.info())?.version, 2);
  t.equal(await store.write({ docs: [ticket('MINE')], passages: [passage('MINE', 0, seededVector(1000, DIM))] }), 3, 'and this process writes while the other holds the file open');
  t.equal(await kill(child, exited), 'SIGKILL');
  t.same(await store.verify(), { problems: [] });
});

t.test('writes acknowledged before kill -9 are there after reopening, while another process writes too', async (t) => {
  const store = await freshStore(t, { dimension: DIM });
  const acknowledged: string[] = [];
  const mine: string[] = [];
  // A few bounded rounds: each kills the child after a different number of its acknowledged writes.
  for (const [round, after] of [3, 11, 25].entries()) {
    const { child, lines, exited } = startChild(store.file, 'stream', `K${round}`, String(50_000 + round * 10_000));
    t.teardown(() => void child.kill('SIGKILL'));
    await lines(1, 'ack');
    // This process writes while the child does: SQLite's lock and the busy timeout queue the two.
    for (let i = 0; i < 5; i++) {
      const id = `P${round}-${i}`;
      await store.write({ docs: [ticket(id)], passages: [passage(id, 0, seededVector(90_000 + round * 10 + i, DIM))] });
      mine.push(id);
    }
    const acks = await lines(after, 'ack');
    t.equal(await kill(child, exited), 'SIGKILL', `round ${round}: killed after ${acks.length} acknowledged writes`);
    acknowledged.push(...acks.map((line) => line.slice(4)));
  }
  const reopened = await SqliteDocumentStore.open({ file: store.file, mustExist: true });
  t.teardown(() => reopened.close());
  const present = new Set(await reopened.documentIds());
  const lost = [...acknowledged, ...mine].filter((id) => !present.has(id));
  t.same(lost, [], `all ${acknowledged.length} acknowledged child writes and ${mine.length} of this process are there`);
  const counts = await reopened.counts();
  t.equal(counts.passages, counts.documents, 'no write is half there: every ticket has its passage');
  t.same(await reopened.verify(), { problems: [] });
  const last = acknowledged[acknowledged.length - 1]!;
  const n = Number(last.split('-')[1]);
  t.equal((await reopened.searchVectors(seededVector(50_000 + 2 * 10_000 + n, DIM), 1))[0]?.id, last, 'and searchable');
});
