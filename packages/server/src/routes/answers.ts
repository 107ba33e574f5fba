import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AnswerdeskError, type DocFilter, type IncomingMessage, type KnowledgeDoc, type KnowledgeService, type SearchMode, type Source, type Suggestion } from '@answerdesk/core';
import { DOCUMENT_ID, errors, filterSchema, idParam, languageCode, textSchema, triageBodySchema, triageResponseSchema } from '../schemas.js';
import { checkFilter } from '../service.js';

const security = [{ apiKey: [] }];
const readErrors = errors(400, 401, 403, 413, 429, 503);

/** What an agent or a client sees of a document: never internal hashes or labels. */
export function documentView(doc: KnowledgeDoc): { id: string; kind: string; title: string; category?: string; language: string; tags: string[]; text: string; answer: string; source: Source } {
  return {
    id: doc.id,
    kind: doc.kind,
    title: doc.title,
    ...(doc.category ? { category: doc.category } : {}),
    language: doc.language,
    tags: doc.tags,
    text: doc.text,
    answer: doc.answer,
    source: doc.source,
  };
}

/**
 * Keep the question in the knowledge base's log (for gaps and article performance) without holding
 * up the reply: the agent is waiting, and a log entry lost to a failing disk is not worth an error.
 */
function logQuestion(app: FastifyInstance, kb: KnowledgeService, suggestion: Suggestion, id: string, via: 'suggest' | 'triage'): void {
  kb.recordQuestion(suggestion, { id, via }).catch((error: unknown) => app.log.warn({ err: error }, 'the question could not be logged'));
}

/** The read routes: suggest, search, triage, categorize and one document. */
export function answerRoutes(app: FastifyInstance): void {
  const service = app.answerdesk;

  app.post<{ Body: { text: string; filter?: DocFilter; alternatives?: number; language?: string; brand?: string; channel?: string; pick?: Array<{ question: number; sourceId: string }>; canned?: string } }>('/v1/suggest', {
    config: { scope: 'read' },
    schema: {
      tags: ['answers'],
      summary: 'Read a customer message, answer each question in it with its source and calibrated confidence (or abstain), and draft the reply',
      security,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: {
          text: textSchema,
          filter: filterSchema,
          alternatives: { type: 'integer', minimum: 0, maximum: 10, description: 'Next-best sources to list. Default 3.' },
          language: { ...languageCode, description: "The customer's language, when the helpdesk knows it. Default: detected from the text." },
          brand: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: "Brand whose reply templates the draft uses. Default: templates without a brand." },
          channel: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'Channel of the reply (email, chat): picks templates written for it.' },
          pick: {
            type: 'array',
            maxItems: 16,
            description: "Sources the agent picked, by question (0 = the first): each becomes its question's answer and the draft is rebuilt with it.",
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['question', 'sourceId'],
              properties: { question: { type: 'integer', minimum: 0, maximum: 15 }, sourceId: { type: 'string', minLength: 1, maxLength: 200 } },
            },
          },
          canned: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'A canned reply to draft instead of the answers: off-topic, spam, need-details, not-covered, looking-into-it, or one the templates name.' },
        },
      },
      response: { 200: { $ref: 'Suggestion#' }, ...readErrors },
    },
    handler: async (request) => {
      const kb = await service.knowledgeBase(request);
      const { text, filter, alternatives, language, brand, channel, pick, canned } = request.body;
      const suggestion = await service.admit(
        request,
        async () =>
          kb.suggest(text, {
            filter: await checkFilter(kb, filter),
            ...(alternatives !== undefined ? { alternatives } : {}),
            ...(language ? { language } : {}),
            ...(brand ? { brand: brand.toLowerCase() } : {}),
            ...(channel ? { channel: channel.toLowerCase() } : {}),
            ...(pick?.length ? { pick } : {}),
            ...(canned ? { canned } : {}),
          }),
      );
      const suggestionId = randomUUID();
      // A rebuilt draft (a pick, a canned reply) is the same message again: logged once, when first asked.
      if (!pick?.length && !canned) logQuestion(app, kb, suggestion, suggestionId, 'suggest');
      return { suggestionId, ...suggestion };
    },
  });

  app.post<{ Body: { text: string; k?: number; mode?: SearchMode; filter?: DocFilter; language?: string } }>('/v1/search', {
    config: { scope: 'read' },
    schema: {
      tags: ['answers'],
      summary: 'Rank article sections and tickets for a text (hybrid, vector or lexical)',
      security,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: {
          text: textSchema,
          k: { type: 'integer', minimum: 1, maximum: 100, description: 'Number of hits. Default 5.' },
          mode: { type: 'string', enum: ['hybrid', 'vector', 'lexical'], description: 'Default hybrid.' },
          filter: filterSchema,
          language: { ...languageCode, description: "The customer's language, when the helpdesk knows it. Default: detected from the text." },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            query: { type: 'string' },
            mode: { type: 'string' },
            language: { $ref: 'QueryLanguage#' },
            notes: { type: 'array', items: { type: 'string' } },
            tookMs: { type: 'number' },
            hits: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  rank: { type: 'integer' },
                  score: { type: 'number' },
                  similarity: { type: 'number' },
                  lexicalScore: { type: 'number' },
                  coverage: { type: 'number', description: "Share of the text's words found in the document." },
                  matched: { type: 'string', description: 'The section that matched, when the hit shows it in another language.' },
                  document: { $ref: 'Document#' },
                },
              },
            },
          },
        },
        ...readErrors,
      },
    },
    handler: async (request) => {
      const kb = await service.knowledgeBase(request);
      const { text, k, mode, filter, language } = request.body;
      const result = await service.admit(request, async () => kb.search(text, { ...(k ? { k } : {}), ...(mode ? { mode } : {}), filter: await checkFilter(kb, filter), ...(language ? { language } : {}) }));
      return {
        query: result.query,
        mode: result.mode,
        language: result.language,
        ...(result.notes ? { notes: result.notes } : {}),
        tookMs: result.tookMs,
        hits: result.hits.map((hit) => ({
          rank: hit.rank,
          score: hit.score,
          ...(hit.similarity !== undefined ? { similarity: hit.similarity } : {}),
          ...(hit.lexicalScore !== undefined ? { lexicalScore: hit.lexicalScore } : {}),
          ...(hit.coverage !== undefined ? { coverage: hit.coverage } : {}),
          ...(hit.matched !== undefined ? { matched: hit.matched } : {}),
          document: documentView(hit.doc),
        })),
      };
    },
  });

  app.post<{ Body: IncomingMessage & { suggest?: boolean; languages?: string[]; filter?: DocFilter } }>('/v1/triage', {
    config: { scope: 'read' },
    schema: {
      tags: ['answers'],
      summary: 'Everything about one incoming message: category, priority, language, route with its explanation, and the suggested answer',
      security,
      body: triageBodySchema,
      response: { 200: triageResponseSchema, ...readErrors, 409: { $ref: 'Error#' } },
    },
    handler: async (request) => {
      const kb = await service.knowledgeBase(request);
      const { suggest, languages, filter, ...message } = request.body;
      const result = await service.admit(
        request,
        async () => kb.triage(message, {
          ...(service.rules ? { rules: service.rules } : {}),
          ...(suggest !== undefined ? { suggest } : {}),
          ...(languages ? { languages } : {}),
          filter: await checkFilter(kb, filter),
        }),
      );
      if (!result.suggestion) return result;
      const suggestionId = randomUUID();
      logQuestion(app, kb, result.suggestion, suggestionId, 'triage');
      return { suggestionId, ...result };
    },
  });

  app.post<{ Body: { texts: string[]; field?: string } }>('/v1/categorize', {
    config: { scope: 'read' },
    schema: {
      tags: ['answers'],
      summary: 'Categorize texts with a trained categorizer (category, queue, priority…)',
      security,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['texts'],
        properties: {
          texts: { type: 'array', minItems: 1, maxItems: service.limits.maxCategorize, items: textSchema },
          field: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$', description: 'Label field. Default category.' },
        },
      },
      response: {
        200: { type: 'object', properties: { field: { type: 'string' }, predictions: { type: 'array', items: { $ref: 'LabelPrediction#' } } } },
        ...readErrors,
        409: { $ref: 'Error#' },
      },
    },
    handler: async (request) => {
      const kb = await service.knowledgeBase(request);
      const field = request.body.field ?? 'category';
      const predictions = await service.admit(request, () => kb.categorize(request.body.texts, { field }));
      return { field, predictions };
    },
  });

  app.get<{ Params: { id: string } }>('/v1/documents/:id', {
    config: { scope: 'read' },
    schema: {
      tags: ['answers'],
      summary: 'One article section (`articleId#anchor`, with # sent as %23) or ticket, as cited by a suggestion',
      security,
      params: idParam('section or ticket', DOCUMENT_ID),
      response: { 200: { $ref: 'Document#' }, ...errors(400, 401, 403, 404, 429, 503) },
    },
    handler: async (request) => {
      const doc = await (await service.knowledgeBase(request)).document(request.params.id);
      if (!doc) throw new AnswerdeskError('ADK_DOCUMENT_NOT_FOUND', { id: request.params.id });
      return documentView(doc);
    },
  });
}
