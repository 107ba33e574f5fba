import type { DocFilter } from '@answerdesk/types';

const asList = (value: string | string[] | undefined) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

const placeholders = (values: readonly unknown[], params: unknown[]) => {
  params.push(...values);
  return values.map(() => '?').join(', ');
};

/**
 * SQL conditions (` AND …`, or '') for a document filter on the documents
 * table under `alias`; values are appended to `params` in order. Same meaning
 * as the in-memory filter and PostgreSQL's: categories and languages match any
 * listed value (an empty list matches nothing), every listed tag must be present.
 */
export function filterSql(filter: DocFilter | undefined, params: unknown[], alias = 'd'): string {
  if (!filter) return '';
  const conditions: string[] = [];
  if (filter.kind) {
    params.push(filter.kind);
    conditions.push(`${alias}.kind = ?`);
  }
  const categories = asList(filter.category);
  if (categories) conditions.push(`${alias}.category IN (${placeholders(categories, params)})`);
  const languages = asList(filter.language);
  if (languages) conditions.push(`${alias}.language IN (${placeholders(languages, params)})`);
  for (const tag of new Set(filter.tags ?? [])) {
    params.push(tag);
    conditions.push(`EXISTS (SELECT 1 FROM json_each(${alias}.tags) WHERE json_each.value = ?)`);
  }
  return conditions.map((c) => ` AND ${c}`).join('');
}

/** Is there anything to filter on? */
export function hasFilter(filter: DocFilter | undefined): boolean {
  return !!filter && (!!filter.kind || filter.category !== undefined || filter.language !== undefined || !!filter.tags?.length);
}
