import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { KnowledgeService } from '@answerdesk/core';

/** One registry per server (no global registry), so two servers in one process never mix their numbers. */
export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  feedback: Counter<'helpful'>;
  writes: Counter<'kind'>;
  /** Requests refused to protect the service: `queue` full, `deadline` passed while queued, `event_loop` lagging. */
  shed: Counter<'reason'>;
  /** Time heavy requests waited for their turn. */
  queueWait: Histogram<string>;
}

/**
 * `knowledgeBases`: those open now. On PostgreSQL that is the default one and
 * every tenant opened so far; the size gauges add them up (no tenant ids in
 * public metrics). `ready`: the default one is loaded.
 */
export function createMetrics(knowledgeBases: () => readonly KnowledgeService[], ready: () => boolean, load: () => { inFlight: number; queued: number; jobs: number }): ServiceMetrics {
  const sum = (of: (kb: KnowledgeService) => number) => knowledgeBases().reduce((total, kb) => total + of(kb), 0);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'answerdesk_' });
  const requests = new Counter({ name: 'answerdesk_http_requests_total', help: 'HTTP requests by route and status.', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
  const duration = new Histogram({
    name: 'answerdesk_http_request_duration_seconds',
    help: 'Time to answer an HTTP request.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const feedback = new Counter({ name: 'answerdesk_feedback_total', help: 'Feedback recorded on suggestions.', labelNames: ['helpful'] as const, registers: [registry] });
  const writes = new Counter({ name: 'answerdesk_writes_total', help: 'Acknowledged writes by kind.', labelNames: ['kind'] as const, registers: [registry] });
  const shed = new Counter({ name: 'answerdesk_shed_requests_total', help: 'Requests refused with 503 ADK_OVERLOADED, by reason (queue, deadline, event_loop).', labelNames: ['reason'] as const, registers: [registry] });
  const queueWait = new Histogram({
    name: 'answerdesk_queue_wait_seconds',
    help: 'Time suggest, search, triage and categorize requests waited for their turn.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'answerdesk_requests_in_progress',
    help: 'Heavy requests (suggest, search, triage, categorize) being worked on (state=running) or waiting (state=queued).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const now = load();
      this.set({ state: 'running' }, now.inFlight);
      this.set({ state: 'queued' }, now.queued);
    },
  });
  new Gauge({
    name: 'answerdesk_jobs_pending',
    help: 'Background jobs (training, async publishes and imports) queued or running.',
    registers: [registry],
    collect() {
      this.set(load().jobs);
    },
  });
  new Gauge({
    name: 'answerdesk_documents',
    help: 'Documents in the index: article sections and tickets.',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      this.set({ kind: 'section' }, sum((kb) => kb.stats.articles));
      this.set({ kind: 'ticket' }, sum((kb) => kb.stats.tickets));
    },
  });
  new Gauge({
    name: 'answerdesk_passages',
    help: 'Embedded passages in the vector index.',
    registers: [registry],
    collect() {
      this.set(sum((kb) => kb.stats.passages));
    },
  });
  new Gauge({
    name: 'answerdesk_lexical_segments',
    help: 'Segments of the lexical index.',
    registers: [registry],
    collect() {
      this.set(sum((kb) => kb.stats.segments));
    },
  });
  new Gauge({
    name: 'answerdesk_categorizers',
    help: 'Trained categorizers (label fields).',
    registers: [registry],
    collect() {
      this.set(sum((kb) => kb.categorizerFields.length));
    },
  });
  new Gauge({
    name: 'answerdesk_ready',
    help: '1 when the model and index are loaded.',
    registers: [registry],
    collect() {
      this.set(ready() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'answerdesk_knowledge_bases_open',
    help: 'Knowledge bases this process has open (on PostgreSQL: the default one and each tenant since its first request).',
    registers: [registry],
    collect() {
      this.set(knowledgeBases().length);
    },
  });
  return { registry, requests, duration, feedback, writes, shed, queueWait };
}
