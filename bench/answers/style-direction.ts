/**
 * Writes packages/embeddings/src/style-direction.ts: the direction along which customers' messages and help
 * articles differ in USE-lite whatever their topic (see packages/embeddings/src/style.ts). docs-content's
 * passages, as a store embeds them (`passagesOf`: a ticket by its customer's question, an article section
 * in windows under its title and heading), are embedded with the style kept; the direction is the mean of
 * the tickets' minus the mean of the articles', English only, unit length. No label of bench/answers is read.
 *
 *   node --conditions=answerdesk-source --import tsx bench/answers/style-direction.ts
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { passagesOf, readKnowledge, type KnowledgeDoc } from '@answerdesk/core';
import { UseLiteEncoder } from '@answerdesk/embeddings';
import { progress, progressDone } from '../common/progress.js';
import { repoRoot } from './setup.js';

/** Mean of `vectors` (all of one length). Pure. */
function mean(vectors: readonly Float32Array[]): Float64Array {
  const out = new Float64Array(vectors[0]!.length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) out[i] = out[i]! + v[i]! / vectors.length;
  return out;
}

async function main(): Promise<void> {
  const { next } = await readKnowledge([path.join(repoRoot, 'docs-content')]);
  const encoder = new UseLiteEncoder({ keepStyle: true });
  try {
    const embedded = async (kind: KnowledgeDoc['kind']) => {
      const texts = [...next.values()].filter((doc) => doc.kind === kind && doc.language === 'en').flatMap((doc) => passagesOf(doc).map((p) => p.text));
      const vectors = await encoder.embedPassages(texts, { onProgress: (p) => progress(`embedding ${kind} passages`, p.done, p.total) });
      progressDone();
      return vectors;
    };
    const tickets = await embedded('ticket');
    const articles = await embedded('article');
    const t = mean(tickets);
    const a = mean(articles);
    const d = t.map((x, i) => x - a[i]!);
    const norm = Math.sqrt(d.reduce((s, x) => s + x * x, 0));
    const u = [...d].map((x) => x / norm);
    const lines: string[] = [];
    for (let i = 0; i < u.length; i += 12) lines.push(u.slice(i, i + 12).map((x) => x.toFixed(5)).join(', '));
    const file = path.join(repoRoot, 'packages', 'embeddings', 'src', 'style-direction.ts');
    await writeFile(
      file,
      `// Written by bench/answers/style-direction.ts: do not edit by hand.\n// The mean of docs-content's past tickets' questions minus the mean of its article passages (English, USE-lite), unit length.\nexport const STYLE_DIRECTION: readonly number[] = [\n${lines.join(',\n')},\n];\n`,
    );
    console.log(`${tickets.length} ticket questions, ${articles.length} article passages: written to ${path.relative(repoRoot, file)}`);
  } finally {
    await encoder.close();
  }
}

await main();
