import { randomUUID } from 'node:crypto';
import { AnswerdeskError, type Feedback, type FeedbackAction, type FeedbackInput, type RouteCorrection, type RouteCorrectionInput } from '@answerdesk/types';
import { checkFieldName } from './triage.js';

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
  const { question } = input;
  if (question !== undefined && (typeof question !== 'string' || question.trim() === '' || question.length > MAX_QUERY)) throw fail(`"question" must be the question the verdict is on, as the suggestion read it: text of 1 to ${MAX_QUERY} characters`);
  if (typeof sourceId !== 'string' || sourceId === '') throw fail('needs "sourceId": the id of the suggested section or ticket');
  if (typeof helpful !== 'boolean') throw fail('needs "helpful": true or false');
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > MAX_COMMENT)) throw fail(`"comment" must be text of at most ${MAX_COMMENT} characters`);
  if (suggestionId !== undefined && (typeof suggestionId !== 'string' || suggestionId.length > 100)) throw fail('"suggestionId" must be the id a suggestion came with');
  const { action, edited } = input;
  if (action !== undefined && !FEEDBACK_ACTIONS.includes(action)) throw fail(`"action" must be one of ${FEEDBACK_ACTIONS.join(', ')}`);
  if (edited !== undefined && !(typeof edited === 'number' && edited >= 0 && edited <= 1)) throw fail('"edited" must be the share of the draft changed, from 0 to 1');
  const { confidence } = input;
  if (confidence !== undefined && !(typeof confidence === 'number' && confidence >= 0 && confidence <= 1)) throw fail('"confidence" must be the probability shown with the answer, from 0 to 1');
  if (!known(sourceId)) throw new AnswerdeskError('ADK_DOCUMENT_NOT_FOUND', { id: sourceId });
  return {
    id: randomUUID(),
    at: now.toISOString(),
    query: query.trim(),
    ...(question !== undefined ? { question: question.trim() } : {}),
    sourceId,
    helpful,
    ...(suggestionId ? { suggestionId } : {}),
    ...(comment ? { comment } : {}),
    ...(typeof agent === 'string' && agent ? { agent } : {}),
    ...(action ? { action } : {}),
    ...(edited !== undefined ? { edited: Math.round(edited * 1000) / 1000 } : {}),
    ...(confidence !== undefined ? { confidence: Math.round(confidence * 1000) / 1000 } : {}),
  };
}

const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} ._/&-]{0,99}$/u;

/** Check a route correction as given and stamp it with an id and time. Pure but for the stamp. */
export function checkRouteCorrection(input: RouteCorrectionInput, now = new Date()): RouteCorrection {
  const fail = (reason: string) => new AnswerdeskError('ADK_FEEDBACK_INVALID', { reason });
  if (!input || typeof input !== 'object') throw fail('must be an object with text, field and label');
  const { text, label, was, suggestionId, agent } = input;
  if (typeof text !== 'string' || text.trim() === '') throw fail('needs "text": the message as triaged (subject and text)');
  if (text.length > MAX_QUERY) throw fail(`"text" is ${text.length} characters; the limit is ${MAX_QUERY}`);
  let field: string;
  try {
    field = checkFieldName(input.field);
  } catch {
    throw fail('needs "field": the label field corrected, such as "queue" or "category"');
  }
  if (typeof label !== 'string' || !LABEL.test(label)) throw fail('needs "label": the right label, such as the queue the message belongs in');
  if (was !== undefined && (typeof was !== 'string' || !LABEL.test(was))) throw fail('"was" must be the label triage gave');
  if (was === label) throw fail(`says the right label is "${label}", which is what triage gave`);
  if (suggestionId !== undefined && (typeof suggestionId !== 'string' || suggestionId.length > 100)) throw fail('"suggestionId" must be the id a triage came with');
  return {
    kind: 'route',
    id: randomUUID(),
    at: now.toISOString(),
    text: text.trim(),
    field,
    label,
    ...(was ? { was } : {}),
    ...(suggestionId ? { suggestionId } : {}),
    ...(typeof agent === 'string' && agent ? { agent } : {}),
  };
}
