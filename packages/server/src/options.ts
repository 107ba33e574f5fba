import type { Encoder, KnowledgeBase, KnowledgeBaseOptions, RuleSet } from '@answerdesk/core';
import type { ApiKeyConfig } from './auth.js';

export interface ServerOptions {
  /** An open knowledge base to serve. The server does not close it. */
  knowledgeBase?: KnowledgeBase;
  /** Otherwise, the store folder to open in the background (GET /v1/ready says when it is loaded). Default `.answerdesk`. */
  store?: string;
  /** Encoder for a store the server opens. Default: the offline USE-lite encoder. */
  encoder?: Encoder;
  /** Other options for a store the server opens (default language, thresholds…). */
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
  /** Longest a read request may take before it is answered 503 ADK_REQUEST_TIMEOUT. Default 15000 ms. Writes are never cut off: they are acknowledged when durable. */
  requestTimeoutMs?: number;
  /** Most tickets per POST /v1/tickets and files per publish. Default 1000. */
  maxBatch?: number;
  /** Most texts per POST /v1/categorize. Default 100. */
  maxCategorize?: number;
  /** fastify's logger option. Default false. */
  logger?: boolean | { level?: string };
  /** Before reporting ready, run one triage so the first agent's question does not pay for loading the language detector (~1 s, ~140 MB). Default false; `answerdesk serve` turns it on. */
  warmUp?: boolean;
  /** Serve the agent page at `/`. Default true. */
  page?: boolean;
}

export interface ResolvedLimits {
  bodyLimit: number;
  rateLimit: { max: number; windowMs: number } | false;
  requestTimeoutMs: number;
  maxBatch: number;
  maxCategorize: number;
}

export function resolveLimits(options: ServerOptions): ResolvedLimits {
  return {
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    rateLimit: options.rateLimit === false ? false : { max: options.rateLimit?.max ?? 600, windowMs: options.rateLimit?.windowMs ?? 60_000 },
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    maxBatch: options.maxBatch ?? 1000,
    maxCategorize: options.maxCategorize ?? 100,
  };
}
