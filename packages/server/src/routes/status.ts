import type { FastifyInstance } from 'fastify';
import { isLoopback } from '../loopback.js';
import { authenticate } from '../auth.js';
import { errors } from '../schemas.js';

/** Liveness, readiness, Prometheus metrics and the OpenAPI document: public, never rate limited. */
export function statusRoutes(app: FastifyInstance): void {
  const service = app.answerdesk;
  app.get('/v1/health', {
    config: { scope: 'public' },
    schema: {
      tags: ['status'],
      summary: 'Liveness: the process is up (it may still be loading)',
      response: { 200: { type: 'object', properties: { status: { type: 'string' }, uptimeSeconds: { type: 'number' } } } },
    },
    handler: async () => ({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) }),
  });

  app.get('/v1/ready', {
    config: { scope: 'public' },
    schema: {
      tags: ['status'],
      summary: 'Readiness: the model and index are loaded',
      description: "On PostgreSQL: ready once the default knowledge base is loaded; the counts are of the knowledge base of the key sent (if any), else of the default one.",
      response: {
        200: {
          type: 'object',
          properties: {
            ready: { type: 'boolean' },
            knowledgeBase: { type: 'string', description: 'The knowledge base (tenant) counted, on PostgreSQL.' },
            model: { type: 'string' },
            articles: { type: 'integer' },
            sections: { type: 'integer' },
            tickets: { type: 'integer' },
            passages: { type: 'integer' },
            categorizers: { type: 'array', items: { type: 'string' } },
            categories: { type: 'array', items: { type: 'string' } },
            languages: { type: 'array', items: { type: 'string' }, description: "Languages of the knowledge base's documents (the agent page's search filters by them)." },
            feedbackWithoutKey: { type: 'boolean', description: 'This caller may record feedback without a key (a server with no keys, asked from its own machine).' },
          },
        },
        ...errors(503),
      },
    },
    handler: async (request) => {
      // Public: no key needed. A valid key shows its own knowledge base's counts; anything else the default one's.
      const presented = service.keys.length ? authenticate(service.keys, request.headers) : undefined;
      const caller = presented && presented !== 'invalid' ? { apiKey: presented } : {};
      const kb = await service.knowledgeBase(caller);
      // On PostgreSQL the counts are read again if another instance changed them (one query when nothing did).
      await kb.refresh();
      const stats = kb.stats;
      const tenant = service.tenantOf(caller);
      return {
        ready: true,
        ...(tenant !== undefined ? { knowledgeBase: tenant } : {}),
        model: stats.model,
        articles: kb.articleIds.length,
        sections: stats.articles,
        tickets: stats.tickets,
        passages: stats.passages,
        categorizers: kb.categorizerFields,
        categories: kb.categories,
        languages: kb.languages,
        // Lets the agent page record what the agent did (sent, edited) without asking for a key it does not need.
        feedbackWithoutKey: service.keys.length === 0 && isLoopback(request.socket.remoteAddress),
      };
    },
  });

  app.get('/v1/metrics', {
    config: { scope: 'public' },
    schema: { tags: ['status'], summary: 'Prometheus metrics: request counts, latency histograms, index sizes', produces: ['text/plain'] },
    handler: async (_request, reply) => {
      reply.type(service.metrics.registry.contentType);
      return service.metrics.registry.metrics();
    },
  });

  app.get('/openapi.json', {
    config: { scope: 'public' },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });
}
