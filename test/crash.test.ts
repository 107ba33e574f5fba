// Crash safety of the knowledge base: every acknowledged write survives a crash.
//
// A child process (test/crash/child.ts) plays a deterministic scenario of writes
// (addTickets with new and updated tickets, remove, publish of a markdown
// folder, and a full index) on a store folder — `KnowledgeBase.open`: one SQLite
// database, WAL journal, synchronous=FULL — and is SIGKILLed: by the parent at a
// chosen moment, or by itself at an exact phase marker. After each kill the
// store must open, pass verify() (what `answerdesk doctor` runs: SQLite's
// integrity check, then documents, passages, vectors and words agree), and hold
// exactly the state after the last acknowledged write or the one after it (the
// write in flight is all or nothing), compared document by document. Then more
// writes go on in the recovered store, which must close cleanly and reopen
// exact again.
//
// Also in-process: a read-only database file or store folder (skipped as root,
// which ignores permissions) and two knowledge bases writing one store. Not
// here: a full disk — SQLite refuses a WAL that is a symlink (so not to
// /dev/full), and shrinking the database's room (PRAGMA max_page_count, a small
// filesystem) needs either a private API or root; see bench/crash/README.md.
// The hashing encoder keeps this fast: the suite is about persistence, not
// meaning. More kills, at random points: `pnpm bench:crash`.
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DATABASE_FILE, HashingEncoder, KnowledgeBase, type Ticket } from '@answerdesk/core';
import {
  ExpectedStates,
  cacheTempsOf,
  checkRecovered,
  continueAndCheck,
  makeScenario,
  rng,
  runChild,
  trialPaths,
  type ChildRun,
  type KillPlan,
  type Marker,
  type RecoveryCheck,
  type Scenario,
} from './crash/scenario.js';

type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

const LENGTH = 16;
const CONTINUE = 3;

/** The first scenario (seeds 1, 2, …) with what these tests need early on: adds, removes, publishes and an index. */
function findScenario(): Scenario {
  for (let seed = 1; seed < 10_000; seed++) {
    const s = makeScenario(seed, LENGTH + CONTINUE);
    const kinds = s.ops.slice(0, LENGTH).map((op) => op.kind);
    const index = kinds.indexOf('index');
    const add = kinds.indexOf('add', 2);
    const publish = kinds.indexOf('publish', 1);
    const fits =
      index >= 4 &&
      index <= 10 &&
      publish >= 1 &&
      publish <= 5 &&
      kinds.indexOf('publish', publish + 1) > 0 &&
      add >= 2 &&
      add <= 7 &&
      kinds.indexOf('remove', add + 1) > 0 &&
      kinds.indexOf('remove', add + 1) < LENGTH - 2;
    if (fits) return s;
  }
  throw new Error('no scenario fits');
}
const scenario = findScenario();
const firstOp = (kind: string, from = 1) => scenario.ops.find((op) => op.kind === kind && op.k >= from)!.k;
t.comment(`scenario seed ${scenario.seed}: ${scenario.ops.map((op) => `${op.k}:${op.kind}`).join(' ')}`);

interface Round {
  plan?: KillPlan;
  dieAt?: { marker: Marker; op: number };
  /** The last op this round's child plays (default LENGTH). */
  to?: number;
}

/** Check one recovered store; returns the op count it holds. */
function assertRecovered(t: Tap, run: ChildRun, check: RecoveryCheck, what: string, mayFinish: boolean): number {
  if (mayFinish && run.finished && run.code === 0) t.pass(`${what}: the child finished before the timer fired`);
  else t.equal(run.signal, 'SIGKILL', `${what}: the child died by SIGKILL (last line "${run.lastLine}"; stderr: ${run.stderr.slice(0, 400)})`);
  t.ok(check.opened, `${what}: the store opens (${check.openError ?? 'ok'})`);
  t.ok(check.verified, `${what}: doctor finds no problem`, { problems: check.problems.slice(0, 10) });
  t.ok(check.outcome === 'old' || check.outcome === 'new', `${what}: the store holds exactly the state after op ${run.lastAck} or op ${run.lastAck + 1} (${check.outcome})`, { diffs: check.diffs });
  const vectors = check.vectors ? `${check.vectors.origin}${check.vectors.rebuildReason ? ` (${check.vectors.rebuildReason})` : ''}, ${check.vectors.caughtUp} changes caught up` : 'not loaded';
  t.comment(
    `${what}: died at "${run.lastLine}" after ack ${run.lastAck} → ${check.outcome} state (op ${check.at}); ` +
      `WAL left ${check.layout.walBytes} bytes; vector index: ${vectors}; cache temporaries left: ${cacheTempsOf(check.layout, run.pid).length}`,
  );
  return check.at ?? -1;
}

/**
 * Play the scenario in a child, kill it once per round (each round resumes from
 * the recovered state), check each recovered store, then write on in this
 * process and check again. Returns each round's run and check.
 */
async function crashTrial(t: Tap, rounds: Round[]): Promise<Array<{ run: ChildRun; check: RecoveryCheck }>> {
  const paths = trialPaths(t.testdir());
  const expected = new ExpectedStates(scenario, paths);
  const results: Array<{ run: ChildRun; check: RecoveryCheck }> = [];
  let at = 0;
  let kb: RecoveryCheck['kb'];
  for (const [i, round] of rounds.entries()) {
    const to = round.to ?? LENGTH;
    const run = await runChild(
      { root: paths.root, seed: scenario.seed, length: scenario.ops.length, from: at, to, encoder: 'hashing', ...(round.dieAt ? { dieAt: round.dieAt } : {}) },
      round.plan ?? { kind: 'none' },
      60_000,
    );
    const check = await checkRecovered(expected, 'hashing', run.lastAck, !run.finished && run.lastAck < to);
    results.push({ run, check });
    at = assertRecovered(t, run, check, `kill ${i + 1}`, round.plan?.kind === 'timer');
    kb = check.kb;
    if (at < 0 || !kb) break;
    if (i < rounds.length - 1) await kb.close();
  }
  if (kb && at >= 0) {
    const to = Math.min(at + CONTINUE, scenario.ops.length);
    const continued = await continueAndCheck(kb, expected, 'hashing', at, to);
    t.ok(continued.ok, `writes after recovery (ops ${at + 1}..${to}) close cleanly and reopen exact and verified`, { problems: continued.problems });
  }
  return results;
}

t.test('SIGKILL just before a small write commits, just after it commits, and just after its ack (fixed points)', async (t) => {
  const k = firstOp('add', 3);
  const r = firstOp('remove', k + 1);
  const results = await crashTrial(t, [
    { dieAt: { marker: 'writing', op: k } }, // vectors ready, the store's write (one transaction) is called next
    { dieAt: { marker: 'committed', op: k } }, // the transaction is committed and fsynced; the knowledge base has not acknowledged it
    { dieAt: { marker: 'committed', op: r } }, // the same for a remove
    { dieAt: { marker: 'ack', op: r + 1 } }, // acknowledged, and nothing after it started
  ]);
  t.equal(results.length, 4);
  const [before, after, removed, acked] = results;
  t.equal(before!.run.lastAck, k - 1, `op ${k} was never acknowledged`);
  t.equal(before!.check.outcome, 'old', 'killed before the transaction: the write is absent, whole');
  t.equal(after!.run.lastAck, k - 1, `op ${k} was never acknowledged`);
  t.equal(after!.check.outcome, 'new', 'killed after the commit: the write is there, whole');
  t.equal(removed!.check.at, r, `killed after op ${r}'s commit: the tickets are gone`);
  t.equal(acked!.run.lastAck, r + 1, `op ${r + 1} was acknowledged`);
  t.equal(acked!.check.at, r + 1, 'killed just after the ack: the acknowledged write is there, and nothing more');
});

t.test('SIGKILL during a publish: the folder’s change is all there or not at all', async (t) => {
  const k = firstOp('publish', 2);
  const next = firstOp('publish', k + 1);
  const results = await crashTrial(t, [
    { dieAt: { marker: 'embedded', op: k } }, // the folder is read and embedded, nothing written
    { plan: { kind: 'marker', marker: 'writing', op: k, delayMs: 0 } }, // the parent kills as soon as it reads that the store's write began
    { dieAt: { marker: 'committed', op: next } },
  ]);
  t.equal(results.length, 3);
  t.equal(results[0]!.check.outcome, 'old', 'killed before the store write: the publish is absent');
  t.comment(`a kill as the store write began left the ${results[1]!.check.outcome} state`);
  t.equal(results[2]!.check.outcome, 'new', 'killed after the commit: the whole publish is there');
});

t.test('SIGKILL during a full index (one transaction): none of it before the commit, all of it after', async (t) => {
  const k = firstOp('index');
  const results = await crashTrial(t, [
    { dieAt: { marker: 'embedded', op: k } }, // every file read and embedded, nothing written
    { plan: { kind: 'file', marker: 'writing', op: k, step: 'wal', delayMs: 0 } }, // the index transaction is being written to the WAL
    { dieAt: { marker: 'committed', op: k } },
  ]);
  t.equal(results.length, 3);
  t.equal(results[0]!.run.lastAck, k - 1);
  t.equal(results[0]!.check.outcome, 'old', 'killed before the store write: none of the index is there');
  t.comment(`a kill while the index transaction was written to the WAL left the ${results[1]!.check.outcome} state`);
  t.equal(results[2]!.check.outcome, 'new', 'killed after the commit: all of it is there');
  t.ok((results[2]!.check.at ?? 0) >= k, `the index (op ${k}) is in the store`);
});

t.test('SIGKILL while closing: a half-saved vector cache is never trusted', async (t) => {
  // After its last write the child closes the store, which builds the vector index and saves it as
  // a cache beside the database: the graph, then its stamp, each written to a temporary and renamed.
  const results = await crashTrial(t, [
    { plan: { kind: 'file', marker: 'closing', op: 0, step: 'cache-temp', delayMs: 0 }, to: 6 }, // the temporary graph appeared
    { plan: { kind: 'file', marker: 'closing', op: 0, step: 'cache-graph', delayMs: 0 }, to: 10 }, // the new graph is in place, beside the previous close's stamp
  ]);
  t.equal(results.length, 2);
  for (const [i, { run, check }] of results.entries()) {
    t.equal(run.lastAck, i === 0 ? 6 : 10, 'every write was acknowledged before closing');
    t.equal(check.at, run.lastAck, 'and is there');
    const temps = cacheTempsOf(check.layout, run.pid);
    t.comment(`kill ${i + 1}: vector index ${check.vectors?.origin} (${check.vectors?.rebuildReason ?? 'cache fits'}); temporaries the kill left: ${temps.join(', ') || 'none'}`);
  }
});

t.test('SIGKILL at random times, twice on the same store', async (t) => {
  const random = rng(scenario.seed * 7919);
  // ~55 ms per op here; spread the kills over the run.
  const results = await crashTrial(t, [{ plan: { kind: 'timer', ms: Math.round(50 + random() * 350) } }, { plan: { kind: 'timer', ms: Math.round(50 + random() * 300) } }]);
  t.equal(results.length, 2);
});

// ---------------------------------------------------------------- failures while running

const ticket = (id: string, text = `question ${id}`): Ticket => ({ id, subject: text, body: `${text} body`, resolution: `answer to ${id}` });
const open = (store: string) => KnowledgeBase.open({ store, encoder: new HashingEncoder() });
async function ids(kb: KnowledgeBase, list: string[]): Promise<string[]> {
  const held = await kb.store.getDocuments(list);
  return list.filter((id) => held.has(id));
}
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { code?: string; message?: string }) => error,
  );

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

t.test('a read-only database file or store folder: writing is refused with a coded error, the previous state stays', readOnlySkip, async (t) => {
  // Not t.testdir(): tap may remove that before this test's teardown gives the permissions back.
  const root = mkdtempSync(path.join(os.tmpdir(), 'adk-crash-'));
  const store = path.join(root, 'store');
  const database = path.join(store, DATABASE_FILE);
  /** Give the folder and every file in it back to their owner (SQLite makes its -wal and -shm with the database file's mode). */
  const writable = () => {
    chmodSync(store, 0o755);
    for (const entry of readdirSync(store)) chmodSync(path.join(store, entry), 0o644);
  };
  t.teardown(() => {
    writable();
    rmSync(root, { recursive: true, force: true });
  });
  const kb = await open(store);
  await kb.addTickets([ticket('A'), ticket('B')]);
  await kb.addTickets([ticket('B', 'B updated')]);
  await kb.close();

  /** Open and write C; the refusal may come at opening (it creates or checks the knowledge base in a write transaction) or at the write. */
  const attempt = async (what: string) => {
    let opened: KnowledgeBase | undefined;
    const refused = await failure(open(store).then(async (kb) => (opened = kb).addTickets([ticket('C')])));
    t.ok(refused, `${what}: the write is refused`);
    t.equal(refused?.code, 'ADK_STORE_WRITE_FAILED', `${what}: …with a coded error (${refused?.message})`);
    t.comment(`${what}: refused ${opened ? 'at the write' : 'at opening'}`);
    if (opened) {
      t.same(await ids(opened, ['A', 'B', 'C']), ['A', 'B'], `${what}: the refused ticket is not there`);
      await opened.close();
    }
    writable();
    const reopened = await open(store);
    t.same(await ids(reopened, ['A', 'B', 'C']), ['A', 'B'], `${what}, then writable again: the previous state`);
    t.equal((await reopened.document('B'))?.title, 'B updated');
    const report = await reopened.verify();
    t.ok(report.ok, `${what}, then writable again: doctor finds no problem`, { problems: report.problems });
    await reopened.close();
  };

  chmodSync(database, 0o444);
  await attempt('a read-only database file');
  chmodSync(store, 0o555);
  await attempt('a read-only store folder');

  // A knowledge base already open when its folder and files become read-only writes through the
  // files SQLite already holds open: its write may be acknowledged, and then it must be kept.
  const live = await open(store);
  chmodSync(store, 0o555);
  for (const entry of readdirSync(store)) chmodSync(path.join(store, entry), 0o444);
  const refused = await failure(live.addTickets([ticket('D')]));
  t.ok(!refused || refused.code === 'ADK_STORE_WRITE_FAILED', `open before the folder became read-only: the write is acknowledged or refused with a coded error (${refused?.code ?? 'acknowledged'})`);
  await live.close();
  writable();
  const last = await open(store);
  t.same(await ids(last, ['A', 'B', 'C', 'D']), refused ? ['A', 'B'] : ['A', 'B', 'D'], refused ? 'the refused write is absent' : 'the acknowledged write survives');
  t.ok((await last.verify()).ok, 'doctor finds no problem');
  await last.addTickets([ticket('E')]);
  t.ok(await last.document('E'), 'writable again: writes go on');
  await last.close();
});

t.test('two knowledge bases writing one store in one process: no acknowledged write is lost', async (t) => {
  // Both instances are one process: SQLite's locks (not a pid) order their transactions.
  const store = path.join(t.testdir(), 'store');
  const one = await open(store);
  const two = await open(store);
  const written = new Map<string, 'acknowledged' | string>();
  const track = (what: string, write: Promise<unknown>) =>
    write.then(
      () => void written.set(what, 'acknowledged'),
      (error: { code?: string }) => void written.set(what, `refused (${error.code})`),
    );
  await track('A', one.addTickets([ticket('A')]));
  await track('B', two.addTickets([ticket('B')]));
  t.ok(await two.document('A'), "the second instance reads the first one's write without reopening");
  await track('C', one.addTickets([ticket('C')]));
  // At once: each write is planned on the version it read and applied only if no other write came in between.
  await Promise.all([
    track('D', one.addTickets([ticket('D')])),
    track('E', two.addTickets([ticket('E')])),
    track('B updated', two.addTickets([ticket('B', 'B updated')])),
    track('A removed', one.remove(['A'])),
  ]);
  await Promise.all([one.close(), two.close()]);
  t.comment(`writes: ${[...written].map(([what, how]) => `${what} ${how}`).join(', ')}`);
  const refused = [...written].filter(([, how]) => how !== 'acknowledged');
  t.same(refused, [], 'no write is refused: both instances write the store');
  const again = await open(store);
  const acknowledged = (what: string) => written.get(what) === 'acknowledged';
  const expectedIds = ['B', 'C', 'D', 'E'].filter(acknowledged).concat(acknowledged('A') && !acknowledged('A removed') ? ['A'] : []);
  t.same((await ids(again, ['A', 'B', 'C', 'D', 'E'])).sort(), expectedIds.sort(), 'every acknowledged write survives');
  if (acknowledged('B updated')) t.equal((await again.document('B'))?.title, 'B updated', "the second instance's update survives");
  const report = await again.verify();
  t.ok(report.ok, 'doctor finds no problem', { problems: report.problems });
  await again.close();
});

