import t from 'tap';
import { matchesFilter, isEmptyFilter, type FilterableDoc } from '@answerdesk/index';
import type { DocFilter } from '@answerdesk/types';

const article: FilterableDoc = { kind: 'article', category: 'billing', language: 'en', tags: ['refund', 'card', 'eu'] };
const ticket: FilterableDoc = { kind: 'ticket', language: 'de', tags: [] };

const cases: Array<{ name: string; filter: DocFilter | undefined; article: boolean; ticket: boolean }> = [
  { name: 'no filter', filter: undefined, article: true, ticket: true },
  { name: 'empty filter', filter: {}, article: true, ticket: true },
  { name: 'kind article', filter: { kind: 'article' }, article: true, ticket: false },
  { name: 'kind ticket', filter: { kind: 'ticket' }, article: false, ticket: true },
  { name: 'category string match', filter: { category: 'billing' }, article: true, ticket: false },
  { name: 'category string mismatch', filter: { category: 'shipping' }, article: false, ticket: false },
  { name: 'category is case-sensitive', filter: { category: 'Billing' }, article: false, ticket: false },
  { name: 'category list containing it', filter: { category: ['shipping', 'billing'] }, article: true, ticket: false },
  { name: 'category list without it', filter: { category: ['shipping', 'returns'] }, article: false, ticket: false },
  { name: 'language string', filter: { language: 'en' }, article: true, ticket: false },
  { name: 'language other', filter: { language: 'de' }, article: false, ticket: true },
  { name: 'language list', filter: { language: ['de', 'en'] }, article: true, ticket: true },
  { name: 'language list without either', filter: { language: ['fr'] }, article: false, ticket: false },
  { name: 'one tag present', filter: { tags: ['card'] }, article: true, ticket: false },
  { name: 'all tags present', filter: { tags: ['refund', 'eu'] }, article: true, ticket: false },
  { name: 'tags: one of two missing fails', filter: { tags: ['refund', 'us'] }, article: false, ticket: false },
  { name: 'empty tag list', filter: { tags: [] }, article: true, ticket: true },
  { name: 'combined, all pass', filter: { kind: 'article', category: ['billing'], language: 'en', tags: ['card'] }, article: true, ticket: false },
  { name: 'combined, language fails', filter: { kind: 'article', category: 'billing', language: 'de', tags: ['card'] }, article: false, ticket: false },
  { name: 'combined, kind fails', filter: { kind: 'ticket', category: 'billing' }, article: false, ticket: false },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.equal(matchesFilter(article, c.filter), c.article, 'article');
    t.equal(matchesFilter(ticket, c.filter), c.ticket, 'ticket');
  });
}

t.test('isEmptyFilter', async (t) => {
  t.equal(isEmptyFilter(undefined), true);
  t.equal(isEmptyFilter({}), true);
  t.equal(isEmptyFilter({ tags: [] }), true);
  t.equal(isEmptyFilter({ kind: 'ticket' }), false);
  t.equal(isEmptyFilter({ category: 'billing' }), false);
  t.equal(isEmptyFilter({ language: ['en'] }), false);
  t.equal(isEmptyFilter({ tags: ['x'] }), false);
});
