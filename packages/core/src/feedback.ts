import { randomUUID } from 'node:crypto';
import { AnswerdeskError, type Feedback, type FeedbackAction, type FeedbackInput } from '@answerdesk/types';

const FEEDBACK_ACTIONS: readonly FeedbackAction[] = ['sent', 'edited', 'picked', 'rejected'];

const MAX_QUERY = 4000;
const MAX_COMMENT = 2000;

/** Check feedback as given and stamp it with an id and time. `known(id)` says whether the source exists. Pure but for the stamp. */
export function checkFeedback(input: FeedbackInput, known: (id: string) => boolean, now = new Date()): Feedback {
  const fail = (reason: string) => new AnswerdeskError('ADK_FEEDBACK_INVALID', { reason });
  if (!input || typeof input !== 'object') throw fail('must be an object with query, sourceId and helpful');
  const { query, sourceId, helpful, suggestionId, comment, agent } = input;
  if (typeof query !== 'string' || query.trim() === '') throw fail('needs "query": the customer text the suggestion answered');
  if (query.length > MAX_QUERY) throw fail(`"query" is ${query.length} characters; the limit is ${MAX_QUERY}`);
  if (typeof sourceId !== 'string' || sourceId === '') throw fail('needs "sourceId": the id of the suggested section or ticket');
  if (typeof helpful !== 'boolean') throw fail('needs "helpful": true or false');
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > MAX_COMMENT)) throw fail(`"comment" must be text of at most ${MAX_COMMENT} characters`);
  if (suggestionId !== undefined && (typeof suggestionId !== 'string' || suggestionId.length > 100)) throw fail('"suggestionId" must be the id a suggestion came with');
  const { action, edited } = input;
  if (action !== undefined && !FEEDBACK_ACTIONS.includes(action)) throw fail(`"action" must be one of ${FEEDBACK_ACTIONS.join(', ')}`);
  if (edited !== undefined && !(typeof edited === 'number' && edited >= 0 && edited <= 1)) throw fail('"edited" must be the share of the draft changed, from 0 to 1');
  if (!known(sourceId)) throw new AnswerdeskError('ADK_DOCUMENT_NOT_FOUND', { id: sourceId });
  return {
    id: randomUUID(),
    at: now.toISOString(),
    query: query.trim(),
    sourceId,
    helpful,
    ...(suggestionId ? { suggestionId } : {}),
    ...(comment ? { comment } : {}),
    ...(typeof agent === 'string' && agent ? { agent } : {}),
    ...(action ? { action } : {}),
    ...(edited !== undefined ? { edited: Math.round(edited * 1000) / 1000 } : {}),
  };
}
