/**
 * The one error catalogue of Answerdesk. Every error a user can meet has a
 * stable `code`, an HTTP status (used by the service) and a message template
 * that says what to fix. Codes never change meaning once released.
 */
export const errorCatalogue = {
  ADK_FRONTMATTER_INVALID: { status: 400, message: 'Front matter of {file} is invalid at line {line}: {reason}. Fix the YAML between the --- lines.' },
  ADK_ARTICLE_FIELD_INVALID: { status: 400, message: 'Article {file}: field "{field}" {reason}.' },
  ADK_ARTICLE_ID_DUPLICATE: { status: 409, message: 'Article id "{id}" is used by both {file} and {other}. Give each article a unique id in its front matter.' },
  ADK_TEMPLATE_INVALID: { status: 400, message: 'Reply template {file}: {reason}. A template starts with front matter between --- lines: id, template (greeting, closing or canned), language, title, and name for a canned reply.' },
  ADK_FILE_UNREADABLE: { status: 400, message: 'Cannot read {file}: {reason}.' },
  ADK_PATH_NOT_FOUND: { status: 404, message: 'Path {path} does not exist. Pass a folder of markdown articles or a .jsonl/.csv ticket file.' },
  ADK_TICKET_INVALID: { status: 400, message: '{file}:{line}: ticket rejected: {reason}.' },
  ADK_TICKET_FORMAT_UNKNOWN: { status: 400, message: 'Cannot import tickets from {file}: use a .jsonl (one JSON object per line) or .csv file.' },
  ADK_TICKET_ID_DUPLICATE: { status: 409, message: '{file}:{line}: ticket id "{id}" already appeared at {other}; ticket ids must be unique.' },
  ADK_ENCODER_LOAD_FAILED: { status: 503, message: 'Could not load the embedding model {model}: {reason}.' },
  ADK_MODEL_NOT_FOUND: { status: 503, message: 'Model {model} was not found locally ({reason}). Put the model files under {localModelPath}, or allow remote loading so it can be downloaded from the Hugging Face hub.' },
  ADK_ENCODER_INPUT_INVALID: { status: 400, message: 'Text to embed must be a non-empty string (item {index}).' },
  ADK_DIMENSION_MISMATCH: { status: 500, message: 'Vector of dimension {actual} given to an index of dimension {expected}.' },
  ADK_STORE_NOT_FOUND: { status: 404, message: 'No knowledge base found in {dir}. Run `answerdesk index <paths> --store {dir}` first.' },
  ADK_STORE_CORRUPT: { status: 500, message: 'The store in {dir} is damaged: {reason}. Restore it from a backup or re-run `answerdesk index`.' },
  ADK_STORE_VERSION_UNSUPPORTED: { status: 500, message: 'The store in {dir} has format version {found}; this Answerdesk reads version {supported}. Upgrade Answerdesk to open it.' },
  ADK_STORE_MODEL_MISMATCH: { status: 409, message: 'The store in {dir} was built with model {stored} ({storedDim}-d) but the encoder is {current} ({currentDim}-d); vectors of two models are never mixed. Run `answerdesk reindex --store {dir}` to re-embed it with this model, or open it with the model it was built with.' },
  ADK_STORE_LOCKED: { status: 409, message: 'The store in {dir} is being written by another process (pid {pid}); one process writes a store at a time. Stop it, or send the change to it (e.g. through the HTTP API of `answerdesk serve`).' },
  ADK_STORE_WRITE_FAILED: { status: 500, message: 'Could not save the store in {dir}: {reason}. The previous saved state is still intact.' },
  ADK_QUERY_EMPTY: { status: 400, message: 'The question is empty. Pass the customer text to search for.' },
  ADK_QUERY_TOO_LONG: { status: 413, message: 'The question is {length} characters long; the limit is {max}. Shorten it or raise maxQueryLength.' },
  ADK_OPTION_INVALID: { status: 400, message: 'Option "{option}" {reason}.' },
  ADK_INPUT_LINE_INVALID: { status: 400, message: '{file}:{line}: {reason}. Each line must be a JSON object like {"id":"q1","text":"..."}.' },
  ADK_RULES_SYNTAX: { status: 400, message: 'Routing rules {file} cannot be read as {format} at line {line}: {reason}.' },
  ADK_RULES_INVALID: { status: 400, message: 'Routing rules {file}: {rule}, field "{field}" {reason}.' },
  ADK_CATEGORIZER_NOT_TRAINED: { status: 409, message: 'No categorizer for "{field}" in this knowledge base. Train one with `answerdesk train --label {field}` (from indexed tickets or --tickets FILE).' },
  ADK_CATEGORIZER_MODEL_MISMATCH: { status: 409, message: 'The categorizer for "{field}" was trained on {stored} embeddings, but the encoder is {current}. Train it again with this encoder.' },
  ADK_CATEGORIZER_CORRUPT: { status: 500, message: 'The saved categorizer for "{field}" is damaged: {reason}. Train it again.' },
  ADK_TRAINING_DATA_INVALID: { status: 400, message: 'Cannot train a categorizer for "{field}": {reason}.' },
  ADK_MESSAGE_INVALID: { status: 400, message: 'Message {id} is invalid: {reason}.' },
  ADK_ARTICLE_IS_DRAFT: { status: 409, message: 'Article "{id}" is a draft (draft: true in its front matter), so it is not published. Remove that line when it is ready.' },
  ADK_ARTICLE_NOT_FOUND: { status: 404, message: 'No article "{id}" in this knowledge base. List what is there with POST /v1/search, or publish it first.' },
  ADK_TICKET_NOT_FOUND: { status: 404, message: 'No ticket "{id}" in this knowledge base.' },
  ADK_TICKETS_NOT_FOUND: { status: 404, message: 'No ticket {ids} in this knowledge base ({found} of the {given} ids given were found). Pass ids of indexed tickets, such as T-10015; `answerdesk search "<words>" --kind ticket` lists them.' },
  ADK_DOCUMENT_NOT_FOUND: { status: 404, message: 'No article section or ticket "{id}" in this knowledge base.' },
  ADK_CATEGORY_UNKNOWN: { status: 400, message: 'Category "{category}" is not in this knowledge base. Known categories: {known}.' },
  ADK_FEEDBACK_INVALID: { status: 400, message: 'Feedback {reason}.' },
  ADK_REQUEST_INVALID: { status: 400, message: 'Request {location} is invalid: {field} {reason}.' },
  ADK_BODY_INVALID_JSON: { status: 400, message: 'The request body is not valid JSON ({reason}). Send one JSON object with Content-Type: application/json.' },
  ADK_BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than the {limit}-byte limit. Send fewer items per request, or raise the server\'s bodyLimit.' },
  ADK_MEDIA_TYPE_UNSUPPORTED: { status: 415, message: 'The request body must be JSON with Content-Type: application/json (got "{type}").' },
  ADK_UNAUTHORIZED: { status: 401, message: 'This route needs an API key with the "{scope}" scope. Send it as "Authorization: Bearer <key>"{hint}.' },
  ADK_FORBIDDEN: { status: 403, message: 'API key "{key}" does not have the "{scope}" scope that {route} needs. Use a key with that scope.' },
  ADK_RATE_LIMITED: { status: 429, message: 'Too many requests from {who}: the limit is {max} per {window}. Retry in {retryAfter} s.' },
  ADK_REQUEST_TIMEOUT: { status: 503, message: 'The request did not finish within {timeoutMs} ms and was abandoned. Retry; if it keeps happening, send shorter text or raise requestTimeout.' },
  ADK_NOT_READY: { status: 503, message: 'The knowledge base is not ready: {reason}. GET /v1/ready says when it is.' },
  ADK_OVERLOADED: { status: 503, message: 'The service is at capacity ({reason}) and did not start this request. Retry in {retryAfter} s.' },
  ADK_JOB_NOT_FOUND: { status: 404, message: 'No job "{id}" on this server. Jobs are kept for {keptFor} after they finish; POST the work again to start a new one.' },
  ADK_JOB_FAILED: { status: 500, message: 'Job {id} ({kind}) failed: {reason}.' },
  ADK_CLIENT_ERROR: { status: 400, message: 'The HTTP request could not be read: {reason}.' },
  ADK_METHOD_NOT_IMPLEMENTED: { status: 501, message: 'The HTTP method {method} is not one this server implements. The API is described at /openapi.json.' },
  ADK_CLIENT_TIMEOUT: { status: 408, message: 'The request was not received in time ({reason}); the connection is closed. Send the whole request promptly.' },
  ADK_HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are larger than {limit} bytes. Send fewer or shorter headers.' },
  ADK_EXPECTATION_FAILED: { status: 417, message: 'Expect: {expect} is not supported; only "100-continue" is.' },
  ADK_ROUTE_NOT_FOUND: { status: 404, message: 'There is no route {method} {url}. The API is described at /openapi.json.' },
  ADK_INTERNAL: { status: 500, message: 'Internal error (reference {reference}). Nothing about it was sent to the client; the server log has the details.' },
  ADK_GIT_FAILED: { status: 400, message: 'Cannot read the changes {range} of {dir} from git: {reason}. Run inside a git repository and pass a range like HEAD~1..HEAD.' },
  ADK_NOTHING_INDEXED: { status: 400, message: 'Nothing to index in {paths}: no markdown articles (.md) or ticket files (.jsonl, .csv) were found.' },
  ADK_DATABASE_UNAVAILABLE: { status: 503, message: 'Cannot use the PostgreSQL database at {where}: {reason}. Check that the server runs and accepts connections, and the connection URL (host, port, database, user, password, sslmode).' },
  ADK_DATABASE_MIGRATION_FAILED: { status: 500, message: 'Could not upgrade the database schema at migration {version} ({name}): {reason}. Nothing of that migration was applied; fix the cause (often: pgvector is not installed on the server, or the user may not create tables or the "vector" extension) and start again.' },
  ADK_DATABASE_SCHEMA_NEWER: { status: 500, message: 'The database schema is at version {found}; this Answerdesk knows versions up to {supported}. A newer Answerdesk has upgraded it: upgrade this one too.' },
  ADK_DATABASE_EXTENSION_OLD: { status: 503, message: 'The database has pgvector {found}; Answerdesk needs {required} or newer (iterative index scans). Install a newer pgvector on the server, then run `ALTER EXTENSION vector UPDATE`.' },
  ADK_DATABASE_MODEL_MISMATCH: { status: 409, message: 'Knowledge base "{kb}" in the database was built with model {stored} ({storedDim}-d) but the encoder is {current} ({currentDim}-d); vectors of two models are never mixed. Open it with the model it was built with, or index into a new knowledge base (--knowledge-base) with this one.' },
  ADK_DATABASE_KB_NOT_FOUND: { status: 404, message: 'There is no knowledge base "{kb}" in the database. Create it first (`answerdesk index` does, or ensureKnowledgeBase).' },
  ADK_DATABASE_VERSION_CONFLICT: { status: 409, message: 'Knowledge base "{kb}" changed while this change was prepared: expected version {expected}, found {found}. Read it again and retry the change.' },
  ADK_ARTICLE_CHANGED_MEANWHILE: { status: 409, message: 'Article "{article}" of knowledge base "{kb}" changed while this change of it was prepared. Read it again and retry the change.' },
  ADK_DATABASE_WRITE_FAILED: { status: 500, message: 'Could not write to knowledge base "{kb}" in the database: {reason}. The change was rolled back; the previous state is intact.' },
  // Files a careless user has, and rules that name unknown labels (issue 15).
  ADK_FILE_TOO_LARGE: { status: 413, message: '{file} is {size}, over the {max} limit for {kind}; it was not read. Split it into smaller files, or raise the limit with {option}.' },
  ADK_FILE_BINARY: { status: 415, message: '{file} is not a text file ({reason}); it was not read. Remove it from the folder, or export its content as text ({expected}).' },
  ADK_FILE_ENCODING_UNSUPPORTED: { status: 415, message: '{file} is not UTF-8 text ({reason}); it was not read. Save it as UTF-8 (in most editors: Save As, Encoding: UTF-8) and try again.' },
  ADK_STORE_NOT_A_STORE: { status: 400, message: '{dir} is not an Answerdesk store: {reason}. Pass --store a new or empty folder, or the folder of an existing store.' },
  ADK_RULES_LABEL_UNKNOWN: { status: 400, message: 'Routing rules {file} name {count} value(s) this knowledge base does not know, first {rule}, field "{field}": "{value}"{hint}; known: {known}. Fix the rules, or leave out --strict to use them anyway.' },
  // A helpdesk's webhook payload triaged as the helpdesk sends it (issue 18).
  ADK_WEBHOOK_PAYLOAD_INVALID: { status: 400, message: 'The {helpdesk} webhook payload cannot be triaged: {reason}.' },
  ADK_WEBHOOK_NOT_CONFIGURED: { status: 409, message: 'This server has no mapping for {helpdesk} webhook payloads. Start it with one: {how}.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
export type ErrorDetails = Record<string, string | number | undefined>;

function render(template: string, details: ErrorDetails): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = details[key];
    return value === undefined ? whole : String(value);
  });
}

/** Base class of every error Answerdesk throws on purpose. */
export class AnswerdeskError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(render(errorCatalogue[code].message, details), options);
    this.name = 'AnswerdeskError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isAnswerdeskError(error: unknown, code?: ErrorCode): error is AnswerdeskError {
  return error instanceof AnswerdeskError && (code === undefined || error.code === code);
}

/** Reason text of any thrown value, for wrapping foreign errors. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
