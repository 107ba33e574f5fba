/**
 * bench/feedback routes: do agents' route corrections send the next message to the right queue?
 * On bench/categorize's data (the multilingual tickets' queue, English rows; BANKING77's intents),
 * a categorizer is trained on the training split; the test split is cut in two halves. Agents
 * (three, taking turns) correct every wrong route of the feedback half, a quarter at a time, the
 * way the agent page records them (the message, the right label, the label triage gave), and the
 * other half is measured before and after: with the corrections moving similar messages at once
 * (`correctedPrediction`, what triage does), then with the categorizer retrained on its examples
 * plus the corrections (what `retrainAfterCorrections` and `answerdesk train` do). The feedback
 * half asked again after its own corrections is the same messages coming back.
 *
 *   pnpm bench:feedback:routes [--route-similarity 0.8] [--weight 2]   (defaults: LEARNING_DEFAULTS)
 *
 * Prints a table per task and writes bench/results/feedback-routes.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { correctedPrediction, LEARNING_DEFAULTS, type RouteCorrection } from '@answerdesk/core';
import { UseLiteEncoder } from '@answerdesk/embeddings';
import { trainCategorizer, type Categorizer } from '@answerdesk/triage';
import { machineInfo } from '../common/machine.js';
import { progress, progressDone } from '../common/progress.js';
import { pct, table } from '../common/table.js';
import { loadBanking77, loadTickets, type Example, type Task } from '../categorize/datasets.js';
import { VectorTable } from '../categorize/embed.js';
import { rng, sample, shuffled } from '../retrieval/random.js';
import { repoRoot } from '../answers/setup.js';

const loadAtStart = os.loadavg()[0]!;
const { values: args } = parseArgs({
  options: { 'route-similarity': { type: 'string', default: String(LEARNING_DEFAULTS.routeSimilarity) }, weight: { type: 'string', default: String(LEARNING_DEFAULTS.weight) } },
});
const learning = { routeSimilarity: Number(args['route-similarity']), weight: Number(args.weight) };
const AGENTS = ['agent-1', 'agent-2', 'agent-3'];
const SEED = 1;
/** Kept small enough to embed in a few minutes on 2 cores. */
const MOST_TRAIN = 3000;
const MOST_TEST = 1200;

interface Labeled extends Example {
  vector: Float32Array;
}

interface Row {
  step: string;
  corrections: number;
  /** Accuracy on the held-out half. */
  heldOut: { right: number; total: number; high: number; highRight: number; moved: number };
}

function measure(categorizer: Categorizer, field: string, messages: readonly Labeled[], corrections: ReadonlyArray<{ correction: RouteCorrection; vector: Float32Array }>): Row['heldOut'] {
  let right = 0;
  let high = 0;
  let highRight = 0;
  let moved = 0;
  for (const m of messages) {
    const p = correctedPrediction(categorizer, field, m.vector, m.text, corrections, learning);
    if (p.label === m.label) right++;
    if (p.level === 'high') {
      high++;
      if (p.label === m.label) highRight++;
    }
    if (p.learned) moved++;
  }
  return { right, total: messages.length, high, highRight, moved };
}

/** What agents do with one slice of messages: every wrong route corrected to the right label. */
function correct(categorizer: Categorizer, field: string, slice: readonly Labeled[], known: Array<{ correction: RouteCorrection; vector: Float32Array }>, offset: number): void {
  for (const [i, m] of slice.entries()) {
    const shown = correctedPrediction(categorizer, field, m.vector, m.text, known, learning);
    if (shown.label === m.label) continue;
    const n = offset + i;
    known.push({
      correction: { kind: 'route', id: `c-${n}`, at: new Date(Date.UTC(2026, 11, 1, 0, 0, n)).toISOString(), text: m.text, field, label: m.label, was: shown.label, agent: AGENTS[n % AGENTS.length]! },
      vector: m.vector,
    });
  }
}

async function runTask(task: Task, encoder: UseLiteEncoder): Promise<{ task: string; title: string; labels: number; train: number; feedbackHalf: number; heldOutHalf: number; rows: Row[]; askedAgain: Row['heldOut'] & { before: number } }> {
  const trainSet = sample(task.train, MOST_TRAIN, SEED);
  const testSet = shuffled(sample(task.test, MOST_TEST, SEED), rng(SEED + 1));
  const vectors = new VectorTable(encoder);
  await vectors.add([...trainSet, ...testSet].map((e) => e.text), (p) => progress(`${task.key}: embedding`, p.done, p.total));
  progressDone();
  const withVector = (e: Example): Labeled => ({ ...e, vector: vectors.get(e.text) });
  const train = trainSet.map(withVector);
  const half = Math.floor(testSet.length / 2);
  const feedbackHalf = testSet.slice(0, half).map(withVector);
  const heldOut = testSet.slice(half).map(withVector);
  progress(`${task.key}: training`);
  const categorizer = await trainCategorizer(train, encoder, { field: task.field });
  progressDone();

  const corrections: Array<{ correction: RouteCorrection; vector: Float32Array }> = [];
  const rows: Row[] = [{ step: 'before (no corrections)', corrections: 0, heldOut: measure(categorizer, task.field, heldOut, []) }];
  const askedBefore = measure(categorizer, task.field, feedbackHalf, []).right;
  for (const [from, to, label] of [[0, 0.25, 'a quarter'], [0.25, 0.5, 'half'], [0.5, 1, 'all']] as const) {
    const start = Math.round(from * feedbackHalf.length);
    correct(categorizer, task.field, feedbackHalf.slice(start, Math.round(to * feedbackHalf.length)), corrections, start);
    rows.push({ step: `corrections on ${label} of the feedback half, moving similar messages`, corrections: corrections.length, heldOut: measure(categorizer, task.field, heldOut, corrections) });
  }
  const askedAgain = { ...measure(categorizer, task.field, feedbackHalf, corrections), before: askedBefore };
  progress(`${task.key}: retraining with the corrections`);
  // Retraining takes the latest correction per message as one more example, as labeledExamples does.
  const retrained = await trainCategorizer([...train, ...corrections.map(({ correction, vector }) => ({ text: correction.text, label: correction.label, vector }))], encoder, { field: task.field });
  progressDone();
  rows.push({ step: 'categorizer retrained with the corrections', corrections: corrections.length, heldOut: measure(retrained, task.field, heldOut, []) });
  rows.push({ step: 'retrained, and the corrections moving similar messages', corrections: corrections.length, heldOut: measure(retrained, task.field, heldOut, corrections) });
  return { task: task.key, title: task.title, labels: categorizer.labels.length, train: train.length, feedbackHalf: feedbackHalf.length, heldOutHalf: heldOut.length, rows, askedAgain };
}

async function main(): Promise<void> {
  const datasets = path.resolve(process.env.ANSWERDESK_DATASETS ?? path.join(repoRoot, '..', 'shared', 'datasets'));
  const tickets = (await loadTickets(path.join(datasets, 'support-tickets-multilingual', 'dataset-tickets-multi-lang3-4k.subset.csv'), SEED)).find((t) => t.field === 'queue')!;
  // USE-lite reads English: the English tickets only (bench/multilingual is where other languages are measured).
  const english = (examples: readonly Example[]) => examples.filter((e) => e.language === 'en');
  const tasks: Task[] = [{ ...tickets, train: english(tickets.train), test: english(tickets.test) }, await loadBanking77(path.join(datasets, 'banking77'))];
  const encoder = new UseLiteEncoder();
  const results = [];
  for (const task of tasks) {
    const result = await runTask(task, encoder);
    results.push(result);
    console.log(`\n## ${result.title}: ${result.labels} labels, trained on ${result.train}; corrections on ${result.feedbackHalf} test messages, measured on the other ${result.heldOutHalf}`);
    console.log(
      table(
        ['step', 'corrections', 'right (held-out half)', 'High right', 'moved by corrections'],
        result.rows.map((r) => [r.step, String(r.corrections), pct(r.heldOut.right, r.heldOut.total), `${pct(r.heldOut.highRight, r.heldOut.high)} (${r.heldOut.highRight}/${r.heldOut.high})`, String(r.heldOut.moved)]),
      ),
    );
    const a = result.askedAgain;
    console.log(`The feedback half asked again after its own corrections: right ${pct(a.before, a.total)} → ${pct(a.right, a.total)} (${a.moved} moved).`);
  }
  await encoder.close();
  const file = path.join(repoRoot, 'bench', 'results', 'feedback-routes.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ machine: machineInfo(loadAtStart), learning, results }, null, 2) + '\n');
  console.log(`\nWritten to ${path.relative(repoRoot, file)}`);
}

await main();
