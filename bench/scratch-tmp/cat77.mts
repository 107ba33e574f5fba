import { readFileSync } from 'node:fs';
import { trainCategorizer } from '../../packages/triage/src/categorizer.ts';
const load = (s: string) => {
  const rows = JSON.parse(readFileSync(`../scratch/b77/${s}.json`, 'utf8')) as { text: string; category: string }[];
  const buf = new Float32Array(readFileSync(`../scratch/b77/${s}.f32`).buffer.slice(0));
  return rows.map((r, i) => ({ text: r.text, label: r.category, vector: buf.slice(i * 512, (i + 1) * 512) }));
};
const train = load('train'), test = load('test');
const enc = { id: 'use-lite-en@0.2.0', dimension: 512 } as any;
const cfg = JSON.parse(process.argv[2] ?? '{}');
const t0 = Date.now();
const cat = await trainCategorizer(train, enc, { ...cfg, onProgress: (p) => process.stderr.write(`${p.phase} ${p.done}/${p.total} ${Date.now() - t0}\n`) });
const t1 = Date.now();
let ok = 0; const lv: Record<string, [number, number]> = {};
for (const r of test) { const p = cat.predictVector(r.vector, r.text); const c = p.label === r.label; if (c) ok++; lv[p.level] ??= [0, 0]; lv[p.level]![0]++; if (c) lv[p.level]![1]++; }
console.log('acc', (ok / test.length).toFixed(4), 'train ms', t1 - t0, JSON.stringify(cat.info.calibration), JSON.stringify(lv), 'pred ms/msg', ((Date.now() - t1) / test.length).toFixed(3));
