// The crash-safety scenario shared by test/crash.test.ts and bench/crash/run.ts.
//
// A deterministic sequence of writes (op 1..N) is played by a child process
// (test/crash/child.ts) on a store folder (`KnowledgeBase.open`: one SQLite
// database, WAL journal, synchronous=FULL) and SIGKILLed somewhere along the
// way. Everything the checker needs is computable from the scenario alone:
// `expectedAfter(k)` (ExpectedStates.after, which caches every state) is the
// exact set of documents the knowledge base holds once ops 1..k have been
// applied. After a kill, the store must hold expectedAfter(lastAck) or
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
  DATABASE_FILE,
  HashingEncoder,
  KnowledgeBase,
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
import { resolutionDetails } from '@answerdesk/reply';

/** `hashing` for every trial by default; `use-lite` (the CLI's only encoder) where the real `answerdesk doctor` must read the store. */
export type EncoderKind = 'hashing' | 'use-lite';

export function makeEncoder(kind: EncoderKind): Encoder {
  // workers: 0 keeps the child a single thread (no worker start-up in a process that is about to be killed).
  return kind === 'hashing' ? new HashingEncoder() : new UseLiteEncoder({ workers: 0 });
}

/**
 * The store folder's knowledge base, as the CLI and the service open it. `existing`: the folder
 * must already hold one (a recovered store is never created afresh: that would hide a lost database).
 */
export function openKnowledgeBase(store: string, encoder: EncoderKind, existing = false): Promise<KnowledgeBase> {
  const options = { store, encoder: makeEncoder(encoder) };
  return existing ? KnowledgeBase.openExisting(options) : KnowledgeBase.open(options);
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
   * current ticket, then `index([articles, tickets])` (one transaction over the whole knowledge base).
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
    for (const [id, { ticket, file }] of this.tickets) {
      const doc = ticketDoc(ticket, file);
      // A ticket is stored with where its resolution's details are, found as it is written.
      state.set(id, canonical({ ...doc, answerDetails: resolutionDetails(doc.answer, { language: doc.language }) }));
    }
    for (const id of state.keys()) this.universe.add(id);
    this.states.push(state);
  }
}

/** The documents the knowledge base holds after ops 1..k of `scenario` played in `paths`. Pure. */
export function expectedAfter(scenario: Scenario, paths: TrialPaths, k: number): DocState {
  return new ExpectedStates(scenario, paths).after(k);
}

/** What a knowledge base actually holds, for every id the scenario ever uses. */
export async function actualState(kb: KnowledgeBase, universe: Iterable<string>): Promise<{ state: DocState; documents: number }> {
  const state: DocState = new Map();
  for (const [id, doc] of await kb.store.getDocuments([...universe])) state.set(id, canonical(doc));
  return { state, documents: (await kb.store.counts()).documents };
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
export type Marker = 'ready' | 'start' | 'files' | 'embedded' | 'writing' | 'committed' | 'ack' | 'closing' | 'done';

/**
 * Apply op `op` to `kb`, writing the files it needs first. `mark` is told of
 * each phase as it starts (synchronously, so a child can die at exactly that point):
 *  start → files (publish/index: folder written) → embedded (vectors ready)
 *  → writing (the store's write is called: one SQLite transaction, run synchronously and
 *  fsynced before it returns) → committed (it returned: the write is on disk; the knowledge
 *  base is re-reading its caches and has not acknowledged the write yet).
 * `writing` and `committed` come from wrapping `kb.store.write` for the duration of the op:
 * every document change goes through it, and the wrapper only prints.
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
  };
  const store = kb.store;
  const write = store.write;
  const own = Object.prototype.hasOwnProperty.call(store, 'write');
  store.write = async (...args) => {
    once('writing');
    const version = await write.apply(store, args);
    once('committed');
    return version;
  };
  try {
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
  } finally {
    // Back to the class's method (or the instance's own, if it had one).
    if (own) store.write = write;
    else Reflect.deleteProperty(store, 'write');
  }
}

// ---------------------------------------------------------------- checking a recovered store

const escaped = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DB = escaped(DATABASE_FILE);
/** Temporaries of a vector-cache save (`<db>.hnsw.<pid>.<hex>.tmp`, `<db>.hnsw.json.<pid>.<hex>.tmp`): renamed into place when the save completes. */
const CACHE_TEMP = new RegExp(`^${DB}\\.hnsw(\\.json)?\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
/** What a SQLite store folder holds: the database, SQLite's WAL and shared-memory files, the vector cache (graph and stamp). */
const STORE_FILE = new RegExp(`^${DB}(-wal|-shm|\\.hnsw|\\.hnsw\\.json)?$`);

export interface StoreLayout {
  entries: string[];
  database: boolean;
  /**
   * Bytes in the database's WAL (`-wal`; 0 when there is none): commits not yet
   * checkpointed into the database, which the next open reads, and any frames of a
   * transaction the kill cut short, which it ignores.
   */
  walBytes: number;
  /** The shared-memory index of the WAL (`-shm`) is there. */
  shm: boolean;
  /** The vector cache's graph and stamp. Never the source of truth: rebuilt when the two do not fit each other and the database. */
  graph: boolean;
  stamp: boolean;
  /** Temporaries of a vector-cache save that a kill cut short. */
  cacheTemps: string[];
  /** Anything else (a store folder holds nothing else). */
  others: string[];
}

export function storeLayout(store: string): StoreLayout {
  const entries = existsSync(store) ? readdirSync(store).sort() : [];
  const file = (suffix: string) => path.join(store, DATABASE_FILE + suffix);
  let walBytes = 0;
  try {
    walBytes = statSync(file('-wal')).size;
  } catch {
    // no WAL: everything is in the database
  }
  return {
    entries,
    database: entries.includes(DATABASE_FILE),
    walBytes,
    shm: entries.includes(`${DATABASE_FILE}-shm`),
    graph: entries.includes(`${DATABASE_FILE}.hnsw`),
    stamp: entries.includes(`${DATABASE_FILE}.hnsw.json`),
    cacheTemps: entries.filter((e) => CACHE_TEMP.test(e)),
    others: entries.filter((e) => !STORE_FILE.test(e) && !CACHE_TEMP.test(e)),
  };
}

/** The cache temporaries a process left (they carry its pid). */
export const cacheTempsOf = (layout: StoreLayout, pid: number) => layout.cacheTemps.filter((e) => CACHE_TEMP.exec(e)?.[2] === String(pid));

/** Where the in-memory vector index came from after recovery (SqliteDocumentStore.vectorStatus). */
export interface VectorStatus {
  origin: 'cache' | 'rebuilt';
  rebuildReason?: string;
  size: number;
  /** Changes applied from the database's change log on top of the cache. */
  caughtUp: number;
}

function vectorStatus(kb: KnowledgeBase): VectorStatus | undefined {
  // The SQLite store's own diagnostics, not part of the KnowledgeStore interface.
  return (kb.store as { vectorStatus?: () => VectorStatus | undefined }).vectorStatus?.();
}

export interface RecoveryCheck {
  /** The store opened (as an existing knowledge base) without an error. */
  opened: boolean;
  openError?: string;
  /** verify() (what `answerdesk doctor` runs: SQLite's integrity check, then documents, passages, vectors, words agree) found no problem. */
  verified: boolean;
  problems: string[];
  report?: VerifyReport;
  /** Which candidate state the store holds: lastAck (`old`), lastAck + 1 (`new`), or neither. */
  outcome: 'old' | 'new' | 'mismatch' | 'unopened';
  /** The op count the store is at (when it matched a state). */
  at?: number;
  /** Per-item differences from the nearest candidate state, when it matched neither. */
  diffs: string[];
  /** The store folder as the kill left it (before this check opened it). */
  layout: StoreLayout;
  /** The vector index verify() loaded: read from the cache and caught up, or rebuilt (why). */
  vectors?: VectorStatus;
  kb?: KnowledgeBase;
}

const describeError = (error: unknown) => (error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error));

/**
 * Open a store a child died in, verify it, and say which state it holds.
 * `lastAck`: the last op the child acknowledged; `inFlight`: whether op
 * lastAck + 1 may have started (false when the child finished its run).
 * The store must exist: every kill comes after the child printed `ready`, and
 * the database with its knowledge base is committed before that.
 * Leaves the knowledge base open in `kb` (the caller closes it).
 */
export async function checkRecovered(expected: ExpectedStates, encoder: EncoderKind, lastAck: number, inFlight: boolean): Promise<RecoveryCheck> {
  const layout = storeLayout(expected.paths.store);
  let kb: KnowledgeBase;
  try {
    kb = await openKnowledgeBase(expected.paths.store, encoder, true);
  } catch (error) {
    return { opened: false, openError: describeError(error), verified: false, problems: [], outcome: 'unopened', diffs: [], layout };
  }
  const report = await kb.verify();
  const vectors = vectorStatus(kb);
  const candidates = [lastAck, ...(inFlight && lastAck + 1 <= expected.length ? [lastAck + 1] : [])];
  for (const k of candidates) expected.after(k);
  const { state, documents } = await actualState(kb, expected.universe);
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
  return { opened: true, verified: report.ok, problems: report.problems, report, outcome, ...(at !== undefined ? { at } : {}), diffs, layout, ...(vectors ? { vectors } : {}), kb };
}

/**
 * After recovery: play ops from+1..to on the recovered store in this process,
 * close it and check the folder: a clean close checkpoints the WAL into the
 * database and removes it (no `-wal`, no `-shm`), and nothing but the database
 * and its vector cache is there. Then reopen it and check it holds exactly
 * expectedAfter(to) and verifies: a WAL left by a kill (with or without a torn
 * transaction at its end) or a half-saved vector cache must not spoil later
 * writes. `cacheTemps`: temporaries of cut-short cache saves still in the
 * folder (the library leaves another process's temporaries alone).
 */
export async function continueAndCheck(
  kb: KnowledgeBase,
  expected: ExpectedStates,
  encoder: EncoderKind,
  from: number,
  to: number,
): Promise<{ ok: boolean; problems: string[]; cacheTemps: string[] }> {
  const problems: string[] = [];
  try {
    for (let k = from + 1; k <= to; k++) await applyOp(kb, expected.scenario.ops[k - 1]!, expected.paths);
  } catch (error) {
    problems.push(`a write after recovery failed: ${describeError(error)}`);
  }
  await kb.close();
  const layout = storeLayout(expected.paths.store);
  if (problems.length) return { ok: false, problems, cacheTemps: layout.cacheTemps };
  if (layout.walBytes > 0 || layout.shm) problems.push(`after a clean close the WAL is still there (${layout.walBytes} bytes${layout.shm ? ', with its -shm' : ''}): it was not checkpointed`);
  if (layout.others.length) problems.push(`files that do not belong in the store folder: ${layout.others.join(', ')}`);
  let again: KnowledgeBase;
  try {
    again = await openKnowledgeBase(expected.paths.store, encoder, true);
  } catch (error) {
    return { ok: false, problems: [...problems, `reopening after continuing failed: ${describeError(error)}`], cacheTemps: layout.cacheTemps };
  }
  try {
    const report = await again.verify();
    problems.push(...report.problems.map((p) => `after continuing: ${p}`));
    expected.after(to);
    const { state, documents } = await actualState(again, expected.universe);
    problems.push(...diffStates(state, documents, expected.after(to)).map((d) => `after continuing to op ${to}: ${d}`));
  } finally {
    await again.close();
  }
  return { ok: problems.length === 0, problems, cacheTemps: layout.cacheTemps };
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
  /** The child SIGKILLs itself right after printing this marker for the first op ≥ `op` that prints it (`closing` counts as op 0). */
  dieAt?: { marker: Marker; op: number };
}

/**
 * Files in the store folder whose change the parent can aim a kill at (seen with fs.watch):
 * `wal` — the WAL is written (a transaction's pages and commit frame, fsynced before the commit returns);
 * `cache-temp` — a vector-cache save wrote its temporary graph file (on close);
 * `cache-graph` — the graph was renamed into place, its stamp not yet;
 * `cache-stamp` — the stamp was renamed into place (the save is complete).
 */
export type FileStep = 'wal' | 'cache-temp' | 'cache-graph' | 'cache-stamp';
const STEP_FILES: Record<FileStep, RegExp> = {
  wal: new RegExp(`^${DB}-wal$`),
  'cache-temp': new RegExp(`^${DB}\\.hnsw\\.\\d+\\.[0-9a-f]+\\.tmp$`),
  'cache-graph': new RegExp(`^${DB}\\.hnsw$`),
  'cache-stamp': new RegExp(`^${DB}\\.hnsw\\.json$`),
};

/** When the parent SIGKILLs the child (a child with `dieAt` kills itself). */
export type KillPlan =
  | { kind: 'none' }
  /** `ms` after the child printed `ready` (its store is open). */
  | { kind: 'timer'; ms: number }
  /** `delayMs` after the parent reads `marker` for an op ≥ `op`. */
  | { kind: 'marker'; marker: Marker; op: number; delayMs: number }
  /** Once `marker` was read for an op ≥ `op`, `delayMs` after the store folder shows `step`'s file change. */
  | { kind: 'file'; marker: Marker; op: number; step: FileStep; delayMs: number };

export interface ChildRun {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last op the child acknowledged (0: none). */
  lastAck: number;
  /** The child printed `done`: it played every op and closed the store. */
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
      return `${plan.delayMs} ms after the ${plan.step} change, once "${plan.marker}" (op ≥ ${plan.op})`;
  }
}

/** The op number of a marker line (`closing`, `ready`, `done`: 0). */
const opOf = (k: string | undefined) => (k === undefined ? 0 : Number(k));

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
        if (watching && name && STEP_FILES[plan.step].test(String(name))) arm(plan.delayMs);
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
        if (plan.kind === 'marker' && marker === plan.marker && opOf(k) >= plan.op) arm(plan.delayMs);
        if (plan.kind === 'file' && marker === plan.marker && opOf(k) >= plan.op) watching = true;
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

/**
 * The phase a write was in when the child died, from the last marker it printed,
 * refined by what the check found: inside the store's write, whether its commit
 * had reached the WAL (the state is the new one); while closing, how far the
 * vector-cache save had got.
 */
export function phaseOf(run: ChildRun, scenario: Scenario, check?: Pick<RecoveryCheck, 'outcome' | 'layout' | 'vectors'>): string {
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
      return op?.kind === 'remove' ? 'remove: reading' : op?.kind === 'add' ? 'add: embedding' : `${op?.kind}: writing files`;
    case 'files':
      return `${op?.kind}: read + embed`;
    case 'embedded':
      return `${op?.kind}: before the store write`;
    case 'writing':
      // The store's write runs synchronously from here through its commit and fsync: only the state tells how far it got.
      return `${op?.kind}: store write, ${check?.outcome === 'new' ? 'commit in the WAL' : check?.outcome === 'old' ? 'not committed' : 'unknown'}`;
    case 'committed':
      return `${op?.kind}: committed, not yet acknowledged`;
    case 'closing': {
      // close() builds the vector index (the child never searched), then saves it: graph, then stamp, each via a temporary renamed into place.
      if (!check) return 'closing';
      if (cacheTempsOf(check.layout, run.pid).length) return 'closing: cache save cut short (temporary left)';
      const reason = check.vectors?.rebuildReason;
      if (check.vectors?.origin === 'rebuilt' && reason !== 'missing') return `closing: cache not usable (${reason})`;
      if (check.layout.graph && !check.layout.stamp) return 'closing: graph in place, stamp not';
      if (check.vectors?.origin === 'cache' && check.vectors.caughtUp === 0) return 'closing: cache saved';
      return 'closing: before the cache save';
    }
    default:
      return `after "${run.lastLine}"`;
  }
}
