#!/usr/bin/env node
// A bridge between Zammad and Answerdesk, with no dependencies (Node 20: fetch, node:http).
//
// Zammad's trigger webhook posts each new ticket here; the bridge answers at once (202), asks
// Answerdesk (POST /v1/triage/zammad, the payload exactly as Zammad sent it) and writes the answer
// back through Zammad's REST API: `PUT /api/v1/tickets/{id}` with the answer's `update` (group,
// priority, and an internal note with the suggested reply and its sources), then one
// `POST /api/v1/tags/add` per tag. A middleman is needed because Zammad ignores a webhook's response.
//
//   node examples/zammad/apply.mjs serve            the bridge (configured by the environment, see README.md)
//   node examples/zammad/apply.mjs triage FILE|-    one saved Zammad payload: triage it and apply the answer
//   node examples/zammad/apply.mjs apply FILE|-     one saved Answerdesk answer: apply it to Zammad
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {object} BridgeConfig
 * @property {string} zammadUrl        e.g. https://zammad.example.com
 * @property {string} zammadToken      an agent's access token (Zammad: Profile › Token Access; needs ticket.agent)
 * @property {string} answerdeskUrl    e.g. http://127.0.0.1:4477
 * @property {string} [answerdeskKey]  an Answerdesk API key with the read scope
 * @property {string} [secret]         the webhook's "HMAC SHA1 Signature Token": requests without a matching X-Hub-Signature are refused
 * @property {number} [retries]        times to retry Answerdesk when it is busy (429/503, after its Retry-After); default 3
 * @property {(line: string) => void} [log]
 */

const MAX_BODY = 2 * 1024 * 1024;

/** Zammad signs the raw body: `X-Hub-Signature: sha1=<hex HMAC-SHA1>` (WebSub). Compared in constant time. */
export function verifySignature(secret, rawBody, header) {
  if (typeof header !== 'string' || !header.startsWith('sha1=')) return false;
  const expected = Buffer.from(`sha1=${createHmac('sha1', secret).update(rawBody).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Only a customer's words are triaged: an agent's reply or internal note (including the note this
 * bridge adds, should a trigger fire on updates) is skipped, so the bridge never answers itself.
 */
export function shouldTriage(payload) {
  if (!payload || typeof payload !== 'object' || !payload.ticket) return { ok: false, reason: 'not a Zammad ticket payload' };
  const article = payload.article;
  if (!article) return { ok: false, reason: 'no article (the trigger fired without one)' };
  if (article.internal === true) return { ok: false, reason: 'an internal article' };
  if (article.sender && article.sender !== 'Customer') return { ok: false, reason: `an article by ${article.sender}, not by the customer` };
  return { ok: true };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function failure(what, res) {
  const text = await res.text().catch(() => '');
  let detail = text.slice(0, 500);
  try {
    const json = JSON.parse(text);
    // Answerdesk's errors are {error: {code, message}}; Zammad's {error, error_human}.
    detail = json.error?.code ? `${json.error.code}: ${json.error.message}` : json.error_human ?? json.error ?? detail;
  } catch {}
  const error = new Error(`${what} answered ${res.status}: ${detail}`);
  error.status = res.status;
  return error;
}

/** Ask Answerdesk for the answer to one Zammad payload; retries while it is busy (429/503), after the wait it asks for. */
export async function triageTicket(payload, config) {
  const retries = config.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(new URL('/v1/triage/zammad', config.answerdeskUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(config.answerdeskKey ? { authorization: `Bearer ${config.answerdeskKey}` } : {}) },
      body: JSON.stringify(payload),
    });
    if (res.ok) return res.json();
    if ((res.status === 429 || res.status === 503) && attempt < retries) {
      const wait = Math.min(30, Number(res.headers.get('retry-after') ?? 1) || 0);
      await res.body?.cancel();
      await sleep(wait * 1000);
      continue;
    }
    throw await failure('Answerdesk', res);
  }
}

/** Apply an answer of POST /v1/triage/zammad: the ticket update with its internal note, then the tags. */
export async function applyAnswer(answer, config) {
  if (!answer?.ticketId || !answer.update) throw new Error('not an answer of POST /v1/triage/zammad: it has no ticketId or update');
  const zammad = (path, method, body) =>
    fetch(new URL(path, config.zammadUrl), {
      method,
      headers: { 'content-type': 'application/json', authorization: `Token token=${config.zammadToken}` },
      body: JSON.stringify(body),
    });
  const ticket = await zammad(`/api/v1/tickets/${encodeURIComponent(answer.ticketId)}`, 'PUT', answer.update);
  if (!ticket.ok) throw await failure(`Zammad (PUT /api/v1/tickets/${answer.ticketId})`, ticket);
  await ticket.body?.cancel();
  const id = /^\d+$/.test(answer.ticketId) ? Number(answer.ticketId) : answer.ticketId;
  const tags = { added: [], failed: [] };
  // One tag failing (Zammad may forbid new tags) must not lose the others.
  for (const tag of answer.tags ?? []) {
    const res = await zammad('/api/v1/tags/add', 'POST', { item: tag, object: 'Ticket', o_id: id });
    if (res.ok) {
      tags.added.push(tag);
      await res.body?.cancel();
    } else tags.failed.push({ tag, error: (await failure('Zammad (POST /api/v1/tags/add)', res)).message });
  }
  return { ticketId: answer.ticketId, group: answer.update.group, priority: answer.priority?.name, tags };
}

/** Triage one payload and apply the answer; a line for the log either way. */
export async function handlePayload(payload, config) {
  const answer = await triageTicket(payload, config);
  const applied = await applyAnswer(answer, config);
  const failed = applied.tags.failed.map((f) => `${f.tag} (${f.error})`);
  return {
    answer,
    applied,
    line: `ticket ${answer.ticketNumber ?? answer.ticketId}: ${answer.note.subject}; group ${applied.group ?? 'unchanged'}, priority ${answer.update.priority_id !== undefined || answer.update.priority ? applied.priority : 'unchanged'}, tags ${applied.tags.added.join(', ') || 'none'}${failed.length ? `; tags not added: ${failed.join('; ')}` : ''}`,
  };
}

/**
 * The webhook receiver: checks the signature, answers Zammad at once (so its webhook never times
 * out and retries while Answerdesk works), then triages and applies in the background.
 */
export function createBridge(config) {
  const log = config.log ?? ((line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`));
  const inFlight = new Set();
  // Zammad retries a failed delivery; the same delivery id is handled once.
  const seen = new Set();
  const reply = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handler = (req, res) => {
    if (req.method === 'GET' && req.url === '/health') return reply(res, 200, { status: 'ok' });
    if (req.method !== 'POST') return reply(res, 405, { error: 'POST the Zammad webhook here' });
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return reply(res, 413, { error: `the body is over ${MAX_BODY} bytes` });
      const raw = Buffer.concat(chunks);
      if (config.secret && !verifySignature(config.secret, raw, req.headers['x-hub-signature'])) {
        log(`refused a request from ${req.socket.remoteAddress}: no valid X-Hub-Signature (set the webhook's HMAC SHA1 Signature Token to the bridge's ZAMMAD_WEBHOOK_SECRET)`);
        return reply(res, 401, { error: 'bad or missing X-Hub-Signature' });
      }
      let payload;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply(res, 400, { error: 'the body is not JSON: use the webhook\'s default payload' });
      }
      const delivery = req.headers['x-zammad-delivery'];
      if (typeof delivery === 'string') {
        if (seen.has(delivery)) return reply(res, 200, { duplicate: delivery });
        seen.add(delivery);
        if (seen.size > 10_000) seen.delete(seen.values().next().value);
      }
      const verdict = shouldTriage(payload);
      if (!verdict.ok) return reply(res, 200, { skipped: verdict.reason });
      reply(res, 202, { accepted: true });
      const job = handlePayload(payload, config).then(
        ({ line }) => log(line),
        (error) => log(`ticket ${payload.ticket?.number ?? payload.ticket?.id}: not triaged: ${error.message}`),
      );
      inFlight.add(job);
      job.finally(() => inFlight.delete(job));
    });
  };
  return { handler, settled: () => Promise.all([...inFlight]).then(() => undefined) };
}

function configFromEnv(env, needs) {
  const config = {
    zammadUrl: env.ZAMMAD_URL,
    zammadToken: env.ZAMMAD_TOKEN,
    answerdeskUrl: env.ANSWERDESK_URL ?? 'http://127.0.0.1:4477',
    answerdeskKey: env.ANSWERDESK_KEY,
    secret: env.ZAMMAD_WEBHOOK_SECRET,
  };
  const missing = needs.filter((name) => !env[name]);
  if (missing.length) throw new Error(`set ${missing.join(' and ')} (see examples/zammad/README.md)`);
  return config;
}

async function readJson(file) {
  const text = file === '-' ? await new Response(process.stdin).text() : await readFile(file, 'utf8');
  return JSON.parse(text);
}

async function main([command, file], env) {
  if (command === 'serve') {
    const config = configFromEnv(env, ['ZAMMAD_URL', 'ZAMMAD_TOKEN']);
    if (!config.secret) process.stderr.write('warning: ZAMMAD_WEBHOOK_SECRET is not set, so anyone who can reach the bridge can have tickets triaged and noted\n');
    const bridge = createBridge(config);
    const server = http.createServer(bridge.handler);
    const port = Number(env.PORT ?? 4478);
    const host = env.HOST ?? '127.0.0.1';
    server.listen(port, host, () => process.stderr.write(`Zammad → Answerdesk bridge on http://${host}:${port}/ (Answerdesk: ${config.answerdeskUrl}, Zammad: ${config.zammadUrl})\n`));
    const stop = () => server.close(() => bridge.settled().then(() => process.exit(0)));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  if ((command === 'triage' || command === 'apply') && file) {
    const config = configFromEnv(env, ['ZAMMAD_URL', 'ZAMMAD_TOKEN']);
    const input = await readJson(file);
    if (command === 'apply') {
      const applied = await applyAnswer(input, config);
      process.stdout.write(`${JSON.stringify(applied)}\n`);
      return;
    }
    const verdict = shouldTriage(input);
    if (!verdict.ok) throw new Error(`skipped: ${verdict.reason}`);
    const { line } = await handlePayload(input, config);
    process.stdout.write(`${line}\n`);
    return;
  }
  process.stderr.write('usage: apply.mjs serve | apply.mjs triage <zammad-payload.json|-> | apply.mjs apply <answer.json|->\n');
  process.exitCode = 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env).catch((error) => {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  });
}
