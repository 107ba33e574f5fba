export { connect, describeUrl, fromPGlite, fromPool, openPGlite, type ConnectOptions, type Database, type FromPoolOptions, type PGliteLike } from './database.js';
export {
  ensureVectorIndex,
  MAX_INDEXED_DIMENSION,
  migrate,
  MIN_PGVECTOR,
  pgvectorSupported,
  migrations,
  SCHEMA_LOCK,
  SCHEMA_VERSION,
  schemaVersion,
  vectorExpression,
  vectorIndexName,
  type MigrateOptions,
  type Migration,
} from './migrations.js';
export {
  PgDocumentStore,
  type Counts,
  type KnowledgeBaseChange,
  type KnowledgeBaseInfo,
  type PassageRecord,
  type PgDocumentStoreOptions,
  type ScoredId,
  type StoredCategorizer,
  type WriteOptions,
} from './document-store.js';
export { lexicalTexts, textSearchConfig } from './text-search.js';
export { filterSql } from './filter.js';
export { parseVector, vectorLiteral } from './vectors.js';
