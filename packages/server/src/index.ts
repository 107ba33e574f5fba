export { createServer } from './app.js';
export type { Database, DatabaseOptions, ServerOptions } from './options.js';
export type { AnswerdeskService, Caller } from './service.js';
export { parseApiKeys, prepareKeys, SCOPES, KNOWLEDGE_BASE_ID, type ApiKeyConfig, type ApiKey, type Scope } from './auth.js';
export type { ErrorBody } from './errors.js';
