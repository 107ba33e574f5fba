import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';

const run = promisify(execFile);

/** A markdown file that changed between two revisions; paths are relative to the published folder, with `/`. */
export interface GitChange {
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  file: string;
  /** The old path of a renamed file. */
  from?: string;
}

export interface GitChanges {
  from: string;
  to: string;
  changes: GitChange[];
  /** The file's content at the `to` revision. */
  read(file: string): Promise<string>;
}

const MARKDOWN = /\.(md|markdown)$/i;

async function git(cwd: string, args: string[], range: string, dir: string): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n')[0];
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AnswerdeskError('ADK_GIT_FAILED', { range, dir, reason: missing ? 'git is not installed' : (stderr || reasonOf(error)) });
  }
}

/**
 * Markdown files under `dir` that changed between two revisions (`A..B`, or
 * `A` for `A..HEAD`), renames detected, with a reader for their new content.
 */
export async function gitChanges(dir: string, range: string): Promise<GitChanges> {
  if (!/^[^\s.][^\s]*$/.test(range) || range.startsWith('-')) {
    throw new AnswerdeskError('ADK_GIT_FAILED', { range, dir, reason: 'the range must look like HEAD~1..HEAD or a commit id' });
  }
  const [from, to = 'HEAD'] = range.split('..');
  if (!from) throw new AnswerdeskError('ADK_GIT_FAILED', { range, dir, reason: 'the range needs a starting revision' });
  const absolute = path.resolve(dir);
  const root = (await git(absolute, ['rev-parse', '--show-toplevel'], range, dir)).trim();
  const output = await git(root, ['diff', '--name-status', '-M', '-z', '--no-color', from, to, '--', path.relative(root, absolute) || '.'], range, dir);
  const fields = output.split('\0').filter((f) => f !== '');
  const relative = (rootPath: string) => path.relative(absolute, path.join(root, rootPath)).split(path.sep).join('/');
  const changes: GitChange[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++]!;
    if (status.startsWith('R')) {
      const old = fields[i++]!;
      const now = fields[i++]!;
      if (MARKDOWN.test(now) && MARKDOWN.test(old)) changes.push({ status: 'renamed', file: relative(now), from: relative(old) });
      else if (MARKDOWN.test(now)) changes.push({ status: 'added', file: relative(now) });
      else if (MARKDOWN.test(old)) changes.push({ status: 'deleted', file: relative(old) });
      continue;
    }
    if (status.startsWith('C')) i++; // a copy names its source first
    const file = fields[i++]!;
    if (!MARKDOWN.test(file)) continue;
    const kind = status[0] === 'A' || status[0] === 'C' ? 'added' : status[0] === 'D' ? 'deleted' : 'modified';
    changes.push({ status: kind, file: relative(file) });
  }
  const prefix = path.relative(root, absolute).split(path.sep).join('/');
  return {
    from,
    to,
    changes,
    read: (file) => git(root, ['show', `${to}:${prefix ? `${prefix}/` : ''}${file}`], range, dir),
  };
}
