// readKnowledge with files a careless user has: each bad file is one coded error, the rest is read.
import t from 'tap';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HashingEncoder, KnowledgeBase, readKnowledge } from '@answerdesk/core';

const article = (id: string) => `---\nid: ${id}\ntitle: ${id}\n---\n\n## About ${id}\n\nText about ${id}.\n`;
const ticket = (i: number) => JSON.stringify({ id: `T-${i}`, subject: `Subject ${i}`, body: `Body ${i}`, resolution: `Done ${i}` });

t.test('too large, binary and unreadable files are refused one by one; progress is in bytes', async (t) => {
  const dir = t.testdir({ kb: { 'a.md': article('a'), 'b.md': article('b'), tickets: { 'ok.jsonl': [1, 2, 3].map(ticket).join('\n') } } });
  const kb = path.join(dir, 'kb');
  const big = await open(path.join(kb, 'big.md'), 'w');
  for (let i = 0; i < 7; i++) await big.write(Buffer.alloc(1024 * 1024, 'x'));
  await big.close();
  await writeFile(path.join(kb, 'tickets', 'sheet.csv'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(32)]));
  await writeFile(path.join(kb, 'tickets', 'big.jsonl'), Array.from({ length: 2000 }, (_, i) => ticket(100 + i)).join('\n'));

  const progress: Array<{ done: number; total: number }> = [];
  const read = await readKnowledge([kb], (p) => progress.push(p), { maxTicketFileBytes: 64 * 1024 });
  t.same([...read.next.keys()].filter((id) => !id.includes('#')).sort(), ['T-1', 'T-2', 'T-3']);
  t.equal(read.articles, 2);
  t.same(
    read.errors.map((e) => [e.code, e.details.file]),
    [
      ['ADK_FILE_TOO_LARGE', 'big.md'],
      ['ADK_FILE_TOO_LARGE', `${kb.split(path.sep).join('/')}/tickets/big.jsonl`],
      ['ADK_FILE_BINARY', `${kb.split(path.sep).join('/')}/tickets/sheet.csv`],
    ],
  );
  t.match(read.errors[1]!.message, /over the 64 KiB limit for a ticket export/);
  const total = progress[0]!.total;
  t.ok(total > 7 * 1024 * 1024, 'the total counts every file\'s bytes');
  t.same(progress.at(-1), { phase: 'read', done: total, total }, 'reading ends at the total');
  t.ok(progress.every((p, i) => i === 0 || p.done >= progress[i - 1]!.done), 'progress only grows');
});

t.test('KnowledgeBase.index passes the limits on', async (t) => {
  const dir = t.testdir({ kb: { 'a.md': article('a'), 'b.md': article('b') + 'More text. '.repeat(200) } });
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  const report = await kb.index([path.join(dir, 'kb')], { maxFileBytes: 1024 });
  t.equal(report.articles, 1);
  t.same(report.errors.map((e) => [e.code, e.details.file]), [['ADK_FILE_TOO_LARGE', 'b.md']]);
  const published = await kb.publish(path.join(dir, 'kb'), { maxFileBytes: 1024, dryRun: true });
  t.same(published.errors.map((e) => e.code), ['ADK_FILE_TOO_LARGE'], 'publish too');
});

t.test('a file that can no longer be read keeps what it had in the store: never silently dropped', async (t) => {
  const dir = t.testdir({ kb: { 'a.md': article('a'), 'b.md': article('b'), 'tickets.jsonl': [1, 2, 3].map(ticket).join('\n') } });
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  const root = path.join(dir, 'kb');
  t.same((await kb.index([root])).errors, []);
  const before = kb.stats;
  // b.md becomes a binary file, one ticket row breaks, and another row is removed from the export.
  await writeFile(path.join(root, 'b.md'), Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(64)]));
  await writeFile(path.join(root, 'tickets.jsonl'), [ticket(1), '{"id": "T-2", broken', ''].join('\n'));
  const report = await kb.index([root]);
  t.same(report.errors.map((e) => e.code).sort(), ['ADK_FILE_BINARY', 'ADK_TICKET_INVALID']);
  t.equal(report.removed, 0, 'nothing of a file with problems is removed');
  t.same(kb.stats.articles, before.articles, "b.md's sections are still answered");
  t.ok(await kb.document('T-3'), 'a ticket of an export with a bad row stays until the export is read cleanly');
  // Fixed: the export is read cleanly, so the ticket it no longer holds goes.
  await writeFile(path.join(root, 'tickets.jsonl'), [ticket(1), ticket(2)].join('\n'));
  await writeFile(path.join(root, 'b.md'), article('b'));
  const fixed = await kb.index([root]);
  t.same(fixed.errors, []);
  t.equal(fixed.removed, 1);
  t.equal(await kb.document('T-3'), undefined);
});
