/**
 * Suggest latency on a store of past tickets, with the offline model: what an agent waits for on a
 * helpdesk's five-year history. The store (bench/ingest's corpus, `TICKETS` tickets, USE-lite) is built
 * once into bench/results/suggest-store-<TICKETS> and reused; then, after ten warm-up questions on other topics
 * and `warmUp()` (untimed, as `serve` does before it reports ready; KB_WARM_UP=0 leaves warmUp out), 40 different helpdesk questions are asked once each (their candidate tickets new to the process: nothing cached but the model) and again
 * (warm). Every time includes reading the message and embedding its questions. Measured twice: the model in
 * the calling thread (a library's default) and on a worker thread (`serve`: the word search runs meanwhile).
 *
 *   TICKETS=100000 pnpm bench:ingest:suggest      # 100k: about 18 min to build the store the first time
 *
 * Prints a table; writes bench/results/ingest-suggest-<TICKETS>.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KnowledgeBase, UseLiteEncoder, type Suggestion } from '@answerdesk/core';
import { machineInfo } from '../common/machine.js';
import { progress, progressDone } from '../common/progress.js';
import { percentile, table } from '../common/table.js';
import { loadSources, TicketFactory } from './corpus.js';

const loadAtStart = os.loadavg()[0]!;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tickets = Number(process.env.TICKETS ?? 10_000);
const datasets = process.env.ANSWERDESK_DATASETS ?? path.resolve(root, '..', 'shared', 'datasets');
const store = path.join(root, 'bench', 'results', `suggest-store-${tickets}`);

/** Helpdesk questions of the corpus' kinds (orders, payments, cards, accounts, software, hosting), written for this bench. */
const QUESTIONS = [
  'my card still has not arrived after two weeks', 'how do I cancel my order and get a refund', 'I was charged twice for the same payment', 'where can I download my invoice',
  'I forgot my password and cannot log in', 'can I change the delivery address of my order', 'the package arrived damaged what should I do', 'how long does a refund take',
  'I want to close my account', 'why was my payment declined', 'how do I update my billing information', 'can I get a discount on a bulk order',
  'my tracking number does not work', 'I received the wrong item', 'how do I return a product', 'is there a fee for cancelling my subscription',
  'I need to speak to a human agent', 'my app keeps crashing when I open it', 'the software license key is invalid', 'how do I reset two factor authentication',
  'can I pay with paypal', 'my transfer has been pending for three days', 'I lost my card please block it', 'how do I change my PIN',
  'the website shows an error when I check out', 'do you ship internationally', 'I was charged a fee I do not recognise', 'how can I track my order',
  'the product stopped working after a week', 'can I upgrade my plan', 'I want to unsubscribe from the newsletter', 'what are your opening hours',
  'my order shows delivered but I never got it', 'the exchange rate on my transfer was wrong', 'how do I add a new user to our account', 'our server has been down since this morning',
  'can I get a copy of my contract', 'I need to change the name on my account', 'the refund went to the wrong card', 'how do I report a security problem',
];

/**
 * Asked first, and not timed: a running service has answered questions before, so the code paths of a suggest are
 * compiled (the first resolutions a process parses take up to 10 times as long). Topics apart from the 40 above;
 * how many sources the two sets share is printed.
 */
const WARM_UP = [
  'do you offer a student discount', 'my parcel was left with a neighbour', 'can I change the language of the app', 'is my data shared with third parties',
  'how do I print a shipping label', 'the coupon code is not accepted', 'can I order by phone', 'how do I merge two accounts',
  'the confirmation email never came', 'can I pick up my order in a store',
];

const timed = async <T>(fn: () => Promise<T>) => {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
};
const round = (ms: number) => Math.round(ms * 10) / 10;

let buildMs: number | undefined;
if (!existsSync(store)) {
  const file = path.join(root, 'bench', 'results', `suggest-tickets-${tickets}.jsonl`);
  await mkdir(path.dirname(file), { recursive: true });
  const factory = new TicketFactory(await loadSources(datasets), 1);
  await writeFile(file, factory.tickets(0, tickets).map((ticket) => JSON.stringify(ticket)).join('\n') + '\n');
  const kb = await KnowledgeBase.open({ store, encoder: new UseLiteEncoder() });
  progress(`indexing ${tickets} tickets`);
  buildMs = (await timed(() => kb.index([file], { train: [], onProgress: (p) => progress(`indexing: ${p.phase}`, p.done, p.total) }))).ms;
  await kb.close();
  progressDone();
}

/** Where the model runs: in the calling thread (a library's default, the CLI), or on a worker thread (`serve`). */
const PLACEMENTS = [
  { name: 'calling thread', offThread: false },
  { name: 'worker thread (serve)', offThread: true },
];
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
interface Run {
  encoder: string;
  openMs: number;
  firstSuggestMs: number;
  /** `warmUp()`'s time, when it ran. */
  warmUpMs?: number;
  rssAfterFirst: number;
  rssAfter: number;
  passes: Record<string, number[]>;
  /** Sources (answers and alternatives) the 40 questions showed, and how many of them the warm-up had shown. */
  sources: number;
  sharedSources: number;
}

/** One placement, in this process. */
async function measure(placement: (typeof PLACEMENTS)[number]): Promise<Run> {
  const open = await timed(() => KnowledgeBase.open({ store, encoder: new UseLiteEncoder({ offThread: placement.offThread }) }));
  const kb = open.value;
  // The process's first suggest loads the vector graph, the spellers and the model: timed on its own.
  const first = await timed(() => kb.suggest('hello, I have a question about my order'));
  const rssAfterFirst = process.memoryUsage().rss;
  const sourcesOf = (suggestion: Suggestion) => [suggestion.source, ...suggestion.alternatives.map((a) => a.source)].flatMap((source) => (source ? [source.id] : []));
  const warmSources = new Set<string>();
  for (const question of WARM_UP) for (const id of sourcesOf(await kb.suggest(question))) warmSources.add(id);
  // What `serve` runs before it reports ready: past tickets read and adapted (KB_WARM_UP=0 leaves it out, as before stop 27).
  const warmUp = process.env.KB_WARM_UP === '0' ? undefined : await timed(() => kb.warmUp());
  const passes: Record<string, number[]> = {};
  const shown = new Set<string>();
  for (const pass of ['new questions', 'the same again']) {
    const times: number[] = [];
    for (const [i, question] of QUESTIONS.entries()) {
      progress(`${placement.name}: ${pass}`, i, QUESTIONS.length);
      const { value, ms } = await timed(() => kb.suggest(question));
      times.push(ms);
      for (const id of sourcesOf(value)) shown.add(id);
    }
    passes[pass] = times;
  }
  progressDone();
  const rssAfter = process.memoryUsage().rss;
  await kb.close();
  const sharedSources = [...shown].filter((id) => warmSources.has(id)).length;
  return { encoder: placement.name, openMs: open.ms, firstSuggestMs: first.ms, ...(warmUp ? { warmUpMs: warmUp.ms } : {}), rssAfterFirst, rssAfter, passes, sources: shown.size, sharedSources };
}

// Each placement in a process of its own, so that memory and caches are its own.
const only = PLACEMENTS.find((placement) => placement.name === process.env.SUGGEST_PLACEMENT);
if (only) {
  console.log(`RUN ${JSON.stringify(await measure(only))}`);
  process.exit(0);
}
const runs: Run[] = [];
for (const placement of PLACEMENTS) {
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env: { ...process.env, SUGGEST_PLACEMENT: placement.name }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const line = child.stdout.split('\n').find((l) => l.startsWith('RUN '));
  if (child.status !== 0 || !line) throw new Error(`the ${placement.name} run failed (exit ${child.status})`);
  runs.push(JSON.parse(line.slice(4)) as Run);
}

const rows = runs.flatMap((run) =>
  Object.entries(run.passes).map(([pass, times]) => [run.encoder, pass, times.length, `${round(percentile(times, 50))} ms`, `${round(percentile(times, 90))} ms`, `${round(percentile(times, 99))} ms`, `${round(Math.max(...times))} ms`]),
);
console.log(`## Suggest latency on ${tickets.toLocaleString('en')} tickets (USE-lite, query embedding included)\n`);
console.log(table(['model runs in', 'questions', 'n', 'p50', 'p90', 'p99', 'max'], rows));
console.log('');
for (const run of runs) {
  console.log(`${run.encoder}: opening the store ${round(run.openMs)} ms; the process's first suggest ${round(run.firstSuggestMs)} ms; ${run.warmUpMs === undefined ? 'no warmUp()' : `warmUp() ${round(run.warmUpMs)} ms`}; memory (RSS, model loaded) ${gib(run.rssAfterFirst)} after it, ${gib(run.rssAfter)} after all; ${run.sharedSources} of the ${run.sources} sources shown had been shown for the warm-up questions.`);
}
if (buildMs) console.log(`Store built in ${Math.round(buildMs / 1000)} s.`);
const machine = machineInfo(loadAtStart);
console.log(`Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}.`);
const out = path.join(root, 'bench', 'results', `ingest-suggest-${tickets}.json`);
await writeFile(out, JSON.stringify({ tickets, machine, buildMs, runs }, null, 2) + '\n');
console.log(`Wrote ${path.relative(root, out)}`);
