import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { AnswerdeskError, UseLiteEncoder, openStoreFolder, type KnowledgeService } from '@answerdesk/core';
import type { PgKnowledgeBaseOptions } from '@answerdesk/core/postgres';
import { KNOWLEDGE_BASE_ID, authenticate, hasScope, prepareKeys, type ApiKey, type Scope } from './auth.js';
import { Admission } from './admission.js';
import { handleClientError, handleExpectation } from './client-errors.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { Jobs } from './jobs.js';
import { createMetrics } from './metrics.js';
import { resolveLimits, type Database, type ServerOptions } from './options.js';
import { answerRoutes } from './routes/answers.js';
import { articleRoutes } from './routes/articles.js';
import { feedbackRoutes } from './routes/feedback.js';
import { knowledgeRoutes } from './routes/knowledge.js';
import { isLoopback } from './loopback.js';
import { jobRoutes } from './routes/jobs.js';
import { pageRoutes } from './routes/page.js';
import { statusRoutes } from './routes/status.js';
import { ticketRoutes } from './routes/tickets.js';
import { webhookRoutes } from './routes/webhooks.js';
import { checkWebhookOptions } from './webhook.js';
import { sharedSchemas } from './schemas.js';
import { Loader, Tenants, within, type AnswerdeskService } from './service.js';

/**
 * Answered before the service reports ready (nothing is recorded): the first agent's question then
 * pays for nothing the service could do first (the language detector, the vector graph, the spellers,
 * the first past resolutions parsed; bench/ingest's suggest: 1.6 s at 100k tickets).
 */
const WARM_UP_QUESTIONS = ['Where is my order?', 'I would like a refund for my last payment.', 'How do I reset my password?', 'My card was charged twice.', 'Can I cancel my subscription?'];

declare module 'fastify' {
  interface FastifyInstance {
    answerdesk: AnswerdeskService;
  }
  interface FastifyRequest {
    /** The API key the request presented, if any. */
    apiKey?: ApiKey;
    /** It presented a key that is not one of the server's (answered 401 after the rate limiter counted it). */
    authFailed: boolean;
    /** `performance.now()` when the request reached us: its timeout counts from here. */
    arrivedAt: number;
  }
  interface FastifyContextConfig {
    /** Who may call the route: `public` (anyone), or an API key scope. */
    scope?: Scope | 'public';
    /**
     * Also accepted without a key from this machine while the server has no keys at all (a default
     * `answerdesk serve`): the agent page's feedback, which would otherwise never be collected.
     */
    localWithoutKeys?: boolean;
  }
}

function checkPositive(option: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new AnswerdeskError('ADK_OPTION_INVALID', { option, reason: 'must be a positive whole number' });
}

const invalid = (option: string, reason: string) => new AnswerdeskError('ADK_OPTION_INVALID', { option, reason });

/** Where the knowledge bases come from, checked before anything is opened. */
function checkSource(options: ServerOptions, keys: readonly ApiKey[]): string | undefined {
  const { database } = options;
  if (!database) {
    // A store folder (or one given knowledge base) is one knowledge base: a key cannot pick another.
    const i = keys.findIndex((key) => key.knowledgeBase !== undefined);
    if (i >= 0) {
      const what = options.knowledgeBase ? `the knowledge base it was given (${options.knowledgeBase.location})` : `the store folder ${options.store ?? '.answerdesk'}`;
      throw invalid(`keys[${i}].knowledgeBase`, `names the knowledge base "${keys[i]!.knowledgeBase}", but this server serves one knowledge base, ${what}; keys name knowledge bases (tenants) only on PostgreSQL: start it with --database-url (the database option)`);
    }
    return undefined;
  }
  if (options.knowledgeBase) throw invalid('database', 'cannot be combined with knowledgeBase: pass an open knowledge base, or a database to open knowledge bases in');
  if (options.store !== undefined) throw invalid('database', 'cannot be combined with store: the knowledge bases are in the database, not in a folder');
  if (typeof database !== 'object' || (database.url === undefined) === (database.database === undefined)) {
    throw invalid('database', 'needs either url (postgres://user:password@host:5432/database) or an open database');
  }
  const id = database.knowledgeBase ?? 'default';
  if (typeof id !== 'string' || !KNOWLEDGE_BASE_ID.test(id)) throw invalid('database.knowledgeBase', 'must be a knowledge-base id: 1–64 letters, digits, ".", "_" or "-"');
  return id;
}

const noKeysHint = '; this server has no API keys yet: start it with ANSWERDESK_API_KEYS=name:read+write:<secret> (see the README)';

/**
 * The Answerdesk HTTP service: a fastify instance with every route, its
 * schemas, auth, limits, metrics, the OpenAPI document and the agent page.
 * It returns at once; a store it opens loads in the background
 * (`app.answerdesk.ready()`), and requests meanwhile get ADK_NOT_READY.
 */
export async function createServer(options: ServerOptions = {}): Promise<FastifyInstance> {
  const limits = resolveLimits(options);
  checkPositive('bodyLimit', limits.bodyLimit);
  checkPositive('requestTimeoutMs', limits.requestTimeoutMs);
  checkPositive('maxBatch', limits.maxBatch);
  checkPositive('maxCategorize', limits.maxCategorize);
  if (limits.rateLimit) {
    checkPositive('rateLimit.max', limits.rateLimit.max);
    checkPositive('rateLimit.windowMs', limits.rateLimit.windowMs);
  }
  const keys = prepareKeys(options.keys ?? []);
  const webhooks = checkWebhookOptions(options.webhooks);
  const defaultTenant = checkSource(options, keys);
  const openReads = options.openReads ?? keys.length === 0;
  const owned = !options.knowledgeBase;

  // On PostgreSQL: one connection and one encoder for every tenant; the default tenant's open applies pending migrations.
  let db: Database | undefined;
  let ownsDatabase = false;
  const encoder = options.encoder ?? (options.database ? new UseLiteEncoder() : undefined);
  const pgOptions = (tenant: string, migrate: boolean): PgKnowledgeBaseOptions => {
    return { ...options.knowledgeBaseOptions, ...(encoder ? { encoder } : {}), database: db!, ...(options.database?.url ? { databaseUrl: options.database.url } : {}), knowledgeBase: tenant, migrate };
  };
  const openDefault = async (): Promise<KnowledgeService> => {
    if (options.knowledgeBase) return options.knowledgeBase;
    if (defaultTenant === undefined) {
      // The vector index is read (or built) while the service loads, not on the first question.
      return openStoreFolder({ loadVectors: true, ...options.knowledgeBaseOptions, ...(options.store !== undefined ? { store: options.store } : {}), ...(encoder ? { encoder } : {}) });
    }
    // PostgreSQL's client is loaded only by a service that uses it.
    const { PgKnowledgeBase, connect } = await import('@answerdesk/core/postgres');
    if (options.database!.database) db = options.database!.database;
    else {
      db = await connect(options.database!.url!);
      ownsDatabase = true;
    }
    return PgKnowledgeBase.open(pgOptions(defaultTenant, true));
  };
  const loader = new Loader(async () => {
    const kb = await openDefault();
    if (options.warmUp) {
      await kb.triage({ text: WARM_UP_QUESTIONS[0]! }, { suggest: false });
      for (const question of WARM_UP_QUESTIONS) await kb.suggest(question);
      await kb.warmUp();
    }
    return kb;
  });
  const tenants = defaultTenant === undefined ? undefined : new Tenants(loader, defaultTenant, async (id) => (await import('@answerdesk/core/postgres')).PgKnowledgeBase.open(pgOptions(id, false)));
  const opened = () => [...(loader.current ? [loader.current] : []), ...(tenants?.current() ?? [])];
  const jobs = new Jobs();
  const { overload } = limits;
  let admission: Admission | undefined;
  const metrics = createMetrics(opened, () => loader.current !== undefined, () => ({ ...(admission?.load ?? { inFlight: 0, queued: 0 }), jobs: jobs.pending }));
  if (overload) {
    checkPositive('overload.maxInFlight', overload.maxInFlight);
    checkPositive('overload.maxEventLoopDelayMs', overload.maxEventLoopDelayMs);
    checkPositive('overload.retryAfterSeconds', overload.retryAfterSeconds);
    if (!(Number.isInteger(overload.maxQueue) && overload.maxQueue >= 0)) throw invalid('overload.maxQueue', 'must be a whole number ≥ 0');
    admission = new Admission(
      overload,
      { queued: (seconds) => metrics.queueWait.observe(seconds), shed: (reason) => metrics.shed.inc({ reason }) },
      overload.retryAfterSeconds,
    );
  }

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: limits.bodyLimit,
    // Time to receive a whole request; slow clients cannot hold a connection forever.
    requestTimeout: 30_000,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
    // Section ids (`articleId#anchor-from-a-long-heading`) often pass the router's default of 100 characters; the route schemas cap ids at 200.
    routerOptions: { maxParamLength: 500 },
    // Errors the router raises before any route runs (bad URL encoding, an over-long id) get the same coded body.
    frameworkErrors: (error, request, reply) => errorHandler(limits.bodyLimit)(error, request, reply),
    // Requests Node's HTTP parser rejects (bad framing, oversized headers, unknown methods) get our coded body too.
    clientErrorHandler: handleClientError,
  });
  app.server.on('checkExpectation', handleExpectation);
  const tenantOf = (caller?: { apiKey?: ApiKey | undefined }) => (defaultTenant === undefined ? undefined : (caller?.apiKey?.knowledgeBase ?? defaultTenant));
  const service: AnswerdeskService = {
    ready: () => loader.promise,
    knowledgeBase: async (caller) => (tenants ? tenants.get(tenantOf(caller)) : loader.require()),
    loaded: () => loader.current,
    opened,
    tenantOf,
    keys,
    openReads,
    limits,
    ...(options.rules ? { rules: options.rules } : {}),
    metrics,
    jobs,
    admit: (request, work) => {
      const deadline = request.arrivedAt + limits.requestTimeoutMs;
      const limit = <T>(running: Promise<T>) => within(Math.max(1, deadline - performance.now()), running, limits.requestTimeoutMs);
      return admission ? admission.run(deadline, work, limit) : limit(work());
    },
  };
  app.decorate('answerdesk', service);
  app.decorateRequest('apiKey', undefined);
  app.decorateRequest('authFailed', false);
  app.decorateRequest('arrivedAt', 0);
  // JSON only: a text/plain body would otherwise reach the schema as a string and get a vaguer error.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(errorHandler(limits.bodyLimit));
  app.setNotFoundHandler(notFoundHandler);
  for (const schema of sharedSchemas) app.addSchema(schema);

  // Who is asking, first: the rate limiter counts by key, and a wrong key by address, so failed authentications count too.
  app.addHook('onRequest', async (request) => {
    request.arrivedAt = performance.now();
    if ((request.routeOptions.config?.scope ?? 'public') === 'public') return;
    const presented = authenticate(keys, request.headers);
    if (presented === 'invalid') request.authFailed = true;
    else request.apiKey = presented;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
  app.addHook('onClose', async () => {
    // A running job finishes first: its writes are acknowledged work.
    await jobs.idle();
    const kb = await loader.promise.catch(() => undefined);
    await tenants?.close();
    // Closing waits for acknowledged writes in flight; a knowledge base given to us stays open.
    if (kb && owned) await kb.close();
    // A database given to us stays open too.
    if (db && ownsDatabase) await db.close();
  });

  if (overload) {
    // A lagging event loop answers every request late: refuse work (never health, readiness or metrics) until it recovers.
    // Sampled as often as the limit: under-pressure reads a loop blocked for a whole interval as an infinite lag, so a
    // shorter interval would shed after any stall longer than it. Readings during start-up (schemas compiled, models
    // loaded) are ignored: that stall is over once the server is ready.
    const interval = Math.max(250, overload.maxEventLoopDelayMs);
    let enforceFrom = Infinity;
    let started = 0;
    const startedPart = () => {
      // Both the server and its (default) knowledge base must be up: loading a store and a model blocks the loop too.
      if (++started === 2) enforceFrom = performance.now() + 2 * interval;
    };
    app.addHook('onReady', async () => startedPart());
    void loader.promise.then(startedPart, startedPart);
    await app.register(underPressure, {
      maxEventLoopDelay: overload.maxEventLoopDelayMs,
      sampleInterval: interval,
      pressureHandler: (request, _reply, type, value) => {
        if ((request.routeOptions.config?.scope ?? 'public') === 'public' || performance.now() < enforceFrom) return undefined;
        metrics.shed.inc({ reason: 'event_loop' });
        const reason = type === 'eventLoopDelay' ? (Number.isFinite(value) ? `the event loop lags ${Math.round(Number(value))} ms` : 'the event loop is blocked') : `${type} is over its limit`;
        throw new AnswerdeskError('ADK_OVERLOADED', { reason, retryAfter: overload.retryAfterSeconds });
      },
    });
  }

  if (limits.rateLimit) {
    const { max, windowMs } = limits.rateLimit;
    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      timeWindow: windowMs,
      max: (request) => request.apiKey?.rateLimit ?? max,
      keyGenerator: (request) => (request.apiKey ? `key:${request.apiKey.name}` : `ip:${request.ip}`),
      allowList: (request) => (request.routeOptions.config?.scope ?? 'public') === 'public',
      errorResponseBuilder: (request, context) =>
        new AnswerdeskError('ADK_RATE_LIMITED', {
          who: request.apiKey ? `key "${request.apiKey.name}"` : `address ${request.ip}`,
          max: context.max,
          window: windowMs % 60_000 === 0 ? `${windowMs / 60_000} min` : `${windowMs / 1000} s`,
          retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)),
        }),
    });
  }

  // Authorization runs per route after the rate limiter (which adds its check to each route), so refused keys are counted.
  const authorize = async (request: FastifyRequest) => {
    const scope = request.routeOptions.config?.scope ?? 'public';
    if (scope === 'public') return;
    const presented = request.apiKey;
    if (request.authFailed) throw new AnswerdeskError('ADK_UNAUTHORIZED', { scope, hint: keys.length ? ': the key given is not one of this server\'s keys' : noKeysHint });
    if (scope === 'read' && openReads && !presented) return;
    if (!presented && keys.length === 0 && request.routeOptions.config?.localWithoutKeys && isLoopback(request.socket.remoteAddress)) return;
    if (!presented) throw new AnswerdeskError('ADK_UNAUTHORIZED', { scope, hint: keys.length ? '' : noKeysHint });
    if (!hasScope(presented, scope)) throw new AnswerdeskError('ADK_FORBIDDEN', { key: presented.name, scope, route: `${request.method} ${request.routeOptions.url}` });
  };
  app.addHook('onRoute', (route) => {
    route.onRequest = [...[route.onRequest ?? []].flat(), authorize];
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Answerdesk',
        version: '1',
        description: 'Suggested answers with sources, triage and routing for support agents. Errors are `{ error: { code, status, message, details } }`.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key with the scope the route needs (read, write or admin).' } } },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // No validator badge: it would load an image from validator.swagger.io.
    uiConfig: { docExpansion: 'list', deepLinking: true, validatorUrl: null },
    // The docs page gets a Content-Security-Policy its UI works under: scripts only from this server; the UI inserts
    // <style> elements, so inline styles are allowed (never inline scripts); no upgrade-insecure-requests, which
    // would break the page on a plain-HTTP address other than localhost.
    staticCSP: true,
    transformStaticCSP: (header) =>
      header
        .replace(/style-src [^;]*;/, "style-src 'self' 'unsafe-inline';")
        .replace(/img-src [^;]*;/, "img-src 'self' data:;")
        .replace(/\s*upgrade-insecure-requests;?/, '')
        .replace(/script-src 'self'\s*;/, "script-src 'self';"),
  });

  statusRoutes(app);
  answerRoutes(app);
  // A webhook's text is cut to what the knowledge base triages, so a long e-mail thread is triaged instead of refused.
  webhookRoutes(app, { ...webhooks, maxTextLength: webhooks.maxTextLength ?? options.knowledgeBaseOptions?.maxQueryLength ?? 4000 });
  articleRoutes(app);
  ticketRoutes(app);
  feedbackRoutes(app);
  knowledgeRoutes(app);
  jobRoutes(app);
  if (options.page ?? true) await pageRoutes(app);
  return app;
}
