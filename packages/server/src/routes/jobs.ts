import type { FastifyInstance } from 'fastify';
import { errors, idParam } from '../schemas.js';

const security = [{ apiKey: [] }];

/** Background jobs: their progress, then their result or coded error. A key sees the jobs of its own knowledge base only. */
export function jobRoutes(app: FastifyInstance): void {
  const service = app.answerdesk;

  app.get<{ Params: { id: string } }>('/v1/jobs/:id', {
    config: { scope: 'write' },
    schema: {
      tags: ['jobs'],
      summary: 'A background job: state, progress, then its result or error',
      security,
      params: idParam('job', '^[0-9a-f-]{36}$'),
      response: { 200: { $ref: 'Job#' }, ...errors(400, 401, 403, 404, 429) },
    },
    handler: async (request) => service.jobs.get(request.params.id, service.tenantOf(request)),
  });

  app.get('/v1/jobs', {
    config: { scope: 'write' },
    schema: {
      tags: ['jobs'],
      summary: 'Recent background jobs, newest first (finished ones are kept for an hour)',
      security,
      response: { 200: { type: 'object', properties: { jobs: { type: 'array', items: { $ref: 'Job#' } } } }, ...errors(401, 403, 429) },
    },
    handler: async (request) => ({ jobs: service.jobs.list(service.tenantOf(request)) }),
  });
}
