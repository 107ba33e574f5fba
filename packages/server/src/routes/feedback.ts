import type { FastifyInstance } from 'fastify';
import type { FeedbackInput, RouteCorrectionInput } from '@answerdesk/core';
import { errors } from '../schemas.js';

const security = [{ apiKey: [] }];

const feedbackEntry = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    at: { type: 'string' },
    query: { type: 'string' },
    question: { type: 'string' },
    sourceId: { type: 'string' },
    helpful: { type: 'boolean' },
    suggestionId: { type: 'string' },
    comment: { type: 'string' },
    agent: { type: 'string' },
    action: { type: 'string' },
    edited: { type: 'number' },
    confidence: { type: 'number' },
  },
} as const;

const correctionEntry = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    id: { type: 'string' },
    at: { type: 'string' },
    text: { type: 'string' },
    field: { type: 'string' },
    label: { type: 'string' },
    was: { type: 'string' },
    suggestionId: { type: 'string' },
    agent: { type: 'string' },
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
          question: { type: 'string', minLength: 1, description: "The question of that text the verdict is on, as the suggestion read it (its answer's `question`): similar questions are found by it. Default: the whole query." },
          sourceId: { type: 'string', minLength: 1, description: 'The suggested source id.' },
          helpful: { type: 'boolean' },
          suggestionId: { type: 'string', maxLength: 100, description: 'The suggestionId of the suggest or triage reply.' },
          comment: { type: 'string', maxLength: 2000 },
          action: { type: 'string', enum: ['sent', 'edited', 'picked', 'rejected'], description: 'What the agent did: sent the draft as is, edited it first, picked this source instead, rejected the shown one.' },
          edited: { type: 'number', minimum: 0, maximum: 1, description: "With sent / edited: the share of the draft's words changed before sending." },
          confidence: { type: 'number', minimum: 0, maximum: 1, description: 'The probability shown with the answer, when the verdict is on the answer shown: outcomes recalibrate confidence.' },
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

  app.post<{ Body: Omit<RouteCorrectionInput, 'agent'> }>('/v1/feedback/route', {
    config: { scope: 'write', localWithoutKeys: true },
    schema: {
      tags: ['feedback'],
      summary: "Record that a message belonged under another label of a field (the right queue, category or priority): similar messages move to it at once, and its categorizer is retrained after enough corrections",
      description: 'Answers 201 with the stored correction, and `retraining` with the background job when this correction made the field\'s corrections since its last training reach `retrainAfterCorrections`.',
      security,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'field', 'label'],
        properties: {
          text: { type: 'string', minLength: 1, description: 'The message as triaged: subject and text.' },
          field: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$', description: 'The label field corrected: queue, category, priority…' },
          label: { type: 'string', minLength: 1, maxLength: 100, description: 'The right label.' },
          was: { type: 'string', minLength: 1, maxLength: 100, description: 'The label triage gave.' },
          suggestionId: { type: 'string', maxLength: 100 },
        },
      },
      response: { 201: { type: 'object', properties: { ...correctionEntry.properties, retraining: { $ref: 'Job#' } } }, ...errors(400, 401, 403, 413, 429, 503) },
    },
    handler: async (request, reply) => {
      const kb = await service.knowledgeBase(request);
      const entry = await kb.correctRoute({ ...request.body, ...(request.apiKey ? { agent: request.apiKey.name } : {}) });
      service.metrics.feedback.inc({ helpful: 'route' });
      const after = service.limits.retrainAfterCorrections;
      const tenant = service.tenantOf(request);
      // One retraining at a time per knowledge base: corrections that arrive meanwhile join the next one.
      const busy = service.jobs.list(tenant).some((job) => job.kind === 'train' && (job.state === 'queued' || job.state === 'running'));
      const retraining =
        after !== false && !busy && (await kb.correctionsSinceTraining(entry.field)) >= after
          ? service.jobs.start('train', tenant, (report) => kb.train({ field: entry.field, onProgress: (p) => report({ phase: p.phase, done: p.done, total: p.total }) }))
          : undefined;
      return reply.status(201).send({ ...entry, ...(retraining ? { retraining } : {}) });
    },
  });

  app.get('/v1/feedback', {
    config: { scope: 'admin' },
    schema: {
      tags: ['feedback'],
      summary: 'Every recorded feedback entry and route correction, oldest first (for learning and review)',
      security,
      response: {
        200: { type: 'object', properties: { feedback: { type: 'array', items: feedbackEntry }, corrections: { type: 'array', items: correctionEntry } } },
        ...errors(401, 403, 429, 503),
      },
    },
    handler: async (request) => {
      const kb = await service.knowledgeBase(request);
      return { feedback: await kb.feedback(), corrections: await kb.routeCorrections() };
    },
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
