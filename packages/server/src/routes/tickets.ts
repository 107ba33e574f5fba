import type { FastifyInstance } from 'fastify';
import { AnswerdeskError, validateTicket, type Ticket } from '@answerdesk/core';
import { BatchError } from '../errors.js';
import { DOCUMENT_ID, changeSchema, errors, idParam } from '../schemas.js';
import { prefersAsync } from '../service.js';

const security = [{ apiKey: [] }];

/** Writes to resolved tickets: a bulk add (or replace by id) and a delete. */
export function ticketRoutes(app: FastifyInstance): void {
  const service = app.answerdesk;

  app.post<{ Body: { tickets: unknown[] } }>('/v1/tickets', {
    config: { scope: 'write' },
    schema: {
      tags: ['tickets'],
      summary: 'Add resolved tickets, or replace those with the same id; all are checked first, and nothing is written unless every one is valid',
      description: 'With `Prefer: respond-async` the tickets are checked, then written as a background job: 202 with the job at once, its result at `GET /v1/jobs/{id}` (the write is acknowledged when the job has succeeded).',
      security,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['tickets'],
        properties: {
          tickets: {
            type: 'array',
            minItems: 1,
            maxItems: service.limits.maxBatch,
            description: 'Each: { id, subject?, body?, resolution, category?, priority?, queue?, language?, createdAt?, tags?, fields? }; other keys are kept as custom fields.',
            items: { type: 'object' },
          },
        },
      },
      response: { 200: changeSchema, 202: { $ref: 'Job#' }, ...errors(400, 401, 403, 413, 429, 503) },
    },
    handler: async (request, reply) => {
      const kb = await service.knowledgeBase(request);
      const tickets: Ticket[] = [];
      const problems: AnswerdeskError[] = [];
      const seen = new Map<string, number>();
      request.body.tickets.forEach((raw, i) => {
        const check = validateTicket(raw);
        if (!check.ok) {
          problems.push(new AnswerdeskError('ADK_REQUEST_INVALID', { location: 'body', field: `"tickets[${i}]"`, reason: check.reason }));
          return;
        }
        const earlier = seen.get(check.ticket.id);
        if (earlier !== undefined) {
          problems.push(new AnswerdeskError('ADK_REQUEST_INVALID', { location: 'body', field: `"tickets[${i}]"`, reason: `repeats the id "${check.ticket.id}" of tickets[${earlier}]` }));
          return;
        }
        seen.set(check.ticket.id, i);
        tickets.push(check.ticket);
      });
      if (problems.length) throw new BatchError(problems);
      // Section ids are `articleId#anchor`: only a ticket id with a "#" can be one (looked up, not the whole batch).
      const suspects = tickets.filter((ticket) => ticket.id.includes('#'));
      const kinds = await Promise.all(suspects.map(async (ticket) => (await kb.document(ticket.id))?.kind));
      const clash = suspects.find((_ticket, i) => kinds[i] === 'article');
      if (clash) throw new AnswerdeskError('ADK_REQUEST_INVALID', { location: 'body', field: `ticket "${clash.id}"`, reason: 'has the id of an article section; give tickets their own ids' });
      const write = async (onProgress?: (p: { phase: string; done: number; total: number }) => void) => {
        const report = await kb.addTickets(tickets, onProgress ? { onProgress } : {});
        service.metrics.writes.inc({ kind: 'ticket' }, tickets.length);
        return report;
      };
      if (!prefersAsync(request.headers)) return write();
      const job = service.jobs.start('tickets', service.tenantOf(request), (report) => write(report));
      return reply.status(202).header('location', `/v1/jobs/${job.id}`).header('preference-applied', 'respond-async').send(job);
    },
  });

  app.delete<{ Params: { id: string } }>('/v1/tickets/:id', {
    config: { scope: 'write' },
    schema: {
      tags: ['tickets'],
      summary: 'Delete a ticket from the knowledge base',
      security,
      params: idParam('ticket', DOCUMENT_ID),
      response: { 200: { type: 'object', properties: { id: { type: 'string' }, removed: { type: 'integer' } } }, ...errors(401, 403, 404, 429, 503) },
    },
    handler: async (request) => {
      const kb = await service.knowledgeBase(request);
      const { id } = request.params;
      if ((await kb.document(id))?.kind !== 'ticket') throw new AnswerdeskError('ADK_TICKET_NOT_FOUND', { id });
      const removed = await kb.remove([id]);
      service.metrics.writes.inc({ kind: 'ticket' });
      return { id, removed };
    },
  });
}
