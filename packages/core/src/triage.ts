/**
 * Pure pieces of triage: checking an incoming message, choosing its priority,
 * and assembling the facts routing rules look at.
 */
import type { Encoder } from '@answerdesk/embeddings';
import { htmlToText, isHtmlBody, readMessage } from '@answerdesk/message';
import { routeMessage } from '@answerdesk/routing';
import { priorityFromCues, type Categorizer, type LabeledText, type PriorityCue } from '@answerdesk/triage';
import {
  AnswerdeskError,
  PRIORITIES,
  type DocFilter,
  type Entity,
  type FieldValue,
  type IncomingMessage,
  type LabelPrediction,
  type LanguageGuess,
  type Priority,
  type PriorityAssessment,
  type QueryLanguage,
  type Suggestion,
  type TriageFacts,
  type TriageResult,
} from '@answerdesk/types';
import { readsLanguage } from './answering.js';
import { movedProbabilities, questionKey, routeAdjustments, type CorrectedFrom, type LearningOptions, type QuestionKey } from './learning.js';
import type { TriageOptions } from './types.js';

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
  // A body sent as HTML is triaged as the text a mail client shows, as suggest reads it (readMessage).
  const body = message.text !== undefined && isHtmlBody(message.text) ? htmlToText(message.text) : message.text;
  return [message.subject, body].map((part) => part?.trim()).filter(Boolean).join('\n');
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

/** Entities as routing rules see them: kind → normalized values, each once, in order of appearance. Pure. */
export function entityFacts(entities: readonly Entity[]): Record<string, string[]> {
  const byKind: Record<string, string[]> = {};
  for (const entity of entities) {
    const values = (byKind[entity.kind] ??= []);
    if (!values.includes(entity.value)) values.push(entity.value);
  }
  return byKind;
}

/** The facts routing rules see. Channel falls back to the `channel` custom field, where helpdesks often keep it. Pure. */
export function triageFacts(
  message: IncomingMessage,
  parts: { category?: LabelPrediction; labels: Record<string, LabelPrediction>; priority: PriorityAssessment; language: LanguageGuess; entities?: readonly Entity[] },
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
    entities: entityFacts(parts.entities ?? []),
    receivedAt: message.receivedAt ?? now.toISOString(),
  };
}

/** What `composeTriage` needs from a knowledge base. */
export interface TriageDeps {
  encoder: Encoder;
  categorizers: ReadonlyArray<{ field: string; categorizer: Categorizer }>;
  detector: Promise<typeof import('@answerdesk/triage/language')>;
  maxQueryLength: number;
  priorityCues?: readonly PriorityCue[];
  /** The question's language when detection on the whole message could not tell. */
  queryLanguage: (text: string) => Promise<QueryLanguage>;
  /** The suggestion for the message's text, reusing its vector (embedded once for categorizers and suggestion). */
  suggest: (text: string, filter: DocFilter | undefined, vector: Float32Array | undefined, language: QueryLanguage) => Promise<Suggestion>;
  /** The message in Cyrillic when it is Russian written in Latin letters (and the knowledge base has Russian). */
  fromLatinRussian?: (text: string) => Promise<string | undefined>;
  /** Agents' route corrections with their messages' vectors: they move similar messages' labels. */
  corrections?: readonly CorrectedFrom[];
  learning?: LearningOptions;
}

/**
 * A categorizer's prediction for a message, moved by agents' corrections of similar messages where there are any
 * (`key`: how learning compares the message, where the encoder cannot read its language; default its vector). Pure.
 */
export function correctedPrediction(
  categorizer: Categorizer,
  field: string,
  vector: Float32Array,
  text: string,
  corrections: readonly CorrectedFrom[] = [],
  options: LearningOptions = {},
  key: QuestionKey = { vector },
): LabelPrediction {
  const learned = corrections.length && options.enabled !== false ? routeAdjustments(key, field, corrections, options) : undefined;
  if (!learned?.size) return categorizer.predictVector(vector, text);
  const moved = movedProbabilities(categorizer.labels, categorizer.probabilities(vector, text), learned);
  const prediction = categorizer.predictionOf(moved.p);
  return moved.note ? { ...prediction, learned: moved.note } : prediction;
}

/**
 * Everything a first-line agent needs about one message: category, labels,
 * priority, language, route and the suggested answer. Shared by every store.
 */
export async function composeTriage(message: IncomingMessage, options: TriageOptions, deps: TriageDeps): Promise<TriageResult> {
  const started = performance.now();
  const checked = checkMessage(message, deps.maxQueryLength);
  const written = messageText(checked);
  // Russian written in Latin letters is categorized, detected and answered in Cyrillic, as suggest reads it.
  const text = (!checked.language && deps.fromLatinRussian ? await deps.fromLatinRussian(written) : undefined) ?? written;
  const categoryField = checkFieldName(options.categoryField ?? 'category');
  const vector = deps.categorizers.length > 0 ? (await deps.encoder.embedQueries([text]))[0]! : undefined;
  const { detectLanguage } = await deps.detector;
  const language = checked.language
    ? { code: checked.language, confidence: 1, reliable: true }
    : detectLanguage(text, options.languages ? { candidates: options.languages } : {});
  const queryLanguage: QueryLanguage = language.reliable
    ? { code: language.code, basis: checked.language ? 'given' : 'detected', semantic: readsLanguage(deps.encoder.languages, language.code) }
    : await deps.queryLanguage(text);
  const key = vector && questionKey(vector, text, queryLanguage);
  let category: LabelPrediction | undefined;
  let priorityModel: LabelPrediction | undefined;
  const labels: Record<string, LabelPrediction> = {};
  for (const { field, categorizer } of deps.categorizers) {
    categorizer.checkEncoder(deps.encoder);
    const prediction = correctedPrediction(categorizer, field, vector!, text, deps.corrections, deps.learning, key);
    if (field === categoryField) category = prediction;
    else if (field === 'priority') priorityModel = prediction;
    else labels[field] = prediction;
  }
  const cues = priorityFromCues(text, deps.priorityCues ? { cues: [...deps.priorityCues] } : {});
  const priority = choosePriority(priorityModel, cues);
  // The details (order numbers, e-mails…) of subject and text; the language picks the address patterns.
  const entities = readMessage(text, language.reliable && language.code !== 'und' ? { language: language.code } : {}).entities;
  const facts = triageFacts(checked, { category, labels, priority, language, entities }, options.now ?? new Date());
  const route = options.rules ? routeMessage(options.rules, facts) : undefined;
  const suggestion = options.suggest === false ? undefined : await deps.suggest(text, options.filter, vector, queryLanguage);
  return {
    ...(checked.id ? { id: checked.id } : {}),
    ...(category ? { category } : {}),
    labels,
    priority,
    language,
    entities,
    ...(route ? { route } : {}),
    ...(suggestion ? { suggestion } : {}),
    tookMs: Math.round((performance.now() - started) * 100) / 100,
  };
}

/**
 * Which of `fields` to retrain after a write: the knowledge base's own categorizers whose sources
 * changed (tickets; articles too for `category`), never one trained from a file, and only with two
 * labels or more. Shared by every store; `fit` trains and keeps one.
 */
export async function retrainFields(
  fields: readonly string[],
  kindsChanged: ReadonlySet<string | undefined>,
  store: {
    origin: (field: string) => 'knowledge-base' | 'examples' | undefined;
    examples: (field: string) => LabeledText[] | Promise<LabeledText[]>;
    fit: (field: string, examples: readonly LabeledText[]) => Promise<unknown>;
  },
  progress?: (progress: { phase: 'train'; done: number; total: number }) => void,
): Promise<string[]> {
  const trained: string[] = [];
  for (const field of fields.map(checkFieldName)) {
    const existing = store.origin(field);
    // `category` also learns from article sections, so a changed article retrains it too.
    const sourcesChanged = kindsChanged.has('ticket') || (field === 'category' && kindsChanged.has('article'));
    if (existing === 'examples' || (existing && !sourcesChanged)) continue;
    const examples = await store.examples(field);
    if (new Set(examples.map((e) => e.label)).size < 2) continue;
    progress?.({ phase: 'train', done: trained.length, total: fields.length });
    await store.fit(field, examples);
    trained.push(field);
  }
  if (trained.length) progress?.({ phase: 'train', done: trained.length, total: trained.length });
  return trained;
}
