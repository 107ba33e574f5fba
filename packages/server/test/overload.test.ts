// The service stays up: load shedding, deadlines from arrival, failed authentications rate
// limited, low-level HTTP errors coded, /docs under a CSP, and answers while a training job runs.
// Plumbing on the hashing encoder (no meaning involved); the delays are the ScriptedEncoder's.
import net from 'node:net';
import t from 'tap';
import { HashingEncoder } from '@answerdesk/core';
import { KEYS, ScriptedEncoder, auth, harness } from './helpers.js';

const code = (res: { json: any }) => res.json?.error?.code;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test('past maxInFlight and maxQueue, suggests are refused at once with 503 ADK_OVERLOADED and Retry-After', async (t) => {
  const encoder = new ScriptedEncoder();
  const { call, app } = await harness(t, { encoder, overload: { maxInFlight: 1, maxQueue: 1, retryAfterSeconds: 2 } });
  encoder.queryDelayMs = 300;
  const results = await Promise.all(Array.from({ length: 6 }, () => call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } })));
  const statuses = results.map((r) => r.status).sort();
  t.same(statuses, [200, 200, 503, 503, 503, 503], 'one in flight, one queued, four refused');
  for (const refused of results.filter((r) => r.status === 503)) {
    t.equal(code(refused), 'ADK_OVERLOADED');
    t.equal(refused.headers['retry-after'], '2');
    t.match(refused.json.error.message, /at capacity \(1 requests in progress and 1 waiting\)/);
  }
  t.equal((await call({ method: 'GET', url: '/v1/health' })).status, 200, 'health is never shed');
  const metrics = (await call({ method: 'GET', url: '/v1/metrics' })).body;
  t.match(metrics, /answerdesk_shed_requests_total\{reason="queue"\} 4/);
  t.match(metrics, /answerdesk_queue_wait_seconds_count 2/);
  t.ok(app);
});

t.test('the request timeout counts from arrival: a request queued past its deadline is refused without running', async (t) => {
  const encoder = new ScriptedEncoder();
  const { call } = await harness(t, { encoder, requestTimeoutMs: 200, overload: { maxInFlight: 1, maxQueue: 5 } });
  encoder.queryDelayMs = 500;
  const [first, second] = await Promise.all([
    call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } }),
    call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'parcel' } }),
  ]);
  const [timedOut, refused] = [first!, second!].sort((a, b) => code(b).localeCompare(code(a)));
  t.equal(timedOut!.status, 503);
  t.equal(code(timedOut!), 'ADK_REQUEST_TIMEOUT', 'the running one times out');
  t.match(timedOut!.json.error.message, /within 200 ms/);
  t.equal(refused!.status, 503);
  t.equal(code(refused!), 'ADK_OVERLOADED', 'the queued one is refused when its deadline passes');
  t.match(refused!.json.error.message, /waited past its deadline/);
});

t.test('a lagging event loop sheds work but never health, readiness or metrics', async (t) => {
  const { call } = await harness(t, { overload: { maxEventLoopDelayMs: 50 } });
  // Past start-up (two sampling intervals of 250 ms), a sustained lag: the loop runs in 200 ms blocks for a second,
  // as it would under synchronous work it cannot keep up with (a single short stall does not count: the lag is a mean).
  await sleep(600);
  const until = Date.now() + 1000;
  while (Date.now() < until) {
    const block = Date.now() + 200;
    while (Date.now() < block) {
      /* busy */
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const suggest = await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } });
  t.equal(suggest.status, 503);
  t.equal(code(suggest), 'ADK_OVERLOADED');
  t.match(suggest.json.error.message, /the event loop (lags \d+ ms|is blocked)/);
  t.equal(suggest.headers['retry-after'], '1');
  t.equal((await call({ method: 'GET', url: '/v1/health' })).status, 200);
  t.equal((await call({ method: 'GET', url: '/v1/ready' })).status, 200);
  t.match((await call({ method: 'GET', url: '/v1/metrics' })).body, /answerdesk_shed_requests_total\{reason="event_loop"\} 1/);
});

t.test('failed authentications count against the rate limit', async (t) => {
  const { call } = await harness(t, { rateLimit: { max: 5, windowMs: 60_000 } });
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await call({ method: 'POST', url: '/v1/suggest', headers: { authorization: 'Bearer wrong-key-000000000000' }, payload: { text: 'refund' } })).status);
  t.same(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
  const limited = await call({ method: 'POST', url: '/v1/suggest', headers: { authorization: 'Bearer another-wrong-key-0000' }, payload: { text: 'refund' } });
  t.equal(code(limited), 'ADK_RATE_LIMITED', 'counted per address, whatever the wrong key');
  t.equal((await call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } })).status, 200, 'a valid key has its own budget');
});

/** Send raw bytes to the server; resolve with what came back before it closed the connection. */
function raw(port: number, bytes: string): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    // Written, not ended: a half-closed connection may be closed before a slow answer is sent.
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
    socket.on('close', () => {
      const status = Number(text.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
      const payload = text.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      let body: any;
      try {
        body = JSON.parse(payload);
      } catch {
        body = undefined;
      }
      resolve({ status, body, text });
    });
  });
}

t.test('low-level HTTP errors get a coded body, then the connection closes', async (t) => {
  const { app } = await harness(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as net.AddressInfo).port;
  const post = (headers: string, body = '') => `POST /v1/suggest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${KEYS.reader}\r\n${headers}\r\n${body}`;
  const cases: Array<[string, string, number, string]> = [
    ['bad chunked encoding', post('Transfer-Encoding: chunked\r\n', 'zz\r\n{}\r\n0\r\n\r\n'), 400, 'ADK_CLIENT_ERROR'],
    ['bad Content-Length', post('Content-Length: 12abc\r\n', '{}'), 400, 'ADK_CLIENT_ERROR'],
    ['Content-Length and chunked', post('Content-Length: 2\r\nTransfer-Encoding: chunked\r\n', '{}'), 400, 'ADK_CLIENT_ERROR'],
    ['oversized headers', post(`X-Big: ${'a'.repeat(20_000)}\r\nContent-Length: 2\r\n`, '{}'), 431, 'ADK_HEADERS_TOO_LARGE'],
    ['unknown method', 'BREW /v1/suggest HTTP/1.1\r\nHost: x\r\n\r\n', 501, 'ADK_METHOD_NOT_IMPLEMENTED'],
    ['Expect: foo', post('Expect: foo\r\nContent-Length: 2\r\nConnection: close\r\n', '{}'), 417, 'ADK_EXPECTATION_FAILED'],
    ['not HTTP at all (TLS to a plain port)', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', 400, 'ADK_CLIENT_ERROR'],
  ];
  for (const [name, bytes, status, expected] of cases) {
    const res = await raw(port, bytes);
    t.equal(res.status, status, `${name}: status`);
    t.equal(res.body?.error?.code, expected, `${name}: ${res.text.slice(0, 120)}`);
    t.match(res.body?.error?.message ?? '', /\w/, `${name}: a message`);
  }
  const fine = await raw(port, post('Content-Length: 17\r\nConnection: close\r\n', '{"text":"refund"}'));
  t.equal(fine.status, 200, `the server still answers: ${fine.text.slice(0, 300)}`);
});

t.test('/docs is served under a Content-Security-Policy', async (t) => {
  const { call } = await harness(t);
  const page = await call({ method: 'GET', url: '/docs/' });
  const policy = String(page.headers['content-security-policy'] ?? '');
  t.match(policy, /default-src 'self'/);
  t.match(policy, /script-src 'self'/);
  t.notMatch(policy, /script-src[^;]*'unsafe-eval'/);
});

t.test('while a training job runs on its worker thread, health and suggest keep answering', async (t) => {
  // 512 dimensions, as USE-lite has: with this many labeled tickets the head's training takes a while (it runs 5 times:
  // 4 calibration folds and the final fit), so it goes to a worker thread.
  const encoder = new HashingEncoder(512);
  // The default load shedding stays on: a training job must not make the service refuse.
  const { call } = await harness(t, { encoder, empty: true, overload: {} });
  const words = ['refund', 'parcel', 'invoice', 'password', 'voucher', 'return', 'address', 'card', 'stock', 'fraud', 'login', 'discount'];
  const tickets = Array.from({ length: 1500 }, (_, i) => ({
    id: `T-${i}`,
    subject: `${words[i % 12]} question ${i}`,
    body: `about my ${words[i % 12]} and ${words[(i * 7) % 12]} number ${i}`,
    resolution: `answered ${words[i % 12]}`,
    category: words[i % 12],
  }));
  t.equal((await call({ method: 'POST', url: '/v1/tickets', headers: auth('writer'), payload: { tickets: tickets.slice(0, 1000) } })).status, 200);
  t.equal((await call({ method: 'POST', url: '/v1/tickets', headers: auth('writer'), payload: { tickets: tickets.slice(1000) } })).status, 200);
  const started = await call({ method: 'POST', url: '/v1/train', headers: auth('admin'), payload: { field: 'category' } });
  t.equal(started.status, 202);
  let answeredWhileRunning = 0;
  let progressSeen = false;
  for (;;) {
    const job = (await call({ method: 'GET', url: `/v1/jobs/${started.json.id}`, headers: auth('admin') })).json;
    if (job.state === 'succeeded' || job.state === 'failed') {
      t.equal(job.state, 'succeeded', job.error?.message ?? 'trained');
      t.equal(job.result.labels.length, 12);
      break;
    }
    if (job.state === 'running') {
      if (job.progress) progressSeen = true;
      const [health, suggest] = await Promise.all([call({ method: 'GET', url: '/v1/health' }), call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text: 'refund' } })]);
      const after = (await call({ method: 'GET', url: `/v1/jobs/${started.json.id}`, headers: auth('admin') })).json;
      if (health.status === 200 && suggest.status === 200 && after.state === 'running') answeredWhileRunning++;
    }
    await sleep(10);
  }
  t.ok(progressSeen, 'the job reports its progress');
  t.ok(answeredWhileRunning >= 3, `health and suggest answered ${answeredWhileRunning} times while the training was still running`);
});
