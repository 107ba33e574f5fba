// The crash-safety scenario shared by test/crash.test.ts and bench/crash/run.ts.
//
// A deterministic sequence of writes (op 1..N) is played by a child process
// (test/crash/child.ts) that is SIGKILLed somewhere along the way. Everything
// the checker needs is computable from the scenario alone: `expectedAfter(k)`
// (ExpectedStates.after, which caches every state) is the exact set of
// documents the knowledge base holds once ops 1..k have been applied. After a kill, the store must hold expectedAfter(lastAck) or
// expectedAfter(lastAck + 1) — the in-flight write is all or nothing — with
// every document byte-for-byte as one of those two states has it.
//
// The encoder is the HashingEncoder: fast and deterministic. The crash suite is
// about persistence (what survives a kill), not about meaning; every trial's
// vectors are still checked for consistency by verify()/doctor.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HashingEncoder,
  FileKnowledgeBase as KnowledgeBase,
  UseLiteEncoder,
  articleDocs,
  parseArticle,
  ticketDoc,
  validateTicket,
  type Encoder,
  type IndexProgress,
  type KnowledgeDoc,
  type Ticket,
  type VerifyReport,
} from '@answerdesk/core';

/** Fold the write-ahead log into a snapshot this often, so kills also land in snapshot saves and log pruning. */
export const JOURNAL_LIMIT = 64 * 1024;

/** `hashing` for every trial by default; `use-lite` (the CLI's only encoder) where the real `answerdesk doctor` must read the store. */
export type EncoderKind = 'hashing' | 'use-lite';

export function makeEncoder(kind: EncoderKind): Encoder {
  // workers: 0 keeps the child a single thread (no worker start-up in a process that is about to be killed).
  return kind === 'hashing' ? new HashingEncoder() : new UseLiteEncoder({ workers: 0 });
}

export function openKnowledgeBase(store: string, encoder: EncoderKind): Promise<KnowledgeBase> {
  return KnowledgeBase.open({ store, encoder: makeEncoder(encoder), journalLimit: JOURNAL_LIMIT });
}

// ---------------------------------------------------------------- random

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
function sample<T>(random: () => number, list: readonly T[], n: number): T[] {
  const copy = [...list];
  const out: T[] = [];
  while (out.length < n && copy.length) out.push(copy.splice(Math.floor(random() * copy.length), 1)[0]!);
  return out;
}

const WORDS = (
  'printer invoice refund password login account billing card payment order delivery parcel courier label screen ' +
  'laptop battery charger cable router wifi network vpn email calendar sync backup restore upgrade licence subscription ' +
  'discount coupon voucher shipping return exchange warranty repair driver update install uninstall error crash freeze ' +
  'slow timeout export import report dashboard settings profile address phone verification code token browser cookie'
).split(' ');
const CATEGORIES = ['billing', 'shipping', 'account', 'hardware', 'software'];

function words(random: () => number, n: number): string {
  return Array.from({ length: n }, () => pick(random, WORDS)).join(' ');
}

// ---------------------------------------------------------------- the scenario

export type Op =
  /** Add tickets (new ids unique to the op, plus `updates`: earlier ids re-added with new text). */
  | { k: number; kind: 'add'; tickets: Ticket[]; updates: string[] }
  /** Remove earlier tickets. */
  | { k: number; kind: 'remove'; ids: string[] }
  /** Write the articles folder (`files`: its whole content after the op, relative name → markdown) and publish it. */
  | { k: number; kind: 'publish'; files: Record<string, string> }
  /**
   * Full sync: write the articles folder and a tickets file holding every
   * current ticket, then `index([articles, tickets])` (a new snapshot, not the log).
   */
  | { k: number; kind: 'index'; files: Record<string, string>; tickets: Ticket[] };

export interface Scenario {
  seed: number;
  ops: Op[];
}

interface ArticleDraft {
  id: string;
  title: string;
  category: string;
  tags: string[];
  sections: Array<{ heading: string; text: string }>;
}

function renderArticle(a: ArticleDraft): string {
  const lines = ['---', `id: ${a.id}`, `title: ${a.title}`, `category: ${a.category}`, `tags: [${a.tags.join(', ')}]`, '---', '', `Intro of ${a.title}.`, ''];
  for (const section of a.sections) lines.push(`## ${section.heading}`, '', section.text, '');
  return lines.join('\n');
}

function validated(raw: Ticket): Ticket {
  const check = validateTicket(raw);
  if (!check.ok) throw new Error(`scenario made an invalid ticket ${raw.id}: ${check.reason}`);
  return check.ticket;
}

/**
 * The first `length` ops of the scenario of `seed`. Ops are generated in order
 * from one random stream, so op k is the same whatever `length` is.
 */
export function makeScenario(seed: number, length: number): Scenario {
  const random = rng(seed);
  const tickets = new Map<string, Ticket>();
  const articles = new Map<string, ArticleDraft>(); // file name → article
  let nextArticle = 1;
  let sectionCounter = 0;
  const ops: Op[] = [];

  const newSection = (k: number) => ({ heading: `Step ${++sectionCounter}`, text: `Written in op ${k}: ${words(random, int(random, 12, 60))}.` });
  const newArticle = (k: number): [string, ArticleDraft] => {
    const n = nextArticle++;
    const draft: ArticleDraft = {
      id: `art-${n}`,
      title: `Guide ${n} ${words(random, 2)}`,
      category: pick(random, CATEGORIES),
      tags: sample(random, WORDS, 2),
      sections: Array.from({ length: int(random, 2, 4) }, () => newSection(k)),
    };
    return [`guide-${n}.md`, draft];
  };
  /** Change the folder as a writer would: edit sections, add or delete files. */
  const editArticles = (k: number) => {
    if (articles.size === 0) {
      for (let i = int(random, 5, 7); i > 0; i--) articles.set(...newArticle(k));
      return;
    }
    for (const file of sample(random, [...articles.keys()], int(random, 1, 3))) {
      const a = articles.get(file)!;
      const what = random();
      if (what < 0.5) {
        const s = pick(random, a.sections);
        s.text = `Edited in op ${k}: ${words(random, int(random, 12, 60))}.`;
      } else if (what < 0.7 || a.sections.length <= 1) {
        a.sections.push(newSection(k));
      } else if (what < 0.9) {
        a.sections.splice(int(random, 0, a.sections.length - 1), 1);
      } else {
        a.title = `Guide ${a.id.slice(4)} retitled in op ${k}`; // every section's hash changes
      }
    }
    if (articles.size < 10 && random() < 0.35) articles.set(...newArticle(k));
    if (articles.size > 5 && random() < 0.3) articles.delete(pick(random, [...articles.keys()]));
  };
  const render = () => Object.fromEntries([...articles].map(([file, a]) => [file, renderArticle(a)]));

  for (let k = 1; k <= length; k++) {
    const roll = random();
    if (k === 1 || (roll < 0.45 && k > 1)) {
      const count = int(random, 5, 20);
      const batch: Ticket[] = [];
      for (let i = 1; i <= count; i++) {
        batch.push(
          validated({
            id: `op${k}-t${i}`,
            subject: `${words(random, int(random, 3, 8))} (op ${k})`,
            body: words(random, int(random, 10, 110)),
            resolution: `Resolved in op ${k}: ${words(random, int(random, 8, 40))}`,
            category: pick(random, CATEGORIES),
            language: 'en',
            tags: sample(random, WORDS, int(random, 0, 2)),
          }),
        );
      }
      // Sometimes re-add earlier tickets with new text: after a crash each must be wholly the old or wholly the new version.
      const updates = random() < 0.5 ? sample(random, [...tickets.keys()], int(random, 1, 3)) : [];
      for (const id of updates) {
        batch.push(
          validated({
            id,
            subject: `${words(random, int(random, 3, 8))} (rev op ${k})`,
            body: `Revised in op ${k}: ${words(random, int(random, 10, 90))}`,
            resolution: `Re-resolved in op ${k}: ${words(random, int(random, 8, 40))}`,
            category: pick(random, CATEGORIES),
            language: 'en',
          }),
        );
      }
      for (const ticket of batch) tickets.set(ticket.id, ticket);
      ops.push({ k, kind: 'add', tickets: batch, updates });
    } else if (roll < 0.6 && tickets.size > 3) {
      const ids = sample(random, [...tickets.keys()], int(random, 1, Math.min(6, tickets.size - 1)));
      for (const id of ids) tickets.delete(id);
      ops.push({ k, kind: 'remove', ids });
    } else if (roll < 0.93 || k < 4) {
      editArticles(k);
      ops.push({ k, kind: 'publish', files: render() });
    } else {
      if (random() < 0.6) editArticles(k);
      ops.push({ k, kind: 'index', files: render(), tickets: [...tickets.values()] });
    }
  }
  return { seed, ops };
}

// ---------------------------------------------------------------- where a trial lives

export interface TrialPaths {
  root: string;
  store: string;
  /** The folder the scenario's articles are written to and published from (absolute). */
  articles: string;
  /** The tickets file of `index` ops. */
  tickets: string;
}

export function trialPaths(root: string): TrialPaths {
  const abs = path.resolve(root);
  return { root: abs, store: path.join(abs, 'store'), articles: path.join(abs, 'articles'), tickets: path.join(abs, 'tickets.jsonl') };
}

/** Make the articles folder hold exactly `files` (a killed child may have left it half-written). */
export function writeArticles(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(dir)) if (!(entry in files)) unlinkSync(path.join(dir, entry));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== content) writeFileSync(file, content);
  }
}

/** A folder's path as publish and index record it in article sources. */
const posix = (dir: string) => dir.split(path.sep).join('/').replace(/\/+$/, '');

// ---------------------------------------------------------------- the expected state

/** Key-sorted JSON without undefined members: the same document always prints the same. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** id → canonical JSON of the whole document. */
export type DocState = Map<string, string>;

/**
 * The exact expected states of a scenario: `after(k)` is every document the
 * knowledge base holds after ops 1..k (pure; computed with the library's own
 * pure document builders, so it pins persistence, not parsing).
 */
export class ExpectedStates {
  private readonly states: DocState[] = [new Map()];
  private readonly tickets = new Map<string, { ticket: Ticket; file?: string }>();
  private articleDocsNow = new Map<string, string>();
  private readonly parsed = new Map<string, KnowledgeDoc[]>();
  /** Every id any state up to the last computed one holds (to look for documents that must not be there). */
  readonly universe = new Set<string>();

  constructor(
    readonly scenario: Scenario,
    readonly paths: TrialPaths,
  ) {}

  get length(): number {
    return this.scenario.ops.length;
  }

  after(k: number): DocState {
    if (k < 0 || k > this.scenario.ops.length) throw new Error(`no op ${k} in a scenario of ${this.scenario.ops.length}`);
    while (this.states.length <= k) this.step(this.scenario.ops[this.states.length - 1]!);
    return this.states[k]!;
  }

  private articleState(files: Record<string, string>): Map<string, string> {
    const base = posix(this.paths.articles);
    const out = new Map<string, string>();
    for (const [file, content] of Object.entries(files)) {
      const key = `${file}\u0000${content}`;
      let docs = this.parsed.get(key);
      if (!docs) {
        docs = articleDocs(parseArticle(content, { file }), base);
        this.parsed.set(key, docs);
      }
      for (const doc of docs) out.set(doc.id, canonical(doc));
    }
    return out;
  }

  private step(op: Op): void {
    switch (op.kind) {
      case 'add':
        for (const ticket of op.tickets) this.tickets.set(ticket.id, { ticket });
        break;
      case 'remove':
        for (const id of op.ids) this.tickets.delete(id);
        break;
      case 'publish':
        this.articleDocsNow = this.articleState(op.files);
        break;
      case 'index': {
        this.articleDocsNow = this.articleState(op.files);
        this.tickets.clear();
        // index reads the tickets file: each ticket's source names it.
        for (const ticket of op.tickets) this.tickets.set(ticket.id, { ticket, file: posix(this.paths.tickets) });
        break;
      }
    }
    const state: DocState = new Map(this.articleDocsNow);
    for (const [id, { ticket, file }] of this.tickets) state.set(id, canonical(ticketDoc(ticket, file)));
    for (const id of state.keys()) this.universe.add(id);
    this.states.push(state);
  }
}

/** The documents the knowledge base holds after ops 1..k of `scenario` played in `paths`. Pure. */
export function expectedAfter(scenario: Scenario, paths: TrialPaths, k: number): DocState {
  return new ExpectedStates(scenario, paths).after(k);
}

/** What a knowledge base actually holds, for every id the scenario ever uses. */
export function actualState(kb: KnowledgeBase, universe: Iterable<string>): { state: DocState; documents: number } {
  const state: DocState = new Map();
  for (const id of universe) {
    const doc = kb.getDocument(id);
    if (doc) state.set(id, canonical(doc));
  }
  return { state, documents: kb.stats.documents };
}

/** Differences of `actual` from `expected`, described per item (at most `limit`). */
export function diffStates(actual: DocState, documents: number, expected: DocState, limit = 8): string[] {
  const out: string[] = [];
  for (const [id, doc] of expected) {
    const got = actual.get(id);
    if (got === undefined) out.push(`missing ${id}`);
    else if (got !== doc) out.push(`${id} differs: got ${got.slice(0, 160)}… expected ${doc.slice(0, 160)}…`);
  }
  for (const id of actual.keys()) if (!expected.has(id)) out.push(`unexpected ${id}`);
  if (documents !== actual.size) out.push(`the knowledge base holds ${documents} documents, ${documents - actual.size} of them with ids the scenario never used`);
  return out.length > limit ? [...out.slice(0, limit), `… and ${out.length - limit} more`] : out;
}

// ---------------------------------------------------------------- playing ops

/** Marker names a child prints (and the parent reads) as a write goes through its phases. */
export type Marker = 'ready' | 'start' | 'files' | 'embedded' | 'logged' | 'compact' | 'saving' | 'ack' | 'done';

/** Size of the newest write-ahead log in a store folder (0 when there is none). */
function newestLogSize(store: string): number {
  let newest = '';
  for (const entry of existsSync(store) ? readdirSync(store) : []) if (/^wal-\d{8}\.log$/.test(entry) && entry > newest) newest = entry;
  if (!newest) return 0;
  try {
    return statSync(path.join(store, newest)).size;
  } catch {
    return 0;
  }
}

/**
 * Apply op `op` to `kb`, writing the files it needs first. `mark` is told of
 * each phase as it starts (synchronously, from inside the library's progress
 * callbacks, so a child can die at exactly that point):
 *  start → files (publish/index: folder written) → embedded (vectors ready, log append next)
 *  → logged (the log record is fsynced; memory is being updated) → compact (the log passed
 *  journalLimit: a snapshot save and log prune follow) | saving (index: snapshot save).
 */
export async function applyOp(kb: KnowledgeBase, op: Op, paths: TrialPaths, mark: (marker: Marker, k: number) => void = () => {}): Promise<void> {
  const seen = new Set<string>();
  const once = (marker: Marker) => {
    if (seen.has(marker)) return;
    seen.add(marker);
    mark(marker, op.k);
  };
  const onProgress = (p: IndexProgress) => {
    if (p.phase === 'embed' && p.done === p.total) once('embedded');
    else if (p.phase === 'index') {
      once('logged');
      // The end of the in-memory commit: a logged write folds the log into a snapshot next when it has grown past the limit.
      if (p.done === p.total && op.kind !== 'index' && newestLogSize(paths.store) >= JOURNAL_LIMIT) once('compact');
    } else if (p.phase === 'save' && p.done === 0) once('saving');
  };
  once('start');
  switch (op.kind) {
    case 'add':
      await kb.addTickets(op.tickets, { onProgress });
      break;
    case 'remove':
      await kb.remove(op.ids);
      break;
    case 'publish':
      writeArticles(paths.articles, op.files);
      once('files');
      await kb.publish(paths.articles, { onProgress });
      break;
    case 'index':
      writeArticles(paths.articles, op.files);
      writeFileSync(paths.tickets, op.tickets.map((t) => JSON.stringify(t)).join('\n') + '\n');
      once('files');
      await kb.index([paths.articles, paths.tickets], { onProgress });
      break;
  }
}

// ---------------------------------------------------------------- checking a recovered store

export interface StoreLayout {
  snapshots: string[];
  current?: string;
  /** Snapshot folders CURRENT does not name and that are newer than it: a save that died before its commit point. */
  uncommitted: string[];
  staging: string[];
  logs: string[];
  /** Bytes in the log of the current snapshot. */
  currentLogBytes: number;
}

export function storeLayout(store: string): StoreLayout {
  const entries = existsSync(store) ? readdirSync(store).sort() : [];
  const current = existsSync(path.join(store, 'CURRENT')) ? readFileSync(path.join(store, 'CURRENT'), 'utf8').trim() : undefined;
  const snapshots = entries.filter((e) => /^snap-\d{8}$/.test(e));
  const currentLog = path.join(store, current ? `wal-${current.slice(5)}.log` : 'wal-00000000.log');
  return {
    currentLogBytes: existsSync(currentLog) ? statSync(currentLog).size : 0,
    snapshots,
    ...(current ? { current } : {}),
    uncommitted: snapshots.filter((s) => current === undefined || s > current),
    staging: entries.filter((e) => e.startsWith('.staging-')),
    logs: entries.filter((e) => /^wal-\d{8}\.log$/.test(e)),
  };
}

export interface RecoveryCheck {
  /** The store opened without an error. */
  opened: boolean;
  openError?: string;
  /** verify() (what `answerdesk doctor` runs) found no problem. */
  verified: boolean;
  problems: string[];
  report?: VerifyReport;
  /** Which candidate state the store holds: lastAck (`old`), lastAck + 1 (`new`), or neither. */
  outcome: 'old' | 'new' | 'mismatch' | 'unopened';
  /** The op count the store is at (when it matched a state). */
  at?: number;
  /** Per-item differences from the nearest candidate state, when it matched neither. */
  diffs: string[];
  layout: StoreLayout;
  kb?: KnowledgeBase;
}

/**
 * Open a store a child died in, verify it, and say which state it holds.
 * `lastAck`: the last op the child acknowledged; `inFlight`: whether op
 * lastAck + 1 may have started (false when the child finished its run).
 * Leaves the knowledge base open in `kb` (the caller closes it).
 */
export async function checkRecovered(expected: ExpectedStates, encoder: EncoderKind, lastAck: number, inFlight: boolean): Promise<RecoveryCheck> {
  const layout = storeLayout(expected.paths.store);
  let kb: KnowledgeBase;
  try {
    kb = await openKnowledgeBase(expected.paths.store, encoder);
  } catch (error) {
    const message = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
    return { opened: false, openError: message, verified: false, problems: [], outcome: 'unopened', diffs: [], layout };
  }
  const report = await kb.verify();
  const candidates = [lastAck, ...(inFlight && lastAck + 1 <= expected.length ? [lastAck + 1] : [])];
  for (const k of candidates) expected.after(k);
  const { state, documents } = actualState(kb, expected.universe);
  let outcome: RecoveryCheck['outcome'] = 'mismatch';
  let at: number | undefined;
  let diffs: string[] = [];
  for (const [i, k] of candidates.entries()) {
    const d = diffStates(state, documents, expected.after(k));
    if (d.length === 0) {
      outcome = i === 0 ? 'old' : 'new';
      at = k;
      break;
    }
    if (i === 0 || d.length < diffs.length) diffs = d.map((line) => `vs op ${k}: ${line}`);
  }
  if (outcome !== 'mismatch') diffs = [];
  return { opened: true, verified: report.ok, problems: report.problems, report, outcome, ...(at !== undefined ? { at } : {}), diffs, layout, kb };
}

/**
 * After recovery: play ops from+1..to on the recovered store in this process,
 * reopen it and check it holds exactly expectedAfter(to) and verifies — a torn
 * log tail or an abandoned snapshot must not corrupt later writes. Also saves
 * once more and checks the folder is tidy (no staging folder, at most two
 * snapshots, only the current snapshot's log).
 */
export async function continueAndCheck(kb: KnowledgeBase, expected: ExpectedStates, encoder: EncoderKind, from: number, to: number): Promise<{ ok: boolean; problems: string[] }> {
  const problems: string[] = [];
  try {
    for (let k = from + 1; k <= to; k++) await applyOp(kb, expected.scenario.ops[k - 1]!, expected.paths);
    await kb.save();
  } catch (error) {
    problems.push(`a write after recovery failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  await kb.close();
  if (problems.length) return { ok: false, problems };
  const again = await openKnowledgeBase(expected.paths.store, encoder);
  try {
    const report = await again.verify();
    problems.push(...report.problems.map((p) => `after continuing: ${p}`));
    expected.after(to);
    const { state, documents } = actualState(again, expected.universe);
    problems.push(...diffStates(state, documents, expected.after(to)).map((d) => `after continuing to op ${to}: ${d}`));
    const layout = storeLayout(expected.paths.store);
    if (layout.staging.length) problems.push(`abandoned staging folders remain after a save: ${layout.staging.join(', ')}`);
    if (layout.snapshots.length > 2) problems.push(`more than two snapshots remain after a save: ${layout.snapshots.join(', ')}`);
    const logs = layout.logs.filter((l) => layout.current === undefined || l.slice(4, 12) !== layout.current.slice(5));
    if (logs.length) problems.push(`logs of older snapshots remain after a save: ${logs.join(', ')}`);
  } finally {
    await again.close();
  }
  return { ok: problems.length === 0, problems };
}

// ---------------------------------------------------------------- running a child and killing it

/** What a child plays (see child.ts). */
export interface ChildArgs {
  /** Trial folder (store, articles and tickets file inside; see trialPaths). */
  root: string;
  seed: number;
  /** Scenario length (op k is the same whatever it is). */
  length: number;
  /** Ops already in the store: the child plays from + 1 .. to. */
  from: number;
  to: number;
  encoder: EncoderKind;
  /** The child SIGKILLs itself right after printing this marker for the first op ≥ `op` that prints it. */
  dieAt?: { marker: Marker; op: number };
}

/** Store entries a snapshot save creates, in order: its staging folder, the folder renamed into place, CURRENT. */
export type SaveStep = 'staging' | 'snapshot' | 'current';
const SAVE_STEP_FILES: Record<SaveStep, RegExp> = { staging: /^\.staging-/, snapshot: /^snap-\d{8}$/, current: /^CURRENT$/ };

/** When the parent SIGKILLs the child (a child with `dieAt` kills itself). */
export type KillPlan =
  | { kind: 'none' }
  /** `ms` after the child printed `ready` (its store is open). */
  | { kind: 'timer'; ms: number }
  /** `delayMs` after the parent reads `marker` for an op ≥ `op`. */
  | { kind: 'marker'; marker: Marker; op: number; delayMs: number }
  /**
   * Once `marker` was read for an op ≥ `op` (compact or saving: a snapshot save is under way),
   * `delayMs` after the store folder shows the save's `step` (watched with fs.watch):
   * `staging` — its staging folder appeared (files being written and fsynced);
   * `snapshot` — the folder was renamed into place (CURRENT not yet flipped);
   * `current` — CURRENT was replaced (the commit point passed; old snapshots and logs being pruned).
   */
  | { kind: 'file'; marker: Marker; op: number; step: SaveStep; delayMs: number };

export interface ChildRun {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last op the child acknowledged (0: none). */
  lastAck: number;
  /** The child printed `done`: it played every op. */
  finished: boolean;
  /** The last marker line the child printed (where it died). */
  lastLine: string;
  markers: string[];
  /** ms after `ready` at which the parent read each marker line. */
  timeline: Array<[number, string]>;
  stderr: string;
  /** ms from spawn to `ready`, and from `ready` to the end. */
  startMs: number;
  runMs: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const childScript = path.join(here, 'child.ts');
export const repoRoot = path.resolve(here, '../..');

export function describePlan(plan: KillPlan): string {
  switch (plan.kind) {
    case 'none':
      return 'no kill';
    case 'timer':
      return `${plan.ms} ms after ready`;
    case 'marker':
      return `${plan.delayMs} ms after "${plan.marker}" (op ≥ ${plan.op})`;
    case 'file':
      return `${plan.delayMs} ms after the save's ${plan.step} step, once "${plan.marker}" (op ≥ ${plan.op})`;
  }
}

export function runChild(args: ChildArgs, plan: KillPlan, limitMs = 120_000): Promise<ChildRun> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // keep the test runner's hooks out of the child
  const store = trialPaths(args.root).store;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let readyAt = 0;
    let stdout = '';
    let stderr = '';
    let pending = '';
    let armed = false;
    let watching = false;
    const timeline: Array<[number, string]> = [];
    let watcher: FSWatcher | undefined;
    if (plan.kind === 'file') {
      mkdirSync(store, { recursive: true });
      watcher = watch(store, (_event, name) => {
        if (watching && name && SAVE_STEP_FILES[plan.step].test(String(name))) arm(plan.delayMs);
      });
    }
    const child = spawn(process.execPath, ['--conditions=answerdesk-source', '--import', 'tsx', childScript, JSON.stringify(args)], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const arm = (ms: number) => {
      if (armed) return;
      armed = true;
      if (ms <= 0) kill();
      else setTimeout(kill, ms);
    };
    const guard = setTimeout(kill, limitMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const [marker, k] = line.split(' ');
        if (marker === 'ready') {
          readyAt = performance.now();
          if (plan.kind === 'timer') arm(plan.ms);
        }
        timeline.push([Math.round((performance.now() - (readyAt || started)) * 10) / 10, line]);
        if (plan.kind === 'marker' && marker === plan.marker && Number(k) >= plan.op) arm(plan.delayMs);
        if (plan.kind === 'file' && marker === plan.marker && Number(k) >= plan.op) watching = true;
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      watcher?.close();
      const markers = stdout.split('\n').filter(Boolean);
      let lastAck = args.from;
      for (const line of markers) {
        const match = /^ack (\d+)$/.exec(line);
        if (match) lastAck = Math.max(lastAck, Number(match[1]));
      }
      const ended = performance.now();
      resolve({
        pid: child.pid ?? 0,
        code,
        signal,
        lastAck,
        finished: markers.includes('done'),
        lastLine: markers.at(-1) ?? '',
        markers,
        timeline,
        stderr,
        startMs: Math.round((readyAt || ended) - started),
        runMs: Math.round(readyAt ? ended - readyAt : 0),
      });
    });
  });
}

const logOf = (current: string | undefined) => (current ? `wal-${current.slice(5)}.log` : 'wal-00000000.log');

/**
 * How far a snapshot save had got when the child died, from what the kill left
 * in the store folder (`after`) compared with the folder before the child ran
 * (`before`: leftovers of earlier kills are not this kill's doing) and the
 * child's pid (staging folders are named after their writer's pid). Only
 * meaningful when the child died inside a save; `committed`: whether the state
 * says its snapshot had become current.
 */
export function saveStepOf(after: StoreLayout, committed: boolean, before?: StoreLayout, pid?: number): string {
  if (after.staging.some((s) => pid === undefined || s.endsWith(`-${pid}`))) return 'writing the staging folder';
  if (after.uncommitted.some((s) => !before?.snapshots.includes(s))) return 'renamed into place, CURRENT not flipped';
  if (!before || before.current !== after.current) {
    // Once CURRENT is flipped, older snapshots (all but the previous one) and older logs are deleted.
    const older = after.snapshots.filter((s) => after.current !== undefined && s < after.current);
    const staleBefore = new Set(before ? before.logs.filter((l) => l !== logOf(before.current)) : []);
    const staleLogs = after.logs.filter((l) => l !== logOf(after.current) && !staleBefore.has(l));
    if (older.length > 1 || staleLogs.length) return 'CURRENT flipped, pruning';
  }
  return committed ? 'saved (before the ack)' : 'before the staging folder (serializing)';
}

/**
 * The phase a write was in when the child died, from the last marker it printed
 * (and, inside a save, the store folder as the kill left it and which state it holds).
 */
export function phaseOf(run: ChildRun, scenario: Scenario, layout?: StoreLayout, outcome?: RecoveryCheck['outcome'], before?: StoreLayout): string {
  if (run.finished) return run.signal ? 'after the last write (exiting)' : 'not killed (finished)';
  const [marker, kText] = run.lastLine.split(' ');
  const op = scenario.ops[Number(kText) - 1];
  switch (marker) {
    case undefined:
    case '':
      return 'opening the store';
    case 'ready':
    case 'ack':
      return 'between writes';
    case 'start':
      return op?.kind === 'remove' ? 'remove: log append' : op?.kind === 'add' ? 'add: embedding' : `${op?.kind}: writing files`;
    case 'files':
      return `${op?.kind}: read + embed`;
    case 'embedded':
      return op?.kind === 'index' ? 'index: in-memory apply' : `${op?.kind}: log append + fsync`;
    case 'logged':
      return op?.kind === 'index' ? 'index: in-memory apply' : `${op?.kind}: in-memory commit`;
    case 'compact':
      // Until the new snapshot is committed, the old snapshot's log is still over the limit.
      return `compaction: ${layout ? saveStepOf(layout, layout.currentLogBytes < JOURNAL_LIMIT, before, run.pid) : 'snapshot save'}`;
    case 'saving':
      // An index is not in the log: the state says whether its snapshot was committed.
      return `index: ${layout ? saveStepOf(layout, outcome === 'new', before, run.pid) : 'snapshot save'}`;
    default:
      return `after "${run.lastLine}"`;
  }
}
