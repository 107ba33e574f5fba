// HTTP load on POST /v1/suggest over loopback: the CLI's `serve` runs in a child process (its own
// event loop) on docs-content, autocannon drives it from this one at a few concurrency levels.
// What a helpdesk widget or an agent tool sees once several people ask at the same time.
import autocannon from 'autocannon';
import { mkdtemp, rm, writeFile, mkdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { progress, progressDone } from '../common/progress.js';
import { buildStore, handleSignals, interrupted, repoRoot as root, serverAlive, serverUsage, startServer, stopChildren, tail, waitReady, type ServerProcess } from '../common/serve.js';
import { markdownTable } from '../retrieval/report.js';

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds, got "${raw}"`);
  return value;
}
const duration = positive('DURATION', 30);
const warmup = positive('WARMUP', 5);
const levels = (process.env.CONCURRENCY || '1,4,16').split(',').map((part) => {
  const n = Number(part.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`CONCURRENCY must be a comma-separated list of positive integers, got "${process.env.CONCURRENCY}"`);
  return n;
});
const givenStore = process.env.STORE ? path.resolve(process.env.STORE) : undefined;

// Realistic customer texts over the e-shop and hosting articles, plus two off-topic ones that should abstain.
const questions = [
  'my order tracking has not updated in five days',
  'how much does express delivery cost and when would it arrive',
  'can I still change the delivery address after placing the order',
  'the parcel came but one of the three items is missing',
  'I sent the jacket back two weeks ago and still no refund',
  'why was I only refunded part of my order',
  'my card was declined but the money has left my account',
  'I was charged twice for the same order',
  'do you take Apple Pay or bank transfer',
  'how do I delete my account and all my personal data',
  'the verification email for my new account never came',
  'can I return items I bought in the sale',
  'headphones stopped working after three months, is that under warranty',
  'the discount code does not apply to the items in my basket',
  'will you match a cheaper price from another shop',
  'when will the grey sofa be back in stock',
  'can I pre-order something that is sold out',
  'I need a VAT invoice with my company name on it',
  'what time does the store close on Saturday and can I click and collect',
  'how do I add an MX record for my domain',
  'I switched nameservers yesterday and the site still shows the old page',
  'my emails bounce back with a 550 error',
  'how do I set up SPF and DKIM so newsletters stop landing in spam',
  "the Let's Encrypt certificate did not renew and browsers say not secure",
  'padlock is missing after installing SSL, some images load over http',
  'my website is down, is there an outage right now',
  'do I get a credit for the downtime last week',
  'how do I download a full backup of my site and database',
  'my domain expired yesterday, can I still renew it',
  'my hosting was suspended because of an unpaid invoice',
  'my mailbox is full and I cannot receive mail',
  'how do I transfer my domain to you from another registrar',
  'can you recommend a good pizza place nearby',
  'what will the weather be like tomorrow',
];
const bodies = questions.map((text) => JSON.stringify({ text }));

// ---- processes this run started, and how to stop them (bench/common/serve.ts) ------------------

let server: ServerProcess | undefined;
let tempStore: string | undefined;
let load: autocannon.Instance | undefined;

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    load?.stop();
    await stopChildren();
    if (tempStore) await rm(tempStore, { recursive: true, force: true });
  })();
  return cleaning;
}
handleSignals(cleanup, () => `stopping the server${tempStore ? ' and removing the temporary store' : ''}`);

// ---- steps -------------------------------------------------------------------------------------

interface Outcome {
  answered: number;
  abstained: number;
  serverTookMs: number;
  bodies: number;
}

function runLoad(base: string, connections: number, seconds: number, label: string): Promise<{ result: autocannon.Result; outcome: Outcome }> {
  let next = 0;
  const outcome: Outcome = { answered: 0, abstained: 0, serverTookMs: 0, bodies: 0 };
  return new Promise((resolve, reject) => {
    let elapsed = 0;
    let completed = 0;
    let ticker: NodeJS.Timeout | undefined;
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/v1/suggest',
            headers: { 'content-type': 'application/json' },
            // Every request takes the next question, across all connections.
            setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
            // Cheap string checks, no JSON.parse: the load generator shares the 2 cores with the server.
            onResponse: (status, body) => {
              if (status < 200 || status >= 300) return;
              outcome.bodies++;
              if (body.includes('"status":"answered"')) outcome.answered++;
              else if (body.includes('"status":"abstained"')) outcome.abstained++;
              const took = /"tookMs":([\d.]+)/.exec(body);
              if (took) outcome.serverTookMs += Number(took[1]);
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        load = undefined;
        clearInterval(ticker);
        if (interrupted()) reject(new Error('interrupted'));
        else if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve({ result, outcome });
      },
    );
    load = instance;
    instance.on('response', () => completed++);
    ticker = setInterval(() => {
      elapsed++;
      progress(`${label}: ${completed} requests, second`, Math.min(elapsed, seconds), seconds);
    }, 1000);
  });
}

const round = (value: number, digits = 1) => +value.toFixed(digits);

// ---- the run -----------------------------------------------------------------------------------

const startLoad = os.loadavg();
const cpus = os.cpus();
try {
  let store: string;
  let indexing: Awaited<ReturnType<typeof buildStore>> | undefined;
  if (givenStore) {
    store = givenStore;
    if (!(await stat(store).catch(() => undefined))?.isDirectory()) throw new Error(`STORE=${givenStore} is not a folder`);
  } else {
    tempStore = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-http-'));
    store = tempStore;
    indexing = await buildStore(store);
  }

  server = await startServer(store, { args: ['--rate-limit', 'off'] });
  const { base } = server;
  const { ready, seconds: readySeconds } = await waitReady(server);
  if (!ready.passages) throw new Error(`the store ${store} is empty (GET /v1/ready: ${JSON.stringify(ready)})`);

  // One request by hand first, so a broken route fails here with its body rather than as a column of non-2xx.
  const probe = await fetch(`${base}/v1/suggest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[0] });
  const probeBody = await probe.text();
  if (probe.status !== 200 || !/"status":"(answered|abstained)"/.test(probeBody)) {
    throw new Error(`POST /v1/suggest answered ${probe.status}: ${probeBody.slice(0, 500)}`);
  }

  const warm = await runLoad(base, 2, warmup, 'warm-up at concurrency 2');
  serverAlive(server);
  if (warm.result['2xx'] === 0) throw new Error(`no 2xx answer during warm-up (status codes ${JSON.stringify(warm.result.statusCodeStats)}):\n${tail(server.log)}`);

  const rows = [];
  for (const connections of levels) {
    const usageBefore = await serverUsage(server);
    const cpuBefore = process.cpuUsage();
    const { result, outcome } = await runLoad(base, connections, duration, `concurrency ${connections}`);
    const cpuAfter = process.cpuUsage(cpuBefore);
    const usageAfter = await serverUsage(server);
    serverAlive(server);
    progressDone();
    rows.push({
      concurrency: connections,
      requestsPerSec: round(result.requests.mean, 2),
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.mean, 1) },
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0])),
      answered: outcome.answered,
      abstained: outcome.abstained,
      serverTookMsMean: outcome.bodies ? round(outcome.serverTookMs / outcome.bodies, 1) : null,
      serverCpuCores: usageBefore && usageAfter ? round((usageAfter.cpuSeconds - usageBefore.cpuSeconds) / result.duration, 2) : null,
      serverRssMb: usageAfter ? round(usageAfter.rssMb, 0) : null,
      loadGeneratorCpuCores: round((cpuAfter.user + cpuAfter.system) / 1e6 / result.duration, 2),
      durationS: result.duration,
    });
  }

  const result = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? 'unknown cpu',
      cores: cpus.length,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverageAtStart: startLoad.map((l) => round(l, 2)),
      loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)),
    },
    corpus: {
      model: ready.model,
      articles: ready.articles,
      sections: ready.sections,
      tickets: ready.tickets,
      passages: ready.passages,
    },
    setup: {
      endpoint: 'POST /v1/suggest',
      server: 'answerdesk serve (child process), 127.0.0.1, --rate-limit off, no API keys',
      loadGenerator: `autocannon (closed loop: each connection sends its next request when the last one is answered), ${questions.length} questions in rotation`,
      store: givenStore ? 'STORE (given)' : 'temporary, indexed from docs-content with --no-train',
      indexSeconds: indexing ? round(indexing.seconds, 1) : null,
      readySeconds: round(readySeconds, 1),
      warmupS: warmup,
      durationS: duration,
      concurrency: levels,
    },
    levels: rows,
  };

  console.log(
    `POST /v1/suggest over loopback on docs-content (${ready.articles} articles, ${ready.tickets} tickets, ${ready.passages} passages), ${duration} s per level after a ${warmup} s warm-up`,
  );
  console.log(
    markdownTable(
      ['concurrency', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx', 'errors'],
      rows.map((r) => [
        String(r.concurrency),
        r.requestsPerSec.toFixed(1),
        String(r.latencyMs.p50),
        String(r.latencyMs.p90),
        String(r.latencyMs.p99),
        String(r.latencyMs.max),
        String(r.requests),
        String(r.non2xx),
        r.timeouts ? `${r.errors} (${r.timeouts} timeouts)` : String(r.errors),
      ]),
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  console.log();
  console.log(
    markdownTable(
      ['concurrency', 'answered', 'abstained', 'server tookMs (mean)', 'server CPU (cores)', 'load generator CPU (cores)', 'server RSS MB'],
      rows.map((r) => [
        String(r.concurrency),
        String(r.answered),
        String(r.abstained),
        r.serverTookMsMean === null ? '–' : r.serverTookMsMean.toFixed(1),
        r.serverCpuCores === null ? '–' : r.serverCpuCores.toFixed(2),
        r.loadGeneratorCpuCores.toFixed(2),
        r.serverRssMb === null ? '–' : String(r.serverRssMb),
      ]),
      ['r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  console.log(
    `${result.machine.cores} cores, ${result.machine.cpu}, node ${result.machine.node}, load average ${result.machine.loadAverageAtStart.join(' ')} at start, ${result.machine.loadAverageAtEnd.join(' ')} at the end`,
  );
  await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(root, 'bench', 'results', 'http.json'), JSON.stringify(result, null, 2) + '\n');
  const bad = rows.filter((r) => r.non2xx || r.errors);
  if (bad.length) process.stderr.write(`warning: non-2xx answers or errors at concurrency ${bad.map((r) => r.concurrency).join(', ')}; see statusCodes in bench/results/http.json\n`);
} finally {
  progressDone();
  await cleanup();
}
