export { createServer } from './app.js';
export type { Database, DatabaseOptions, ServerOptions } from './options.js';
export type { AnswerdeskService, Caller } from './service.js';
export { parseApiKeys, prepareKeys, SCOPES, KNOWLEDGE_BASE_ID, type ApiKeyConfig, type ApiKey, type Scope } from './auth.js';
export type { ErrorBody } from './errors.js';
export { checkWebhookOptions, zammadTicket, genericTicket, helpdeskAnswer, zammadAnswer, readPath, ZAMMAD_PRIORITIES, type WebhookOptions, type ZammadOptions, type GenericMapping, type PayloadPath, type HelpdeskAnswer, type HelpdeskTicket, type HelpdeskPriority, type AnswerPriority } from './webhook.js';
// HTML bodies are read by @answerdesk/message; re-exported where webhook users found it.
export { htmlToText } from '@answerdesk/message';
