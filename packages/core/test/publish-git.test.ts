// publish --git on the embedded knowledge base. Plumbing only: the hashing encoder has no notion of meaning.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { HashingEncoder, KnowledgeBase } from '@answerdesk/core';

const md = (title: string, sections: Record<string, string>, id?: string) => `---\n${id ? `id: ${id}\n` : ''}title: ${title}\ncategory: help\n---\n\n${Object.entries(sections).map(([h, text]) => `## ${h}\n\n${text}\n`).join('\n')}`;

type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

/** A git repository of `files` with one commit, a knowledge base that has published its docs folder, and a way to run git in it. */
async function publishedRepo(t: Tap, files: NonNullable<Parameters<Tap['testdir']>[0]>) {
  const dir = t.testdir({ repo: files });
  const repo = path.join(dir, 'repo');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'first');
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  await kb.publish(path.join(repo, 'docs'));
  return { dir, repo, git, kb };
}

t.test('publish --git reads only the files changed between two commits; a rename keeps the id', async (t) => {
  const { dir, repo, git, kb } = await publishedRepo(t, { docs: { 'alpha.md': md('Alpha', { One: 'Alpha one.' }), 'beta.md': md('Beta', { Two: 'Beta two.' }, 'beta'), 'gamma.md': md('Gamma', { Three: 'Gamma three.' }) }, 'README.txt': 'not an article' });
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
  t.match((await kb.document('alpha#one'))?.source.file, /docs\/moved\/renamed-alpha\.md$/, 'the id stayed, the file moved');
  t.equal((await kb.document('beta#two'))?.text, 'Beta two, edited.');
  await t.rejects(kb.publish(path.join(repo, 'docs'), { git: 'nope..HEAD' }), { code: 'ADK_GIT_FAILED' });
  await t.rejects(kb.publish(path.join(repo, 'docs'), { git: '--output=x' }), { code: 'ADK_GIT_FAILED', message: /range must look like/ });
  await t.rejects(kb.publish(path.join(dir, 'missing')), { code: 'ADK_PATH_NOT_FOUND' });
});

t.test('publish --git leaves out a draft, and withdraws an article made a draft again', async (t) => {
  const article = (id: string, extra = '') => `---\nid: ${id}\ntitle: ${id}\n${extra}---\n\n## About ${id}\n\nEverything about ${id}.\n`;
  const { repo, git, kb } = await publishedRepo(t, { docs: { 'live.md': article('live') } });
  await writeFile(path.join(repo, 'docs', 'new.md'), article('new', 'draft: true\n'));
  await writeFile(path.join(repo, 'docs', 'live.md'), article('live', 'draft: true\n'));
  git('add', '.');
  git('commit', '-qm', 'second');
  const report = await kb.publish(path.join(repo, 'docs'), { git: 'HEAD~1..HEAD' });
  t.same(report.plan.added, [], 'the new draft is not published');
  t.same(report.plan.removed, ['live'], 'the article marked a draft is withdrawn');
  t.same(report.plan.drafts?.map((d) => d.file).sort(), ['live.md', 'new.md']);
  t.same(kb.articleIds, []);
});
