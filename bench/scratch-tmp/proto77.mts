import { readFileSync } from 'node:fs';
import { fitVocabulary, lexicalFeaturizer } from '../../packages/triage/src/lexical-features.ts';
import { trainHead, headLogits } from '../../packages/triage/src/linear-head.ts';
const load = (s: string) => {
  const rows = JSON.parse(readFileSync(`../scratch/b77/${s}.json`, 'utf8')) as { text: string; category: string }[];
  const buf = new Float32Array(readFileSync(`../scratch/b77/${s}.f32`).buffer.slice(0));
  return rows.map((r, i) => ({ ...r, vec: buf.subarray(i * 512, (i + 1) * 512) }));
};
const train = load('train'), test = load('test');
const labels = [...new Set(train.map((r) => r.category))].sort();
const id = new Map(labels.map((l, i) => [l, i]));
const cfg = JSON.parse(process.argv[2] ?? '{}');
const t0 = Date.now();
const vocab = fitVocabulary(train.map((r) => r.text), cfg.lex ?? {});
const feat = lexicalFeaturizer(vocab);
const ds = cfg.denseScale ?? 1, ss = cfg.sparseScale ?? 1;
const mk = (r: any) => { const s = feat(r.text); if (ss !== 1) s.values = s.values.map((v: number) => v * ss); const d = ds === 1 ? r.vec : r.vec.map((v: number) => v * ds); return { dense: cfg.noDense ? new Float32Array(0) : d, sparse: cfg.noSparse ? { indices: new Int32Array(0), values: new Float32Array(0) } : s, label: id.get(r.category)! }; };
const ex = train.map(mk);
const head = trainHead(ex, { classes: labels.length, denseSize: cfg.noDense ? 0 : 512, sparseSize: vocab.terms.length }, cfg.head ?? {});
const t1 = Date.now();
let ok = 0;
for (const r of test) { const e = mk(r); const l = headLogits(head, e.dense, e.sparse); let b = 0; for (let c = 1; c < l.length; c++) if (l[c]! > l[b]!) b = c; if (b === e.label) ok++; }
console.log(JSON.stringify(cfg), 'terms', vocab.terms.length, 'acc', (ok / test.length).toFixed(4), 'train ms', t1 - t0);
