import { readFileSync } from 'node:fs';
import { UseLiteEncoder } from '@answerdesk/embeddings';
import { backtestCategorizer } from '../../packages/triage/src/backtest.ts';
const rows = readFileSync('../docs-content/tickets/resolved.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const enc = new UseLiteEncoder(); await enc.load();
const vecs = await enc.embedQueries(rows.map((r: any) => `${r.subject}\n${r.body}`));
for (const field of ['category', 'queue', 'priority']) for (const epochs of [20, 50, 100, 200]) {
  const ex = rows.map((r: any, i: number) => ({ text: `${r.subject}\n${r.body}`, label: r[field], vector: vecs[i] }));
  const t0 = Date.now();
  const rep = await backtestCategorizer(ex, enc, { field, folds: 5, head: { epochs } });
  console.log(field, epochs, 'acc', rep.accuracy.toFixed(3), 'f1', rep.macroF1.toFixed(3), 'high', rep.levels.high.share.toFixed(2), rep.levels.high.accuracy?.toFixed(2), 'ms', Date.now() - t0);
}
await enc.close();
