import type { FastifyInstance } from 'fastify';
import type { FeedbackInput } from '@answerdesk/core';
import { errors } from '../schemas.js';

const security = [{ apiKey: [] }];

const feedbackEntry = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    at: { type: 'string' },
    query: { type: 'string' },
    sourceId: { type: 'string' },
    helpful: { type: 'boolean' },
    suggestionId: { type: 'string' },
    comment: { type: 'string' },
    agent: { type: 'string' },
    action: { type: 'string' },
    edited: { type: 'number' },
  },
} as const;

/** Agents' verdicts on suggestions, stored durably for later learning; and retraining a categorizer (admin). */
export function feedbackRoutes(app: FastifyInstance): void {
  const service = app.answerdesk;

  app.post<{ Body: Omit<FeedbackInput, 'agent'> }>('/v1/feedback', {
    // A default `serve` (no keys) takes the agent page's feedback from this machine; with keys, a write key as before.
    config: { scope: 'write', localWithoutKeys: true },
    schema: {
      tags: ['feedback'],
      summary: 'Record that the agent found a suggestion helpful or not; stored (fsynced) before the reply. Without keys configured, accepted from this machine only',
      security,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['query', 'sourceId', 'helpful'],
        properties: {
          query: { type: 'string', minLength: 1, description: 'The customer text the suggestion answered.' },
          sourceId: { type: 'string', minLength: 1, description: 'The suggested source id.' },
          helpful: { type: 'boolean' },
          suggestionId: { type: 'string', maxLength: 100, description: 'The suggestionId of the suggest or triage reply.' },
          comment: { type: 'string', maxLength: 2000 },
          action: { type: 'string', enum: ['sent', 'edited', 'picked', 'rejected'], description: 'What the agent did: sent the draft as is, edited it first, picked this source instead, rejected the shown one.' },
          edited: { type: 'number', minimum: 0, maximum: 1, description: "With sent / edited: the share of the draft's words changed before sending." },
        },
      },
      response: { 201: feedbackEntry, ...errors(400, 401, 403, 404, 413, 429, 503) },
    },
    handler: async (request, reply) => {
      const kb = await service.knowledgeBase(request);
      const entry = await kb.recordFeedback({ ...request.body, ...(request.apiKey ? { agent: request.apiKey.name } : {}) });
      service.metrics.feedback.inc({ helpful: String(entry.helpful) });
      return reply.status(201).send(entry);
    },
  });

  app.get('/v1/feedback', {
    config: { scope: 'admin' },
    schema: {
      tags: ['feedback'],
      summary: 'Every recorded feedback entry, oldest first (for learning and review)',
      security,
      response: { 200: { type: 'object', properties: { feedback: { type: 'array', items: feedbackEntry } } }, ...errors(401, 403, 429, 503) },
    },
    handler: async (request) => ({ feedback: await (await service.knowledgeBase(request)).feedback() }),
  });

  app.post<{ Body: { field?: string } }>('/v1/train', {
    config: { scope: 'admin' },
    schema: {
      tags: ['feedback'],
      summary: 'Retrain the categorizer of a label field from the indexed tickets (and articles, for category), as a background job',
      description: 'Answers 202 at once with the job; `GET /v1/jobs/{id}` gives its progress, then the categorizer it trained (or the coded error). Answers keep their latency meanwhile: the training runs on a worker thread.',
      security,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { field: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$', description: 'Default category.' } },
      },
      response: { 202: { $ref: 'Job#' }, ...errors(400, 401, 403, 429, 503) },
    },
    handler: async (request, reply) => {
      const kb = await service.knowledgeBase(request);
      const field = request.body?.field ?? 'category';
      const job = service.jobs.start('train', service.tenantOf(request), (report) =>
        kb.train({ field, onProgress: (p) => report({ phase: p.phase, done: p.done, total: p.total }) }),
      );
      return reply.status(202).header('location', `/v1/jobs/${job.id}`).send(job);
    },
  });
}
