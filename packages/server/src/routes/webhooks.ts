import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AnswerdeskError, type IncomingMessage } from '@answerdesk/core';
import { errors, triageResponseSchema } from '../schemas.js';
import { genericTicket, zammadAnswer, zammadTicket, helpdeskAnswer, type WebhookOptions } from '../webhook.js';

const security = [{ apiKey: [] }];
const str = { type: 'string' } as const;
const nullable = (type: string) => ({ type: [type, 'null'] }) as const;
const named = { anyOf: [{ type: 'object' }, { type: 'string' }, { type: 'null' }] } as const;

/** Zammad's default trigger payload: only what is read is checked; Zammad sends much more (custom objects too), all allowed. */
const zammadBody = {
  type: 'object',
  description: "Zammad's default webhook payload (Zammad admin documentation, \"Webhook Payload\"): `ticket` and the `article` that fired the trigger.",
  required: ['ticket'],
  additionalProperties: true,
  properties: {
    ticket: {
      type: 'object',
      required: ['id'],
      additionalProperties: true,
      properties: {
        id: { anyOf: [{ type: 'integer' }, { type: 'string', minLength: 1, maxLength: 200 }] },
        number: { anyOf: [{ type: 'string', maxLength: 200 }, { type: 'integer' }] },
        title: nullable('string'),
        group: named,
        priority: named,
        state: named,
        organization: named,
        customer: { anyOf: [{ type: 'object' }, { type: 'string' }, { type: 'null' }] },
        created_at: nullable('string'),
      },
    },
    article: {
      type: ['object', 'null'],
      additionalProperties: true,
      properties: {
        body: nullable('string'),
        subject: nullable('string'),
        content_type: nullable('string'),
        type: nullable('string'),
        sender: nullable('string'),
        internal: nullable('boolean'),
        from: nullable('string'),
        created_at: nullable('string'),
      },
    },
  },
} as const;

const helpdeskPriority = {
  type: 'object',
  properties: { value: { type: 'string', enum: ['urgent', 'high', 'normal', 'low'] }, basis: { type: 'string', enum: ['model', 'cues', 'rules', 'default'] }, name: str, id: { type: 'integer' } },
  required: ['value', 'basis', 'name'],
} as const;

const answerSchema = (update: boolean) =>
  ({
    type: 'object',
    description: 'What the helpdesk sets on the ticket, in its own names, and the full triage it came from.',
    properties: {
      helpdesk: str,
      ticketId: { type: 'string', description: "The helpdesk's ticket id, from the payload." },
      ticketNumber: str,
      category: { type: 'string', description: 'The category, when triage is at least Medium-confident (a Low guess is only in the note).' },
      priority: { ...helpdeskPriority, description: "Answerdesk's priority (`value`), what it rests on (`basis`: the learned model, explicit cues, the routing rules, or the default when nothing said how urgent; Zammad's `update` leaves the priority alone then) and the helpdesk's `name` (and `id`) for it." },
      queue: { type: 'string', description: "Answerdesk's queue: the route's, else the queue categorizer's when at least Medium-confident." },
      group: { type: 'string', description: "The helpdesk's group for that queue (the mapping's `groups`; the queue itself without one)." },
      tags: { type: 'array', items: str },
      note: {
        type: 'object',
        description: 'An internal note for the agents: the suggested reply with its sources, then the triage and why.',
        properties: { subject: str, body: { type: 'string', description: 'Plain text.' }, html: str, internal: { type: 'boolean' } },
        required: ['subject', 'body', 'html', 'internal'],
      },
      ...(update ? { update: { type: 'object', additionalProperties: true, description: "The body of Zammad's `PUT /api/v1/tickets/{ticketId}`: group, priority (unless it is only the default), the note as an internal article (and the category attribute, when configured). Tags go through `POST /api/v1/tags/add`, one each." } } : {}),
      warnings: { type: 'array', items: str, description: 'What was read other than asked: a value left out, the text cut to fit.' },
      triage: triageResponseSchema,
    },
    required: ['helpdesk', 'priority', 'tags', 'note', 'warnings', 'triage'],
  }) as const;

const routeErrors = { ...errors(400, 401, 403, 413, 429, 503), 409: { $ref: 'Error#' } };

/**
 * Triage a ticket as a helpdesk's webhook sends it: `POST /v1/triage/zammad` (Zammad's default
 * trigger payload) and `POST /v1/triage/generic` (any JSON, read through the configured mapping).
 * Two routes rather than `?from=` on /v1/triage, so each payload has its own schema and OpenAPI entry.
 */
export function webhookRoutes(app: FastifyInstance, options: WebhookOptions): void {
  const service = app.answerdesk;
  const max = options.maxTextLength ?? 4000;

  const triage = async (request: FastifyRequest, message: IncomingMessage) => {
    const kb = await service.knowledgeBase(request);
    const result = await service.admit(request, () => kb.triage(message, service.rules ? { rules: service.rules } : {}));
    return result.suggestion ? { suggestionId: randomUUID(), ...result } : result;
  };

  app.post<{ Body: unknown }>('/v1/triage/zammad', {
    config: { scope: 'read' },
    schema: {
      tags: ['helpdesk'],
      summary: "Triage a new Zammad ticket from Zammad's trigger webhook payload: category, priority and group in Zammad's names, tags, an internal note with the suggested reply and its sources, and the ticket update to apply",
      security,
      body: zammadBody,
      response: { 200: answerSchema(true), ...routeErrors },
    },
    handler: async (request) => {
      const zammad = options.zammad ?? {};
      const ticket = zammadTicket(request.body, zammad, max);
      return zammadAnswer(ticket, await triage(request, ticket.message), zammad);
    },
  });

  app.post<{ Body: unknown }>('/v1/triage/generic', {
    config: { scope: 'read' },
    schema: {
      tags: ['helpdesk'],
      summary: "Triage a ticket from any helpdesk's webhook payload, read through the server's field mapping (webhooks.generic): category, priority and group in the helpdesk's names, tags and an internal note",
      security,
      body: { type: 'object', description: "The helpdesk's payload as it sends it; the mapping says where the text, subject, id… are.", additionalProperties: true },
      response: { 200: answerSchema(false), ...routeErrors },
    },
    handler: async (request) => {
      const mapping = options.generic;
      if (!mapping) {
        throw new AnswerdeskError('ADK_WEBHOOK_NOT_CONFIGURED', { helpdesk: 'generic', how: '`answerdesk serve --webhook-mapping mapping.json` with {"generic": {"text": "/path/to/the/text", ...}}, or the server option webhooks.generic (see the @answerdesk/server README, "Plugging into a helpdesk")' });
      }
      const ticket = genericTicket(request.body, mapping, max);
      return helpdeskAnswer(ticket, await triage(request, ticket.message), mapping);
    },
  });
}
