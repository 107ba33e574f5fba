import type { DocFilter, DocKind } from '@answerdesk/types';

export interface FilterableDoc {
  kind: DocKind;
  category?: string;
  language: string;
  tags: readonly string[];
}

const asList = (value: string | string[] | undefined) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/** Does a document pass the filter? Categories and languages match any listed value; tags must all be present. Pure. */
export function matchesFilter(doc: FilterableDoc, filter: DocFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.kind && doc.kind !== filter.kind) return false;
  const categories = asList(filter.category);
  if (categories && (doc.category === undefined || !categories.includes(doc.category))) return false;
  const languages = asList(filter.language);
  if (languages && !languages.includes(doc.language)) return false;
  if (filter.tags && !filter.tags.every((tag) => doc.tags.includes(tag))) return false;
  return true;
}

export function isEmptyFilter(filter: DocFilter | undefined): boolean {
  return !filter || (!filter.kind && filter.category === undefined && filter.language === undefined && !filter.tags?.length);
}
