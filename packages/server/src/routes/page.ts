import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

// `page/` sits beside `src/` and `dist/`, so this resolves from either.
const PAGE_DIR = new URL('../../page/', import.meta.url);

/** Scripts and styles only from this origin; no inline code, so text from articles or tickets can never run. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const FILES = [
  { route: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: '/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { route: '/app.css', file: 'app.css', type: 'text/css; charset=utf-8' },
] as const;

/** The agent page: three static files, read once at start. */
export async function pageRoutes(app: FastifyInstance): Promise<void> {
  for (const { route, file, type } of FILES) {
    const content = await readFile(new URL(file, PAGE_DIR));
    app.get(route, {
      config: { scope: 'public' },
      schema: { hide: true },
      handler: async (_request, reply) =>
        reply.type(type).header('content-security-policy', CSP).header('referrer-policy', 'no-referrer').header('cache-control', 'no-cache').send(content),
    });
  }
}
