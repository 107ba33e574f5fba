// `answerdesk serve` in-process on loopback with the real offline model: it listens, loads,
// takes writes with a key from the environment, and stops cleanly on request.
import path from 'node:path';
import t from 'tap';
import { EXIT, run } from '@answerdesk/cli';
import { capture, waitFor } from './helpers.js';
import { openStoreFolder } from '@answerdesk/core';

const SECRET = 'cli-test-secret-0123456789';



t.test('serve listens on loopback, answers, accepts keyed writes and stops on request', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const cli = capture({ ANSWERDESK_API_KEYS: `writer:read+write:${SECRET}` });
  const exit = run(['--store', store, 'serve', '--port', '0', '--open-reads'], cli.io);
  const base = await waitFor(() => cli.err().match(/listening on (http:\/\/localhost:\d+)/)?.[1], 'the listening line');
  t.match(cli.err(), /agent page: http:\/\/localhost:\d+\/, API docs: http:\/\/localhost:\d+\/docs/);
  t.equal((await fetch(`${base}/v1/health`)).status, 200);
  await waitFor(async () => ((await fetch(`${base}/v1/ready`)).status === 200 ? true : undefined), 'ready');
  t.match(cli.err(), /The store is empty: run `answerdesk index docs-content/);

  const article = '---\ntitle: Returns\ncategory: returns\n---\n\n## How to return an item\n\nPrint the prepaid label from your account and drop the parcel at any post office within 30 days.\n';
  const anonymous = await fetch(`${base}/v1/articles/returns`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ markdown: article }) });
  t.equal(anonymous.status, 401);
  const put = await fetch(`${base}/v1/articles/returns`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` }, body: JSON.stringify({ markdown: article }) });
  t.equal(put.status, 200);
  const answer = await fetch(`${base}/v1/suggest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'how can I return an item' }) });
  t.equal(answer.status, 200);
  t.match(await answer.json(), { status: 'answered', source: { id: 'returns#how-to-return-an-item' } });
  const page = await fetch(`${base}/`);
  t.match(await page.text(), /<title>[^<]*Answerdesk/);

  cli.stop.abort();
  t.equal(await exit, EXIT.ok);
  t.match(cli.err(), /Stopping \(abort\)/);
  await t.rejects(fetch(`${base}/v1/health`), 'the port is closed');
  const reopened = await openStoreFolder({ store, existing: true });
  t.ok(await reopened.document('returns#how-to-return-an-item'), 'the acknowledged write is on disk');
  await reopened.close();
});

t.test('serve refuses bad configuration with a coded error', async (t) => {
  const dir = t.testdir({ 'keys.json': JSON.stringify({ keys: [{ name: 'a', key: 'short', scopes: ['read'] }] }), 'broken.json': '{' });
  const cases: Array<[string[], NodeJS.ProcessEnv, number, RegExp]> = [
    [['serve', '--port', 'http'], {}, EXIT.usage, /--port.*must be a port number/],
    [['serve', '--keys', path.join(dir, 'missing.json')], {}, EXIT.error, /ADK_PATH_NOT_FOUND/],
    [['serve', '--keys', path.join(dir, 'broken.json')], {}, EXIT.error, /ADK_OPTION_INVALID.*not valid JSON/],
    [['serve', '--keys', path.join(dir, 'keys.json')], {}, EXIT.error, /ADK_OPTION_INVALID.*shorter than 16/],
    [['serve'], { ANSWERDESK_API_KEYS: 'secret-without-name' }, EXIT.error, /ADK_OPTION_INVALID.*name:scope\+scope:secret/],
    [['serve', '--rate-limit', 'fast'], {}, EXIT.usage, /--rate-limit.*"off"/],
    [['serve', '--rules', path.join(dir, 'missing.yaml')], {}, EXIT.error, /ADK_/],
    [['serve', '--learning-since', 'last week'], {}, EXIT.error, /ADK_OPTION_INVALID.*since.*30d/],
  ];
  for (const [args, env, code, message] of cases) {
    const cli = capture(env);
    t.equal(await run(['--store', path.join(dir, 'store'), ...args], cli.io), code, args.join(' '));
    t.match(cli.err(), message);
  }
});
