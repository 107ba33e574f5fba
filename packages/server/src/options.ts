import type { Encoder, KnowledgeBaseOptions, KnowledgeService, RuleSet } from '@answerdesk/core';
import type { PgKnowledgeBaseOptions } from '@answerdesk/core/postgres';
import type { ApiKeyConfig } from './auth.js';
import type { WebhookOptions } from './webhook.js';

/** An open PostgreSQL database (a `pg` pool or PGlite), as `@answerdesk/postgres` makes it (`connect`, `openPGlite`). */
export type Database = NonNullable<PgKnowledgeBaseOptions['database']>;

/** Serve knowledge bases (tenants) kept in PostgreSQL + pgvector instead of a store folder. */
export interface DatabaseOptions {
  /** `postgres://user:password@host:5432/db` (or `pglite:<dir>` for development); the server connects once and closes the pool on close. */
  url?: string;
  /** Or an open database; the server does not close it. */
  database?: Database;
  /** The knowledge base (tenant) of requests whose key names none, and of reads without a key. Default `default`. */
  knowledgeBase?: string;
}

export interface ServerOptions {
  /** An open knowledge base to serve (a store folder's `KnowledgeBase` or a `PgKnowledgeBase`). The server does not close it. */
  knowledgeBase?: KnowledgeService;
  /** Otherwise, the store folder to open in the background (GET /v1/ready says when it is loaded). Default `.answerdesk`. */
  store?: string;
  /**
   * Or serve PostgreSQL: one knowledge base per tenant, each opened on its first
   * request and kept open until the server closes. A request's tenant is its
   * API key's `knowledgeBase`, else `database.knowledgeBase` (which is loaded
   * in the background, like a store). Pending migrations are applied on start.
   */
  database?: DatabaseOptions;
  /** Encoder for the knowledge bases the server opens (one, shared by every tenant). Default: the offline USE-lite encoder. */
  encoder?: Encoder;
  /** Other options for the knowledge bases the server opens (default language, confidence bands…). */
  knowledgeBaseOptions?: Omit<KnowledgeBaseOptions, 'store' | 'encoder'>;
  /** API keys. Default none: reads are open and every write is refused until a key is configured. */
  keys?: readonly ApiKeyConfig[];
  /** Let requests without a key read (suggest, search, triage, categorize, documents). Default: true when no keys are configured, false otherwise. */
  openReads?: boolean;
  /** Routing rules for POST /v1/triage. Default none (no route in the result). */
  rules?: RuleSet;
  /** Largest request body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Per-key (or per-address without a key) request budget; `false` turns it off. Default 600 requests per minute. */
  rateLimit?: { max?: number; windowMs?: number } | false;
  /** Longest a read request may take, counted from its arrival (time queued included), before it is answered 503 ADK_REQUEST_TIMEOUT. Default 15000 ms. Writes are never cut off: they are acknowledged when durable. */
  requestTimeoutMs?: number;
  /** Most tickets per POST /v1/tickets and files per publish. Default 1000. */
  maxBatch?: number;
  /** Most texts per POST /v1/categorize. Default 100. */
  maxCategorize?: number;
  /**
   * Load shedding. Suggest, search, triage and categorize run on the event loop:
   * at most `maxInFlight` at once and `maxQueue` waiting; more are refused at once
   * with 503 ADK_OVERLOADED and Retry-After. Any request but health, readiness and
   * metrics is refused the same way while the event loop lags more than
   * `maxEventLoopDelayMs` (sampled at that interval; not in the first two intervals after start-up). `false` turns both off.
   * Defaults: maxInFlight 1, maxQueue 1, maxEventLoopDelayMs 1000, retryAfterSeconds 1.
   */
  overload?: { maxInFlight?: number; maxQueue?: number; maxEventLoopDelayMs?: number; retryAfterSeconds?: number } | false;
  /** fastify's logger option. Default false. */
  logger?: boolean | { level?: string };
  /** Before reporting ready, run one triage and a few suggests (recording nothing) and `warmUp` (200 past tickets read and adapted), so the first agents do not pay for loading the language detector (~1 s, ~140 MB), the vector graph and the spellers, or for compiling the code that reads messages and adapts resolutions. Default false; `answerdesk serve` turns it on. */
  warmUp?: boolean;
  /** Serve the agent page at `/`. Default true. */
  page?: boolean;
  /** Helpdesk webhooks (POST /v1/triage/zammad, /v1/triage/generic): Zammad's names for groups and priorities, the generic payload's field mapping. Checked at start. */
  webhooks?: WebhookOptions;
  /**
   * Retrain a field's categorizer (a background job) once agents have corrected this many routes of
   * it since it was last trained; `false` leaves retraining to `answerdesk train` / POST /v1/train.
   * Corrections move similar messages at once either way. Default 10.
   */
  retrainAfterCorrections?: number | false;
}

export interface ResolvedLimits {
  bodyLimit: number;
  rateLimit: { max: number; windowMs: number } | false;
  requestTimeoutMs: number;
  maxBatch: number;
  maxCategorize: number;
  overload: { maxInFlight: number; maxQueue: number; maxEventLoopDelayMs: number; retryAfterSeconds: number } | false;
  retrainAfterCorrections: number | false;
}

export function resolveLimits(options: ServerOptions): ResolvedLimits {
  return {
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    rateLimit: options.rateLimit === false ? false : { max: options.rateLimit?.max ?? 600, windowMs: options.rateLimit?.windowMs ?? 60_000 },
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    retrainAfterCorrections: options.retrainAfterCorrections === false ? false : Math.max(1, options.retrainAfterCorrections ?? 10),
    maxBatch: options.maxBatch ?? 1000,
    maxCategorize: options.maxCategorize ?? 100,
    overload:
      options.overload === false
        ? false
        : {
            maxInFlight: options.overload?.maxInFlight ?? 1,
            maxQueue: options.overload?.maxQueue ?? 1,
            maxEventLoopDelayMs: options.overload?.maxEventLoopDelayMs ?? 1000,
            retryAfterSeconds: options.overload?.retryAfterSeconds ?? 1,
          },
  };
}
