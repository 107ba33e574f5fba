import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MAX_ARTICLE_BYTES, readTextFile, type TextEncoding } from '@answerdesk/tickets';
import { AnswerdeskError, reasonOf, type Article } from '@answerdesk/types';
import { parseArticle } from './parse.js';

export interface ReadArticlesOptions {
  /** Language for articles whose front matter has none. Default `en`. */
  defaultLanguage?: string;
  /** Folder that `file` paths are relative to. Default: the folder itself. */
  root?: string;
  /**
   * A larger file is refused with `ADK_FILE_TOO_LARGE` (checked with stat, before it is read);
   * the other files are still read. Default `DEFAULT_MAX_ARTICLE_BYTES`, 5 MiB: a long article is 50 KiB.
   */
  maxFileBytes?: number;
}

export interface ReadArticlesResult {
  articles: Article[];
  /** Files that could not be used, each with a coded error; the rest still index. */
  errors: AnswerdeskError[];
  /** Files that were not UTF-8 and were converted, with what they were read as (UTF-16, Windows-1252). */
  converted?: Array<{ file: string; encoding: TextEncoding }>;
  /** Articles left out because their front matter says `draft: true`: a writer is still working on them. */
  drafts?: Array<{ id: string; file: string }>;
}

/** Markdown files under a folder, sorted, skipping dot-folders, node_modules and README files. */
export async function listMarkdownFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (current: string) => {
    const entries = await readdir(current, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      // A folder's README documents the folder for writers; it is not a help article.
      else if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name) && !/^readme\.(md|markdown)$/i.test(entry.name)) out.push(full);
    }
  };
  await walk(dir);
  return out;
}

/** Read and parse every article under `dir`. One bad file is reported, never fatal; drafts (`draft: true`) are listed, not returned. */
export async function readArticles(dir: string, options: ReadArticlesOptions = {}): Promise<ReadArticlesResult> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new AnswerdeskError('ADK_PATH_NOT_FOUND', { path: dir });
  const root = options.root ?? (info.isDirectory() ? dir : path.dirname(dir));
  const files = info.isDirectory() ? await listMarkdownFiles(dir) : [dir];
  const articles: Article[] = [];
  const errors: AnswerdeskError[] = [];
  const owners = new Map<string, string>();
  const converted: Array<{ file: string; encoding: TextEncoding }> = [];
  const drafts: Array<{ id: string; file: string }> = [];
  for (const full of files) {
    const file = path.relative(root, full).split(path.sep).join('/');
    let markdown: string;
    try {
      // Too large, binary or not UTF-8: refused (or converted) before the parser sees it.
      const read = await readTextFile(full, {
        display: file,
        maxBytes: options.maxFileBytes ?? DEFAULT_MAX_ARTICLE_BYTES,
        kind: 'a markdown article',
        option: '--max-file-size (maxFileBytes)',
        expected: 'a markdown article saved as text',
      });
      markdown = read.text;
      if (read.encoding !== 'utf-8') converted.push({ file, encoding: read.encoding });
    } catch (error) {
      errors.push(error instanceof AnswerdeskError ? error : new AnswerdeskError('ADK_FILE_UNREADABLE', { file, reason: reasonOf(error) }, { cause: error }));
      continue;
    }
    try {
      const article = parseArticle(markdown, { file, defaultLanguage: options.defaultLanguage });
      // Before the id check: a draft of a new version of an article may keep its id.
      if (article.draft) {
        drafts.push({ id: article.id, file });
        continue;
      }
      const other = owners.get(article.id);
      if (other !== undefined) {
        errors.push(new AnswerdeskError('ADK_ARTICLE_ID_DUPLICATE', { id: article.id, file, other }));
        continue;
      }
      owners.set(article.id, file);
      articles.push(article);
    } catch (error) {
      if (error instanceof AnswerdeskError) errors.push(error);
      else errors.push(new AnswerdeskError('ADK_FILE_UNREADABLE', { file, reason: reasonOf(error) }, { cause: error }));
    }
  }
  return { articles, errors, ...(drafts.length ? { drafts } : {}), ...(converted.length ? { converted } : {}) };
}
