import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AnswerdeskError, isAnswerdeskError, type ErrorCode } from '@answerdesk/core';

/** The body of every error response: the first problem, and all of them when a batch had several. */
export interface ErrorBody {
  error: { code: ErrorCode; status: number; message: string; details: Record<string, string | number | undefined> };
  errors?: Array<{ code: ErrorCode; message: string; details: Record<string, string | number | undefined> }>;
}

/** Several problems found in one request (a publish of many files, a batch of tickets); nothing was written. */
export class BatchError extends Error {
  readonly errors: AnswerdeskError[];
  constructor(errors: AnswerdeskError[]) {
    super(errors[0]?.message ?? 'batch rejected');
    this.errors = errors;
  }
}

export function body(error: AnswerdeskError, all?: readonly AnswerdeskError[]): ErrorBody {
  return {
    error: { code: error.code, status: error.status, message: error.message, details: error.details },
    ...(all && all.length > 1 ? { errors: all.map((e) => e.toJSON()) } : {}),
  };
}

const FASTIFY_CODES: Record<string, (error: FastifyError, request: FastifyRequest, bodyLimit: number) => AnswerdeskError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (_e, _r, limit) => new AnswerdeskError('ADK_BODY_TOO_LARGE', { limit }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (_e, request) => new AnswerdeskError('ADK_MEDIA_TYPE_UNSUPPORTED', { type: String(request.headers['content-type'] ?? 'none') }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new AnswerdeskError('ADK_BODY_INVALID_JSON', { reason: 'the body is empty' }),
  FST_ERR_CTP_INVALID_JSON_BODY: (error) => new AnswerdeskError('ADK_BODY_INVALID_JSON', { reason: error.message }),
  FST_ERR_BAD_URL: () => new AnswerdeskError('ADK_REQUEST_INVALID', { location: 'url', field: 'it', reason: 'is not validly percent-encoded' }),
  FST_ERR_MAX_PARAM_LENGTH: () => new AnswerdeskError('ADK_REQUEST_INVALID', { location: 'url', field: 'the id', reason: 'is longer than 500 characters' }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new AnswerdeskError('ADK_BODY_INVALID_JSON', { reason: 'Content-Length does not match the body' }),
};

/** `/filter/category` → `filter.category`; a missing property is named by ajv's params. */
function fieldOf(error: NonNullable<FastifyError['validation']>[number]): string {
  const params = error.params as Record<string, unknown>;
  const base = error.instancePath.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
  const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  const name = extra ? (base ? `${base}.${extra}` : extra) : base;
  return name ? `"${name}"` : 'the body';
}

function reasonOf(error: NonNullable<FastifyError['validation']>[number]): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return 'is not a known field (check its spelling)';
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'enum') return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return error.message ?? 'is invalid';
}

/** Turn anything thrown while serving into a coded error; never a stack trace. */
export function toAnswerdeskError(error: unknown, request: FastifyRequest, bodyLimit: number): { error: AnswerdeskError; all?: AnswerdeskError[]; internal: boolean } {
  if (error instanceof BatchError) return { error: error.errors[0]!, all: error.errors, internal: false };
  if (isAnswerdeskError(error)) return { error, internal: error.status >= 500 && error.code !== 'ADK_NOT_READY' && error.code !== 'ADK_REQUEST_TIMEOUT' };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation?.length) {
    const first = fastifyError.validation[0]!;
    return { error: new AnswerdeskError('ADK_REQUEST_INVALID', { location: fastifyError.validationContext ?? 'body', field: fieldOf(first), reason: reasonOf(first) }), internal: false };
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return { error: mapped(fastifyError, request, bodyLimit), internal: false };
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return { error: new AnswerdeskError('ADK_BODY_INVALID_JSON', { reason: error.message }), internal: false };
  }
  // Other client errors fastify detects (bad URL, bad headers): their messages carry no internals.
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { error: new AnswerdeskError('ADK_REQUEST_INVALID', { location: 'request', field: 'it', reason: fastifyError.message }), internal: false };
  }
  return { error: new AnswerdeskError('ADK_INTERNAL', { reference: request.id }), internal: true };
}

/** The one error handler: a coded body with the catalogue's status. */
export function errorHandler(bodyLimit: number) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { error: coded, all, internal } = toAnswerdeskError(error, request, bodyLimit);
    if (internal) request.log.error({ err: error, reference: request.id }, 'request failed');
    else request.log.info({ code: coded.code }, coded.message);
    if ((coded.code === 'ADK_RATE_LIMITED' || coded.code === 'ADK_OVERLOADED') && coded.details.retryAfter !== undefined) reply.header('retry-after', String(coded.details.retryAfter));
    if (coded.code === 'ADK_UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="answerdesk"');
    return reply.status(coded.status).send(body(coded, all));
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const coded = new AnswerdeskError('ADK_ROUTE_NOT_FOUND', { method: request.method, url: request.url.split('?')[0] });
  return reply.status(coded.status).send(body(coded));
}
