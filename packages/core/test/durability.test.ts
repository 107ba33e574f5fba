// Store durability and format: the write-ahead log, torn tails, migrations, model changes
// and incremental publish. Plumbing only: the hashing encoder has no notion of meaning.
import { execFileSync } from 'node:child_process';
import { appendFile, readFile, readdir, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { HashingEncoder, FileKnowledgeBase as KnowledgeBase } from '@answerdesk/core';

const ticket = (id: string, text = `question ${id}`) => ({ id, subject: text, body: `${text} body`, resolution: `answer to ${id}` });
const open = (store: string, options: Parameters<typeof KnowledgeBase.open>[0] = {}) => KnowledgeBase.open({ store, encoder: new HashingEncoder(), ...options });

t.test('acknowledged writes are in the log and survive a reopen without a snapshot', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const kb = await open(store);
  await kb.addTickets([ticket('A'), ticket('B')]);
  await kb.remove(['A']);
  await kb.addTickets([ticket('B', 'updated')]);
  t.same(await readdir(store).then((f) => f.filter((n) => !n.startsWith('.')).sort()), ['LOCK', 'wal-00000000.log'], 'no snapshot yet: only the log (and the writer lock)');
  const reopened = await open(store);
  t.notOk(reopened.getDocument('A'));
  t.equal(reopened.getDocument('B')?.title, 'updated');
  const report = await reopened.verify();
  t.ok(report.ok, report.problems.join('; '));
  t.match(report, { snapshot: 0, journal: { records: 3, tornBytes: 0 }, counts: { tickets: 1, documents: 1 } });
  await reopened.close();
  await kb.close();
});

t.test('the log is folded into a snapshot once it passes journalLimit', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const kb = await open(store, { journalLimit: 4096 });
  for (let i = 0; i < 12; i++) await kb.addTickets([ticket(`T${i}`)]);
  const files = await readdir(store);
  t.ok(files.some((f) => /^snap-\d{8}$/.test(f)), 'a snapshot was written');
  const logs = files.filter((f) => f.startsWith('wal-'));
  t.equal(logs.length, 1, `only the current snapshot's log is kept (${logs.join(', ')})`);
  const reopened = await open(store);
  t.equal(reopened.stats.tickets, 12);
  t.ok((await reopened.verify()).ok);
  await Promise.all([kb.close(), reopened.close()]);
});

t.test('a torn last record (a crash mid-append) is ignored, and the next write cuts it off', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const kb = await open(store);
  await kb.addTickets([ticket('A')]);
  await kb.close();
  const log = path.join(store, 'wal-00000000.log');
  await appendFile(log, Buffer.from([0x41, 0x44, 0x4b, 0x57, 0, 0, 0, 200, 1, 2, 3]));
  const reopened = await open(store);
  const report = await reopened.verify();
  t.ok(report.ok);
  t.equal(report.journal.tornBytes, 11, 'the unacknowledged bytes are reported');
  t.ok(reopened.getDocument('A'), 'the acknowledged write is there');
  await reopened.addTickets([ticket('B')]);
  await reopened.close();
  const again = await open(store);
  t.same([!!again.getDocument('A'), !!again.getDocument('B')], [true, true], 'a write after the torn tail is readable');
  t.equal((await again.verify()).journal.tornBytes, 0);
  await again.close();
});

t.test('a store written by an older format is migrated as it opens; a newer one is refused', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const kb = await open(store);
  await kb.addTickets([ticket('A')]);
  await kb.save();
  await kb.close();
  const current = (await readFile(path.join(store, 'CURRENT'), 'utf8')).trim();
  const manifestFile = path.join(store, current, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: 1 }));
  const migrated = await open(store);
  t.ok(migrated.getDocument('A'), 'the data is intact');
  const now = (await readFile(path.join(store, 'CURRENT'), 'utf8')).trim();
  t.not(now, current, 'a new snapshot was written');
  t.equal(JSON.parse(await readFile(path.join(store, now, 'manifest.json'), 'utf8')).formatVersion, 2);
  await migrated.close();

  const newer = JSON.parse(await readFile(path.join(store, now, 'manifest.json'), 'utf8'));
  await writeFile(path.join(store, now, 'manifest.json'), JSON.stringify({ ...newer, formatVersion: 99 }));
  await t.rejects(open(store), { code: 'ADK_STORE_VERSION_UNSUPPORTED', message: /format version 99; this Answerdesk reads version 2\. Upgrade Answerdesk/ });
});

t.test('another model is refused with a pointer to reindex, which re-embeds everything', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const kb = await open(store);
  await kb.addTickets([{ ...ticket('A'), queue: 'one' }, { ...ticket('B'), queue: 'two' }, { ...ticket('C'), queue: 'one' }, { ...ticket('D'), queue: 'two' }]);
  await kb.train({ field: 'queue' });
  await kb.addTickets([ticket('E')]);
  await kb.close();
  await t.rejects(KnowledgeBase.open({ store, encoder: new HashingEncoder(32) }), { code: 'ADK_STORE_MODEL_MISMATCH', message: /hashing-64 \(64-d\).*hashing-32 \(32-d\).*answerdesk reindex --store/ });
  const { knowledgeBase, documents, previousModel, retrained, dropped } = await KnowledgeBase.reindex({ store, encoder: new HashingEncoder(32) });
  t.equal(documents, 5, 'documents from the snapshot and the log');
  t.equal(previousModel, 'hashing-64');
  t.same(retrained, ['queue']);
  t.same(dropped, []);
  t.ok((await knowledgeBase.verify()).ok);
  await knowledgeBase.close();
  const reopened = await KnowledgeBase.open({ store, encoder: new HashingEncoder(32) });
  t.equal(reopened.stats.documents, 5);
  t.equal(reopened.encoder.id, 'hashing-32');
  await reopened.close();
});

t.test('a full disk is a coded error and leaves the previous state, in memory and on disk', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const kb = await open(store);
  await kb.addTickets([ticket('A')]);
  const log = path.join(store, 'wal-00000000.log');
  const saved = await readFile(log);
  await rm(log);
  await writeFile(`${log}.keep`, saved);
  // Writing to /dev/full fails with ENOSPC, as on a full disk.
  execFileSync('ln', ['-s', '/dev/full', log]);
  await t.rejects(kb.addTickets([ticket('B')]), { code: 'ADK_STORE_WRITE_FAILED', message: /the disk is full.*previous saved state is still intact/ });
  t.notOk(kb.getDocument('B'), 'the rejected write is not served');
  t.ok(kb.getDocument('A'));
  await kb.close();
  await rm(log);
  await rename(`${log}.keep`, log);
  const reopened = await open(store);
  t.same([!!reopened.getDocument('A'), !!reopened.getDocument('B')], [true, false]);
  t.ok((await reopened.verify()).ok);
  await reopened.close();
});

const md = (title: string, sections: Record<string, string>, id?: string) => `---\n${id ? `id: ${id}\n` : ''}title: ${title}\ncategory: help\n---\n\n${Object.entries(sections).map(([h, text]) => `## ${h}\n\n${text}\n`).join('\n')}`;

t.test('publish makes a folder current, touching nothing else', async (t) => {
  const dir = t.testdir({
    kb: { 'returns.md': md('Returns', { 'How to return': 'Print the label.', 'Refund time': 'Five days.' }, 'returns'), 'gifts.md': md('Gifts', { Wrapping: 'Tick gift wrap.' }) },
    other: { 'legal.md': md('Legal', { Terms: 'The terms.' }, 'legal') },
  });
  const kb = await open(path.join(dir, 'store'));
  t.teardown(() => kb.close());
  await kb.addTickets([ticket('T1')]);
  await kb.publish(path.join(dir, 'other'));
  const first = await kb.publish(path.join(dir, 'kb'));
  t.same(first.plan.added, ['gifts', 'returns']);
  t.equal(first.embedded > 0, true);

  await writeFile(path.join(dir, 'kb', 'returns.md'), md('Returns', { 'How to return': 'Print the label at home.', 'Exchanges': 'Swap sizes free.' }, 'returns'));
  await writeFile(path.join(dir, 'kb', 'broken.md'), '---\ntitle: [oops\n---\n');
  await rm(path.join(dir, 'kb', 'gifts.md'));
  const dry = await kb.publish(path.join(dir, 'kb'), { dryRun: true });
  t.match(dry.plan, { added: [], changed: ['returns'], removed: ['gifts'], sections: { added: 1, changed: 1, removed: 2 } });
  t.ok(kb.getDocument('gifts#wrapping'), 'a dry run changes nothing');
  t.equal(dry.errors.length, 1, 'the broken file is reported');
  const real = await kb.publish(path.join(dir, 'kb'));
  t.same(real.plan, dry.plan, 'the run does what the dry run said');
  t.equal(real.embedded, 2, 'only the new and the changed section are embedded');
  t.notOk(kb.getDocument('returns#refund-time'));
  t.ok(kb.getDocument('returns#exchanges'));
  t.ok(kb.getDocument('legal#terms'), 'another folder\'s articles stay');
  t.ok(kb.getDocument('T1'), 'tickets stay');
  const again = await kb.publish(path.join(dir, 'kb'));
  t.match(again, { embedded: 0, plan: { added: [], changed: [], removed: [], unchanged: 1 } }, 'publishing an unchanged folder costs nothing');
});

t.test('a broken file keeps its article as it was', async (t) => {
  const dir = t.testdir({ kb: { 'faq.md': md('FAQ', { Hours: 'Nine to five.' }, 'faq') } });
  const kb = await open(path.join(dir, 'store'));
  t.teardown(() => kb.close());
  await kb.publish(path.join(dir, 'kb'));
  await writeFile(path.join(dir, 'kb', 'faq.md'), '---\ntitle: [unclosed\n---\n# FAQ\n');
  const report = await kb.publish(path.join(dir, 'kb'));
  t.equal(report.errors[0]?.code, 'ADK_FRONTMATTER_INVALID');
  t.same(report.plan.removed, []);
  t.ok(kb.getDocument('faq#hours'), 'a typo never deletes an article');
});

t.test('publish --git reads only the files changed between two commits; a rename keeps the id', async (t) => {
  const dir = t.testdir({ repo: { docs: { 'alpha.md': md('Alpha', { One: 'Alpha one.' }), 'beta.md': md('Beta', { Two: 'Beta two.' }, 'beta'), 'gamma.md': md('Gamma', { Three: 'Gamma three.' }) }, 'README.txt': 'not an article' } });
  const repo = path.join(dir, 'repo');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'first');
  const kb = await open(path.join(dir, 'store'));
  t.teardown(() => kb.close());
  await kb.publish(path.join(repo, 'docs'));
  t.same(kb.articleIds, ['alpha', 'beta', 'gamma']);

  await mkdir(path.join(repo, 'docs', 'moved'));
  git('mv', 'docs/alpha.md', 'docs/moved/renamed-alpha.md');
  await writeFile(path.join(repo, 'docs', 'beta.md'), md('Beta', { Two: 'Beta two, edited.' }, 'beta'));
  git('rm', '-q', 'docs/gamma.md');
  await writeFile(path.join(repo, 'docs', 'delta.md'), md('Delta', { Four: 'Delta four.' }));
  await writeFile(path.join(repo, 'README.txt'), 'changed, not markdown');
  git('add', '.');
  git('commit', '-qm', 'second');
  const plan = await kb.publish(path.join(repo, 'docs'), { git: 'HEAD~1..HEAD', dryRun: true });
  t.same(plan.plan.added, ['delta']);
  t.same(plan.plan.removed, ['gamma']);
  t.same(plan.plan.changed.sort(), ['alpha', 'beta'], 'the renamed article is changed (its file moved), not removed and added');
  await kb.publish(path.join(repo, 'docs'), { git: 'HEAD~1..HEAD' });
  t.same(kb.articleIds, ['alpha', 'beta', 'delta']);
  t.match(kb.getDocument('alpha#one')?.source.file, /docs\/moved\/renamed-alpha\.md$/, 'the id stayed, the file moved');
  t.equal(kb.getDocument('beta#two')?.text, 'Beta two, edited.');
  await t.rejects(kb.publish(path.join(repo, 'docs'), { git: 'nope..HEAD' }), { code: 'ADK_GIT_FAILED' });
  await t.rejects(kb.publish(path.join(repo, 'docs'), { git: '--output=x' }), { code: 'ADK_GIT_FAILED', message: /range must look like/ });
  await t.rejects(kb.publish(path.join(dir, 'missing')), { code: 'ADK_PATH_NOT_FOUND' });
});

t.test('one process writes a store at a time; a killed writer frees it, and its writes are seen', async (t) => {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const store = path.join(t.testdir(), 'store');
  const kb = await open(store);
  t.teardown(() => kb.close());
  await kb.addTickets([ticket('MINE')]);
  await kb.close();
  const reader = await open(store);
  t.teardown(() => reader.close());
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--conditions=answerdesk-source', '--import', 'tsx', fileURLToPath(new URL('./writer-child.ts', import.meta.url)), store], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('written') && resolve());
    child.on('exit', () => reject(new Error('the child exited early')));
  });
  t.notOk(reader.getDocument('FROM-CHILD'), 'this instance read the store before the other process wrote');
  await t.rejects(reader.addTickets([ticket('BLOCKED')]), { code: 'ADK_STORE_LOCKED', message: new RegExp(`another process \\(pid ${child.pid}\\)`) });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  await reader.addTickets([ticket('AFTER')]);
  t.same(['MINE', 'FROM-CHILD', 'AFTER', 'BLOCKED'].map((id) => !!reader.getDocument(id)), [true, true, true, false], 'the other writer\'s change was read before writing on top of it');
  const reopened = await open(store);
  t.equal(reopened.stats.tickets, 3);
  await reopened.close();
});
