import type { FeedbackInput, QuestionAnswer } from '@answerdesk/core';

/**
 * What an agent does with one answer when the right sources are known, as the agent page sends it: the
 * answer shown is sent when right and rejected when wrong, with the engine's own score for it (outcomes
 * recalibrate confidence); when it was wrong or missing, the right source is picked where the page lists it
 * (`pickable`, in the page's order). bench/feedback and bench/retrieval replay feedback by this rule. Pure.
 */
export function agentVerdicts(query: string, answer: QuestionAnswer, right: (id: string) => boolean, pickable: readonly string[], agent: string): FeedbackInput[] {
  const shown = answer.status === 'answered' ? answer.source?.id : undefined;
  const confidence = answer.confidence.before ?? answer.confidence.score;
  if (shown && right(shown)) return [{ query, sourceId: shown, helpful: true, action: 'sent', confidence, agent }];
  const out: FeedbackInput[] = shown ? [{ query, sourceId: shown, helpful: false, action: 'rejected', confidence, agent }] : [];
  const picked = pickable.find(right);
  if (picked) out.push({ query, sourceId: picked, helpful: true, action: 'picked', agent });
  return out;
}
