import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { KnowledgeBase } from '@answerdesk/core';

/** One registry per server (no global registry), so two servers in one process never mix their numbers. */
export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  feedback: Counter<'helpful'>;
  writes: Counter<'kind'>;
}

export function createMetrics(knowledgeBase: () => KnowledgeBase | undefined): ServiceMetrics {
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
  new Gauge({
    name: 'answerdesk_documents',
    help: 'Documents in the index: article sections and tickets.',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const stats = knowledgeBase()?.stats;
      this.set({ kind: 'section' }, stats?.articles ?? 0);
      this.set({ kind: 'ticket' }, stats?.tickets ?? 0);
    },
  });
  new Gauge({
    name: 'answerdesk_passages',
    help: 'Embedded passages in the vector index.',
    registers: [registry],
    collect() {
      this.set(knowledgeBase()?.stats.passages ?? 0);
    },
  });
  new Gauge({
    name: 'answerdesk_lexical_segments',
    help: 'Segments of the lexical index.',
    registers: [registry],
    collect() {
      this.set(knowledgeBase()?.stats.segments ?? 0);
    },
  });
  new Gauge({
    name: 'answerdesk_categorizers',
    help: 'Trained categorizers (label fields).',
    registers: [registry],
    collect() {
      this.set(knowledgeBase()?.categorizerFields.length ?? 0);
    },
  });
  new Gauge({
    name: 'answerdesk_ready',
    help: '1 when the model and index are loaded.',
    registers: [registry],
    collect() {
      this.set(knowledgeBase() ? 1 : 0);
    },
  });
  return { registry, requests, duration, feedback, writes };
}
