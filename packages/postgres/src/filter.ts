import type { DocFilter } from '@answerdesk/types';

const asList = (value: string | string[] | undefined) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/**
 * SQL conditions (` AND …`, or '') for a document filter on the documents
 * table under `alias`; values are appended to `params` and referenced as
 * placeholders. Same meaning as the in-memory filter: categories and
 * languages match any listed value, every listed tag must be present.
 */
export function filterSql(filter: DocFilter | undefined, params: unknown[], alias = 'd'): string {
  if (!filter) return '';
  const conditions: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.kind) conditions.push(`${alias}.kind = ${param(filter.kind)}`);
  const categories = asList(filter.category);
  if (categories) conditions.push(`${alias}.category = ANY(${param(categories)}::text[])`);
  const languages = asList(filter.language);
  if (languages) conditions.push(`${alias}.language = ANY(${param(languages)}::text[])`);
  // @> is what the GIN index on tags serves.
  if (filter.tags?.length) conditions.push(`${alias}.tags @> ${param(filter.tags)}::text[]`);
  return conditions.map((c) => ` AND ${c}`).join('');
}

/** Is there anything to filter on? Searches without one skip the join to documents. */
export function hasFilter(filter: DocFilter | undefined): boolean {
  return !!filter && (!!filter.kind || filter.category !== undefined || filter.language !== undefined || !!filter.tags?.length);
}
