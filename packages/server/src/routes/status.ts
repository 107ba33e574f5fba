import type { FastifyInstance } from 'fastify';
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
      response: {
        200: {
          type: 'object',
          properties: {
            ready: { type: 'boolean' },
            model: { type: 'string' },
            articles: { type: 'integer' },
            sections: { type: 'integer' },
            tickets: { type: 'integer' },
            passages: { type: 'integer' },
            categorizers: { type: 'array', items: { type: 'string' } },
            categories: { type: 'array', items: { type: 'string' } },
          },
        },
        ...errors(503),
      },
    },
    handler: async () => {
      const kb = service.knowledgeBase();
      const stats = kb.stats;
      return {
        ready: true,
        model: stats.model,
        articles: kb.articleIds.length,
        sections: stats.articles,
        tickets: stats.tickets,
        passages: stats.passages,
        categorizers: kb.categorizerFields,
        categories: kb.categories,
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
