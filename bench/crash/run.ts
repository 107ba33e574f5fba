// Crash bench: SIGKILL a child process that is writing to a store folder (its
// SQLite database) many times, at random points, and check after every kill
// that the store opens, passes the doctor's checks and holds exactly the state
// before or after the write in flight — never a mix, never a lost acknowledged
// write. See bench/crash/README.md.
//
// The trials' checks (opening, verifying and writing on the recovered stores)
// run in a checker process that this one forks and replaces after any failed
// trial: a native crash there (a damaged heap in an addon) is then reported as
// that trial's failure instead of ending the bench.
//
//   pnpm bench:crash                 # 60 trials, a random seed (printed)
//   TRIALS=200 SEED=1234 pnpm bench:crash
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress, progressDone } from '../common/progress.js';
import { markdownTable } from '../retrieval/report.js';
import {
  ExpectedStates,
  cacheTempsOf,
  checkRecovered,
  continueAndCheck,
  describePlan,
  makeScenario,
  openKnowledgeBase,
  phaseOf,
  rng,
  runChild,
  storeLayout,
  trialPaths,
  type EncoderKind,
  type FileStep,
  type KillPlan,
  type Marker,
  type Scenario,
} from '../../test/crash/scenario.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cliBin = path.join(root, 'packages', 'cli', 'dist', 'bin.js');

function whole(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}
const trials = whole('TRIALS', 60);
const seed = whole('SEED', Math.floor(Math.random() * 2 ** 31));
/** Every CLI_EVERY-th trial uses USE-lite (the CLI's encoder) and is also checked with the real `answerdesk doctor`; 0: never. */
const cliEvery = whole('CLI_EVERY', 10);
/** Ops played after the last recovery, in this process, before the final check. */
const CONTINUE = 3;

/** Uniform draws from one stream: the main process draws the trials, each trial its kill plans (so SEED replays both). */
function draws(random: () => number) {
  return {
    random,
    uniform: (lo: number, hi: number) => lo + random() * (hi - lo),
    int: (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!,
  };
}
type Draws = ReturnType<typeof draws>;

/** ms per op of a child, per encoder: a running estimate for the timer kills. */
type MsPerOp = Record<EncoderKind, number>;

interface KillRecord {
  trial: number;
  round: number;
  encoder: EncoderKind;
  plan: string;
  planKind: KillPlan['kind'];
  from: number;
  lastAck: number;
  killed: boolean;
  phase: string;
  lastLine: string;
  opened: boolean;
  verified: boolean;
  outcome: string;
  at?: number;
  /** Bytes in the database's WAL as the kill left it (commits the next open reads; a cut-short transaction's frames, which it ignores). */
  walBytes: number;
  /** Where the vector index verify() used came from: the cache (caught up from the change log), or rebuilt and why. */
  vectors?: { origin: string; rebuildReason?: string; caughtUp: number };
  /** Temporaries of a vector-cache save this kill cut short. */
  cacheTemps: number;
  /** The real CLI on the recovered store, run first, on the folder exactly as the kill left it; `agrees`: exit 0. */
  cliDoctor?: { exit: number | null; signal?: NodeJS.Signals; line: string; agrees: boolean };
  problems: string[];
}

interface TrialRecord {
  trial: number;
  seed: number;
  encoder: EncoderKind;
  length: number;
  kills: number;
  continuation: { ok: boolean; problems: string[]; cacheTemps: string[] } | null;
  ms: number;
  dir?: string;
}

/** A kill plan for ops from+1..to: at a random time, a few ms after a random phase marker, or at a file change in the store folder. */
function choosePlan({ random, uniform, int, pick }: Draws, msPerOp: MsPerOp, scenario: Scenario, encoder: EncoderKind, from: number, to: number): KillPlan {
  const roll = random();
  // The run ends with close(), which builds the vector index and saves its cache: a timer may land there too.
  if (roll < 0.3) return { kind: 'timer', ms: Math.round(uniform(encoder === 'hashing' ? 50 : 1.5 * msPerOp[encoder], Math.max(100, (to - from + 1) * msPerOp[encoder]))) };
  // Aim at an op in the first 60% of the run, so there is something left to kill in.
  const op = int(from + 1, from + Math.max(1, Math.floor(0.6 * (to - from))));
  const later = scenario.ops.slice(op - 1, to);
  const has = (kind: string) => later.some((o) => o.kind === kind);
  if (roll < 0.55) {
    // At a change the parent sees in the store folder: the WAL being written (a transaction on its way
    // to its commit), or a step of the vector-cache save on close.
    if (random() < 0.6) return { kind: 'file', marker: 'writing', op, step: 'wal', delayMs: Math.round(uniform(0, 3)) };
    const step = pick<FileStep>(['cache-temp', 'cache-temp', 'cache-graph', 'cache-stamp']);
    return { kind: 'file', marker: 'closing', op: 0, step, delayMs: step === 'cache-graph' ? Math.round(uniform(0, 1)) : Math.round(uniform(0, 3)) };
  }
  const markers: Array<[Marker, number]> = [
    ['start', 1],
    ['embedded', 1],
    ['writing', 3],
    ['committed', 2],
    ['closing', 1],
    ...(has('publish') || has('index') ? ([['files', 1]] as Array<[Marker, number]>) : []),
  ];
  let weight = random() * markers.reduce((sum, [, w]) => sum + w, 0);
  let marker: Marker = 'start';
  for (const [m, w] of markers) {
    weight -= w;
    if (weight < 0) {
      marker = m;
      break;
    }
  }
  // From `writing` to `committed` a transaction takes ≈5–20 ms here; closing builds the index and saves its cache (≈50 ms).
  const spread = marker === 'writing' ? 20 : marker === 'closing' ? 60 : 15;
  const delayMs = random() < 0.25 ? 0 : Math.round(uniform(0, spread));
  return { kind: 'marker', marker, op: marker === 'closing' ? 0 : op, delayMs };
}

function cliDoctor(store: string): NonNullable<KillRecord['cliDoctor']> {
  const result = spawnSync(process.execPath, [cliBin, '--store', store, 'doctor'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const out = `${result.stdout}${result.stderr}`.trim().split('\n');
  // The verdict line, with the first problem when there are problems.
  const at = out.findIndex((l) => /^(OK|PROBLEMS|error)/.test(l));
  const line = at < 0 ? (out.at(-1) ?? '').trim() : out.slice(at, /^PROBLEMS/.test(out[at]!) ? at + 2 : at + 1).map((l) => l.trim()).join(' ');
  // Every kill comes after the child's `ready`, when its knowledge base is committed: there is always one to check.
  return { exit: result.status, ...(result.signal ? { signal: result.signal } : {}), line, agrees: result.status === 0 };
}

/** One trial, as the main process draws it; the checker plays it. */
interface TrialTask {
  trial: number;
  trialSeed: number;
  /** Seed of the trial's kill plans. */
  planSeed: number;
  encoder: EncoderKind;
  length: number;
  rounds: number;
  msPerOp: MsPerOp;
  root: string;
}

type CheckerMessage = { type: 'kill'; kill: KillRecord } | { type: 'trial'; record: TrialRecord; failures: string[]; msPerOp: MsPerOp };

/** Play one trial: kill its child once per round, check each recovered store, write on after the last. */
async function runTrial(task: TrialTask, report: (kill: KillRecord) => void): Promise<{ record: TrialRecord; failures: string[]; msPerOp: MsPerOp }> {
  const trialStarted = performance.now();
  const { trial, trialSeed, encoder, length, rounds } = task;
  const msPerOp = { ...task.msPerOp };
  const plans = draws(rng(task.planSeed));
  const failures: string[] = [];
  const scenario = makeScenario(trialSeed, length + CONTINUE);
  const paths = trialPaths(task.root);
  mkdirSync(paths.root, { recursive: true });
  const expected = new ExpectedStates(scenario, paths);
  let at = 0;
  let trialFailed = false;
  let record: TrialRecord = { trial, seed: trialSeed, encoder, length, kills: 0, continuation: null, ms: 0 };
  let kb: Awaited<ReturnType<typeof openKnowledgeBase>> | undefined;
  for (let round = 1; round <= rounds && !trialFailed; round++) {
    if (at >= length) break;
    const plan = choosePlan(plans, msPerOp, scenario, encoder, at, length);
    const run = await runChild({ root: paths.root, seed: trialSeed, length: length + CONTINUE, from: at, to: length, encoder }, plan);
    // Learn how long an op takes from when the acks arrived (ms after ready).
    const acks = run.timeline.filter(([, line]) => line.startsWith('ack '));
    if (acks.length >= 3) msPerOp[encoder] = 0.7 * msPerOp[encoder] + 0.3 * (acks.at(-1)![0] / acks.length);
    const killed = run.signal === 'SIGKILL';
    if (!killed && run.code !== 0) {
      failures.push(`trial ${trial} (seed ${trialSeed}) round ${round}: the child failed with exit ${run.code}: ${run.stderr.slice(0, 800)}`);
      trialFailed = true;
      break;
    }
    // The folder as the kill left it, before anything opens it (opening reads the WAL; a clean close checkpoints it).
    const left = storeLayout(paths.store);
    // The real command line first, on the store exactly as the kill left it.
    const cli = encoder === 'use-lite' ? cliDoctor(paths.store) : undefined;
    const check = await checkRecovered(expected, encoder, run.lastAck, !run.finished && run.lastAck < length);
    kb = check.kb;
    // After the CLI, the vector cache is the one its doctor saved: say nothing of the kill's.
    const vectors = cli ? undefined : check.vectors;
    const kill: KillRecord = {
      trial,
      round,
      encoder,
      plan: describePlan(plan),
      planKind: plan.kind,
      from: at,
      lastAck: run.lastAck,
      killed,
      phase: phaseOf(run, scenario, { outcome: check.outcome, layout: left, ...(vectors ? { vectors } : {}) }),
      lastLine: run.lastLine,
      opened: check.opened,
      verified: check.verified,
      outcome: check.outcome,
      ...(check.at !== undefined ? { at: check.at } : {}),
      walBytes: left.walBytes,
      ...(vectors ? { vectors: { origin: vectors.origin, ...(vectors.rebuildReason ? { rebuildReason: vectors.rebuildReason } : {}), caughtUp: vectors.caughtUp } } : {}),
      // What this kill left (not leftovers of an earlier kill on the same store).
      cacheTemps: cacheTempsOf(left, run.pid).length,
      ...(cli ? { cliDoctor: cli } : {}),
      problems: [...(check.openError ? [check.openError] : []), ...check.problems, ...check.diffs],
    };
    if (cli && !cli.agrees) kill.problems.push(`answerdesk doctor ${cli.signal ? `died by ${cli.signal}` : `exited ${cli.exit}`}: ${cli.line}`);
    if (killed) record.kills++;
    report(kill);
    if (!check.opened || !check.verified || check.outcome === 'mismatch' || kill.problems.length) {
      failures.push(
        `trial ${trial} (seed ${trialSeed}, ${encoder}) round ${round}, ${kill.plan}, died at "${run.lastLine}" (${kill.phase}), last ack ${run.lastAck}: ` +
          `opened=${check.opened} verified=${check.verified} outcome=${check.outcome}\n    ${kill.problems.slice(0, 10).join('\n    ')}`,
      );
      trialFailed = true;
      break;
    }
    at = check.at!;
    if (round < rounds && at < length) {
      await kb!.close();
      kb = undefined;
    }
  }
  if (!trialFailed && kb) {
    record.continuation = await continueAndCheck(kb, expected, encoder, at, Math.min(at + CONTINUE, scenario.ops.length));
    kb = undefined;
    if (!record.continuation.ok) {
      failures.push(`trial ${trial} (seed ${trialSeed}, ${encoder}): writing on after recovery at op ${at}:\n    ${record.continuation.problems.slice(0, 10).join('\n    ')}`);
      trialFailed = true;
    }
  } else if (kb) await kb.close();
  record.ms = Math.round(performance.now() - trialStarted);
  if (trialFailed) record = { ...record, dir: paths.root };
  else rmSync(paths.root, { recursive: true, force: true });
  return { record, failures, msPerOp };
}

// ---------------------------------------------------------------- the checker process

if (process.env.ANSWERDESK_CRASH_CHECKER === '1') {
  const send = (message: CheckerMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
  process.on('disconnect', () => process.exit(0));
  // One trial at a time: the main process sends the next one when this one answered.
  process.on('message', (task: TrialTask) => {
    void runTrial(task, (kill) => void send({ type: 'kill', kill })).then((result) => send({ type: 'trial', ...result }));
  });
} else {
  await main();
}

/** The checker: this script, forked with the same loader flags. */
function startChecker(): { process: ChildProcess; stderr: () => string } {
  let stderr = '';
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: process.execArgv,
    env: { ...process.env, ANSWERDESK_CRASH_CHECKER: '1', NODE_OPTIONS: '' },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  return { process: child, stderr: () => stderr };
}

/** Run a trial in the checker; `died` when the checker process ended before answering. */
function inChecker(checker: ReturnType<typeof startChecker>, task: TrialTask, onKill: (kill: KillRecord) => void): Promise<Extract<CheckerMessage, { type: 'trial' }> | { type: 'died'; how: string }> {
  return new Promise((resolve) => {
    const child = checker.process;
    const onMessage = (message: CheckerMessage) => {
      if (message.type === 'kill') onKill(message.kill);
      else {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      child.off('message', onMessage);
      resolve({ type: 'died', how: signal ? `killed by ${signal}` : `exit ${code}` });
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(task);
  });
}

async function main(): Promise<void> {
  const { random, int } = draws(rng(seed));
  let msPerOp: MsPerOp = { hashing: 55, 'use-lite': 500 };
  const base = mkdtempSync(path.join(os.tmpdir(), 'answerdesk-crash-'));
  const kills: KillRecord[] = [];
  const trialRecords: TrialRecord[] = [];
  const failures: string[] = [];
  const started = performance.now();
  process.stdout.write(`Crash bench: ${trials} trials, SEED=${seed} (replay with SEED=${seed} TRIALS=${trials} pnpm bench:crash)\n`);

  let checker: ReturnType<typeof startChecker> | undefined;
  for (let trial = 1; trial <= trials; trial++) {
    const encoder: EncoderKind = cliEvery > 0 && trial % cliEvery === 0 ? 'use-lite' : 'hashing';
    const trialSeed = Math.floor(random() * 2 ** 31);
    const length = encoder === 'hashing' ? int(8, 32) : int(4, 8);
    const rounds = random() < 0.35 ? 2 : 1;
    const planSeed = Math.floor(random() * 2 ** 31);
    progress(`trial ${trial}/${trials} (${encoder}, ${length} ops, ${rounds} kill${rounds > 1 ? 's' : ''})`, trial - 1, trials);
    const root = path.join(base, `trial-${trial}`);
    checker ??= startChecker();
    const result = await inChecker(checker, { trial, trialSeed, planSeed, encoder, length, rounds, msPerOp, root }, (kill) => kills.push(kill));
    if (result.type === 'died') {
      failures.push(`trial ${trial} (seed ${trialSeed}, ${encoder}): the checker process died (${result.how}) during the trial; its stderr ends:\n    ${checker.stderr().trim().split('\n').slice(-6).join('\n    ')}`);
      trialRecords.push({ trial, seed: trialSeed, encoder, length, kills: kills.filter((k) => k.trial === trial && k.killed).length, continuation: null, ms: 0, dir: root });
      checker = undefined;
      continue;
    }
    trialRecords.push(result.record);
    failures.push(...result.failures);
    msPerOp = result.msPerOp;
    if (result.failures.length) {
      // Whatever failed may have damaged the checker's memory (a native addon's heap): the next trial gets a fresh one.
      checker.process.kill('SIGKILL');
      checker = undefined;
    }
  }
  checker?.process.disconnect();
  progressDone();
  const totalMs = Math.round(performance.now() - started);

  // ---------------------------------------------------------------- report
  const killed = kills.filter((k) => k.killed);
  /** The cache was there but did not fit (torn pair, stale): rebuilt from the passages table, as it must be. */
  const cacheRefused = (k: KillRecord) => k.vectors?.origin === 'rebuilt' && k.vectors.rebuildReason !== 'missing';
  const byPhase = new Map<string, { kills: number; old: number; new: number; bad: number; refused: number; temps: number }>();
  for (const k of kills) {
    const row = byPhase.get(k.phase) ?? { kills: 0, old: 0, new: 0, bad: 0, refused: 0, temps: 0 };
    row.kills++;
    if (k.outcome === 'old') row.old++;
    else if (k.outcome === 'new') row.new++;
    else row.bad++;
    if (cacheRefused(k)) row.refused++;
    if (k.cacheTemps > 0) row.temps++;
    byPhase.set(k.phase, row);
  }
  const phaseRows = [...byPhase.entries()].sort((a, b) => b[1].kills - a[1].kills).map(([phase, r]) => [phase, String(r.kills), String(r.old), String(r.new), String(r.bad), String(r.refused), String(r.temps)]);
  process.stdout.write('\nWhere the child was when it died (last marker it printed), and what the store held after:\n\n');
  process.stdout.write(
    markdownTable(['phase at kill', 'runs', 'old state', 'new state', 'neither', 'vector cache refused, rebuilt', 'cache temporary left'], phaseRows, ['l', 'r', 'r', 'r', 'r', 'r', 'r']) + '\n',
  );

  const count = (f: (k: KillRecord) => boolean) => kills.filter(f).length;
  const continued = trialRecords.filter((t) => t.continuation);
  const cli = kills.filter((k) => k.cliDoctor);
  const walSizes = killed.map((k) => k.walBytes).sort((a, b) => a - b);
  const kib = (bytes: number | undefined) => `${((bytes ?? 0) / 1024).toFixed(0)} KiB`;
  const summary: Array<[string, string]> = [
    ['trials', String(trials)],
    ['child runs (kill attempts)', String(kills.length)],
    ['SIGKILLs landed', String(killed.length)],
    ['runs that finished before the kill', String(kills.length - killed.length)],
    ['kills aimed by: timer / phase marker / file change in the folder', (['timer', 'marker', 'file'] as const).map((kind) => count((k) => k.killed && k.planKind === kind)).join(' / ')],
    ['store opened after the kill', `${count((k) => k.opened)}/${kills.length}`],
    ['doctor checks OK (verify: SQLite integrity_check; documents, passages, vectors, words agree)', `${count((k) => k.verified)}/${kills.length}`],
    ['state exactly old or new (every document compared)', `${count((k) => k.outcome === 'old' || k.outcome === 'new')}/${kills.length}`],
    ['  in-flight write absent (old state)', String(count((k) => k.killed && k.outcome === 'old'))],
    ['  in-flight write complete (new state)', String(count((k) => k.killed && k.outcome === 'new'))],
    ['acknowledged writes lost', String(count((k) => k.opened && k.outcome === 'mismatch'))],
    ['kills that left a WAL for the next open (median / max size)', `${count((k) => k.killed && k.walBytes > 0)} (${kib(walSizes[Math.floor(walSizes.length / 2)])} / ${kib(walSizes.at(-1))})`],
    ['kills that left a vector cache that did not fit (rebuilt)', String(count(cacheRefused))],
    ['kills that left a cache temporary (not removed later)', String(count((k) => k.cacheTemps > 0))],
    [`writes after recovery (${CONTINUE} ops), clean close (WAL checkpointed), reopen: exact and verified`, `${continued.filter((t) => t.continuation!.ok).length}/${continued.length}`],
    ['real CLI `answerdesk doctor` on the store as the kill left it (USE-lite trials): exit 0', `${cli.filter((k) => k.cliDoctor!.agrees).length}/${cli.length}`],
    ['failures', String(failures.length)],
    ['total time', `${(totalMs / 1000).toFixed(1)} s (${(totalMs / Math.max(1, kills.length)).toFixed(0)} ms per child run)`],
  ];
  process.stdout.write('\n' + markdownTable(['', ''], summary.map(([a, b]) => [a, b]), ['l', 'r']) + '\n');
  if (failures.length) {
    process.stdout.write(`\nFAILURES (${failures.length}); their trial folders are kept under ${base}:\n`);
    for (const failure of failures) process.stdout.write(`  - ${failure}\n`);
  } else {
    rmSync(base, { recursive: true, force: true });
    process.stdout.write('\nNo failures: every acknowledged write survived every kill.\n');
  }

  const resultsDir = path.join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(resultsDir, 'crash.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        seed,
        trials,
        settings: { store: 'sqlite', cliEvery, continueOps: CONTINUE },
        machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}` },
        totalMs,
        summary: Object.fromEntries(summary),
        byPhase: Object.fromEntries(byPhase),
        failures,
        kills,
        trialDetails: trialRecords,
      },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`Wrote bench/results/crash.json\n`);
  process.exitCode = failures.length ? 1 : 0;
}
