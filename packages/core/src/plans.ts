import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { idFromPath, listMarkdownFiles, parseArticle, readArticles } from '@answerdesk/markdown';
import { readTickets, ticketFormatOf } from '@answerdesk/tickets';
import { AnswerdeskError, type Article, type KnowledgeDoc } from '@answerdesk/types';
import { articleDocs, articleIdOf, isPublished, ticketDoc } from './docs.js';
import { gitChanges } from './git.js';
import { planPublish, sameDoc, type PublishPlan } from './publish.js';

/**
 * What a write will change, worked out from what the knowledge base holds now
 * (`current`, by document id) and what was read. Shared by every store, so
 * files on disk and PostgreSQL index, publish and put articles alike.
 */

/** Progress of reading files, in bytes. */
type ReadProgress = (progress: { phase: 'read'; done: number; total: number }) => void;

/** Limits on the files `readKnowledge` reads. */
export interface ReadLimits {
  /** A larger markdown file is refused (`ADK_FILE_TOO_LARGE`, checked before reading); the others are read. Default 5 MiB. */
  maxFileBytes?: number;
  /** A larger ticket export is refused likewise. Exports are streamed row by row. Default 512 MiB. */
  maxTicketFileBytes?: number;
}

const sizeOf = (file: string) => stat(file).then((info) => info.size, () => 0);

/**
 * Everything in the given folders and files: articles' sections, reply templates and tickets, by id,
 * with the files that could not be read. A reply template is counted as a template, never as an article.
 * A file that is too large, binary or not text is refused with a coded error, and the others are read;
 * progress is reported in bytes, so a big ticket export shows how far it has got.
 */
export async function readKnowledge(
  paths: readonly string[],
  progress?: ReadProgress,
  limits: ReadLimits = {},
): Promise<{ next: Map<string, KnowledgeDoc>; errors: AnswerdeskError[]; refused: Set<string>; articles: number; sections: number; templates: number; glossaries: number; tickets: number; drafts: Array<{ id: string; file: string }> }> {
  const errors: AnswerdeskError[] = [];
  // Source files (as documents name them) with a problem: what they held before stays indexed until they are fixed.
  const refused = new Set<string>();
  const next = new Map<string, KnowledgeDoc>();
  let articles = 0;
  let sections = 0;
  let templates = 0;
  let glossaries = 0;
  let tickets = 0;
  // Articles a writer marked `draft: true`: never indexed, and said so.
  const drafts: Array<{ id: string; file: string }> = [];
  const addDoc = (doc: KnowledgeDoc, where: string) => {
    if (next.has(doc.id)) {
      const other = next.get(doc.id)!.source.file ?? 'another file';
      errors.push(
        doc.kind === 'article'
          ? new AnswerdeskError('ADK_ARTICLE_ID_DUPLICATE', { id: doc.id, file: where, other })
          : new AnswerdeskError('ADK_TICKET_ID_DUPLICATE', { file: where, line: doc.source.line ?? 0, id: doc.id, other }),
      );
      return;
    }
    next.set(doc.id, doc);
  };
  if (paths.length === 0) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'paths', reason: 'must name at least one folder or file' });
  // What there is to read, and its size, first: progress is in bytes.
  const plan: Array<{ given: string; info: Stats; ticketFiles: string[]; markdownRoot: boolean; markdownBytes: number }> = [];
  let total = 0;
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info) throw new AnswerdeskError('ADK_PATH_NOT_FOUND', { path: given });
    const ticketFiles = info.isDirectory() ? await findTicketFiles(given) : ticketFormatOf(given) ? [given] : [];
    const markdownRoot = info.isDirectory() || /\.(md|markdown)$/i.test(given);
    if (!markdownRoot && ticketFiles.length === 0) throw new AnswerdeskError('ADK_NOTHING_INDEXED', { paths: given });
    let markdownBytes = 0;
    if (markdownRoot) for (const file of info.isDirectory() ? await listMarkdownFiles(given) : [given]) markdownBytes += await sizeOf(file);
    for (const file of ticketFiles) total += await sizeOf(file);
    total += markdownBytes;
    plan.push({ given, info, ticketFiles, markdownRoot, markdownBytes });
  }
  let done = 0;
  progress?.({ phase: 'read', done, total });
  for (const { given, info, ticketFiles, markdownRoot, markdownBytes } of plan) {
    const base = given.split(path.sep).join('/');
    if (markdownRoot) {
      const read = await readArticles(given, limits.maxFileBytes !== undefined ? { maxFileBytes: limits.maxFileBytes } : {});
      errors.push(...read.errors);
      const fileBase = info.isDirectory() ? base : path.dirname(given).split(path.sep).join('/');
      for (const draft of read.drafts ?? []) drafts.push({ id: draft.id, file: fileBase ? `${fileBase.replace(/\/+$/, '')}/${draft.file}` : draft.file });
      for (const error of read.errors) if (typeof error.details.file === 'string') refused.add(fileBase ? `${fileBase.replace(/\/+$/, '')}/${error.details.file}` : error.details.file);
      for (const article of read.articles) {
        if (article.template) templates++;
        else if (article.glossary) glossaries++;
        else articles++;
        for (const doc of articleDocs(article, fileBase)) {
          if (doc.kind === 'article') sections++;
          addDoc(doc, doc.source.file ?? article.file);
        }
      }
      done += markdownBytes;
      progress?.({ phase: 'read', done, total });
    }
    for (const file of ticketFiles) {
      const relative = path.relative(info.isDirectory() ? given : path.dirname(given), file);
      const display = path.join(info.isDirectory() ? given : path.dirname(given), relative).split(path.sep).join('/');
      const before = done;
      let read;
      try {
        read = await readTickets(file, {
          ...(limits.maxTicketFileBytes !== undefined ? { maxBytes: limits.maxTicketFileBytes } : {}),
          ...(progress ? { onProgress: (bytes: number) => progress({ phase: 'read', done: before + bytes, total }) } : {}),
        });
      } catch (error) {
        // A whole file refused (too large, binary, not text) is one error; the other files are read.
        if (!(error instanceof AnswerdeskError) || error.code === 'ADK_PATH_NOT_FOUND') throw error;
        errors.push(new AnswerdeskError(error.code, { ...error.details, file: display }, { cause: error }));
        refused.add(display);
        done = before + (await sizeOf(file));
        progress?.({ phase: 'read', done, total });
        continue;
      }
      errors.push(...read.errors.map((error) => new AnswerdeskError(error.code, { ...error.details, file: display })));
      if (read.errors.length) refused.add(display);
      for (const ticket of read.tickets) {
        tickets++;
        addDoc(ticketDoc(ticket, display), display);
      }
      done = before + (await sizeOf(file));
      progress?.({ phase: 'read', done, total });
    }
  }
  if (next.size === 0 && errors.length === 0 && drafts.length === 0) throw new AnswerdeskError('ADK_NOTHING_INDEXED', { paths: paths.join(', ') });
  return { next, errors, refused, articles, sections, templates, glossaries, tickets, drafts };
}


/** `index`: the knowledge base will hold exactly `next`. Pure. */
export function planIndex(
  current: ReadonlyMap<string, KnowledgeDoc>,
  next: ReadonlyMap<string, KnowledgeDoc>,
  /** Source files that could not be read (wholly or in part): their documents are kept, never silently dropped. */
  refused: ReadonlySet<string> = new Set(),
): { changed: KnowledgeDoc[]; unchanged: number; removedIds: string[] } {
  const changed: KnowledgeDoc[] = [];
  let unchanged = 0;
  for (const doc of next.values()) {
    if (sameDoc(current.get(doc.id), doc)) unchanged++;
    else changed.push(doc);
  }
  const removedIds = [...current.entries()].filter(([id, doc]) => !next.has(id) && !(doc.source.file !== undefined && refused.has(doc.source.file))).map(([id]) => id);
  return { changed, unchanged, removedIds };
}

/**
 * `putArticles`: given articles replace theirs (sections gone are removed); with `prune`, articles
 * not given are removed too. `current` needs only the article sections. Pure.
 */
export function planArticles(current: ReadonlyMap<string, KnowledgeDoc>, articles: readonly Article[], prune: boolean): { next: Map<string, KnowledgeDoc>; changed: KnowledgeDoc[]; removedIds: string[] } {
  const given = new Set<string>();
  const next = new Map<string, KnowledgeDoc>();
  for (const article of articles) {
    if (given.has(article.id)) throw new AnswerdeskError('ADK_ARTICLE_ID_DUPLICATE', { id: article.id, file: article.file, other: 'another article in the same request' });
    given.add(article.id);
    for (const doc of articleDocs(article)) next.set(doc.id, doc);
  }
  const removedIds: string[] = [];
  for (const doc of current.values()) {
    if (!isPublished(doc) || next.has(doc.id)) continue;
    if (given.has(articleIdOf(doc)) || prune) removedIds.push(doc.id);
  }
  const changed = [...next.values()].filter((doc) => !sameDoc(current.get(doc.id), doc));
  return { next, changed, removedIds };
}

/**
 * `publish`: the articles under `dir` (or, with `git`, the files changed between two revisions)
 * against the article sections in `current`. A file that fails to parse leaves its article as it was.
 */
export async function planDirectory(
  dir: string,
  current: ReadonlyMap<string, KnowledgeDoc>,
  options: { git?: string; maxFileBytes?: number },
): Promise<{ plan: PublishPlan; changed: KnowledgeDoc[]; removedIds: string[]; errors: AnswerdeskError[] }> {
  // A draft (`draft: true`) is never published; an article published before and marked a draft again is withdrawn.
  const drafts: Array<{ id: string; file: string }> = [];
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new AnswerdeskError('ADK_PATH_NOT_FOUND', { path: dir });
  const fileBase = dir.split(path.sep).join('/').replace(/\/+$/, '') || '.';
  const relativeOf = (doc: KnowledgeDoc) => {
    const file = doc.source.file ?? '';
    return file.startsWith(`${fileBase}/`) ? file.slice(fileBase.length + 1) : undefined;
  };
  const errors: AnswerdeskError[] = [];
  const articles: Article[] = [];
  const untouchable = new Set<string>(); // files that failed: their articles stay as they were
  const deletedFiles = new Set<string>();
  if (options.git) {
    const diff = await gitChanges(dir, options.git);
    const idOfFile = (file: string) => [...current.values()].find((doc) => isPublished(doc) && relativeOf(doc) === file);
    for (const change of diff.changes) {
      if (change.status === 'deleted') {
        deletedFiles.add(change.file);
        continue;
      }
      try {
        const previous = change.from ? idOfFile(change.from) : undefined;
        const defaultId = change.from ? (previous ? articleIdOf(previous) : idFromPath(change.from)) : undefined;
        const article = parseArticle(await diff.read(change.file), { file: change.file, ...(defaultId ? { defaultId } : {}) });
        if (article.draft) {
          drafts.push({ id: article.id, file: change.file });
          deletedFiles.add(change.file);
        } else articles.push(article);
        if (change.from) deletedFiles.add(change.from);
      } catch (error) {
        if (!(error instanceof AnswerdeskError)) throw error;
        errors.push(error);
        untouchable.add(change.file);
        if (change.from) untouchable.add(change.from);
      }
    }
  } else {
    const read = await readArticles(dir, options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {});
    articles.push(...read.articles);
    drafts.push(...(read.drafts ?? []));
    errors.push(...read.errors);
    for (const error of read.errors) if (typeof error.details.file === 'string') untouchable.add(error.details.file);
  }
  const next = new Map<string, KnowledgeDoc>();
  for (const article of articles) for (const doc of articleDocs(article, fileBase)) next.set(doc.id, doc);
  const published = new Set(articles.map((a) => a.id));
  const removedIds: string[] = [];
  for (const doc of current.values()) {
    if (!isPublished(doc) || next.has(doc.id)) continue;
    const file = relativeOf(doc);
    const gone = published.has(articleIdOf(doc)) || (file !== undefined && !untouchable.has(file) && (options.git ? deletedFiles.has(file) : true));
    if (gone) removedIds.push(doc.id);
  }
  const { plan, changed } = planPublish(current, next, removedIds);
  return { plan: drafts.length ? { ...plan, drafts } : plan, changed, removedIds, errors };
}

async function findTicketFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (current: string) => {
    const entries = await readdir(current, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && ticketFormatOf(entry.name)) out.push(full);
    }
  };
  await walk(dir);
  return out;
}
