// The question log's pure parts: masking, outcomes joined from feedback, topics, titles, performance.
import t from 'tap';
import { groupTopics, maskDetails, questionOutcomes, sectionPerformance, sinceTime, type AskedQuestion, type Feedback } from '@answerdesk/core';
import { gapTitle } from '../src/questions.js';

t.test('personal details are masked as placeholders a writer can read', async (t) => {
  const masked = maskDetails('Order 100045678 never came, write to jana.novak@example.com or call +44 20 7946 0958');
  t.notMatch(masked, /100045678|jana\.novak|7946/);
  t.match(masked, /\[order number\].*\[e-mail address\]|\[order number\].*\[email/);
});

t.test('an answer is a failure when it was left open, rejected, or heavily edited', async (t) => {
  const asked: AskedQuestion[] = [
    { id: 's1', at: '2026-12-01T10:00:00Z', questions: ['q open'], answers: [{ status: 'abstained', score: 0.2, level: 'low' }], language: 'en', via: 'suggest' },
    { id: 's2', at: '2026-12-01T11:00:00Z', questions: ['q sent', 'q rejected'], answers: [{ status: 'answered', sourceId: 'a#x', score: 0.8, level: 'high' }, { status: 'answered', sourceId: 'a#y', score: 0.6, level: 'medium' }], language: 'en', via: 'suggest' },
    { id: 's3', at: '2026-12-02T11:00:00Z', questions: ['q edited'], answers: [{ status: 'answered', sourceId: 'a#x', score: 0.7, level: 'medium' }], language: 'en', via: 'cli' },
  ];
  const feedback: Feedback[] = [
    { id: 'f1', at: '2026-12-01T11:01:00Z', query: 'q', sourceId: 'a#x', helpful: true, action: 'sent', suggestionId: 's2' },
    { id: 'f2', at: '2026-12-01T11:02:00Z', query: 'q', sourceId: 'a#y', helpful: false, action: 'rejected', suggestionId: 's2' },
    { id: 'f3', at: '2026-12-02T11:01:00Z', query: 'q', sourceId: 'a#x', helpful: false, action: 'edited', edited: 0.7, suggestionId: 's3' },
  ];
  t.same(questionOutcomes(asked, feedback).map((q) => [q.text, q.outcome]), [['q open', 'abstained'], ['q sent', 'answered'], ['q rejected', 'rejected'], ['q edited', 'edited']]);
  const sources = (id: string) => ({ id, kind: 'article' as const, title: id });
  const perf = sectionPerformance(asked, feedback, sources);
  t.match(perf.find((p) => p.sourceId === 'a#x'), { shown: 2, sent: 1, edited: 1, rejected: 0, sentShare: 0.5 });
  t.match(perf.find((p) => p.sourceId === 'a#y'), { shown: 1, rejected: 1, sentShare: 0 });
  t.same(sectionPerformance(asked, feedback, sources, '2026-12-02T00:00:00Z').map((p) => p.sourceId), ['a#x'], 'since leaves older ones out');
});

t.test('topics: near vectors together, far ones apart, the same result for the same log', async (t) => {
  const v = (...xs: number[]) => Float32Array.from(xs);
  const vectors = [v(1, 0, 0), v(0, 1, 0), v(0.95, 0.1, 0), v(0, 0.97, 0.1), v(0, 0, 1)];
  t.same(groupTopics(vectors, 0.8), [[0, 2], [1, 3], [4]]);
  t.same(groupTopics(vectors, 0.8), groupTopics(vectors, 0.8));
  t.same(groupTopics(vectors, -1).length, 1, 'the lowest threshold makes one topic');
});

t.test('titles and periods', async (t) => {
  t.equal(gapTitle('can i run a cron job every minute on the basic plan?'), 'Can I run a cron job every minute on the basic plan');
  t.ok(gapTitle('x '.repeat(80)).length <= 92);
  const now = new Date('2026-12-05T00:00:00Z');
  t.equal(sinceTime('30d', now), '2026-11-05T00:00:00.000Z');
  t.equal(sinceTime('2026-11-01', now), '2026-11-01T00:00:00.000Z');
  t.throws(() => sinceTime('last week', now), { code: 'ADK_OPTION_INVALID' });
});
