import type { FastifyInstance } from 'fastify';
import { AnswerdeskError, isAnswerdeskError, parseArticle, reasonOf, type Article } from '@answerdesk/core';
import { hasScope } from '../auth.js';
import { BatchError } from '../errors.js';
import { ARTICLE_ID, changeSchema, errors, idParam } from '../schemas.js';
import { prefersAsync } from '../service.js';

const security = [{ apiKey: [] }];
const FILE_PATH = '^(?!/)(?!.*\\.\\.)[^\\0]+\\.(md|markdown)$';

interface ArticleFile {
  path: string;
  markdown: string;
}

/** Parse a markdown file as sent; any error names the file. */
function parse(file: ArticleFile, defaultId?: string): Article {
  try {
    return parseArticle(file.markdown, { file: file.path, ...(defaultId ? { defaultId } : {}) });
  } catch (error) {
    if (isAnswerdeskError(error)) throw error;
    throw new AnswerdeskError('ADK_ARTICLE_FIELD_INVALID', { file: file.path, field: 'markdown', reason: `cannot be parsed: ${reasonOf(error)}` });
  }
}

const markdownFile = {
  type: 'object',
  additionalProperties: false,
  required: ['markdown'],
  properties: {
    markdown: { type: 'string', minLength: 1, description: 'The article as markdown, with optional front matter (title, category, language, tags, translationOf).' },
    path: { type: 'string', pattern: FILE_PATH, maxLength: 500, description: 'Path of the source file, shown in sources. Default `<id>.md`.' },
  },
} as const;

/** Writes to articles: put one, delete one, publish a set of markdown files. */
export function articleRoutes(app: FastifyInstance): void {
  const service = app.answerdesk;

  app.put<{ Params: { id: string }; Body: { markdown: string; path?: string } }>('/v1/articles/:id', {
    config: { scope: 'write' },
    schema: {
      tags: ['articles'],
      summary: 'Add or replace one article from its markdown; the live index is updated and saved before the reply',
      security,
      params: idParam('article', ARTICLE_ID),
      body: markdownFile,
      response: {
        200: { type: 'object', properties: { id: { type: 'string' }, created: { type: 'boolean' }, sections: { type: 'integer' }, ...changeSchema.properties } },
        ...errors(400, 401, 403, 413, 429, 503),
      },
    },
    handler: async (request) => {
      const kb = await service.knowledgeBase(request);
      const { id } = request.params;
      const path = request.body.path ?? `${id}.md`;
      const article = parse({ path, markdown: request.body.markdown }, id);
      if (article.id !== id) {
        throw new AnswerdeskError('ADK_ARTICLE_FIELD_INVALID', { file: path, field: 'id', reason: `is "${article.id}" in the front matter but the URL names "${id}"; they must match` });
      }
      // On PostgreSQL another instance may have written it meanwhile (one query when nothing changed).
      await kb.refresh();
      const created = !kb.articleIds.includes(id);
      const report = await kb.putArticles([article]);
      service.metrics.writes.inc({ kind: 'article' });
      return { id, created, sections: report.sections, updated: report.updated, unchanged: report.unchanged, removed: report.removed, embedded: report.embedded, reused: report.reused };
    },
  });

  app.delete<{ Params: { id: string } }>('/v1/articles/:id', {
    config: { scope: 'write' },
    schema: {
      tags: ['articles'],
      summary: 'Delete an article and all its sections',
      security,
      params: idParam('article', ARTICLE_ID),
      response: { 200: { type: 'object', properties: { id: { type: 'string' }, removed: { type: 'integer', description: 'Sections removed.' } } }, ...errors(401, 403, 404, 429, 503) },
    },
    handler: async (request) => {
      const removed = await (await service.knowledgeBase(request)).removeArticles([request.params.id]);
      if (removed === 0) throw new AnswerdeskError('ADK_ARTICLE_NOT_FOUND', { id: request.params.id });
      service.metrics.writes.inc({ kind: 'article' });
      return { id: request.params.id, removed };
    },
  });

  app.post<{ Body: { files: ArticleFile[]; prune?: boolean } }>('/v1/articles/publish', {
    config: { scope: 'write' },
    schema: {
      tags: ['articles'],
      summary: 'Publish a set of markdown files at once: all are checked first, and nothing is written unless every file is valid',
      description:
        'Unchanged sections cost nothing. With `prune: true` (admin scope) articles not in the set are deleted, so the knowledge base holds exactly these articles. With `Prefer: respond-async` the files are checked, then the write runs as a background job: 202 with the job at once, its result at `GET /v1/jobs/{id}` (the write is acknowledged when the job has succeeded).',
      security,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['files'],
        properties: {
          files: {
            type: 'array',
            minItems: 1,
            maxItems: service.limits.maxBatch,
            items: { ...markdownFile, required: ['path', 'markdown'] },
          },
          prune: { type: 'boolean', description: 'Delete articles not in this set. Needs the admin scope. Default false.' },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            articles: { type: 'integer' },
            sections: { type: 'integer' },
            ...changeSchema.properties,
            drafts: { type: 'array', items: { type: 'string' }, description: 'Articles left out as drafts (draft: true); one published before is withdrawn.' },
          },
        },
        202: { $ref: 'Job#' },
        ...errors(400, 401, 403, 409, 413, 429, 503),
      },
    },
    handler: async (request, reply) => {
      const kb = await service.knowledgeBase(request);
      const { files, prune } = request.body;
      if (prune && !hasScope(request.apiKey, 'admin')) {
        throw new AnswerdeskError('ADK_FORBIDDEN', { key: request.apiKey?.name ?? '(none)', scope: 'admin', route: 'a publish with prune' });
      }
      const articles: Article[] = [];
      const problems: AnswerdeskError[] = [];
      for (const file of files) {
        try {
          articles.push(parse(file));
        } catch (error) {
          if (!isAnswerdeskError(error)) throw error;
          problems.push(error);
        }
      }
      if (problems.length) throw new BatchError(problems);
      // Drafts are never published, as with a folder: left out, said in the reply, and withdrawn if they were published.
      const drafts = articles.filter((article) => article.draft === true).map((article) => article.id);
      const ready = articles.filter((article) => article.draft !== true);
      const write = async (onProgress?: (p: { phase: string; done: number; total: number }) => void) => {
        const report = await kb.putArticles(ready, { prune: prune ?? false, ...(onProgress ? { onProgress } : {}) });
        const withdrawn = drafts.length && !prune ? await kb.removeArticles(drafts) : 0;
        service.metrics.writes.inc({ kind: 'article' }, ready.length);
        return { ...report, removed: report.removed + withdrawn, ...(drafts.length ? { drafts } : {}) };
      };
      if (!prefersAsync(request.headers)) return write();
      const job = service.jobs.start('publish', service.tenantOf(request), (report) => write(report));
      return reply.status(202).header('location', `/v1/jobs/${job.id}`).header('preference-applied', 'respond-async').send(job);
    },
  });
}
