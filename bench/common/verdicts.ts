import type { FeedbackInput, QuestionAnswer } from '@answerdesk/core';

/** What the agent page lists for a question to pick from: the alternatives, and after an abstention its best candidate and the nearby articles. Pure. */
export function listedSources(answer: QuestionAnswer): string[] {
  return [...answer.alternatives.map((a) => a.source.id), ...(answer.best ? [answer.best.id] : []), ...(answer.nearby ?? []).map((s) => s.id)];
}

/**
 * What an agent does with one answer when the right sources are known, as the agent page sends it: the
 * answer shown is sent when right and rejected when wrong, with the engine's own score for it (outcomes
 * recalibrate confidence); when it was wrong or missing, the right source is picked where the page lists it
 * (`pickable`, in the page's order: `listedSources`, and whatever else the caller lets the agent pick from).
 * After an abstention the engine's best candidate (`answer.best`) is an outcome too, at its probability:
 * right when the agent picks it, wrong when the agent picks another source
 * or, with `canned`, answers with a canned reply (off-topic, spam, not covered) because nothing is right.
 * bench/feedback and bench/retrieval replay feedback by this rule. Pure.
 */
export function agentVerdicts(query: string, answer: QuestionAnswer, right: (id: string) => boolean, pickable: readonly string[], agent: string, canned = false): FeedbackInput[] {
  const shown = answer.status === 'answered' ? answer.source?.id : answer.best?.id;
  const confidence = answer.confidence.before ?? answer.confidence.score;
  // The page says which question a verdict is on: learning compares later questions with it, not with the whole message.
  const on = answer.question ? { question: answer.question } : {};
  const picked = pickable.find(right);
  if (shown && right(shown)) return [{ query, ...on, sourceId: shown, helpful: true, action: answer.status === 'answered' ? 'sent' : 'picked', confidence, agent }];
  // An abstention's best candidate was wrong only once the agent does something else: picks another source or a canned reply.
  const judged = answer.status === 'answered' || picked !== undefined || canned;
  const out: FeedbackInput[] = shown && judged ? [{ query, ...on, sourceId: shown, helpful: false, action: 'rejected', confidence, agent }] : [];
  if (picked) out.push({ query, ...on, sourceId: picked, helpful: true, action: 'picked', agent });
  return out;
}
