// Learning from agents' feedback. Plumbing: the hashing encoder has no notion of meaning, so the
// "similar question" here is the same question (cosine 1); bench/feedback measures similar ones.
import path from 'node:path';
import t from 'tap';
import { HashingEncoder, KnowledgeBase, learnedAdjustments, type Feedback } from '@answerdesk/core';

const tickets = [
  { id: 'T-1', subject: 'Parcel not delivered', body: 'My parcel was not delivered, the tracking is stuck', resolution: 'We opened a trace with the carrier; a replacement ships if it is lost.' },
  { id: 'T-2', subject: 'Parcel not delivered yet', body: 'My parcel was not delivered and the tracking page is stuck', resolution: 'Tracking pages update once a day; wait two working days before reporting it missing.' },
];
const QUESTION = 'My parcel was not delivered and the tracking is stuck';

t.test('feedback on a question moves its sources for the same question, says so, and can be ignored', async (t) => {
  const store = path.join(t.testdir(), 'store');
  const kb = await KnowledgeBase.open({ store, encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  await kb.addTickets(tickets);
  const ranked = async (knowledgeBase: typeof kb) => {
    const s = await knowledgeBase.suggest(QUESTION, { explain: true });
    const candidates = s.answers?.[0]?.candidates ?? [];
    return { order: [...candidates].sort((a, b) => b.probability - a.probability).map((c) => c.source.id), suggestion: s };
  };
  const before = await ranked(kb);
  const [first, second] = before.order;
  t.ok(first && second, 'two candidates');
  await kb.recordFeedback({ query: QUESTION, sourceId: first!, helpful: false, agent: 'anna' });
  for (let i = 0; i < 3; i++) await kb.recordFeedback({ query: QUESTION, sourceId: second!, helpful: true, agent: 'anna' });
  await kb.recordFeedback({ query: QUESTION, sourceId: second!, helpful: true, agent: 'ben' });
  // Recorded through this knowledge base: it counts from the next question on (other processes' within 30 s).
  const after = await ranked(kb);
  t.same(after.order.slice(0, 2), [second, first], 'the source agents picked comes first now, the rejected one after it');
  const shown = after.suggestion.answers?.[0];
  if (shown?.status === 'answered') {
    t.equal(shown.source?.id, second);
    t.match(shown.notes?.join(' '), /Ranked up by feedback: agents marked it helpful 4 times for similar questions/, 'the agent is told why');
  }

  const reset = await KnowledgeBase.openExisting({ store, encoder: new HashingEncoder(), learning: { since: new Date(Date.now() + 60_000).toISOString() } });
  t.teardown(() => reset.close());
  t.same((await ranked(reset)).order, before.order, 'feedback older than `since` no longer counts (an admin reset, undone by removing it)');
  const off = await KnowledgeBase.openExisting({ store, encoder: new HashingEncoder(), learning: { enabled: false } });
  t.teardown(() => off.close());
  t.same((await ranked(off)).order, before.order, 'learning can be turned off');
  await t.rejects(KnowledgeBase.openExisting({ store, encoder: new HashingEncoder(), learning: { similarity: 2 } }), { code: 'ADK_OPTION_INVALID', message: /similarity/ });
});

t.test("one agent's many clicks count less than as many agents, and no feedback moves an answer without limit", async (t) => {
  const q = Float32Array.from([1, 0, 0]);
  const feedback = (agent: string, helpful = true, i = 0): { feedback: Feedback; vector: Float32Array } => ({
    feedback: { id: `${agent}-${i}`, at: '2026-12-01T00:00:00Z', query: 'q', sourceId: 'S', helpful, agent },
    vector: q,
  });
  const one = learnedAdjustments(q, [feedback('a')]).get('S')!.delta;
  const sameAgent = learnedAdjustments(q, Array.from({ length: 9 }, (_v, i) => feedback('a', true, i))).get('S')!.delta;
  const nineAgents = learnedAdjustments(q, Array.from({ length: 9 }, (_v, i) => feedback(`a${i}`))).get('S')!.delta;
  t.ok(one > 0 && one < sameAgent && sameAgent < nineAgents, `one ${one.toFixed(2)} < one agent ×9 ${sameAgent.toFixed(2)} < nine agents ${nineAgents.toFixed(2)}`);
  t.ok(nineAgents <= 2, 'never more than the weight (2 log-odds by default)');
  const far = Float32Array.from([0, 1, 0]);
  t.equal(learnedAdjustments(far, [feedback('a')]).size, 0, 'feedback on an unrelated question does not count');
  t.ok(learnedAdjustments(q, [feedback('a', false)]).get('S')!.delta < 0, 'not helpful moves it down');
});

t.test('feedback says what the agent did: sent, edited (how much), picked, rejected; anything else is refused', async (t) => {
  const kb = await KnowledgeBase.open({ store: path.join(t.testdir(), 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  await kb.addTickets(tickets);
  t.match(await kb.recordFeedback({ query: QUESTION, sourceId: 'T-1', helpful: true, action: 'edited', edited: 0.23456 }), { action: 'edited', edited: 0.235 });
  t.match(await kb.recordFeedback({ query: QUESTION, sourceId: 'T-2', helpful: true, action: 'picked' }), { action: 'picked' });
  await t.rejects(kb.recordFeedback({ query: QUESTION, sourceId: 'T-1', helpful: true, action: 'liked' as never }), { code: 'ADK_FEEDBACK_INVALID', message: /"action" must be one of sent, edited, picked, rejected/ });
  await t.rejects(kb.recordFeedback({ query: QUESTION, sourceId: 'T-1', helpful: true, action: 'edited', edited: 2 }), { code: 'ADK_FEEDBACK_INVALID', message: /"edited"/ });
  t.equal((await kb.feedback()).length, 2, 'refused feedback is not stored');
});

t.test('a source the agent picked becomes its question\'s answer, and the draft is built with it', async (t) => {
  const kb = await KnowledgeBase.open({ store: path.join(t.testdir(), 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  await kb.addTickets(tickets);
  const plain = await kb.suggest(QUESTION, { explain: true });
  const candidates = plain.answers?.[0]?.candidates ?? [];
  const other = [...candidates].sort((a, b) => a.probability - b.probability)[0]!.source.id;
  const picked = await kb.suggest(QUESTION, { pick: [{ question: 0, sourceId: other }] });
  t.equal(picked.answers?.[0]?.source?.id, other, 'the picked source answers, whatever its probability');
  t.match(picked.answers?.[0]?.notes?.[0], /Picked by the agent/);
  t.ok(picked.draft?.text.includes((picked.answers?.[0]?.answer ?? '').split('\n')[0]!.slice(0, 30)), 'the draft holds its passage');
  const unknown = await kb.suggest(QUESTION, { pick: [{ question: 0, sourceId: 'T-404' }] });
  t.equal(unknown.answers?.[0]?.source?.id, plain.answers?.[0]?.source?.id, 'a source that is not a candidate changes nothing');
  t.match(unknown.answers?.[0]?.notes?.[0] ?? unknown.answers?.[0]?.reason, /T-404|No answer/);
  await t.rejects(kb.suggest(QUESTION, { pick: [{ question: -1, sourceId: 'T-1' }] }), { code: 'ADK_OPTION_INVALID', message: /pick/ });
});
