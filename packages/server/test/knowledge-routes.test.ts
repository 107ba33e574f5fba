// The question log, knowledge gaps and article performance over HTTP. Plumbing: the hashing encoder
// has no notion of meaning, so the "topic" here is questions sharing most of their words;
// bench/gaps measures real topics with the offline model.
import t from 'tap';
import { auth, harness } from './helpers.js';

t.test('questions asked are logged with details masked; gaps group the unanswered ones; performance counts each section', async (t) => {
  const h = await harness(t);
  const ask = async (text: string) => {
    const res = await h.call({ method: 'POST', url: '/v1/suggest', headers: auth('reader'), payload: { text } });
    t.equal(res.status, 200, `suggest: ${text}`);
    return res.json;
  };
  const answered = await ask('How long does a card refund take?');
  const wrapping = [
    'Do you offer gift wrapping for order 12345678? It is a present for my sister',
    'Do you offer gift wrapping for a present for my sister?',
    'Can you do gift wrapping? It is a present for my sister, write to anna.berg@example.com',
  ];
  for (const text of wrapping) await ask(text);
  // The log is written after the reply: wait until the four entries are there.
  for (let i = 0; i < 100 && (await h.kb.askedQuestions()).length < 4; i++) await new Promise((r) => setTimeout(r, 20));
  const log = await h.kb.askedQuestions();
  t.equal(log.length, 4, 'each suggest is logged once');
  t.ok(log.every((q) => q.via === 'suggest' && q.answers.length === q.questions.length), 'with one outcome per question');
  t.notMatch(JSON.stringify(log), /12345678|anna\.berg/, 'order numbers and e-mails never reach the log');
  t.match(JSON.stringify(log), /\[order number\]/, 'they are masked as placeholders');
  t.equal(log.find((q) => q.id === answered.suggestionId)?.answers[0]?.sourceId, answered.answers[0].source?.id, 'the log entry carries the suggestionId and the source shown');

  // An agent rejects the refund answer: that question is a failure too.
  const source = answered.answers[0].source?.id;
  if (source) {
    const fb = await h.call({ method: 'POST', url: '/v1/feedback', headers: auth('writer'), payload: { query: answered.query, sourceId: source, helpful: false, action: 'rejected', suggestionId: answered.suggestionId } });
    t.equal(fb.status, 201);
  }
  const gaps = await h.call({ method: 'GET', url: '/v1/gaps?similarity=0.3&min=2', headers: auth('reader') });
  t.equal(gaps.status, 200, gaps.body.slice(0, 300));
  const wrap = gaps.json.gaps.find((g: { examples: string[] }) => g.examples.some((e) => /gift wrapping/.test(e)));
  t.ok(wrap, 'the gift-wrapping questions form one topic');
  t.ok(wrap.count >= 2, `asked ${wrap?.count} times`);
  t.match(wrap.title, /gift wrapping/i, 'titled after its most typical question');
  t.notMatch(JSON.stringify(gaps.json), /12345678|anna\.berg/, 'no personal details in the report');
  t.match(wrap, { outcomes: {}, keywords: Array, nearest: Array, firstAt: String, lastAt: String });

  const bad = await h.call({ method: 'GET', url: '/v1/gaps?since=yesterday', headers: auth('reader') });
  t.match(bad, { status: 400, json: { error: { code: 'ADK_OPTION_INVALID', message: /30d/ } } }, 'a since that is neither a duration nor a date says what to write');
  const later = await h.call({ method: 'GET', url: '/v1/gaps?since=2999-01-01&similarity=0.3', headers: auth('reader') });
  t.same(later.json.gaps, [], 'since leaves older questions out');

  const perf = await h.call({ method: 'GET', url: '/v1/performance?since=30d', headers: auth('reader') });
  t.equal(perf.status, 200);
  if (source) t.match(perf.json.sections.find((s: { sourceId: string }) => s.sourceId === source), { shown: 1, rejected: 1, sent: 0 }, 'the refund section: shown once, rejected once');
});
