// Crash safety of the knowledge base: every acknowledged write survives a crash.
//
// A child process (test/crash/child.ts) plays a deterministic scenario of writes
// (addTickets with new and updated tickets, remove, publish of a markdown
// folder, and a full index) and is SIGKILLed — by the parent at a chosen moment,
// or by itself at an exact phase marker. After each kill the store must open,
// pass verify() (what `answerdesk doctor` runs: counts, vectors, sections,
// lexical entries; snapshot and log checksums are checked while opening), and
// hold exactly the state after the last acknowledged write or the one after it
// (the write in flight is all or nothing), compared document by document. Then
// more writes go on in the recovered store, which must reopen exact again.
//
// Also in-process: a full disk (/dev/full), a read-only folder (skipped as root,
// which ignores permissions), a save that fails after its commit point, and two
// instances writing one store. The hashing encoder
// keeps this fast: the suite is about persistence, not meaning. More kills, at
// random points: `pnpm bench:crash`.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { HashingEncoder, FileKnowledgeBase as KnowledgeBase, type Ticket } from '@answerdesk/core';
import {
  ExpectedStates,
  checkRecovered,
  continueAndCheck,
  makeScenario,
  JOURNAL_LIMIT,
  rng,
  runChild,
  saveStepOf,
  storeLayout,
  trialPaths,
  type ChildRun,
  type KillPlan,
  type Marker,
  type RecoveryCheck,
  type Scenario,
  type StoreLayout,
} from './crash/scenario.js';

type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

const LENGTH = 16;
const CONTINUE = 3;

/** The first scenario (seeds 1, 2, …) with what these tests need early on: adds, publishes and an index. */
function findScenario(): Scenario {
  for (let seed = 1; seed < 10_000; seed++) {
    const s = makeScenario(seed, LENGTH + CONTINUE);
    const kinds = s.ops.slice(0, LENGTH).map((op) => op.kind);
    const index = kinds.indexOf('index');
    const publishes = kinds.slice(1, LENGTH - 3).filter((k) => k === 'publish').length;
    if (index >= 4 && index <= 10 && kinds.slice(1, 6).includes('publish') && publishes >= 2 && kinds.slice(2, 8).filter((k) => k === 'add').length >= 2 && kinds.includes('remove')) return s;
  }
  throw new Error('no scenario fits');
}
const scenario = findScenario();
const firstOp = (kind: string, from = 1) => scenario.ops.find((op) => op.kind === kind && op.k >= from)!.k;
t.comment(`scenario seed ${scenario.seed}: ${scenario.ops.map((op) => `${op.k}:${op.kind}`).join(' ')}`);

interface Round {
  plan?: KillPlan;
  dieAt?: { marker: Marker; op: number };
}

/** Check one recovered store; returns the op count it holds. */
function assertRecovered(t: Tap, run: ChildRun, check: RecoveryCheck, what: string, mayFinish: boolean): number {
  if (mayFinish && run.finished && run.code === 0) t.pass(`${what}: the child finished before the timer fired`);
  else t.equal(run.signal, 'SIGKILL', `${what}: the child died by SIGKILL (last line "${run.lastLine}"; stderr: ${run.stderr.slice(0, 400)})`);
  t.ok(check.opened, `${what}: the store opens (${check.openError ?? 'ok'})`);
  t.ok(check.verified, `${what}: doctor finds no problem`, { problems: check.problems.slice(0, 10) });
  t.ok(check.outcome === 'old' || check.outcome === 'new', `${what}: the store holds exactly the state after op ${run.lastAck} or op ${run.lastAck + 1} (${check.outcome})`, { diffs: check.diffs });
  t.comment(
    `${what}: died at "${run.lastLine}" after ack ${run.lastAck} → ${check.outcome} state (op ${check.at}); ` +
      `torn log bytes ${check.report?.journal.tornBytes ?? '?'}, snapshots ${check.layout.snapshots.join(',') || 'none'} (current ${check.layout.current ?? 'none'}), staging ${check.layout.staging.length}`,
  );
  return check.at ?? -1;
}

/**
 * Play the scenario in a child, kill it once per round (each round resumes from
 * the recovered state), check each recovered store, then write on in this
 * process and check again. Returns each round's run and check.
 */
async function crashTrial(t: Tap, rounds: Round[], to = LENGTH): Promise<Array<{ run: ChildRun; check: RecoveryCheck; before: StoreLayout }>> {
  const paths = trialPaths(t.testdir());
  const expected = new ExpectedStates(scenario, paths);
  const results: Array<{ run: ChildRun; check: RecoveryCheck; before: StoreLayout }> = [];
  let at = 0;
  let kb: KnowledgeBase | undefined;
  for (const [i, round] of rounds.entries()) {
    const before = storeLayout(paths.store);
    const run = await runChild(
      { root: paths.root, seed: scenario.seed, length: scenario.ops.length, from: at, to, encoder: 'hashing', ...(round.dieAt ? { dieAt: round.dieAt } : {}) },
      round.plan ?? { kind: 'none' },
      60_000,
    );
    const check = await checkRecovered(expected, 'hashing', run.lastAck, !run.finished && run.lastAck < to);
    results.push({ run, check, before });
    at = assertRecovered(t, run, check, `kill ${i + 1}`, round.plan?.kind === 'timer');
    kb = check.kb;
    if (at < 0 || !kb) break;
    if (i < rounds.length - 1) await kb.close();
  }
  if (kb && at >= 0) {
    const continued = await continueAndCheck(kb, expected, 'hashing', at, Math.min(at + CONTINUE, scenario.ops.length));
    t.ok(continued.ok, `writes after recovery (ops ${at + 1}..${Math.min(at + CONTINUE, scenario.ops.length)}) reopen exact and verified`, { problems: continued.problems });
  }
  return results;
}

t.test('SIGKILL just before and just after a small write reaches the log (fixed points)', async (t) => {
  const k = firstOp('add', 3);
  const [before, after] = await crashTrial(t, [
    { dieAt: { marker: 'embedded', op: k } }, // vectors ready, log append next
    { dieAt: { marker: 'logged', op: k } }, // the log record is fsynced, memory not yet updated
  ]);
  t.equal(before!.run.lastAck, k - 1, `op ${k} was never acknowledged`);
  t.equal(before!.check.outcome, 'old', 'killed before the log append: the write is absent, whole');
  t.equal(after!.run.lastAck, k - 1, `op ${k} was never acknowledged`);
  t.equal(after!.check.outcome, 'new', 'killed after the log append: the record is replayed, whole');
});

t.test('SIGKILL during compaction (snapshot save and log prune): the logged write survives', async (t) => {
  // Four kills on one store, each inside a compaction: while it serializes, while its staging
  // folder is written (seen in the folder with fs.watch), as the folder is renamed into place
  // (before CURRENT flips), and as CURRENT is replaced (old snapshot and log being pruned).
  const results = await crashTrial(t, [
    { plan: { kind: 'marker', marker: 'compact', op: 1, delayMs: 5 } },
    { plan: { kind: 'file', marker: 'compact', op: 1, step: 'staging', delayMs: 2 } },
    { plan: { kind: 'file', marker: 'compact', op: 1, step: 'snapshot', delayMs: 0 } },
    { plan: { kind: 'file', marker: 'compact', op: 1, step: 'current', delayMs: 0 } },
  ]);
  t.equal(results.length, 4);
  for (const { run, check, before } of results) {
    const compacted = [...run.markers].reverse().find((line) => line.startsWith('compact '));
    t.ok(compacted, 'the child started a compaction');
    const k = Number(compacted?.split(' ')[1]);
    // The compaction runs after op k is in the log: whatever the kill hit, op k is there.
    t.ok(check.at !== undefined && check.at >= k, `op ${k} (logged before its compaction) survived: the store is at op ${check.at}`);
    t.comment(`the kill left the save at: ${saveStepOf(check.layout, check.layout.currentLogBytes < JOURNAL_LIMIT, before, run.pid)}`);
  }
});

t.test('SIGKILL during a publish: the folder’s change is all there or not at all', async (t) => {
  const k = firstOp('publish', 2);
  const results = await crashTrial(t, [
    { dieAt: { marker: 'embedded', op: k } },
    { plan: { kind: 'marker', marker: 'files', op: firstOp('publish', k + 1), delayMs: 3 } },
  ]);
  t.equal(results[0]!.check.outcome, 'old', 'killed before the log append: the publish is absent');
});

t.test('SIGKILL during a full index (a snapshot, not the log): old state until CURRENT flips, then new', async (t) => {
  const k = firstOp('index');
  const results = await crashTrial(t, [
    { dieAt: { marker: 'saving', op: k } }, // memory is updated, the snapshot save is about to start
    { plan: { kind: 'file', marker: 'saving', op: k, step: 'current', delayMs: 0 } }, // CURRENT was just replaced
  ]);
  t.equal(results.length, 2);
  t.equal(results[0]!.run.lastAck, k - 1);
  t.equal(results[0]!.check.outcome, 'old', 'memory had changed, nothing was saved: none of the index is on disk');
  t.equal(results[1]!.check.outcome, 'new', 'CURRENT names the new snapshot: all of the index is there');
  for (const { run, check, before } of results) t.comment(`index op ${k}: the kill left the save at: ${saveStepOf(check.layout, check.outcome === 'new', before, run.pid)}`);
});

t.test('SIGKILL at random times, twice on the same store', async (t) => {
  const random = rng(scenario.seed * 7919);
  // ~50 ms per op here; spread the kills over the run.
  const results = await crashTrial(t, [{ plan: { kind: 'timer', ms: Math.round(50 + random() * 350) } }, { plan: { kind: 'timer', ms: Math.round(50 + random() * 300) } }]);
  t.equal(results.length, 2);
});

t.test('a torn last log record (a write cut short by the crash) is dropped, and later writes are whole', async (t) => {
  // SIGKILL rarely cuts a write() to a local file in two; a power cut does. Make one:
  // kill right after op k reached the log, then cut its record short.
  const k = firstOp('add', 3);
  const paths = trialPaths(t.testdir());
  const expected = new ExpectedStates(scenario, paths);
  const run = await runChild({ root: paths.root, seed: scenario.seed, length: scenario.ops.length, from: 0, to: LENGTH, encoder: 'hashing', dieAt: { marker: 'logged', op: k } }, { kind: 'none' }, 60_000);
  t.equal(run.signal, 'SIGKILL');
  const layout = storeLayout(paths.store);
  const log = path.join(paths.store, layout.logs.at(-1)!);
  truncateSync(log, statSync(log).size - 7);
  const check = await checkRecovered(expected, 'hashing', run.lastAck, true);
  t.ok(check.verified, 'doctor finds no problem', { problems: check.problems });
  t.equal(check.outcome, 'old', `the torn op ${k} is absent, every earlier op is whole`, { diffs: check.diffs });
  t.ok((check.report?.journal.tornBytes ?? 0) > 0, `the torn bytes are reported (${check.report?.journal.tornBytes})`);
  const continued = await continueAndCheck(check.kb!, expected, 'hashing', k - 1, k + 2);
  t.ok(continued.ok, 'ops written after the torn record reopen exact', { problems: continued.problems });
});

// ---------------------------------------------------------------- failures while running

const ticket = (id: string, text = `question ${id}`): Ticket => ({ id, subject: text, body: `${text} body`, resolution: `answer to ${id}` });
const open = (store: string) => KnowledgeBase.open({ store, encoder: new HashingEncoder() });
const ids = (kb: KnowledgeBase, list: string[]) => list.filter((id) => kb.getDocument(id) !== undefined);

t.test('a full disk: the write is refused, memory and disk keep the previous state', async (t) => {
  const dir = t.testdir();
  const store = path.join(dir, 'store');
  const kb = await open(store);
  await kb.addTickets([ticket('A'), ticket('B')]);
  await kb.save();
  await kb.addTickets([ticket('C'), ticket('B', 'B updated')]); // in the log of the snapshot
  const log = path.join(store, storeLayout(store).logs.at(-1)!);
  const kept = path.join(dir, 'log-copy');
  copyFileSync(log, kept);
  // Writes to /dev/full fail with ENOSPC, as on a full disk.
  unlinkSync(log);
  symlinkSync('/dev/full', log);
  t.teardown(() => {
    // Never leave the log pointing at /dev/full (reading it never ends).
    try {
      unlinkSync(log);
      copyFileSync(kept, log);
    } catch {
      // the test folder is already gone
    }
  });
  const before = await kb.verify();
  await t.rejects(kb.addTickets([ticket('D'), ticket('A', 'A updated')]), { code: 'ADK_STORE_WRITE_FAILED', message: /disk is full/ }, 'addTickets rejects: the disk is full');
  t.same(ids(kb, ['A', 'B', 'C', 'D']), ['A', 'B', 'C'], 'the rejected ticket is not in memory');
  t.equal(kb.getDocument('A')?.title, 'question A', 'the rejected update is not in memory');
  const after = await kb.verify();
  t.ok(after.ok, 'memory is consistent');
  t.same(after.counts, before.counts, 'memory is exactly as before the write');

  // The disk has room again: what is on disk is the previous state, intact.
  unlinkSync(log);
  copyFileSync(kept, log);
  const reopened = await open(store);
  t.same(ids(reopened, ['A', 'B', 'C', 'D']), ['A', 'B', 'C'], 'reopened: the previous state');
  t.equal(reopened.getDocument('B')?.title, 'B updated');
  t.equal(reopened.getDocument('A')?.title, 'question A');
  const report = await reopened.verify();
  t.ok(report.ok, 'reopened: doctor finds no problem', { problems: report.problems });
  t.equal(report.journal.tornBytes, 0);
  await reopened.close();

  // And the same knowledge base writes on once there is room.
  await kb.addTickets([ticket('D')]);
  await kb.close();
  const again = await open(store);
  t.same(ids(again, ['A', 'B', 'C', 'D']), ['A', 'B', 'C', 'D'], 'a write after the failure is durable');
  t.ok((await again.verify()).ok);
  await again.close();
});

/** Whether this process can write into a folder it made read-only (root can). */
function permissionsIgnored(): boolean {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'adk-perm-'));
  try {
    chmodSync(dir, 0o555);
    writeFileSync(path.join(dir, 'probe'), 'x');
    return true;
  } catch {
    return false;
  } finally {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
}
const readOnlySkip = permissionsIgnored() ? { skip: `file permissions do not stop this process (uid ${process.getuid?.()}): root ignores file permissions` } : {};

t.test('a read-only store folder: the write is refused, the previous state stays', readOnlySkip, async (t) => {
  // Not t.testdir(): tap may remove that before this test's teardown gives the permissions back.
  const root = mkdtempSync(path.join(os.tmpdir(), 'adk-crash-'));
  const modes = new Map<string, number>();
  t.teardown(() => {
    for (const [file, mode] of [...modes].reverse()) chmodSync(file, mode);
    rmSync(root, { recursive: true, force: true });
  });
  const store = path.join(root, 'store');
  const kb = await open(store);
  await kb.addTickets([ticket('A')]);
  await kb.save();
  await kb.addTickets([ticket('B')]);
  const lockDown = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) lockDown(full);
      modes.set(full, statSync(full).mode & 0o777);
      chmodSync(full, entry.isDirectory() ? 0o555 : 0o444);
    }
  };
  lockDown(store);
  modes.set(store, statSync(store).mode & 0o777);
  chmodSync(store, 0o555);
  await t.rejects(kb.addTickets([ticket('C')]), { code: 'ADK_STORE_WRITE_FAILED', message: /not writable/ }, 'addTickets rejects: the folder is not writable');
  t.same(ids(kb, ['A', 'B', 'C']), ['A', 'B'], 'the rejected ticket is not in memory');
  t.ok((await kb.verify()).ok, 'memory is consistent');
  const reopened = await open(store);
  t.same(ids(reopened, ['A', 'B', 'C']), ['A', 'B'], 'reopened: the previous state');
  const report = await reopened.verify();
  t.ok(report.ok, 'reopened: doctor finds no problem', { problems: report.problems });
  await reopened.close();
  await kb.close();

  // A writer that crashed left its LOCK behind; a new writer finds the folder read-only.
  const lock = path.join(store, 'LOCK');
  chmodSync(store, 0o755);
  rmSync(lock, { force: true }); // (the closed writer could not remove its own)
  writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 1, host: os.hostname() })); // no such process
  modes.set(lock, 0o644);
  chmodSync(lock, 0o444);
  chmodSync(store, 0o555);
  const fresh = await open(store);
  const refused = await fresh.addTickets([ticket('C')]).then(
    () => undefined,
    (error: { code?: string; message?: string }) => error,
  );
  const coded = refused?.code === 'ADK_STORE_WRITE_FAILED' && /not writable/.test(refused.message ?? '');
  t.ok(refused, 'a new writer is refused');
  t.ok(coded, `…with ADK_STORE_WRITE_FAILED "not writable" (got ${refused?.code}: ${refused?.message})`);
  t.same(ids(fresh, ['A', 'B', 'C']), ['A', 'B'], 'the refused ticket is not in memory');
  await fresh.close();
});

/** Whether `chattr +i` works here (root with CAP_LINUX_IMMUTABLE on ext4/xfs/btrfs). */
function immutableFiles(): boolean {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'adk-immutable-'));
  const probe = path.join(dir, 'probe');
  writeFileSync(probe, 'x');
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const immutableSkip = immutableFiles() ? {} : { skip: 'needs `chattr +i` (root on a filesystem with immutable files) to make an old snapshot folder undeletable' };

t.test('a save that fails after its commit point must not strand later acknowledged writes', immutableSkip, async (t) => {
  // SnapshotStore.save flips CURRENT, then prunes old snapshot folders. If the prune fails
  // (an old folder that cannot be deleted: another user's files, or one held open on
  // Windows), save() rejects although CURRENT already names the new snapshot.
  // Not t.testdir(): tap removes that before this test's teardown could unlock the file.
  const root = mkdtempSync(path.join(os.tmpdir(), 'adk-crash-'));
  let stuck: string | undefined;
  t.teardown(() => {
    if (stuck) execFileSync('chattr', ['-i', stuck]);
    rmSync(root, { recursive: true, force: true });
  });
  const store = path.join(root, 'store');
  mkdirSync(path.join(store, 'snap-00000000'), { recursive: true });
  const file = path.join(store, 'snap-00000000', 'stuck');
  writeFileSync(file, 'x');
  execFileSync('chattr', ['+i', file]);
  stuck = file;

  const kb = await open(store);
  await kb.addTickets([ticket('A')]);
  const saved = await kb.save().then(
    () => 'resolved',
    (error: { code?: string }) => `rejected (${error.code})`,
  );
  t.comment(`save() ${saved}; CURRENT now names ${storeLayout(store).current}`);
  await kb.addTickets([ticket('B')]); // resolves: acknowledged
  t.ok(kb.getDocument('B'), 'B is acknowledged and served');
  await kb.close();
  const reopened = await open(store);
  const report = await reopened.verify();
  t.ok(report.ok, 'doctor finds no problem');
  // B must not go to the previous snapshot's log (wal-00000000.log), which is ignored once CURRENT names snap-00000001.
  const lost = reopened.getDocument('B') === undefined;
  t.ok(!lost, 'the write acknowledged after the failed save survives a reopen');
  t.ok(reopened.getDocument('A'), 'A survives');
  await reopened.close();
});

t.test('two knowledge bases writing one store in one process: no acknowledged write is lost', async (t) => {
  // Both instances have the same pid, so the LOCK file alone cannot tell them apart.
  const store = path.join(t.testdir(), 'store');
  const one = await open(store);
  const two = await open(store);
  await one.addTickets([ticket('A')]);
  const second = await two.addTickets([ticket('B')]).then(
    () => 'acknowledged',
    (error: { code?: string }) => `refused (${error.code})`,
  );
  await one.addTickets([ticket('C')]);
  await one.save();
  await Promise.all([one.close(), two.close()]);
  const again = await open(store);
  const kept = ids(again, ['A', 'B', 'C']);
  t.comment(`the second instance's write was ${second}; the store holds ${kept.join(', ')}`);
  const ok = second !== 'acknowledged' || kept.includes('B');
  t.ok(ok, 'the second instance is refused, or its acknowledged write survives');
  t.same(kept.filter((id) => id !== 'B'), ['A', 'C'], 'the first instance’s writes survive');
  t.ok((await again.verify()).ok);
  await again.close();
});
