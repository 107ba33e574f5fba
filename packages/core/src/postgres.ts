/**
 * `@answerdesk/core/postgres`: the knowledge base on PostgreSQL + pgvector, an opt-in subpath so
 * that `pg` is loaded only by those who use it.
 */
export { PgKnowledgeBase, type PgKnowledgeBaseOptions } from './pg-knowledge-base.js';
export { connect, describeUrl, migrate, openPGlite, type Database } from '@answerdesk/postgres';
