import { AnswerdeskError, checkRuleLabels, loadRules, reasonOf, sinceTime, type Encoder } from '@answerdesk/core';
import { knownLabels } from './rules.js';
import { readJsonFile } from './json-file.js';
import { describeUrl } from '@answerdesk/postgres';
import { createServer, parseApiKeys, type ApiKeyConfig, type ServerOptions } from '@answerdesk/server';
import type { Io } from './io.js';

export interface ServeCli {
  port: number;
  host: string;
  rules?: string;
  keys?: string;
  /** Helpdesk webhook options (`ServerOptions.webhooks`) as JSON. */
  webhookMapping?: string;
  bodyLimit?: number;
  rateLimit: number | false;
  /** Suggest/search/triage/categorize requests worked on at once, and waiting; 0 in-flight turns load shedding off. */
  maxInFlight?: number;
  maxQueue?: number;
  log?: boolean;
  openReads?: boolean;
  /** Only agents' feedback and route corrections from then on count (an admin's reset). */
  learningSince?: string;
  /** `--no-learning`: agents' feedback moves nothing. */
  learning?: boolean;
}

/** API keys from a JSON file: `{"keys": [{"name", "scopes", "key" | "sha256", "rateLimit"?}]}` or the bare list. */
async function readKeysFile(file: string): Promise<ApiKeyConfig[]> {
  const value = await readJsonFile(file, '--keys');
  const list = Array.isArray(value) ? value : (value as { keys?: unknown })?.keys;
  if (!Array.isArray(list)) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: '--keys', reason: `${file} must hold {"keys": [{"name", "scopes", "key" or "sha256"}]}` });
  return list as ApiKeyConfig[];
}

/** `--webhook-mapping`: the server's `webhooks` option as JSON; its content is checked by the server at start. */
async function readWebhookMapping(file: string): Promise<unknown> {
  return readJsonFile(file, '--webhook-mapping');
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Resolves on SIGINT/SIGTERM, or when the caller's signal aborts (tests). */
function stopRequested(signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(why);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (signal?.aborted) done('abort');
    signal?.addEventListener('abort', () => done('abort'), { once: true });
  });
}

/** What `serve` serves: a store folder, or the knowledge bases of a PostgreSQL database (`knowledgeBase`: the default one). */
export type ServeSource = { store: string } | { database: { url: string; knowledgeBase: string } };

/** `answerdesk serve`: the HTTP service and the agent page, until SIGINT/SIGTERM. */
export async function serve(source: ServeSource, options: ServeCli, io: Io & { stop?: AbortSignal }, model: { encoder: Encoder; defaultLanguage?: string }): Promise<void> {
  const keys = [...(options.keys ? await readKeysFile(options.keys) : []), ...(io.env.ANSWERDESK_API_KEYS ? parseApiKeys(io.env.ANSWERDESK_API_KEYS) : [])];
  const database = 'database' in source ? source.database : undefined;
  // Never the password: messages name the database by user, host, port and name.
  const what = database ? `knowledge base "${database.knowledgeBase}" in ${describeUrl(database.url)}` : `the store ${(source as { store: string }).store}`;
  const serverOptions: ServerOptions = {
    ...(database ? { database } : { store: (source as { store: string }).store }),
    // USE-lite embeds writes of 16+ passages in worker threads, so questions keep being answered meanwhile.
    encoder: model.encoder,
    knowledgeBaseOptions: {
      ...(model.defaultLanguage ? { defaultLanguage: model.defaultLanguage } : {}),
      ...(options.learning === false ? { learning: { enabled: false } } : options.learningSince ? { learning: { since: sinceTime(options.learningSince) } } : {}),
    },
    keys,
    warmUp: true,
    ...(options.openReads ? { openReads: true } : {}),
    ...(options.rules ? { rules: await loadRules(options.rules) } : {}),
    ...(options.webhookMapping ? { webhooks: (await readWebhookMapping(options.webhookMapping)) as ServerOptions['webhooks'] } : {}),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    rateLimit: options.rateLimit === false ? false : { max: options.rateLimit },
    ...(options.maxInFlight === 0
      ? { overload: false as const }
      : options.maxInFlight !== undefined || options.maxQueue !== undefined
        ? { overload: { ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}), ...(options.maxQueue !== undefined ? { maxQueue: options.maxQueue } : {}) } }
        : {}),
    logger: options.log ? { level: 'info' } : false,
  };
  const app = await createServer(serverOptions);
  try {
    const address = await app.listen({ port: options.port, host: options.host });
    const shown = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    io.stderr(`Answerdesk is listening on ${shown} (agent page: ${shown}/, API docs: ${shown}/docs)\n`);
    if (keys.length === 0) io.stderr('No API keys: reads are open, writes are refused. Set ANSWERDESK_API_KEYS=name:read+write:<secret> to allow writes.\n');
    const openReads = keys.length === 0 || options.openReads;
    if (!LOOPBACK.has(options.host) && openReads) io.stderr(`Warning: listening on ${options.host} and reads need no key, so anyone who can reach it can read the knowledge base.\n`);
    io.stderr(`Loading the model and ${what}${database ? ' (pending migrations are applied first)' : ''}…\n`);
    app.answerdesk.ready().then(
      (kb) => {
        const stats = kb.stats;
        io.stderr(`Ready${database ? ` (${database.knowledgeBase}; keys naming other knowledge bases open theirs on first use)` : ''}: ${kb.articleIds.length} articles (${stats.articles} sections), ${stats.tickets} tickets, categorizers: ${kb.categorizerFields.join(', ') || 'none'}.\n`);
        // A rule naming a label nothing predicts never fires: almost always a typo ("fruad").
        if (serverOptions.rules) {
          const rules = serverOptions.rules;
          void knownLabels(kb).then((known) => {
            for (const warning of checkRuleLabels(rules, known)) io.stderr(`warning: routing rules ${rules.file}: ${warning.message}\n`);
          });
        }
        if (stats.documents === 0) {
          const index = database ? `answerdesk --database-url <url> --knowledge-base ${database.knowledgeBase} index docs-content` : `answerdesk index docs-content --store ${(source as { store: string }).store}`;
          io.stderr(`The ${database ? 'knowledge base' : 'store'} is empty: run \`${index}\`, or publish articles through the API.\n`);
        }
      },
      (error: unknown) => io.stderr(`error ${error instanceof AnswerdeskError ? `${error.code}: ` : ''}${reasonOf(error)}\n`),
    );
    const why = await stopRequested(io.stop);
    io.stderr(`Stopping (${why}): finishing requests and writes in flight…\n`);
  } finally {
    await app.close();
  }
}
