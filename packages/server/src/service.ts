import { AnswerdeskError, KnowledgeBase, reasonOf, type DocFilter, type RuleSet } from '@answerdesk/core';
import type { ApiKey } from './auth.js';
import type { ServiceMetrics } from './metrics.js';
import type { ResolvedLimits } from './options.js';

/** What the routes share: the knowledge base once loaded, keys, limits, rules and metrics. */
export interface AnswerdeskService {
  /** Resolves with the knowledge base once it is loaded; rejects with the load error. */
  ready(): Promise<KnowledgeBase>;
  /** The loaded knowledge base; ADK_NOT_READY while loading or after a failed load. */
  knowledgeBase(): KnowledgeBase;
  /** The knowledge base if loaded, else undefined (for metrics). */
  loaded(): KnowledgeBase | undefined;
  readonly keys: readonly ApiKey[];
  readonly openReads: boolean;
  readonly limits: ResolvedLimits;
  readonly rules?: RuleSet;
  readonly metrics: ServiceMetrics;
}

/** Tracks loading: the server listens at once, and answers 503 ADK_NOT_READY until the model and index are in memory. */
export class Loader {
  private kb?: KnowledgeBase;
  private failure?: AnswerdeskError;
  readonly promise: Promise<KnowledgeBase>;

  constructor(open: () => Promise<KnowledgeBase>) {
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

  get current(): KnowledgeBase | undefined {
    return this.kb;
  }

  require(): KnowledgeBase {
    if (this.kb) return this.kb;
    if (this.failure) throw new AnswerdeskError('ADK_NOT_READY', { reason: `loading failed: ${this.failure.message}` });
    throw new AnswerdeskError('ADK_NOT_READY', { reason: 'the model and index are still loading' });
  }
}

/** Settle `work` within `ms`, or fail with ADK_REQUEST_TIMEOUT (the work itself runs on; reads have no side effects). */
export function within<T>(ms: number, work: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new AnswerdeskError('ADK_REQUEST_TIMEOUT', { timeoutMs: ms })), ms);
    work.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** A filter naming a category the knowledge base does not have is a mistake worth reporting, not an empty answer. */
export function checkFilter(kb: KnowledgeBase, filter: DocFilter | undefined): DocFilter | undefined {
  if (!filter?.category) return filter;
  const known = kb.categories;
  for (const category of [filter.category].flat()) {
    if (!known.includes(category)) {
      throw new AnswerdeskError('ADK_CATEGORY_UNKNOWN', { category, known: known.length ? known.join(', ') : '(none yet)' });
    }
  }
  return filter;
}
