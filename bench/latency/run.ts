// Suggest latency on docs-content with the offline model: p50/p95/p99 over a fixed question set,
// after a warm-up, in one process (what an agent waits for once the service is running).
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KnowledgeBase } from '@answerdesk/core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rounds = Number(process.env.ROUNDS ?? 5);
const questions = [
  'my parcel says delivered but it never came',
  'the box arrived crushed and the vase is broken',
  'I forgot my password and the reset email never arrives',
  'how long does a refund to PayPal take',
  'my promo code says expired but the email says valid until Sunday',
  'can I pay in instalments',
  'I want to exchange shoes for a bigger size',
  'someone placed orders on my account that I did not make',
  'the shelf price was lower than what I paid at the till',
  'how do I point my domain to your nameservers',
  'emails from my domain go to spam at gmail',
  'my site shows a 503 error since this morning',
  'how do I restore yesterday\'s backup of my database',
  'please add a staging environment feature',
  'what is the capital of France',
  'is my gift certificate still valid after two years',
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const store = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-latency-'));
try {
  const kb = await KnowledgeBase.open({ store });
  const report = await kb.index([path.join(root, 'docs-content')]);
  for (const q of questions) await kb.suggest(q); // warm-up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const started = performance.now();
      await kb.suggest(q);
      times.push(performance.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  const result = {
    machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`,
    corpus: { documents: kb.stats.documents, passages: kb.stats.passages, articles: report.articles, tickets: report.tickets },
    queries: times.length,
    p50Ms: +percentile(times, 50).toFixed(1),
    p95Ms: +percentile(times, 95).toFixed(1),
    p99Ms: +percentile(times, 99).toFixed(1),
    maxMs: +times.at(-1)!.toFixed(1),
  };
  console.log(`suggest latency on docs-content (${result.corpus.documents} documents, ${result.corpus.passages} passages), ${result.queries} queries`);
  console.log(`| p50 | p95 | p99 | max |\n|---|---|---|---|\n| ${result.p50Ms} ms | ${result.p95Ms} ms | ${result.p99Ms} ms | ${result.maxMs} ms |`);
  console.log(result.machine);
  await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(root, 'bench', 'results', 'latency.json'), JSON.stringify(result, null, 2));
  await kb.close();
} finally {
  await rm(store, { recursive: true, force: true });
}
