// What answering embeds inside a section (its answer units and heading) is embedded when the section is
// published and kept in the store: a question, in this process or a new one, embeds only itself. Plumbing:
// the hashing encoder stands in for the model, counted.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { AnswerdeskError, HashingEncoder, KnowledgeBase, StoreKnowledgeBase } from '@answerdesk/core';
import { SqliteDocumentStore } from '@answerdesk/sqlite';
import type { KnowledgeStore } from '@answerdesk/types';

/** The hashing encoder, counting the passage texts it embeds. */
class CountingEncoder extends HashingEncoder {
  passages: string[] = [];
  override async embedPassages(texts: readonly string[], options?: Parameters<HashingEncoder['embedPassages']>[1]) {
    this.passages.push(...texts);
    return super.embedPassages(texts, options);
  }
}

const ARTICLE = `---
id: returns
title: Returns
category: returns
language: en
---

You can return most items within 30 days.

## How to start a return

1. Sign in and open **Orders**.
2. Choose the item and the reason.
3. Print the label and drop the parcel off.

## Items we can't take back

- Earrings and underwear, unless sealed.
- Gift certificates.
`;

async function articles(dir: string): Promise<string> {
  await mkdir(path.join(dir, 'articles'), { recursive: true });
  await writeFile(path.join(dir, 'articles', 'returns.md'), ARTICLE);
  return path.join(dir, 'articles');
}

t.test('publishing embeds the sections\' units once; a new process answers without embedding them', async (t) => {
  const dir = t.testdir();
  const store = path.join(dir, 'store');
  const source = await articles(dir);
  const writer = new CountingEncoder();
  const kb = await KnowledgeBase.open({ store, encoder: writer });
  await kb.index([source]);
  t.ok(writer.passages.includes('Returns: How to start a return'), 'a section\'s heading is embedded as answering embeds it');
  const embedded = writer.passages.length;
  await kb.index([source]);
  t.equal(writer.passages.length, embedded, 'nothing changed: nothing embedded again');
  await kb.close();

  const reader = new CountingEncoder();
  const again = await KnowledgeBase.open({ store, encoder: reader });
  t.teardown(() => again.close());
  const suggestion = await again.suggest('How do I start a return?');
  t.equal(suggestion.status, 'answered');
  t.same(reader.passages, [], 'the suggest embedded no unit and no heading');
});

t.test('a store written without unit vectors gets them the next time it is indexed', async (t) => {
  const dir = t.testdir();
  const file = path.join(dir, 'knowledge.db');
  const source = await articles(dir);
  // A store as earlier versions wrote it: one that does not keep unit vectors.
  const sqlite = await SqliteDocumentStore.open({ file, location: file });
  const old: KnowledgeStore = Object.assign(Object.create(sqlite) as KnowledgeStore, { unitVectors: undefined });
  const counted = new CountingEncoder();
  const before = await StoreKnowledgeBase.over(old, { encoder: counted }, { engine: 'sqlite', formatVersion: 5, missing: () => new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir: 'the old store' }) });
  await before.index([source]);
  counted.passages = [];
  await before.suggest('Can I return earrings?');
  t.ok(counted.passages.length > 0, 'such a store embeds units when a question needs them');
  await before.close();

  const encoder = new CountingEncoder();
  const kb = await KnowledgeBase.open({ store: dir, encoder });
  t.teardown(() => kb.close());
  const report = await kb.index([source]);
  t.equal(report.updated, 0, 'no section changed');
  t.ok(encoder.passages.includes('Returns: How to start a return') && encoder.passages.includes('Returns'), `the sections' headings and units were embedded (${encoder.passages.length} texts)`);
  encoder.passages = [];
  await kb.suggest('Can I return earrings?');
  t.same(encoder.passages, [], 'and are read from the store from then on');
});

t.test('answerUnits: false leaves them to the first question', async (t) => {
  const dir = t.testdir();
  const encoder = new CountingEncoder();
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder });
  t.teardown(() => kb.close());
  await kb.index([await articles(dir)], { answerUnits: false });
  t.notOk(encoder.passages.includes('Returns: How to start a return'), 'no heading embedded while indexing');
  await kb.suggest('How do I start a return?');
  t.ok(encoder.passages.includes('Returns: How to start a return'), 'the question embedded them');
});
