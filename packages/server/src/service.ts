import { AnswerdeskError, reasonOf, type DocFilter, type KnowledgeService, type RuleSet } from '@answerdesk/core';
import type { ApiKey } from './auth.js';
import type { Jobs } from './jobs.js';
import type { ServiceMetrics } from './metrics.js';
import type { ResolvedLimits } from './options.js';

/** What a route knows of the caller: the API key it presented, if any. */
export interface Caller {
  apiKey?: ApiKey | undefined;
}

/** What the routes share: the knowledge bases once loaded, keys, limits, rules and metrics. */
export interface AnswerdeskService {
  /** Resolves with the default knowledge base once it is loaded; rejects with the load error. */
  ready(): Promise<KnowledgeService>;
  /**
   * The knowledge base a request works on: on PostgreSQL its key's tenant
   * (opened on first use), else the default one. ADK_NOT_READY while the
   * default one is loading or after a failed load.
   */
  knowledgeBase(caller?: Caller): Promise<KnowledgeService>;
  /** The default knowledge base if loaded, else undefined. */
  loaded(): KnowledgeService | undefined;
  /** Every knowledge base open now: the default one and the tenants opened so far (for metrics). */
  opened(): KnowledgeService[];
  /** The tenant (knowledge-base id) a request is served from; undefined unless the server serves PostgreSQL. */
  tenantOf(caller?: Caller): string | undefined;
  readonly keys: readonly ApiKey[];
  readonly openReads: boolean;
  readonly limits: ResolvedLimits;
  readonly rules?: RuleSet;
  readonly metrics: ServiceMetrics;
  /** Background jobs (training, async publishes and imports). */
  readonly jobs: Jobs;
  /**
   * Run a heavy read (suggest, search, triage, categorize) under admission
   * control and the request timeout, counted from the request's arrival.
   */
  admit<T>(request: { arrivedAt: number }, work: () => Promise<T>): Promise<T>;
}

/** Tracks loading: the server listens at once, and answers 503 ADK_NOT_READY until the model and index are in memory. */
export class Loader {
  private kb?: KnowledgeService;
  private failure?: AnswerdeskError;
  readonly promise: Promise<KnowledgeService>;

  constructor(open: () => Promise<KnowledgeService>) {
    this.promise = open().then(
      (kb) => (this.kb = kb),
      (error: unknown) => {
        this.failure = error instanceof AnswerdeskError ? error : new AnswerdeskError('ADK_NOT_READY', { reason: `loading failed: ${reasonOf(error)}` });
        throw this.failure;
      },
    );
    // Callers that never await readiness must not see an unhandled rejection.
    this.promise.catch(() => undefined);
  }

  get current(): KnowledgeService | undefined {
    return this.kb;
  }

  require(): KnowledgeService {
    if (this.kb) return this.kb;
    if (this.failure) throw new AnswerdeskError('ADK_NOT_READY', { reason: `loading failed: ${this.failure.message}` });
    throw new AnswerdeskError('ADK_NOT_READY', { reason: 'the model and index are still loading' });
  }
}

interface Opening {
  promise: Promise<KnowledgeService>;
  kb?: KnowledgeService;
}

/**
 * The knowledge bases of a server on PostgreSQL: the default one (the
 * loader's) and one per tenant, opened on its first request and kept until
 * the server closes. Tenants come from the configured keys, so they are few.
 */
export class Tenants {
  private readonly opening = new Map<string, Opening>();
  private closed = false;

  constructor(
    private readonly loader: Loader,
    /** Id of the default knowledge base. */
    readonly defaultId: string,
    private readonly open: (id: string) => Promise<KnowledgeService>,
  ) {}

  /** The knowledge base of tenant `id` (the default one when undefined). */
  async get(id: string | undefined): Promise<KnowledgeService> {
    // The default one carries the connection, the migrations and the loaded encoder: the others wait for it.
    const main = this.loader.require();
    if (id === undefined || id === this.defaultId) return main;
    if (this.closed) throw new AnswerdeskError('ADK_NOT_READY', { reason: 'the server is closing' });
    let entry = this.opening.get(id);
    if (!entry) {
      const opening: Opening = { promise: this.open(id) };
      opening.promise.then(
        (kb) => (opening.kb = kb),
        // A failed open (the database was unreachable) is tried again by the next request.
        () => this.opening.get(id) === opening && this.opening.delete(id),
      );
      this.opening.set(id, opening);
      entry = opening;
    }
    return entry.promise;
  }

  /** The tenants' knowledge bases open now (not the default one). */
  current(): KnowledgeService[] {
    return [...this.opening.values()].flatMap((entry) => (entry.kb ? [entry.kb] : []));
  }

  /** Close every tenant's knowledge base, waiting for those still opening. */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.opening.values()];
    this.opening.clear();
    for (const entry of entries) {
      const kb = await entry.promise.catch(() => undefined);
      await kb?.close();
    }
  }
}

/** Settle `work` within `ms`, or fail with ADK_REQUEST_TIMEOUT (the work itself runs on; reads have no side effects). */
export function within<T>(ms: number, work: Promise<T>, timeoutMs = ms): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new AnswerdeskError('ADK_REQUEST_TIMEOUT', { timeoutMs })), ms);
    work.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** A filter naming a category the knowledge base does not have is a mistake worth reporting, not an empty answer. */
export async function checkFilter(kb: KnowledgeService, filter: DocFilter | undefined): Promise<DocFilter | undefined> {
  if (!filter?.category) return filter;
  // On PostgreSQL another instance may have added the category meanwhile (one query when nothing changed).
  await kb.refresh();
  const known = kb.categories;
  for (const category of [filter.category].flat()) {
    if (!known.includes(category)) {
      throw new AnswerdeskError('ADK_CATEGORY_UNKNOWN', { category, known: known.length ? known.join(', ') : '(none yet)' });
    }
  }
  return filter;
}

/** `Prefer: respond-async` (RFC 7240): the client would rather get a job at once (202) than wait for a long write. */
export function prefersAsync(headers: Record<string, string | string[] | undefined>): boolean {
  return [headers.prefer ?? []].flat().some((value) => value.split(',').some((token) => token.trim().toLowerCase() === 'respond-async'));
}
