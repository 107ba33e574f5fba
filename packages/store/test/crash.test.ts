import t from 'tap';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SnapshotStore } from '@answerdesk/store';
import { crashFiles, crashMeta } from './crash-data.js';

// Real crashes: a child process saves and is SIGKILLed part-way; the parent then
// checks that load() returns one complete snapshot, never an error.
const here = path.dirname(fileURLToPath(import.meta.url));
const childScript = path.join(here, 'crash-child.ts');
const repoRoot = path.resolve(here, '../../..');

function runChild(dir: string, mode: 'commit' | 'timer', generation: number, delayMs = 0) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // keep the test runner's hooks out of the child
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=answerdesk-source', '--import', 'tsx', childScript, dir, mode, String(generation), String(delayMs)], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Load the store and say which generation it holds, checking every byte of every file. */
async function loadedGeneration(t: Tap, store: SnapshotStore): Promise<number> {
  const snapshot = await store.load();
  const generation = snapshot.manifest.counts.generation!;
  t.equal(snapshot.manifest.modelId, `model-gen-${generation}`, 'manifest is consistent');
  const expected = crashFiles(generation);
  t.same(Object.keys(snapshot.manifest.files).sort(), expected.map((f) => f.name).sort(), 'every file is listed');
  let whole = true;
  for (const file of expected) {
    const actual = await snapshot.readBuffer(file.name);
    if (!actual.equals(file.data)) whole = false;
  }
  t.ok(whole, `every file of generation ${generation} is complete and correct`);
  return generation;
}
// The type of a subtest's `t` (the last overload of t.test takes only the callback).
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

t.test('SIGKILL inside beforeCommit leaves the first snapshot current', async (t) => {
  const dir = t.testdir();
  const store = new SnapshotStore(dir);
  await store.save(crashMeta(1), crashFiles(1));

  const result = await runChild(dir, 'commit', 2);
  t.equal(result.signal, 'SIGKILL', `the child died by SIGKILL (stderr: ${result.stderr.slice(0, 500)})`);
  t.notMatch(result.stdout, /saved/, 'the child never finished its save');
  // The child got as far as renaming its snapshot folder into place.
  t.ok(readdirSync(dir).includes('snap-00000002'), 'the uncommitted snapshot folder exists');

  t.equal(await loadedGeneration(t, store), 1, 'load returns the FIRST snapshot');
  t.equal((await store.load()).manifest.sequence, 1);

  // The store keeps working after the crash.
  const next = await store.save(crashMeta(3), crashFiles(3));
  t.equal(next.sequence, 3);
  t.equal(await loadedGeneration(t, store), 3);
  t.same(readdirSync(dir).filter((e) => e.startsWith('snap-')).sort(), ['snap-00000001', 'snap-00000003'], 'the dead save’s folder is pruned');
  t.same(readdirSync(dir).filter((e) => e.startsWith('.staging-')), []);
});

t.test('SIGKILL at a random point of a large save: old or new, whole, never an error', async (t) => {
  const dir = t.testdir();
  const store = new SnapshotStore(dir);
  await store.save(crashMeta(1), crashFiles(1));
  // Calibrate: how long does one whole save take in a child on this machine?
  // (Twice, keeping the faster: the first run pays for cold caches.)
  const timings: number[] = [];
  for (const generation of [2, 3]) {
    const calibration = await runChild(dir, 'timer', generation, -1);
    const match = /saved (\d+)/.exec(calibration.stdout);
    t.ok(match, `a child that is not killed finishes its save (stderr: ${calibration.stderr.slice(0, 300)})`);
    timings.push(Number(match?.[1] ?? 50));
    t.equal(await loadedGeneration(t, store), generation);
  }
  const saveMs = Math.max(1, Math.min(...timings));
  let current = 3;
  const outcomes: string[] = [];
  // Kill points spread over the save (counted from just before save() starts in the child).
  const delays = [0, 0.2, 0.45, 0.7, 0.9, 1, 1.15].map((f) => Math.round(f * saveMs));
  t.comment(`a save takes ${saveMs} ms; killing at ${delays.join(', ')} ms`);
  for (const [i, delay] of delays.entries()) {
    const generation = 100 + i;
    const result = await runChild(dir, 'timer', generation, delay);
    t.ok(result.signal === 'SIGKILL' || (result.code === 0 && /saved/.test(result.stdout)), `child ${generation} was killed or finished (code ${result.code}, signal ${result.signal}, stderr: ${result.stderr.slice(0, 300)})`);
    let loaded: number | undefined;
    await t.resolves(
      (async () => {
        loaded = await loadedGeneration(t, store);
      })(),
      `load after a kill at ${delay} ms`,
    );
    t.ok(loaded === current || loaded === generation, `loaded generation ${loaded} is the old (${current}) or the new (${generation})`);
    if (result.signal !== 'SIGKILL') t.equal(loaded, generation, 'a finished save is current');
    outcomes.push(`${delay}ms→${loaded === generation ? 'new' : 'old'}${result.signal ? '' : ' (finished)'}`);
    current = loaded!;
  }
  t.comment(`outcomes: ${outcomes.join(', ')}`);

  // Whatever the kills left behind, a normal save still works and cleans up.
  await store.save(crashMeta(999), crashFiles(999));
  t.equal(await loadedGeneration(t, store), 999);
  t.same(readdirSync(dir).filter((e) => e.startsWith('.staging-')), [], 'abandoned staging folders are removed');
  t.ok(readdirSync(dir).filter((e) => e.startsWith('snap-')).length <= 2, 'at most current + previous remain');
});
