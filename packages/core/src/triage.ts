/**
 * Pure pieces of triage: checking an incoming message, choosing its priority,
 * and assembling the facts routing rules look at.
 */
import { AnswerdeskError, PRIORITIES, type FieldValue, type IncomingMessage, type LabelPrediction, type LanguageGuess, type Priority, type PriorityAssessment, type TriageFacts } from '@answerdesk/types';

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A label field name usable as a categorizer name and a store file name. */
export function checkFieldName(field: unknown): string {
  if (typeof field !== 'string' || !FIELD_NAME.test(field)) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'field', reason: `must be a label field name like "category" or "queue" (letters, digits, - and _), got ${JSON.stringify(field)}` });
  }
  return field;
}

/** Check an incoming message; a clear coded error names what is wrong. */
export function checkMessage(message: unknown, maxLength: number): IncomingMessage {
  const id = typeof (message as IncomingMessage | null)?.id === 'string' ? (message as IncomingMessage).id! : '(no id)';
  const fail = (reason: string): never => {
    throw new AnswerdeskError('ADK_MESSAGE_INVALID', { id, reason });
  };
  if (typeof message !== 'object' || message === null || Array.isArray(message)) fail('it must be an object like {"text": "..."}');
  const m = message as Record<string, unknown>;
  if (m.id !== undefined && typeof m.id !== 'string') fail('"id" must be a string');
  if (typeof m.text !== 'string' || (m.text.trim() === '' && (typeof m.subject !== 'string' || m.subject.trim() === ''))) fail('"text" must be the customer\'s words, a non-empty string');
  for (const key of ['subject', 'channel', 'language', 'receivedAt'] as const) {
    if (m[key] !== undefined && typeof m[key] !== 'string') fail(`"${key}" must be a string`);
  }
  if (typeof m.receivedAt === 'string' && Number.isNaN(Date.parse(m.receivedAt))) fail(`"receivedAt" must be an ISO 8601 date, got "${m.receivedAt}"`);
  if (m.fields !== undefined) {
    if (typeof m.fields !== 'object' || m.fields === null || Array.isArray(m.fields)) fail('"fields" must be an object of custom fields');
    for (const [key, value] of Object.entries(m.fields as object)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) fail(`field "${key}" must be a string, number or boolean`);
    }
  }
  const text = messageText(m as unknown as IncomingMessage);
  if (text.length > maxLength) fail(`it is ${text.length} characters long; the limit is ${maxLength}`);
  return m as unknown as IncomingMessage;
}

/** What the categorizer reads: the subject (when there is one) and the body. */
export function messageText(message: IncomingMessage): string {
  return [message.subject, message.text].map((part) => part?.trim()).filter(Boolean).join('\n');
}

/**
 * The message's priority: the learned priority model when it is at least
 * Medium-confident and names a known priority; otherwise the explicit cues.
 * The cues found are reported either way, so an agent sees why.
 */
export function choosePriority(model: LabelPrediction | undefined, cues: PriorityAssessment): PriorityAssessment {
  if (model && model.level !== 'low' && (PRIORITIES as readonly string[]).includes(model.label)) {
    return { priority: model.label as Priority, basis: 'model', level: model.level, cues: cues.cues };
  }
  return cues;
}

/** The facts routing rules see. Channel falls back to the `channel` custom field, where helpdesks often keep it. Pure. */
export function triageFacts(
  message: IncomingMessage,
  parts: { category?: LabelPrediction; labels: Record<string, LabelPrediction>; priority: PriorityAssessment; language: LanguageGuess },
  now: Date,
): TriageFacts {
  const fields: Record<string, FieldValue> = { ...(message.fields ?? {}) };
  const channel = message.channel ?? (typeof fields.channel === 'string' ? fields.channel : undefined);
  return {
    text: message.text,
    ...(message.subject ? { subject: message.subject } : {}),
    ...(parts.category ? { category: parts.category.label, level: parts.category.level, probability: parts.category.probability } : {}),
    priority: parts.priority.priority,
    language: parts.language.code,
    ...(channel ? { channel } : {}),
    fields,
    labels: Object.fromEntries(Object.entries(parts.labels).map(([field, prediction]) => [field, prediction.label])),
    receivedAt: message.receivedAt ?? now.toISOString(),
  };
}
