import t from 'tap';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SnapshotStore, FORMAT_VERSION, type SnapshotFile, type SnapshotMeta } from '@answerdesk/store';
import { AnswerdeskError } from '@answerdesk/types';

const meta = (n: number): SnapshotMeta => ({ modelId: `model-${n}`, dimension: 8 * n, counts: { documents: n, passages: 10 * n } });

const filesFor = (n: number): SnapshotFile[] => [
  { name: 'docs.jsonl', data: `{"id":"doc-${n}"}\n` },
  { name: 'vectors.bin', data: new Uint8Array([n, n + 1, n + 2, 255, 0]) },
  { name: 'graph.bin', write: (file) => writeFileSync(file, `graph ${n}`) },
  { name: 'state.json', write: async (file) => writeFile(file, JSON.stringify({ n })) },
];

const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const snapshotDirs = (dir: string) => readdirSync(dir).filter((e) => /^snap-\d{8}$/.test(e)).sort();
const stagingDirs = (dir: string) => readdirSync(dir).filter((e) => e.startsWith('.staging-'));
const coded = (code: string) => ({ name: 'AnswerdeskError', code });

async function expectSnapshot(t: Tap, store: SnapshotStore, n: number, sequence?: number) {
  const snapshot = await store.load();
  t.equal(snapshot.manifest.modelId, `model-${n}`);
  t.equal(await snapshot.readText('docs.jsonl'), `{"id":"doc-${n}"}\n`);
  t.same([...(await snapshot.readBuffer('vectors.bin'))], [n, n + 1, n + 2, 255, 0]);
  t.equal(await snapshot.readText('graph.bin'), `graph ${n}`);
  if (sequence !== undefined) t.equal(snapshot.manifest.sequence, sequence);
  return snapshot;
}
// The type of a subtest's `t` (the last overload of t.test takes only the callback).
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

t.test('save then load returns the files and the manifest', async (t) => {
  const dir = path.join(t.testdir(), 'store');
  const store = new SnapshotStore(dir);
  t.equal(await store.exists(), false);
  const saved = await store.save(meta(1), filesFor(1));
  t.equal(await store.exists(), true);
  t.match(saved, { modelId: 'model-1', dimension: 8, counts: { documents: 1, passages: 10 }, formatVersion: FORMAT_VERSION, sequence: 1 });
  t.ok(!Number.isNaN(Date.parse(saved.createdAt)), 'createdAt is a date');
  t.same(Object.keys(saved.files).sort(), ['docs.jsonl', 'graph.bin', 'state.json', 'vectors.bin']);
  t.same(saved.files['docs.jsonl'], { sha256: sha('{"id":"doc-1"}\n'), bytes: 15 });
  t.same(saved.files['vectors.bin'], { sha256: sha(new Uint8Array([1, 2, 3, 255, 0])), bytes: 5 });
  t.same(saved.files['graph.bin'], { sha256: sha('graph 1'), bytes: 7 }, 'a file written by a write() callback is checksummed');

  const snapshot = await expectSnapshot(t, store, 1, 1);
  t.same(snapshot.manifest, saved, 'load returns the manifest save returned');
  t.equal(snapshot.dir, path.join(dir, 'snap-00000001'));
  t.equal(snapshot.path('graph.bin'), path.join(dir, 'snap-00000001', 'graph.bin'));
  t.equal(readFileSync(snapshot.path('graph.bin'), 'utf8'), 'graph 1');
  t.same(JSON.parse(await snapshot.readText('state.json')), { n: 1 }, 'an async write() callback works');
  t.equal(readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim(), 'snap-00000001');
  t.equal(await store.size(), 15 + 5 + 7 + 7);

  const second = await store.save(meta(2), filesFor(2));
  t.equal(second.sequence, 2);
  await expectSnapshot(t, store, 2, 2);
  t.equal((await new SnapshotStore(dir).load()).manifest.dimension, 16, 'a fresh store object on the same folder sees it');
  t.same(stagingDirs(dir), [], 'no staging folder left');
});

t.test('a snapshot with no files is fine', async (t) => {
  const store = new SnapshotStore(t.testdir());
  const manifest = await store.save(meta(1), []);
  t.same(manifest.files, {});
  t.same((await store.load()).manifest.files, {});
});

t.test('load verifies checksums', async (t) => {
  const dir = t.testdir();
  const store = new SnapshotStore(dir);
  await store.save(meta(1), filesFor(1));
  const file = path.join(dir, 'snap-00000001', 'vectors.bin');
  const bytes = readFileSync(file);
  bytes[2] = bytes[2]! ^ 0x01;
  writeFileSync(file, bytes);
  await t.rejects(store.load(), coded('ADK_STORE_CORRUPT'), 'one flipped bit');
  await t.rejects(store.load(), /vectors\.bin fails its checksum/);
  const unverified = await store.load({ verify: false });
  t.equal(unverified.manifest.sequence, 1, 'verify: false skips the check');

  bytes[2] = bytes[2]! ^ 0x01;
  writeFileSync(file, bytes);
  await t.resolves(store.load(), 'restored bytes pass again');

  writeFileSync(path.join(dir, 'snap-00000001', 'docs.jsonl'), '{"id":"doc-1"}\n ');
  await t.rejects(store.load(), coded('ADK_STORE_CORRUPT'), 'an extra byte');
});

t.test('damaged stores are reported as corrupt', async (t) => {
  const cases: Array<{ name: string; damage: (dir: string) => void; message: RegExp }> = [
    { name: 'a listed file is missing', damage: (dir) => rmSync(path.join(dir, 'snap-00000001', 'graph.bin')), message: /graph\.bin is missing/ },
    { name: 'manifest is not JSON', damage: (dir) => writeFileSync(path.join(dir, 'snap-00000001', 'manifest.json'), '{"formatVersion": 1,'), message: /manifest\.json cannot be read/ },
    { name: 'manifest is missing', damage: (dir) => rmSync(path.join(dir, 'snap-00000001', 'manifest.json')), message: /manifest\.json cannot be read/ },
    { name: 'manifest has no version', damage: (dir) => writeFileSync(path.join(dir, 'snap-00000001', 'manifest.json'), '{"files":{}}'), message: /no format version/ },
    { name: 'CURRENT names no snapshot', damage: (dir) => writeFileSync(path.join(dir, 'CURRENT'), '../../etc\n'), message: /not a snapshot/ },
    { name: 'CURRENT names a missing snapshot', damage: (dir) => writeFileSync(path.join(dir, 'CURRENT'), 'snap-00000009\n'), message: /cannot be read/ },
  ];
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const dir = t.testdir();
      const store = new SnapshotStore(dir);
      await store.save(meta(1), filesFor(1));
      c.damage(dir);
      await t.rejects(store.load(), coded('ADK_STORE_CORRUPT'));
      await t.rejects(store.load(), c.message);
    });
  }
});

t.test('a missing store is ADK_STORE_NOT_FOUND', async (t) => {
  const root = t.testdir({ empty: {} });
  await t.rejects(new SnapshotStore(path.join(root, 'nope')).load(), coded('ADK_STORE_NOT_FOUND'));
  await t.rejects(new SnapshotStore(path.join(root, 'empty')).load(), coded('ADK_STORE_NOT_FOUND'), 'a folder with no CURRENT');
  t.equal(await new SnapshotStore(path.join(root, 'nope')).exists(), false);
  try {
    await new SnapshotStore(path.join(root, 'nope')).load();
  } catch (error) {
    t.ok(error instanceof AnswerdeskError);
    t.equal((error as AnswerdeskError).status, 404);
    t.match((error as Error).message, path.join(root, 'nope'), 'the message names the folder');
  }
});

t.test('a newer format version is refused', async (t) => {
  const dir = t.testdir();
  const store = new SnapshotStore(dir);
  await store.save(meta(1), filesFor(1));
  const file = path.join(dir, 'snap-00000001', 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  manifest.formatVersion = FORMAT_VERSION + 1;
  writeFileSync(file, JSON.stringify(manifest));
  await t.rejects(store.load(), coded('ADK_STORE_VERSION_UNSUPPORTED'));
  await t.rejects(store.load({ verify: false }), coded('ADK_STORE_VERSION_UNSUPPORTED'), 'even without verification');
  manifest.formatVersion = FORMAT_VERSION;
  writeFileSync(file, JSON.stringify(manifest));
  await t.resolves(store.load(), 'the current version loads');
});

t.test('unusable file names are ADK_OPTION_INVALID and nothing is written', async (t) => {
  const root = t.testdir();
  const dir = path.join(root, 'store');
  const store = new SnapshotStore(dir);
  for (const name of ['', '../escape', 'a/b', '/abs', '.hidden', '-dash', 'with space', 'manifest.json', 'tab\t', 'café.txt']) {
    await t.rejects(store.save(meta(1), [{ name, data: 'x' }]), coded('ADK_OPTION_INVALID'), JSON.stringify(name));
  }
  t.equal(existsSync(dir), false, 'the store folder was not even created');
  t.same(readdirSync(root), [], 'nothing escaped into the parent folder');
  await t.resolves(store.save(meta(1), [{ name: 'ok-name_1.v2.bin', data: 'x' }]), 'letters, digits, dot, dash, underscore are fine');
});

t.test('only the current and the previous snapshot are kept', async (t) => {
  const dir = t.testdir();
  const store = new SnapshotStore(dir);
  await store.save(meta(1), filesFor(1));
  t.same(snapshotDirs(dir), ['snap-00000001']);
  await store.save(meta(2), filesFor(2));
  t.same(snapshotDirs(dir), ['snap-00000001', 'snap-00000002']);
  for (let n = 3; n <= 6; n++) await store.save(meta(n), filesFor(n));
  t.same(snapshotDirs(dir), ['snap-00000005', 'snap-00000006']);
  await expectSnapshot(t, store, 6, 6);
  t.same(stagingDirs(dir), []);
  t.same(readdirSync(dir).sort(), ['CURRENT', 'snap-00000005', 'snap-00000006'], 'nothing else is left behind');
  // The previous snapshot is complete, not a leftover.
  const previous = JSON.parse(readFileSync(path.join(dir, 'snap-00000005', 'manifest.json'), 'utf8'));
  t.equal(previous.modelId, 'model-5');
  t.equal(readFileSync(path.join(dir, 'snap-00000005', 'graph.bin'), 'utf8'), 'graph 5');
});

t.test('crash simulation: beforeCommit throws', async (t) => {
  const dir = t.testdir();
  const store = new SnapshotStore(dir);
  await store.save(meta(1), filesFor(1));
  const crash = new Error('simulated crash');
  let called = false;
  await t.rejects(
    store.save(meta(2), filesFor(2), {
      beforeCommit: () => {
        called = true;
        // Every file of the new snapshot is already durable at this point.
        t.same(snapshotDirs(dir), ['snap-00000001', 'snap-00000002']);
        t.equal(readFileSync(path.join(dir, 'snap-00000002', 'graph.bin'), 'utf8'), 'graph 2');
        throw crash;
      },
    }),
    coded('ADK_STORE_WRITE_FAILED'),
  );
  t.ok(called);
  await expectSnapshot(t, store, 1, 1);
  t.equal(readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim(), 'snap-00000001');

  const third = await store.save(meta(3), filesFor(3));
  t.equal(third.sequence, 3, 'the uncommitted folder name is never reused');
  await expectSnapshot(t, store, 3, 3);
  t.same(snapshotDirs(dir), ['snap-00000001', 'snap-00000003'], 'the previous committed snapshot is kept, the uncommitted one dropped');

  // A beforeCommit that is async and rejects behaves the same.
  await t.rejects(store.save(meta(4), filesFor(4), { beforeCommit: async () => Promise.reject(crash) }), coded('ADK_STORE_WRITE_FAILED'));
  await expectSnapshot(t, store, 3, 3);
  try {
    await store.save(meta(4), filesFor(4), { beforeCommit: () => { throw crash; } });
  } catch (error) {
    t.equal((error as Error).cause, crash, 'the original error is the cause');
  }
  await store.save(meta(6), filesFor(6));
  await expectSnapshot(t, store, 6, 6);
  t.same(snapshotDirs(dir), ['snap-00000003', 'snap-00000006']);
});

t.test('a write that fails leaves the previous state intact', async (t) => {
  const dir = t.testdir();
  const store = new SnapshotStore(dir);
  await store.save(meta(1), filesFor(1));
  const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  const files: SnapshotFile[] = [...filesFor(2), { name: 'big.bin', write: () => { throw full; } }];
  await t.rejects(store.save(meta(2), files), { ...coded('ADK_STORE_WRITE_FAILED'), message: /disk is full/ });
  await expectSnapshot(t, store, 1, 1);
  t.same(stagingDirs(dir), [], 'the staging folder is cleaned up');
  t.same(snapshotDirs(dir), ['snap-00000001']);
  await t.resolves(store.save(meta(3), filesFor(3)));
  await expectSnapshot(t, store, 3);
});

t.test('an unwritable location is ADK_STORE_WRITE_FAILED', async (t) => {
  t.test('store path under a regular file (ENOTDIR)', async (t) => {
    const root = t.testdir({ 'a-file': 'not a folder' });
    const store = new SnapshotStore(path.join(root, 'a-file', 'store'));
    await t.rejects(store.save(meta(1), filesFor(1)), coded('ADK_STORE_WRITE_FAILED'));
    t.equal(readFileSync(path.join(root, 'a-file'), 'utf8'), 'not a folder', 'the file is untouched');
    await t.rejects(store.save(meta(2), filesFor(2)), { ...coded('ADK_STORE_WRITE_FAILED'), message: /Could not save the store/ }, 'again, same answer');
  });

  const root = process.getuid?.() === 0;
  const skip = root ? 'running as root: chmod does not stop root from writing, so a read-only folder cannot be simulated' : false;
  t.test('read-only store folder', { skip }, async (t) => {
    const dir = t.testdir();
    const store = new SnapshotStore(dir);
    await store.save(meta(1), filesFor(1));
    chmodSync(dir, 0o555);
    t.teardown(() => chmodSync(dir, 0o755));
    await t.rejects(store.save(meta(2), filesFor(2)), { ...coded('ADK_STORE_WRITE_FAILED'), message: /not writable/ });
    await expectSnapshot(t, store, 1, 1);
    chmodSync(dir, 0o755);
    await t.resolves(store.save(meta(3), filesFor(3)), 'writable again');
  });
});
