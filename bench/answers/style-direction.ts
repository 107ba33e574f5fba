/**
 * Writes packages/embeddings/src/style-direction.ts: the direction along which customers' messages and help
 * articles differ in USE-lite whatever their topic (see packages/embeddings/src/style.ts). docs-content is
 * indexed with the style kept, into a temporary store; the direction is the mean of its past tickets'
 * questions (a ticket embeds its customer's question) minus the mean of its article passages, English
 * only, unit length. No label of bench/answers is read.
 *
 *   node --conditions=answerdesk-source --import tsx bench/answers/style-direction.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, openStoreFolder } from '@answerdesk/core';
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
  const dir = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-style-'));
  try {
    const kb = await openStoreFolder({ store: dir, encoder: new UseLiteEncoder({ keepStyle: true }) });
    await kb.index([path.join(repoRoot, 'docs-content')], { onProgress: (p) => progress(`indexing (${p.phase})`, p.done, p.total) });
    progressDone();
    await kb.close();
    const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    const rows = db
      .prepare<[], { kind: string; vector: Buffer }>("SELECT d.kind, p.vector FROM passages p JOIN documents d ON d.id = p.doc_id WHERE d.language = 'en' AND d.kind IN ('article', 'ticket')")
      .all();
    db.close();
    const vectorOf = (blob: Buffer) => new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
    const tickets = rows.filter((r) => r.kind === 'ticket').map((r) => vectorOf(r.vector));
    const articles = rows.filter((r) => r.kind === 'article').map((r) => vectorOf(r.vector));
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
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
