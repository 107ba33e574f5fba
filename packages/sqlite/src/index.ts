export { SqliteDocumentStore, SCHEMA_VERSION, type SqliteDocumentStoreOptions, type VectorIndexStatus } from './document-store.js';
export { migrations, META, type SqliteMigration } from './schema.js';
export { cacheFiles, STAMP_FORMAT, type AnnStamp } from './ann.js';
export { analyzedRow, lexicalTexts, matchAny, queryTerms } from './lexical.js';
export { bestWordRows, indexTermCounts, keptTermCounts, SHORTLIST_DEFAULTS, type ShortlistOptions, type TermCounts, type WordRanking, type WordRow } from './words.js';
export { filterSql, hasFilter } from './filter.js';
export { blobVector, vectorBlob } from './vectors.js';
export type { Counts, KnowledgeBaseChange, KnowledgeBaseInfo, KnowledgeStore, PassageRecord, ScoredId, StoredCategorizer, TermWeight, WriteOptions } from '@answerdesk/types';
