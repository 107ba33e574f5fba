import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { UseLiteEncoder } from '@answerdesk/embeddings';
const enc = new UseLiteEncoder();
await enc.load();
for (const split of ['train', 'test']) {
  const rows = parse(readFileSync(`../../shared/datasets/banking77/${split}.csv`), { columns: true }) as { text: string; category: string }[];
  const t0 = Date.now();
  const vecs = await enc.embedPassages(rows.map((r) => r.text));
  console.log(split, rows.length, Date.now() - t0, 'ms');
  const buf = new Float32Array(rows.length * 512);
  vecs.forEach((v, i) => buf.set(v, i * 512));
  writeFileSync(`../scratch/b77/${split}.f32`, Buffer.from(buf.buffer));
  writeFileSync(`../scratch/b77/${split}.json`, JSON.stringify(rows));
}
await enc.close();
