/**
 * Categorization benchmark: Answerdesk's categorizer (embedding + lexical
 * features → calibrated softmax head) against nearest centroid, kNN and
 * single-feature-set heads, on BANKING77, Bitext and the multilingual support
 * tickets. See README.md beside this file.
 *
 *   pnpm bench:categorize         (from the workspace root)
 *
 * Tables go to stdout, everything to bench/results/categorize.json.
 * ANSWERDESK_DATASETS overrides the datasets folder (default ../shared/datasets next to the repository).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UseLiteEncoder } from '@answerdesk/embeddings';
import { sample } from '../retrieval/random.js';
import { loadBanking77, loadBitext, loadTickets, type Example, type Task } from './datasets.js';
import { singleMessageLatency, VectorTable } from './embed.js';
import { predictAll, score } from './evaluate.js';
import { K_CANDIDATES, methods, type Method } from './methods.js';
import { progress, progressDone } from '../common/progress.js';
import { embeddingTable, singleEmbeddingTable, subsetTable, summaryTable, taskTable, type EmbeddingRow, type MethodRow, type SingleRow, type TaskRows } from './report.js';
import { machineInfo } from '../common/machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

/** Everything that shapes the numbers. Fixed, so two runs print the same scores; only timings move. */
const CONFIG = {
  /** Seed of every split (datasets, kNN validation) and of the categorizer's own training (its default, 1). */
  seed: 1,
  testShare: 0.2,
  kCandidates: K_CANDIDATES,
  /** Messages embedded one at a time, per dataset, for the single-message embedding latency. */
  singleMessages: 100,
} as const;

interface MethodResult extends MethodRow {
  description: string;
  details: Record<string, unknown>;
}

interface TaskResult extends TaskRows {
  dataset: string;
  field: string;
  protocol: string;
  counts: Record<string, number>;
  notes: string[];
  methods: MethodResult[];
}

const withVectors = (examples: readonly Example[], table: VectorTable) => examples.map((e) => ({ text: e.text, label: e.label, vector: table.get(e.text) }));

/** Train and score every method on one task, on vectors already in the table. */
async function runTask(task: Task, table: VectorTable, list: readonly Method[]): Promise<TaskResult> {
  const train = withVectors(task.train, table);
  const test = withVectors(task.test, table);
  const results: MethodResult[] = [];
  for (const method of list) {
    progress(`${task.title}: training ${method.name}`);
    const started = performance.now();
    const trained = await method.train(train, task.field);
    const trainMs = performance.now() - started;
    progress(`${task.title}: predicting ${method.name}`);
    const { predictions, times } = predictAll(trained, test);
    results.push({ key: method.key, name: trained.name ?? method.name, description: method.description, trainMs, details: trained.details, ...score(test, predictions, times, task.subsets) });
  }
  progressDone();
  return { key: task.key, dataset: task.dataset, title: task.title, field: task.field, protocol: task.protocol, counts: task.counts, notes: task.notes, methods: results };
}

function printTask(r: TaskResult): void {
  const lines = [`## ${r.title}`, '', r.protocol, '', taskTable(r), ''];
  if (r.methods[0]?.subsets.length) lines.push('Accuracy / macro-F1 (%) by subset of the test set:', '', subsetTable(r), '');
  for (const note of r.notes) lines.push(`Note: ${note}`, '');
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * Short hash of a package's sources. The numbers are only as current as the
 * code they measured; the hash in the JSON (and under the README's table)
 * says whether a later run measured the same categorizer.
 */
async function sourceHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(dir)).filter((name) => name.endsWith('.ts')).sort();
  for (const name of files) hash.update(name).update('\0').update(await readFile(path.join(dir, name))).update('\0');
  return hash.digest('hex').slice(0, 12);
}

function datasetsDir(): string {
  return path.resolve(process.env.ANSWERDESK_DATASETS ?? path.join(repoRoot, '..', 'shared', 'datasets'));
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  // Hashed at start, just after the modules were loaded: the hash is of the code that runs, even if the sources change mid-run.
  const source = {
    triage: await sourceHash(path.join(repoRoot, 'packages', 'triage', 'src')),
    embeddings: await sourceHash(path.join(repoRoot, 'packages', 'embeddings', 'src')),
  };
  const dir = datasetsDir();
  const banking = await loadBanking77(path.join(dir, 'banking77'));
  const bitext = await loadBitext(path.join(dir, 'bitext-customer-support', 'Bitext_Sample_Customer_Support_Training_Dataset.csv'), CONFIG.seed);
  const tickets = await loadTickets(path.join(dir, 'support-tickets-multilingual', 'dataset-tickets-multi-lang3-4k.subset.csv'), CONFIG.seed);
  const tasks = [banking, ...bitext, ...tickets];
  const textsOf = (task: Task) => [...task.train, ...task.test].map((e) => e.text);

  const encoder = new UseLiteEncoder();
  try {
    const loadStarted = performance.now();
    await encoder.load();
    const loadMs = performance.now() - loadStarted;

    // Every distinct text is embedded once. BANKING77's train texts go first and alone:
    // their time is the embedding half of "training on 10k tickets".
    const table = new VectorTable(encoder);
    const embedding: EmbeddingRow[] = [];
    const embed = async (name: string, texts: readonly string[]) => {
      const timing = await table.add(texts, (p) => progress(`embedding ${name}`, p.done, p.total));
      embedding.push({ dataset: name, ...timing });
      return timing;
    };
    const bankingTrainEmbedding = await embed('BANKING77 train', banking.train.map((e) => e.text));
    await embed('BANKING77 test', banking.test.map((e) => e.text));
    await embed('Bitext (all rows)', textsOf(bitext[0]!));
    await embed('Multilingual tickets (all rows)', textsOf(tickets[0]!));

    progress('embedding single messages');
    const single: SingleRow[] = [
      { dataset: 'BANKING77 test', ...(await singleMessageLatency(encoder, sample(banking.test.map((e) => e.text), CONFIG.singleMessages, CONFIG.seed))) },
      { dataset: 'Multilingual tickets', ...(await singleMessageLatency(encoder, sample(textsOf(tickets[0]!), CONFIG.singleMessages, CONFIG.seed))) },
    ];
    progressDone();

    const list = methods(encoder, CONFIG.seed);
    const results: TaskResult[] = [];
    for (const task of tasks) {
      const result = await runTask(task, table, list);
      printTask(result);
      results.push(result);
    }

    // "Training on 10k tickets takes under a minute on 2 cores": embedding + the categorizer's own training.
    const ours = results[0]!.methods.find((m) => m.key === 'answerdesk')!;
    const bankingTraining = {
      texts: banking.train.length,
      embedMs: bankingTrainEmbedding.ms,
      headMs: ours.trainMs,
      calibrateMs: ours.details.calibrateMs as number,
      refit: ours.details.refit as boolean,
      refitMs: ours.details.refitMs as number,
      totalMs: bankingTrainEmbedding.ms + ours.trainMs,
    };

    const machine = machineInfo(loadAtStart);
    const s = (value: number) => (value / 1000).toFixed(1);
    process.stdout.write(
      [
        '## Summary: accuracy / macro-F1 (%)',
        '',
        summaryTable(results, list.map((m) => ({ key: m.key, name: m.key === 'knn-tuned' ? 'kNN weighted (k tuned)' : m.name }))),
        '',
        '## Embedding (USE-lite, shared by every method)',
        '',
        embeddingTable(embedding),
        '',
        singleEmbeddingTable(single),
        '',
        `## Training on BANKING77's ${bankingTraining.texts} train texts (${bankingTrainEmbedding.texts} distinct)`,
        '',
        `Embedding ${s(bankingTraining.embedMs)} s + categorizer head ${s(bankingTraining.headMs)} s (calibration rounds ${s(bankingTraining.calibrateMs)} s, ${bankingTraining.refit ? `refit on every example ${s(bankingTraining.refitMs)} s` : 'no refit: the hold-out model is kept'}) = ${s(bankingTraining.totalMs)} s.`,
        '',
        `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, load average ${machine.loadAverage1m.start.toFixed(1)} at start, ${machine.loadAverage1m.end.toFixed(1)} at end. Model ${encoder.id} loaded in ${s(loadMs)} s. Sources: triage ${source.triage}, embeddings ${source.embeddings}. Total ${s(performance.now() - started)} s.`,
        '',
      ].join('\n'),
    );

    const out = {
      benchmark: 'categorize',
      machine,
      source,
      config: CONFIG,
      encoder: { id: encoder.id, dimension: encoder.dimension, loadMs },
      methods: list.map((m) => ({ key: m.key, name: m.name, description: m.description })),
      embedding: embedding.map((row) => ({ ...row, msPerText: row.ms / Math.max(1, row.texts) })),
      singleMessageEmbedding: single,
      banking77Training: bankingTraining,
      tasks: results,
      runtimeMs: performance.now() - started,
    };
    const file = path.join(repoRoot, 'bench', 'results', 'categorize.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(out, null, 2) + '\n');
    process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await encoder.close();
  }
}

main().catch((error: unknown) => {
  progressDone();
  console.error(error);
  process.exitCode = 1;
});
