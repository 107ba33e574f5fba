import type { AnswerdeskError, KnowledgeDoc } from '@answerdesk/types';
import { articleIdOf, isPublished } from './docs.js';

/** What a publish does (or, with dryRun, would do), by article and by section. */
export interface PublishPlan {
  /** Articles new to the knowledge base. */
  added: string[];
  /** Articles with new, changed or removed sections. */
  changed: string[];
  /** Articles deleted (their files are gone). */
  removed: string[];
  /** Articles republished exactly as they were. */
  unchanged: number;
  sections: { added: number; changed: number; removed: number; unchanged: number };
  /** Files left out because their front matter says `draft: true` (paths relative to the published folder). */
  drafts?: Array<{ id: string; file: string }>;
}

export interface PublishReport {
  plan: PublishPlan;
  dryRun: boolean;
  /** Passages that were (or, with dryRun, would be) sent to the model; unchanged text never is. */
  embedded: number;
  reused: number;
  /** Files that could not be published; their articles are left as they were. */
  errors: AnswerdeskError[];
  tookMs: number;
}

/** Key order is not part of a source (PostgreSQL's jsonb reorders keys). */
const canonical = (value: object) => JSON.stringify(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Same content and same source: nothing to write. Pure. */
export const sameDoc = (a: KnowledgeDoc | undefined, b: KnowledgeDoc) => !!a && a.hash === b.hash && canonical(a.source) === canonical(b.source);

/**
 * Compare the sections about to be published with those in the knowledge
 * base. `next`: every section of the published articles; `removedIds`: the
 * sections to delete. Pure.
 */
export function planPublish(current: ReadonlyMap<string, KnowledgeDoc>, next: ReadonlyMap<string, KnowledgeDoc>, removedIds: readonly string[]): { plan: PublishPlan; changed: KnowledgeDoc[] } {
  const changed: KnowledgeDoc[] = [];
  const touched = new Set<string>();
  const sections = { added: 0, changed: 0, removed: removedIds.length, unchanged: 0 };
  for (const doc of next.values()) {
    const old = current.get(doc.id);
    if (sameDoc(old, doc)) {
      sections.unchanged++;
      continue;
    }
    changed.push(doc);
    touched.add(articleIdOf(doc));
    if (old) sections.changed++;
    else sections.added++;
  }
  const existingArticles = new Set<string>();
  for (const doc of current.values()) if (isPublished(doc)) existingArticles.add(articleIdOf(doc));
  const publishedArticles = new Set([...next.values()].map(articleIdOf));
  const removedArticles = new Set<string>();
  for (const id of removedIds) {
    const article = articleIdOf({ id });
    if (publishedArticles.has(article)) touched.add(article);
    else removedArticles.add(article);
  }
  const added = [...publishedArticles].filter((id) => !existingArticles.has(id)).sort();
  const changedArticles = [...touched].filter((id) => existingArticles.has(id) && publishedArticles.has(id)).sort();
  return {
    plan: {
      added,
      changed: changedArticles,
      removed: [...removedArticles].sort(),
      unchanged: publishedArticles.size - added.length - changedArticles.length,
      sections,
    },
    changed,
  };
}
