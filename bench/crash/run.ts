// Crash bench: SIGKILL a child process that is indexing or publishing, many
// times, at random points, and check after every kill that the store opens,
// passes the doctor's checks and holds exactly the state before or after the
// write in flight — never a mix, never a lost acknowledged write.
// See bench/crash/README.md.
//
//   pnpm bench:crash                 # 60 trials, a random seed (printed)
//   TRIALS=200 SEED=1234 pnpm bench:crash
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress, progressDone } from '../common/progress.js';
import { markdownTable } from '../retrieval/report.js';
import {
  ExpectedStates,
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

const random = rng(seed);
const uniform = (lo: number, hi: number) => lo + random() * (hi - lo);
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** ms per op of a child, per encoder: a running estimate for the timer kills. */
const msPerOp: Record<EncoderKind, number> = { hashing: 50, 'use-lite': 500 };

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
  tornBytes: number;
  uncommittedSnapshots: number;
  stagingFolders: number;
  /** The real CLI on the recovered store; `agrees`: exit 0, or, on a store where nothing was ever acknowledged, "no knowledge base". */
  cliDoctor?: { exit: number | null; line: string; agrees: boolean };
  problems: string[];
}

interface TrialRecord {
  trial: number;
  seed: number;
  encoder: EncoderKind;
  length: number;
  kills: number;
  continuation: { ok: boolean; problems: string[] } | null;
  ms: number;
  dir?: string;
}

/** A kill plan for ops from+1..to: at a random time, or a few ms after a random phase marker. */
function choosePlan(scenario: Scenario, encoder: EncoderKind, from: number, to: number): KillPlan {
  const roll = random();
  // A USE-lite trial's store goes to the real CLI: let its first write land first, so the CLI has a store to read.
  const first = encoder === 'hashing' || from > 0 ? 1 : Math.min(2, to - from);
  if (roll < 0.3) return { kind: 'timer', ms: Math.round(uniform(encoder === 'hashing' ? 50 : 1.5 * msPerOp[encoder], Math.max(100, 0.9 * (to - from) * msPerOp[encoder]))) };
  // Aim at an op in the first 60% of the run, so the phase aimed at (a compaction every few ops) still comes.
  const op = int(from + first, from + Math.max(first, Math.floor(0.6 * (to - from))));
  const later = scenario.ops.slice(op - 1, to);
  const has = (kind: string) => later.some((o) => o.kind === kind);
  if (roll < 0.55) {
    // Inside a snapshot save, at a step seen in the store folder (a compaction, or an index's save).
    const step = pick(['staging', 'staging', 'snapshot', 'current'] as const);
    const marker: Marker = has('index') && random() < 0.3 ? 'saving' : 'compact';
    return { kind: 'file', marker, op, step, delayMs: step === 'staging' ? Math.round(uniform(0, 12)) : step === 'snapshot' ? Math.round(uniform(0, 2)) : Math.round(uniform(0, 4)) };
  }
  const markers: Array<[Marker, number]> = [
    ['start', 1],
    ['embedded', 2],
    ['logged', 2],
    ['compact', 4],
    ...(has('publish') || has('index') ? ([['files', 1]] as Array<[Marker, number]>) : []),
    ...(has('index') ? ([['saving', 2]] as Array<[Marker, number]>) : []),
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
  // After a compaction or index marker a snapshot is being serialized and written (≈50–150 ms here): spread the kill over it.
  const delayMs = random() < 0.25 ? 0 : Math.round(uniform(0, marker === 'compact' || marker === 'saving' ? 120 : 15));
  return { kind: 'marker', marker, op, delayMs };
}


function cliDoctor(store: string, empty: boolean): { exit: number | null; line: string; agrees: boolean } {
  const result = spawnSync(process.execPath, [cliBin, '--store', store, 'doctor'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const out = `${result.stdout}${result.stderr}`.trim().split('\n');
  const line = (out.find((l) => /^OK|PROBLEMS|error/.test(l)) ?? out.at(-1) ?? '').trim();
  // Killed before its first write was durable, the store folder holds no snapshot and no log: the CLI rightly finds no knowledge base.
  return { exit: result.status, line, agrees: result.status === 0 || (empty && result.status === 1 && /ADK_STORE_NOT_FOUND/.test(line)) };
}

const base = mkdtempSync(path.join(os.tmpdir(), 'answerdesk-crash-'));
const kills: KillRecord[] = [];
const trialRecords: TrialRecord[] = [];
const failures: string[] = [];
const started = performance.now();
process.stdout.write(`Crash bench: ${trials} trials, SEED=${seed} (replay with SEED=${seed} TRIALS=${trials} pnpm bench:crash)\n`);

for (let trial = 1; trial <= trials; trial++) {
  const trialStarted = performance.now();
  const encoder: EncoderKind = cliEvery > 0 && trial % cliEvery === 0 ? 'use-lite' : 'hashing';
  const trialSeed = Math.floor(random() * 2 ** 31);
  const length = encoder === 'hashing' ? int(8, 32) : int(4, 8);
  const scenario = makeScenario(trialSeed, length + CONTINUE);
  const paths = trialPaths(path.join(base, `trial-${trial}`));
  mkdirSync(paths.root, { recursive: true });
  const expected = new ExpectedStates(scenario, paths);
  const rounds = random() < 0.35 ? 2 : 1;
  let at = 0;
  let trialFailed = false;
  let record: TrialRecord = { trial, seed: trialSeed, encoder, length, kills: 0, continuation: null, ms: 0 };
  let kb: Awaited<ReturnType<typeof openKnowledgeBase>> | undefined;
  for (let round = 1; round <= rounds && !trialFailed; round++) {
    if (at >= length) break;
    progress(`trial ${trial}/${trials} round ${round} (${encoder}, ops ${at + 1}..${length})`, trial - 1, trials);
    const plan = choosePlan(scenario, encoder, at, length);
    const before = storeLayout(paths.store);
    const run = await runChild({ root: paths.root, seed: trialSeed, length: length + CONTINUE, from: at, to: length, encoder }, plan);
    const acked = run.lastAck - at;
    // Learn how long an op takes from when the acks arrived (ms after ready).
    const acks = run.timeline.filter(([, line]) => line.startsWith('ack '));
    if (acks.length >= 3) msPerOp[encoder] = 0.7 * msPerOp[encoder] + 0.3 * (acks.at(-1)![0] / acks.length);
    const killed = run.signal === 'SIGKILL';
    if (!killed && run.code !== 0) {
      failures.push(`trial ${trial} (seed ${trialSeed}) round ${round}: the child failed with exit ${run.code}: ${run.stderr.slice(0, 800)}`);
      trialFailed = true;
      break;
    }
    const check = await checkRecovered(expected, encoder, run.lastAck, !run.finished && run.lastAck < length);
    kb = check.kb;
    const kill: KillRecord = {
      trial,
      round,
      encoder,
      plan: describePlan(plan),
      planKind: plan.kind,
      from: at,
      lastAck: run.lastAck,
      killed,
      phase: phaseOf(run, scenario, check.layout, check.outcome, before),
      lastLine: run.lastLine,
      opened: check.opened,
      verified: check.verified,
      outcome: check.outcome,
      ...(check.at !== undefined ? { at: check.at } : {}),
      tornBytes: check.report?.journal.tornBytes ?? 0,
      // What this kill left (not leftovers of an earlier kill on the same store).
      uncommittedSnapshots: check.layout.uncommitted.filter((snap) => !before.snapshots.includes(snap)).length,
      stagingFolders: check.layout.staging.filter((dir) => dir.endsWith(`-${run.pid}`)).length,
      problems: [...(check.openError ? [check.openError] : []), ...check.problems, ...check.diffs],
    };
    if (killed) record.kills++;
    if (encoder === 'use-lite' && check.opened) {
      // The real command line, on the store exactly as the kill left it (opening never writes).
      await kb!.close();
      kb = undefined;
      kill.cliDoctor = cliDoctor(paths.store, check.at === 0 && !check.layout.current && check.layout.logs.length === 0);
      if (!kill.cliDoctor.agrees) kill.problems.push(`answerdesk doctor exited ${kill.cliDoctor.exit}: ${kill.cliDoctor.line}`);
      if (check.verified) kb = await openKnowledgeBase(paths.store, encoder);
    }
    kills.push(kill);
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
  trialRecords.push(record);
}
progressDone();
const totalMs = Math.round(performance.now() - started);

// ---------------------------------------------------------------- report
const killed = kills.filter((k) => k.killed);
const byPhase = new Map<string, { kills: number; old: number; new: number; bad: number; torn: number; uncommitted: number }>();
for (const k of kills) {
  const row = byPhase.get(k.phase) ?? { kills: 0, old: 0, new: 0, bad: 0, torn: 0, uncommitted: 0 };
  row.kills++;
  if (k.outcome === 'old') row.old++;
  else if (k.outcome === 'new') row.new++;
  else row.bad++;
  if (k.tornBytes > 0) row.torn++;
  if (k.uncommittedSnapshots > 0 || k.stagingFolders > 0) row.uncommitted++;
  byPhase.set(k.phase, row);
}
const phaseRows = [...byPhase.entries()].sort((a, b) => b[1].kills - a[1].kills).map(([phase, r]) => [phase, String(r.kills), String(r.old), String(r.new), String(r.bad), String(r.torn), String(r.uncommitted)]);
process.stdout.write('\nWhere the child was when it died (last marker it printed), and what the store held after:\n\n');
process.stdout.write(
  markdownTable(['phase at kill', 'runs', 'old state', 'new state', 'neither', 'torn log tail', 'half-saved snapshot left'], phaseRows, ['l', 'r', 'r', 'r', 'r', 'r', 'r']) + '\n',
);

const count = (f: (k: KillRecord) => boolean) => kills.filter(f).length;
const continued = trialRecords.filter((t) => t.continuation);
const cli = kills.filter((k) => k.cliDoctor);
const summary: Array<[string, string]> = [
  ['trials', String(trials)],
  ['child runs (kill attempts)', String(kills.length)],
  ['SIGKILLs landed', String(killed.length)],
  ['runs that finished before the kill', String(kills.length - killed.length)],
  ['kills aimed by: timer / phase marker / save step in the folder', (['timer', 'marker', 'file'] as const).map((kind) => count((k) => k.killed && k.planKind === kind)).join(' / ')],
  ['store opened after the kill', `${count((k) => k.opened)}/${kills.length}`],
  ['doctor checks OK (verify: counts, vectors, sections, lexical; checksums on open)', `${count((k) => k.verified)}/${kills.length}`],
  ['state exactly old or new (every document compared)', `${count((k) => k.outcome === 'old' || k.outcome === 'new')}/${kills.length}`],
  ['  in-flight write absent (old state)', String(count((k) => k.killed && k.outcome === 'old'))],
  ['  in-flight write complete (new state)', String(count((k) => k.killed && k.outcome === 'new'))],
  ['acknowledged writes lost', String(count((k) => k.opened && k.outcome === 'mismatch'))],
  ['kills that left a torn log tail', String(count((k) => k.tornBytes > 0))],
  ['kills that left a half-saved snapshot (uncommitted folder or staging)', String(count((k) => k.uncommittedSnapshots > 0 || k.stagingFolders > 0))],
  [`writes after recovery (${CONTINUE} ops + save) then reopen: exact and verified`, `${continued.filter((t) => t.continuation!.ok).length}/${continued.length}`],
  [
    'real CLI `answerdesk doctor` on recovered stores (USE-lite trials) agrees',
    `${cli.filter((k) => k.cliDoctor!.agrees).length}/${cli.length} (exit 0: ${cli.filter((k) => k.cliDoctor!.exit === 0).length}; empty store, "no knowledge base": ${cli.filter((k) => k.cliDoctor!.agrees && k.cliDoctor!.exit !== 0).length})`,
  ],
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
      settings: { cliEvery, continueOps: CONTINUE, journalLimit: 64 * 1024 },
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
