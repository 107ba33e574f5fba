import { readFileSync } from 'node:fs';
import { UseLiteEncoder } from '@answerdesk/embeddings';
import { readArticles } from '@answerdesk/markdown';
import { trainCategorizer } from '../../packages/triage/src/categorizer.ts';
import { stratifiedFolds } from '../../packages/triage/src/split.ts';
const rows = readFileSync('../docs-content/tickets/resolved.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const enc = new UseLiteEncoder(); await enc.load();
const texts = rows.map((r: any) => `${r.subject}\n${r.body}`);
const vecs = await enc.embedQueries(texts);
const { articles } = await readArticles('../docs-content/articles');
const sec = articles.flatMap((a: any) => a.sections.map((s: any) => ({ text: `${a.title}\n${s.heading}\n${s.text}`.slice(0, 1500), label: a.category })));
const svecs = await enc.embedQueries(sec.map((s) => s.text));
const secEx = sec.map((s, i) => ({ ...s, vector: svecs[i] }));
console.log('sections', sec.length);
const ex = rows.map((r: any, i: number) => ({ text: texts[i], label: r.category, vector: vecs[i] }));
const folds = stratifiedFolds(ex.map((e) => e.label), 5, 1);
for (const withArticles of [false, true]) for (const epochs of [20, 40]) {
  let ok = 0;
  for (let f = 0; f < 5; f++) {
    const train = ex.filter((_, i) => folds[i] !== f);
    const cat = await trainCategorizer(withArticles ? [...train, ...secEx] : train, enc, { head: { epochs }, calibrationFolds: 2 });
    ex.forEach((e, i) => { if (folds[i] === f && cat.predictVector(e.vector, e.text).label === e.label) ok++; });
  }
  console.log('articles', withArticles, epochs, (ok / ex.length).toFixed(3));
}
await enc.close();
