export { createServer } from './app.js';
export type { ServerOptions } from './options.js';
export type { AnswerdeskService } from './service.js';
export { parseApiKeys, prepareKeys, SCOPES, type ApiKeyConfig, type ApiKey, type Scope } from './auth.js';
export type { ErrorBody } from './errors.js';
