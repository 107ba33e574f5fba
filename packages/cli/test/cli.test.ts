// The answerdesk command line, run in-process with the real offline model on a small knowledge base.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import t from 'tap';
import { EXIT, parseBatchLine, run, type Io } from '@answerdesk/cli';

function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), env, tty: false };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const kbFiles = {
  'delivery.md': '---\nid: late-delivery\ntitle: Late deliveries\ncategory: delivery\n---\n\n## If your parcel is late\n\nMost parcels arrive within 3 working days. If tracking has not moved for 2 days, contact us and we will chase the courier.\n\n## Parcel marked delivered but not received\n\nCheck with neighbours and your safe place. If it is still missing after 24 hours, we open a claim with the courier and send a replacement.\n',
  'password.md': '---\nid: reset-password\ntitle: Reset your password\ncategory: account\n---\n\n## Reset a forgotten password\n\nClick "Forgot password" on the sign-in page and follow the link we e-mail you. The link is valid for 30 minutes.\n',
  'bad.md': '---\nid: "unterminated\n---\n',
  // A folder's README is about the folder, not an article; reply templates are counted apart from articles.
  'README.md': '# Our help centre\n\nOne article a file; reply templates under templates/.\n',
  templates: {
    'greeting-en.md': '---\nid: greeting-en\ntemplate: greeting\nlanguage: en\nchannel: email\ntitle: Greeting\n---\n\nHello {name},\n',
    'closing-en.md': '---\nid: closing-en\ntemplate: closing\nlanguage: en\nchannel: email\ntitle: Closing\n---\n\nKind regards,\nThe support team\n',
  },
  tickets: { 'tickets.jsonl': JSON.stringify({ id: 'T-7', subject: 'Charged twice', body: 'My card was charged twice for order 5521', resolution: 'The second charge was an authorisation hold; it drops off within 5 days.', category: 'payment' }) + '\n' },
};

t.test('index, suggest and search from the command line', async (t) => {
  const dir = t.testdir({ kb: kbFiles });
  const store = path.join(dir, 'store');

  const indexed = capture();
  t.equal(await run(['--store', store, 'index', path.join(dir, 'kb')], indexed.io), EXIT.partial, 'a rejected file: done with rejections');
  t.match(indexed.out(), /Indexed 2 articles \(3 sections\), 2 reply templates and 1 tickets/);
  t.match(indexed.out(), /ADK_FRONTMATTER_INVALID: Front matter of bad\.md/, 'the bad file is reported, the rest indexed');

  const parcel = 'my parcel says delivered but it never came';
  const parcelJson = capture();
  t.equal(await run(['--store', store, 'suggest', parcel, '--json'], parcelJson.io), EXIT.ok);
  const { confidence } = JSON.parse(parcelJson.out());
  const suggested = capture();
  t.equal(await run(['--store', store, 'suggest', parcel], suggested.io), EXIT.ok);
  const level = { high: 'High', medium: 'Medium', low: 'Low' }[confidence.level as 'high' | 'medium' | 'low'];
  t.match(suggested.out(), new RegExp(`(?:^|\n)Suggested answer {2}\\[${level} confidence, ${Math.round(confidence.score * 100)}% likely right\\]\n`), 'the level and the probability, as a percentage');
  t.match(suggested.out(), /\nSource: Late deliveries › Parcel marked delivered but not received — .*delivery\.md#parcel-marked-delivered-but-not-received \(line \d+\) \[late-delivery#parcel-marked-delivered-but-not-received\]\n/);
  t.match(
    suggested.out(),
    /\nReply draft \(en\):\n\n {4}Hello,\n\n {4}Check with neighbours and your safe place\.[^]*send a replacement\.\n\n {4}Kind regards,\n {4}The support team\n/,
    'the draft: greeting without a name, the answer, the closing line for line',
  );

  const json = capture();
  t.equal(await run(['--store', store, 'suggest', 'I forgot my password', '--json'], json.io), EXIT.ok);
  const suggestion = JSON.parse(json.out());
  t.match(suggestion, { status: 'answered', source: { id: 'reset-password#reset-a-forgotten-password', kind: 'article' }, confidence: { level: /high|medium|low/ } });
  t.match(suggestion.draft, {
    language: 'en',
    parts: [
      { kind: 'greeting', templateId: 'greeting-en' },
      { kind: 'answer', sourceId: 'reset-password#reset-a-forgotten-password' },
      { kind: 'closing', templateId: 'closing-en' },
    ],
  });

  const abstained = capture();
  t.equal(await run(['--store', store, 'suggest', 'What is the capital of France?'], abstained.io), EXIT.ok);
  t.match(abstained.out(), /^No answer found: No answer is likely enough to send \(the best is (\d+)% likely right\)\. Nearest articles: /);
  const best = /the best is (\d+)% likely right/.exec(abstained.out())?.[1];
  t.match(abstained.out(), new RegExp(`\nLikeliest, below the bar: .* \\[[^\\]]+\\] \\(${best}%\\)\n`), 'and names the likeliest source, at that probability');

  // A message that starts with dashes (a forwarded e-mail) is read from standard input with `-`.
  const piped = capture();
  piped.io.stdin = Readable.from([Buffer.from('---------- Forwarded message ---------\nFrom: Brightcart <no-reply@example.com>\nSubject: Your order\n\nI forgot my password\n')]);
  t.equal(await run(['--store', store, 'suggest', '-', '--json'], piped.io), EXIT.ok);
  t.same(JSON.parse(piped.out()).message.questions, ['I forgot my password'], 'read from standard input, the forward as its message');

  const away = capture();
  t.equal(await run(['--store', store, 'suggest', 'I am out of the office until Monday with limited access to email. For urgent matters please call my colleague.'], away.io), EXIT.ok);
  t.match(away.out(), /\nNo reply draft\.\n/, 'an automatic reply gets no draft');
  t.match(away.out(), /For you: No reply needed: this reads as an automatic reply/);
  t.match(away.out(), /^Nothing to answer: /m, 'nothing was searched: no advice to write an article');
  t.notMatch(away.out(), /add an article that answers it/);
  const thanks = capture();
  t.equal(await run(['--store', store, 'suggest', 'Thanks, that solved it!'], thanks.io), EXIT.ok);
  t.match(thanks.out(), /Nothing to answer: The customer only thanks/);
  t.match(thanks.out(), /\nNo reply draft\.\n/, 'a closing thanks gets no draft either');

  const searched = capture();
  t.equal(await run(['--store', store, 'search', 'charged twice on my card', '--json', '--k', '2', '--kind', 'ticket'], searched.io), EXIT.ok);
  const result = JSON.parse(searched.out());
  t.equal(result.hits.length, 1);
  t.match(result.hits[0], { id: 'T-7', source: { kind: 'ticket', id: 'T-7' }, category: 'payment' });

  const input = path.join(dir, 'queries.jsonl');
  await writeFile(input, [JSON.stringify({ id: 'a', text: 'parcel is late' }), 'oops', JSON.stringify({ id: 'c', text: '' }), '', JSON.stringify({ id: 7, text: 'password reset link' })].join('\n'));
  const batch = capture();
  t.equal(await run(['--store', store, 'suggest', '--input', input, '--json'], batch.io), EXIT.partial, 'some lines failed: done with rejections');
  const lines = batch.out().trim().split('\n').map((line) => JSON.parse(line));
  t.same(lines.map((line) => line.id), ['a', null, 'c', '7'], 'one line out per line in, blank lines skipped');
  t.match(lines[0], { status: 'answered', source: { id: /^late-delivery#/ } });
  t.match(lines[1], { error: { code: 'ADK_INPUT_LINE_INVALID', message: /queries\.jsonl:2: not valid JSON/ } });
  t.match(lines[2], { error: { code: 'ADK_QUERY_EMPTY' } });
  t.match(batch.err(), /2 line\(s\) could not be answered/);
  t.match(batch.err(), /2 batch line\(s\) rejected \(see above\), 2 accepted: exit status 3/);

  const batchSearch = capture();
  t.equal(await run(['--store', store, 'search', '--input', input, '--json', '--k', '1'], batchSearch.io), EXIT.partial);
  t.match(JSON.parse(batchSearch.out().split('\n')[0]!), { id: 'a', hits: [{ id: /^late-delivery#/ }] });
});

t.test('errors: coded messages and exit codes', async (t) => {
  const dir = t.testdir({});
  const missing = capture();
  t.equal(await run(['--store', path.join(dir, 'none'), 'suggest', 'hello'], missing.io), EXIT.error);
  t.match(missing.err(), /error ADK_STORE_NOT_FOUND: No knowledge base found in .*none\. Run `answerdesk index/);

  const noPath = capture();
  t.equal(await run(['--store', path.join(dir, 's'), 'index', path.join(dir, 'nothing-here')], noPath.io), EXIT.error);
  t.match(noPath.err(), /ADK_PATH_NOT_FOUND/);

  const badK = capture();
  t.equal(await run(['search', 'x', '--k', '0'], badK.io), EXIT.usage);
  t.match(badK.err(), /must be a whole number/);

  const badMode = capture();
  t.equal(await run(['search', 'x', '--mode', 'fuzzy'], badMode.io), EXIT.usage);

  const envStore = capture({ ANSWERDESK_STORE: path.join(dir, 'from-env') });
  t.equal(await run(['search', 'x'], envStore.io), EXIT.error);
  t.match(envStore.err(), /from-env/, 'ANSWERDESK_STORE sets the store');

  const missingInput = capture();
  t.equal(await run(['--store', path.join(dir, 'none'), 'suggest', '--input', path.join(dir, 'q.jsonl')], missingInput.io), EXIT.error);
});

t.test('batch lines are parsed strictly', async (t) => {
  t.same(parseBatchLine('{"id":"q","text":"hi"}', 1, 'f'), { line: 1, query: { id: 'q', text: 'hi', raw: { id: 'q', text: 'hi' } } });
  t.equal(parseBatchLine('   ', 2, 'f'), undefined);
  for (const bad of ['[1]', '{"text":"no id"}', '{"id":"x"}', 'nope']) {
    const parsed = parseBatchLine(bad, 3, 'f');
    t.ok(parsed && 'error' in parsed && parsed.error.code === 'ADK_INPUT_LINE_INVALID', bad);
  }
});

t.test('the bin runs as a process and sets the exit code', async (t) => {
  const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
  const result = spawnSync(process.execPath, ['--conditions=answerdesk-source', '--import', 'tsx', bin, '--store', t.testdir({}), 'suggest', 'hi'], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  t.equal(result.status, 1);
  t.match(result.stderr, /ADK_STORE_NOT_FOUND/);
  t.equal(result.stdout, '');
});
