import type { FastifyInstance } from 'fastify';
import { sinceTime } from '@answerdesk/core';
import { errors } from '../schemas.js';

const security = [{ apiKey: [] }];
const since = { type: 'string', maxLength: 40, description: 'Only questions asked since: a time back from now (30d, 12h, 2w) or a date (2026-11-01). Default: all.' } as const;
const count = { type: 'integer', minimum: 0 } as const;

const gap = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    count,
    questions: count,
    outcomes: { type: 'object', properties: { abstained: count, rejected: count, edited: count, answered: count } },
    examples: { type: 'array', items: { type: 'string' } },
    keywords: { type: 'array', items: { type: 'string' } },
    nearest: { type: 'array', items: { $ref: 'Source#' } },
    firstAt: { type: 'string' },
    lastAt: { type: 'string' },
  },
} as const;

const section = {
  type: 'object',
  properties: { sourceId: { type: 'string' }, source: { $ref: 'Source#' }, shown: count, sent: count, edited: count, rejected: count, picked: count, sentShare: { type: 'number' } },
} as const;

/** For writers: what customers ask that the knowledge base fails to answer, and how each article section does. */
export function knowledgeRoutes(app: FastifyInstance): void {
  const service = app.answerdesk;

  // Numbers as text: query strings are not coerced here (one rule for every route), so the patterns check them.
  app.get<{ Querystring: { since?: string; min?: string; similarity?: string; limit?: string } }>('/v1/gaps', {
    config: { scope: 'read' },
    schema: {
      tags: ['knowledge'],
      summary: 'Knowledge gaps: the questions left open, or answered and then rejected or heavily edited by agents, grouped into topics, most asked first',
      description: 'Each topic has a suggested article title, its typical questions (personal details masked), the words that set it apart and the nearest existing articles. Read from the question log the service keeps of every suggest and triage.',
      security,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          since,
          min: { type: 'string', pattern: '^[1-9][0-9]{0,2}$', description: 'Fewest questions that make a topic (1–999). Default 2.' },
          similarity: { type: 'string', pattern: '^0?\\.[0-9]{1,4}$', description: "How alike (cosine, 0.1–0.99) a question must be to a topic's centre to join it. Default 0.6." },
          limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$', description: 'Most topics (1–999). Default 20.' },
        },
      },
      response: { 200: { type: 'object', properties: { since: { type: 'string' }, gaps: { type: 'array', items: gap } } }, ...errors(400, 401, 403, 429, 503) },
    },
    handler: async (request) => {
      const kb = await service.knowledgeBase(request);
      const { min, similarity, limit } = request.query;
      const from = request.query.since ? sinceTime(request.query.since) : undefined;
      // Embedding the failed questions is model time on this thread: admitted like a read, so it never starves agents' questions.
      const gaps = await service.admit(request, () =>
        kb.gaps({ ...(from ? { since: from } : {}), ...(min ? { minCount: Number(min) } : {}), ...(similarity ? { similarity: Number(similarity) } : {}), ...(limit ? { limit: Number(limit) } : {}) }),
      );
      return { ...(from ? { since: from } : {}), gaps };
    },
  });

  app.get<{ Querystring: { since?: string } }>('/v1/performance', {
    config: { scope: 'read' },
    schema: {
      tags: ['knowledge'],
      summary: 'How each article section did: times shown as the answer, sent as it was, edited, rejected, and picked instead of the answer shown',
      security,
      querystring: { type: 'object', additionalProperties: false, properties: { since } },
      response: { 200: { type: 'object', properties: { since: { type: 'string' }, sections: { type: 'array', items: section } } }, ...errors(400, 401, 403, 429, 503) },
    },
    handler: async (request) => {
      const kb = await service.knowledgeBase(request);
      const from = request.query.since ? sinceTime(request.query.since) : undefined;
      return { ...(from ? { since: from } : {}), sections: await kb.performance(from ? { since: from } : {}) };
    },
  });
}
