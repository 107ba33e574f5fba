/**
 * Helpdesk webhooks: a ticket as the helpdesk sends it (Zammad's trigger payload, or any JSON
 * through a field mapping) → the message Answerdesk triages, and a triage → what the helpdesk
 * sets (category, priority in its own names, group, tags, an internal note). Pure functions:
 * no I/O, so every mapping is unit-tested without a server.
 */
import { htmlToText, looksLikeHtml } from '@answerdesk/message';
import { AnswerdeskError, PRIORITIES, type FieldValue, type IncomingMessage, type Priority, type Source, type TriageResult } from '@answerdesk/types';

/** Where a value sits in a payload: a JSON pointer (`/ticket/title`) or a dotted path (`ticket.title`, `articles.0.body`, `articles[0].body`). A list: the first that holds a value. */
export type PayloadPath = string | readonly string[];

/** A priority in the helpdesk's words: its name, and its id where the helpdesk has ids (Zammad's `priority_id`). */
export interface HelpdeskPriority {
  name: string;
  id?: number;
}

/** How an answer is put in the helpdesk's words. */
export interface HelpdeskNames {
  /** Answerdesk priority → the helpdesk's (a name, or `{name, id}`). Unmapped priorities keep Answerdesk's name. */
  priorities?: Partial<Record<Priority, string | HelpdeskPriority>>;
  /**
   * Answerdesk queue → the helpdesk's group. Without it a queue's name is the group's; with it an
   * unmapped queue sets no group (the ticket stays where it is) and the answer warns.
   */
  groups?: Record<string, string>;
}

/** Where the message is in another helpdesk's webhook payload. */
export interface GenericMapping extends HelpdeskNames {
  /** The helpdesk's name, used in messages. Default `generic`. */
  helpdesk?: string;
  /** The customer's words (required). */
  text: PayloadPath;
  /** Whether `text` is HTML (turned into plain text) or plain text; `auto` looks at it. Default `auto`. */
  format?: 'text' | 'html' | 'auto';
  subject?: PayloadPath;
  /** The ticket's id, echoed as `ticketId` (a string or a number). */
  id?: PayloadPath;
  channel?: PayloadPath;
  /** An ISO 639-1 code or a locale (`de-AT`, `pt_BR`: its language is taken); anything else is detected and warned about. */
  language?: PayloadPath;
  /** When it arrived, ISO 8601. */
  receivedAt?: PayloadPath;
  /** Custom fields for routing rules (`fields.storeId`…): field name → path. */
  fields?: Record<string, PayloadPath>;
}

/** Zammad's trigger payload needs no mapping; these adjust it. */
export interface ZammadOptions extends HelpdeskNames {
  /** More fields for routing rules, from the payload (custom ticket attributes: `ticket.store_id`): field name → path. */
  fields?: Record<string, PayloadPath>;
  /** A ticket attribute (a custom object of Zammad's) to set to the category in `update`. Default none: the category is in the note only. */
  categoryAttribute?: string;
}

export interface WebhookOptions {
  zammad?: ZammadOptions;
  generic?: GenericMapping;
  /**
   * Longest subject + text triaged. A longer ticket (a long e-mail thread) is cut at a line break
   * before it: the customer's newest words come first, quoted history last; the note says so.
   * Default: the knowledge base's `maxQueryLength` (4,000 characters).
   */
  maxTextLength?: number;
}

/** Zammad's default priorities (`GET /api/v1/ticket_priorities` on a fresh system); it has no "urgent". */
export const ZAMMAD_PRIORITIES: Readonly<Record<Priority, HelpdeskPriority>> = {
  low: { name: '1 low', id: 1 },
  normal: { name: '2 normal', id: 2 },
  high: { name: '3 high', id: 3 },
  urgent: { name: '3 high', id: 3 },
};

/** A ticket read from a webhook payload. */
export interface HelpdeskTicket {
  helpdesk: string;
  ticketId?: string;
  ticketNumber?: string;
  message: IncomingMessage;
  /** What was read other than asked (a value ignored, the text cut), in words. */
  warnings: string[];
  /** Set when the text was cut to fit: its length before and after. */
  cut?: { from: number; to: number };
}

export type AnswerPriority = { value: Priority; basis: 'model' | 'cues' | 'rules' | 'default' } & HelpdeskPriority;

/** What the helpdesk sets on the ticket, and the triage it came from. */
export interface HelpdeskAnswer {
  helpdesk: string;
  ticketId?: string;
  ticketNumber?: string;
  /** The category, when triage is at least Medium-confident (a Low guess is in the note only). */
  category?: string;
  /**
   * Answerdesk's priority (`value`) in the helpdesk's words, and what it rests on: the learned `model`,
   * explicit `cues` (outage, fraud…), the routing `rules`, or the `default` when nothing said, in which
   * case Zammad's `update` leaves the ticket's priority as it is.
   */
  priority: AnswerPriority;
  /** Answerdesk's queue: the route's, else the queue categorizer's when at least Medium-confident. */
  queue?: string;
  /** The helpdesk's group for that queue. */
  group?: string;
  tags: string[];
  /** For the agents, never for the customer. */
  note: { subject: string; body: string; html: string; internal: true };
  /** Zammad only: the body of `PUT /api/v1/tickets/{ticketId}` (group, priority, the note as an internal article). */
  update?: Record<string, unknown>;
  warnings: string[];
  triage: TriageResult & { suggestionId?: string };
}

const invalidOption = (option: string, reason: string) => new AnswerdeskError('ADK_OPTION_INVALID', { option, reason });

// ---------------------------------------------------------------------------------------------
// Paths

/** A path's segments: a JSON pointer (RFC 6901) when it starts with `/`, else a dotted path. */
export function parsePath(path: string, option = 'path'): string[] {
  if (typeof path !== 'string' || path.trim() === '' || path === '/') throw invalidOption(option, `must be a JSON pointer like "/ticket/title" or a dotted path like "ticket.title", got ${JSON.stringify(path)}`);
  if (path.startsWith('/')) return path.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const segments = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (segments.some((segment) => segment === '')) throw invalidOption(option, `has an empty step in "${path}" (write "a.b.0.c"; a key holding a dot needs a JSON pointer: "/a/b.c")`);
  return segments;
}

/** The value at a path, or undefined. Arrays are indexed by number. */
export function readPath(payload: unknown, path: string): unknown {
  let here: unknown = payload;
  for (const segment of parsePath(path)) {
    if (here === null || typeof here !== 'object') return undefined;
    if (Array.isArray(here)) {
      if (!/^\d+$/.test(segment)) return undefined;
      here = here[Number(segment)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(here, segment)) return undefined;
      here = (here as Record<string, unknown>)[segment];
    }
  }
  return here;
}

const pathsOf = (paths: PayloadPath): readonly string[] => (typeof paths === 'string' ? [paths] : paths);
const describe = (paths: PayloadPath) => pathsOf(paths).map((p) => `"${p}"`).join(' or ');

/** The first of the paths holding something (not null, not an empty string), with the path it came from. */
export function firstValue(payload: unknown, paths: PayloadPath): { value: unknown; path: string } | undefined {
  for (const path of pathsOf(paths)) {
    const value = readPath(payload, path);
    if (value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '')) return { value, path };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// HTML → text

// The HTML of a message is read as text by @answerdesk/message (htmlToText).

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// ---------------------------------------------------------------------------------------------
// Options

const HELPDESK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const ATTRIBUTE = /^[a-z][a-z0-9_]{0,63}$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkKeys(value: Record<string, unknown>, known: readonly string[], option: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw invalidOption(`${option}.${key}`, `is not a known option (known: ${known.join(', ')}; check its spelling)`);
  }
}

function checkPath(value: unknown, option: string): PayloadPath {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) throw invalidOption(option, 'must be a path ("/ticket/title" or "ticket.title") or a list of paths, the first holding a value winning');
  list.forEach((path, i) => parsePath(path as string, Array.isArray(value) ? `${option}[${i}]` : option));
  return value as PayloadPath;
}

function checkFields(value: unknown, option: string): Record<string, PayloadPath> {
  if (!isObject(value)) throw invalidOption(option, 'must be an object: field name → path, e.g. {"storeId": "/ticket/custom_fields/store"}');
  for (const [name, path] of Object.entries(value)) {
    if (!FIELD_NAME.test(name)) throw invalidOption(`${option}.${name}`, 'is not a field name: letters, digits, _ and -, starting with a letter');
    checkPath(path, `${option}.${name}`);
  }
  return value as Record<string, PayloadPath>;
}

function checkNames(value: Record<string, unknown>, option: string): void {
  if (value.priorities !== undefined) {
    if (!isObject(value.priorities)) throw invalidOption(`${option}.priorities`, `must be an object: Answerdesk priority (${PRIORITIES.join(', ')}) → the helpdesk's name or {"name", "id"}`);
    for (const [priority, name] of Object.entries(value.priorities)) {
      const at = `${option}.priorities.${priority}`;
      if (!(PRIORITIES as readonly string[]).includes(priority)) throw invalidOption(at, `is not an Answerdesk priority (${PRIORITIES.join(', ')})`);
      const ok = (typeof name === 'string' && name.trim() !== '') || (isObject(name) && typeof name.name === 'string' && name.name.trim() !== '' && (name.id === undefined || Number.isInteger(name.id)) && Object.keys(name).every((k) => k === 'name' || k === 'id'));
      if (!ok) throw invalidOption(at, 'must be the helpdesk\'s priority name, or {"name": "3 high", "id": 3}');
    }
  }
  if (value.groups !== undefined) {
    if (!isObject(value.groups)) throw invalidOption(`${option}.groups`, 'must be an object: Answerdesk queue → the helpdesk\'s group name');
    for (const [queue, group] of Object.entries(value.groups)) {
      if (typeof group !== 'string' || group.trim() === '') throw invalidOption(`${option}.groups.${queue}`, 'must be the helpdesk\'s group name, a non-empty string');
    }
  }
}

/** Check the webhook options at start-up: a mistake is ADK_OPTION_INVALID naming the option, never a failed ticket later. */
export function checkWebhookOptions(value: unknown, option = 'webhooks'): WebhookOptions {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalidOption(option, 'must be an object: {"zammad"?: {...}, "generic"?: {"text": "/path/to/text", ...}, "maxTextLength"?: 4000}');
  checkKeys(value, ['zammad', 'generic', 'maxTextLength'], option);
  if (value.maxTextLength !== undefined && !(Number.isInteger(value.maxTextLength) && (value.maxTextLength as number) >= 100)) throw invalidOption(`${option}.maxTextLength`, 'must be a whole number of characters, 100 or more');
  if (value.zammad !== undefined) {
    const zammad = value.zammad;
    const at = `${option}.zammad`;
    if (!isObject(zammad)) throw invalidOption(at, 'must be an object: {"groups"?, "priorities"?, "fields"?, "categoryAttribute"?}');
    checkKeys(zammad, ['groups', 'priorities', 'fields', 'categoryAttribute'], at);
    checkNames(zammad, at);
    if (zammad.fields !== undefined) checkFields(zammad.fields, `${at}.fields`);
    if (zammad.categoryAttribute !== undefined && !(typeof zammad.categoryAttribute === 'string' && ATTRIBUTE.test(zammad.categoryAttribute))) {
      throw invalidOption(`${at}.categoryAttribute`, 'must be the name of a Zammad ticket attribute: lowercase letters, digits and _');
    }
  }
  if (value.generic !== undefined) {
    const generic = value.generic;
    const at = `${option}.generic`;
    if (!isObject(generic)) throw invalidOption(at, 'must be an object: {"text": "/path/to/the/customer/words", "subject"?, "id"?, "channel"?, "language"?, "receivedAt"?, "fields"?, "format"?, "groups"?, "priorities"?, "helpdesk"?}');
    checkKeys(generic, ['helpdesk', 'text', 'format', 'subject', 'id', 'channel', 'language', 'receivedAt', 'fields', 'groups', 'priorities'], at);
    if (generic.text === undefined) throw invalidOption(`${at}.text`, 'is required: the path of the customer\'s words in the payload');
    for (const key of ['text', 'subject', 'id', 'channel', 'language', 'receivedAt'] as const) {
      if (generic[key] !== undefined) checkPath(generic[key], `${at}.${key}`);
    }
    if (generic.fields !== undefined) checkFields(generic.fields, `${at}.fields`);
    if (generic.format !== undefined && !['text', 'html', 'auto'].includes(generic.format as string)) throw invalidOption(`${at}.format`, 'must be "text", "html" or "auto"');
    if (generic.helpdesk !== undefined && !(typeof generic.helpdesk === 'string' && HELPDESK_NAME.test(generic.helpdesk))) throw invalidOption(`${at}.helpdesk`, 'must be a short name: letters, digits, ".", "_" and "-"');
    checkNames(generic, at);
  }
  return value as WebhookOptions;
}

// ---------------------------------------------------------------------------------------------
// Payload → message

const payloadError = (helpdesk: string, reason: string) => new AnswerdeskError('ADK_WEBHOOK_PAYLOAD_INVALID', { helpdesk, reason });

/** A custom field's value as routing rules take it; anything else is left out with a warning. */
function fieldValue(value: unknown): FieldValue | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}

function readFields(payload: unknown, fields: Record<string, PayloadPath>, warnings: string[], into: Record<string, FieldValue>): void {
  for (const [name, paths] of Object.entries(fields)) {
    const found = firstValue(payload, paths);
    if (!found) continue;
    const value = fieldValue(found.value);
    if (value === undefined) warnings.push(`field "${name}" was left out: the value at "${found.path}" is ${Array.isArray(found.value) ? 'a list' : typeof found.value}, not a string, number or boolean`);
    else into[name] = value;
  }
}

/** `de-AT`, `pt_BR`, `EN` → their ISO 639 language; undefined when it is not a language tag. */
export function languageOf(value: string): string | undefined {
  const match = /^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$/.exec(value.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

/**
 * Fit subject + text into `max` characters: the text is cut at the last line break (else space)
 * before the limit, keeping the customer's newest words (a reply's quoted history comes last).
 */
export function fitText(subject: string | undefined, text: string, max: number): { subject?: string; text: string; cut?: { from: number; to: number } } {
  let kept = subject?.trim() ? subject.trim() : undefined;
  if (kept && kept.length > Math.floor(max / 4)) kept = `${kept.slice(0, Math.floor(max / 4) - 1).trimEnd()}…`;
  const room = max - (kept ? kept.length + 1 : 0);
  const body = text.trim();
  if (body.length <= room) return { ...(kept ? { subject: kept } : {}), text: body };
  const head = body.slice(0, room);
  const line = head.lastIndexOf('\n');
  const at = line > room / 2 ? line : head.lastIndexOf(' ');
  const cutText = (at > room / 2 ? head.slice(0, at) : head).trimEnd();
  return { ...(kept ? { subject: kept } : {}), text: cutText, cut: { from: body.length, to: cutText.length } };
}

function finish(helpdesk: string, message: IncomingMessage, warnings: string[], max: number, extra: { ticketId?: string; ticketNumber?: string }): HelpdeskTicket {
  const fitted = fitText(message.subject, message.text, max);
  if (!fitted.text && !fitted.subject) throw payloadError(helpdesk, 'the ticket has no words to triage (its text is empty once HTML and whitespace are removed)');
  if (fitted.cut) warnings.push(`the text is ${fitted.cut.from} characters long; the first ${fitted.cut.to} were triaged (the limit with the subject is ${max})`);
  const { subject: _subject, ...rest } = message;
  return {
    helpdesk,
    ...extra,
    message: { ...rest, ...(fitted.subject ? { subject: fitted.subject } : {}), text: fitted.text },
    warnings,
    ...(fitted.cut ? { cut: fitted.cut } : {}),
  };
}

const nameOf = (value: unknown): string | undefined => {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (isObject(value) && typeof value.name === 'string' && value.name.trim()) return value.name.trim();
  return undefined;
};

const isoDate = (value: unknown): string | undefined => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined);

/**
 * The message in Zammad's default trigger payload (`{ticket, article}`, see Zammad's admin
 * documentation, "Webhook Payload"): the article that fired the trigger is the customer's words
 * (HTML turned into text), its subject or the ticket's title the subject, its type (email, web,
 * phone…) the channel. Fields for routing rules: `group`, `organization`, `vip`, plus `options.fields`.
 */
export function zammadTicket(payload: unknown, options: ZammadOptions = {}, max = 4000): HelpdeskTicket {
  const helpdesk = 'zammad';
  const warnings: string[] = [];
  if (!isObject(payload) || !isObject(payload.ticket)) throw payloadError(helpdesk, 'it has no "ticket" object. Use the webhook\'s default payload (switch "Custom Payload" off), which sends {"ticket": {...}, "article": {...}}');
  const ticket = payload.ticket;
  const article = payload.article;
  if (!isObject(article)) {
    throw payloadError(helpdesk, 'it has no "article": Zammad sends the article only when one fired the trigger. Make the trigger fire on a new ticket ("Action is created") or on a customer\'s article');
  }
  const contentType = typeof article.content_type === 'string' ? article.content_type.toLowerCase() : 'text/plain';
  const body = typeof article.body === 'string' ? article.body : '';
  const text = contentType.includes('html') ? htmlToText(body) : body;
  const subject = nameOf(article.subject) ?? nameOf(ticket.title);
  const fields: Record<string, FieldValue> = {};
  const group = nameOf(ticket.group);
  if (group) fields.group = group;
  const organization = nameOf(ticket.organization);
  if (organization) fields.organization = organization;
  if (isObject(ticket.customer) && typeof ticket.customer.vip === 'boolean') fields.vip = ticket.customer.vip;
  if (options.fields) readFields(payload, options.fields, warnings, fields);
  const channel = nameOf(article.type);
  const receivedAt = isoDate(article.created_at) ?? isoDate(ticket.created_at);
  const ticketId = ticket.id === undefined || ticket.id === null ? undefined : String(ticket.id);
  const ticketNumber = ticket.number === undefined || ticket.number === null ? undefined : String(ticket.number);
  const message: IncomingMessage = {
    ...(ticketId ? { id: ticketId } : {}),
    ...(subject ? { subject } : {}),
    text,
    ...(channel ? { channel: channel.slice(0, 100) } : {}),
    ...(Object.keys(fields).length ? { fields } : {}),
    ...(receivedAt ? { receivedAt } : {}),
  };
  return finish(helpdesk, message, warnings, max, { ...(ticketId ? { ticketId } : {}), ...(ticketNumber ? { ticketNumber } : {}) });
}

/** The message in any JSON payload, where `mapping` says each part is. */
export function genericTicket(payload: unknown, mapping: GenericMapping, max = 4000): HelpdeskTicket {
  const helpdesk = mapping.helpdesk ?? 'generic';
  const warnings: string[] = [];
  const textFound = firstValue(payload, mapping.text);
  if (!textFound) throw payloadError(helpdesk, `there is no text at ${describe(mapping.text)} (the mapping's "text"). Send the customer's words there, or point the mapping at where they are`);
  if (typeof textFound.value !== 'string') throw payloadError(helpdesk, `the text at "${textFound.path}" is ${Array.isArray(textFound.value) ? 'a list' : typeof textFound.value}; it must be a string (the customer's words)`);
  const format = mapping.format ?? 'auto';
  const text = format === 'html' || (format === 'auto' && looksLikeHtml(textFound.value)) ? htmlToText(textFound.value) : textFound.value;
  const stringAt = (key: 'subject' | 'channel' | 'language' | 'receivedAt'): string | undefined => {
    const paths = mapping[key];
    if (!paths) return undefined;
    const found = firstValue(payload, paths);
    if (!found) return undefined;
    if (typeof found.value === 'string') return found.value.trim();
    warnings.push(`${key} was left out: the value at "${found.path}" is ${Array.isArray(found.value) ? 'a list' : typeof found.value}, not a string`);
    return undefined;
  };
  let id: string | undefined;
  if (mapping.id) {
    const found = firstValue(payload, mapping.id);
    if (found && (typeof found.value === 'string' || (typeof found.value === 'number' && Number.isFinite(found.value)))) id = String(found.value).slice(0, 200);
    else if (found) warnings.push(`the ticket id was left out: the value at "${found.path}" is ${typeof found.value}, not a string or number`);
  }
  const subject = stringAt('subject');
  const channel = stringAt('channel');
  const languageValue = stringAt('language');
  const language = languageValue ? languageOf(languageValue) : undefined;
  if (languageValue && !language) warnings.push(`the language "${languageValue.slice(0, 40)}" is not a language code (en, de-AT…), so it was detected from the text`);
  const receivedValue = stringAt('receivedAt');
  const receivedAt = receivedValue ? isoDate(receivedValue) : undefined;
  if (receivedValue && !receivedAt) warnings.push(`receivedAt "${receivedValue.slice(0, 40)}" is not an ISO 8601 date, so now was used`);
  const fields: Record<string, FieldValue> = {};
  if (mapping.fields) readFields(payload, mapping.fields, warnings, fields);
  const message: IncomingMessage = {
    ...(id ? { id } : {}),
    ...(subject ? { subject } : {}),
    text,
    ...(channel ? { channel: channel.slice(0, 100) } : {}),
    ...(language ? { language } : {}),
    ...(Object.keys(fields).length ? { fields } : {}),
    ...(receivedAt ? { receivedAt } : {}),
  };
  return finish(helpdesk, message, warnings, max, id ? { ticketId: id } : {});
}

// ---------------------------------------------------------------------------------------------
// Triage → what the helpdesk sets

const percent = (p: number) => `${Math.round(p * 100)}%`;
const levelWord = (level: string) => level.charAt(0).toUpperCase() + level.slice(1);

function sourceLine(source: Source): string {
  if (source.kind === 'ticket') return `Ticket ${source.id}: ${source.title}`;
  const where = [source.file, source.line !== undefined ? `line ${source.line}` : undefined].filter(Boolean).join(', ');
  const title = source.headingPath?.length ? source.headingPath.join(' › ') : source.heading ? `${source.title} › ${source.heading}` : source.title;
  return `${title} (${source.id}${where ? `; ${where}` : ''})`;
}

/** One part of the note, rendered both as plain text and as HTML. */
type Block = { kind: 'heading'; text: string } | { kind: 'para'; text: string } | { kind: 'quote'; text: string } | { kind: 'list'; items: string[] };

function renderText(blocks: readonly Block[]): string {
  return blocks
    .map((block) => {
      if (block.kind === 'list') return block.items.map((item) => `- ${item}`).join('\n');
      if (block.kind === 'quote') return block.text.split('\n').map((line) => (line ? `    ${line}` : '')).join('\n');
      if (block.kind === 'heading') return `${block.text}:`;
      return block.text;
    })
    .join('\n\n');
}

function renderHtml(blocks: readonly Block[]): string {
  const lines = (text: string) => escapeHtml(text).replace(/\n/g, '<br>');
  return blocks
    .map((block) => {
      if (block.kind === 'list') return `<ul>${block.items.map((item) => `<li>${lines(item)}</li>`).join('')}</ul>`;
      if (block.kind === 'quote') return `<blockquote>${lines(block.text)}</blockquote>`;
      if (block.kind === 'heading') return `<p><strong>${lines(block.text)}</strong></p>`;
      return `<p>${lines(block.text)}</p>`;
    })
    .join('\n');
}

interface NoteContext {
  priority: AnswerPriority;
  queue?: string;
  group?: string;
  tags: string[];
  warnings: string[];
}

/** The internal note: the suggested reply with its sources first (what the agent acts on), then why the ticket was triaged as it was. */
export function triageNote(triage: TriageResult, context: NoteContext): { subject: string; body: string; html: string } {
  const blocks: Block[] = [];
  const suggestion = triage.suggestion;
  const answered = suggestion?.answers?.filter((answer) => answer.status === 'answered') ?? (suggestion?.status === 'answered' ? [suggestion] : []);
  if (suggestion && suggestion.status === 'answered' && suggestion.draft) {
    const { level, score } = suggestion.confidence;
    blocks.push({ kind: 'heading', text: `Suggested reply (${levelWord(level)} confidence: ${percent(score)} likely right; check it before sending, it was not sent)` });
    blocks.push({ kind: 'quote', text: suggestion.draft.text });
    const extra: string[] = [];
    if (suggestion.draft.placeholders.length) extra.push(`Fill in: ${suggestion.draft.placeholders.join(', ')}`);
    for (const note of suggestion.draft.notes) extra.push(note);
    if (suggestion.draft.needsTranslation) extra.push(`The reply is in ${suggestion.draft.language}: translate it before sending.`);
    if (extra.length) blocks.push({ kind: 'list', items: extra });
  } else if (suggestion) {
    blocks.push({ kind: 'heading', text: 'No suggested reply' });
    blocks.push({ kind: 'para', text: suggestion.reason ?? 'The knowledge base has no answer to this message.' });
  }
  const sources: string[] = [];
  const seen = new Set<string>();
  for (const answer of answered) {
    if (!answer.source || seen.has(answer.source.id)) continue;
    seen.add(answer.source.id);
    sources.push(`${sourceLine(answer.source)}: ${levelWord(answer.confidence.level)}, ${percent(answer.confidence.score)}`);
  }
  if (sources.length) blocks.push({ kind: 'heading', text: 'Sources' }, { kind: 'list', items: sources });
  const open = suggestion?.answers?.filter((answer) => answer.status === 'abstained') ?? [];
  if (open.length && answered.length) {
    blocks.push({ kind: 'heading', text: 'Not answered' });
    blocks.push({ kind: 'list', items: open.map((answer) => `"${answer.question}": ${answer.reason ?? 'no answer in the knowledge base'}${answer.best ? ` (likeliest: ${answer.best.id}, ${percent(answer.confidence.score)})` : ''}${answer.nearby?.length ? ` (nearby: ${answer.nearby.map((s) => s.id).join(', ')})` : ''}`) });
  } else if (!answered.length && suggestion?.answers?.some((answer) => answer.best || answer.nearby?.length)) {
    // The likeliest source of each question first, with how likely it is: the one an agent checks first.
    const likeliest = suggestion.answers.flatMap((answer) => (answer.best ? [{ source: answer.best, score: answer.confidence.score }] : []));
    const listed = new Set(likeliest.map(({ source }) => source.id));
    const nearby = [...new Map(suggestion.answers.flatMap((answer) => answer.nearby ?? []).filter((s) => !listed.has(s.id)).map((s) => [s.id, s])).values()];
    const heading = likeliest.some(({ source }) => source.kind === 'ticket') ? 'Closest sources' : 'Nearby articles';
    blocks.push({ kind: 'heading', text: heading }, { kind: 'list', items: [...likeliest.map(({ source, score }) => `${sourceLine(source)}: likeliest, ${percent(score)}`), ...nearby.map(sourceLine)] });
  }

  const facts: string[] = [];
  if (triage.category) {
    const next = triage.category.alternatives[0];
    facts.push(`Category: ${triage.category.label} (${levelWord(triage.category.level)}, ${percent(triage.category.probability)}${next ? `; next: ${next.label} ${percent(next.probability)}` : ''})${triage.category.level === 'low' ? ', not set: too unsure' : ''}`);
  }
  const cues = triage.priority.cues.length ? `; ${triage.priority.cues.join(', ')}` : '';
  const { priority } = context;
  const basis =
    priority.basis === 'rules' ? `set by the routing rules; triage said ${triage.priority.priority}${cues}` : priority.basis === 'default' ? 'nothing said how urgent: left as it is' : `${priority.basis}${cues}`;
  facts.push(`Priority: ${priority.value}${priority.name !== priority.value ? ` → ${priority.name}` : ''} (${basis})`);
  if (context.queue) facts.push(`Queue: ${context.queue}${context.group && context.group !== context.queue ? ` → group ${context.group}` : ''}${triage.route?.queue ? '' : ' (predicted)'}`);
  if (triage.route?.line) facts.push(`Line: ${triage.route.line}`);
  if (context.tags.length) facts.push(`Tags: ${context.tags.join(', ')}`);
  if (triage.route?.due) facts.push(`Due: ${triage.route.due.at} (within ${triage.route.due.within})`);
  if (triage.route?.notify.length) facts.push(`Notify: ${triage.route.notify.map((n) => n.address).join(', ')}`);
  facts.push(`Language: ${triage.language.code}${triage.language.reliable ? '' : ' (unsure)'}`);
  // The subject and the text often name the same order: each detail once.
  const details = [...new Set(triage.entities.map((e) => `${e.kind} ${e.value}`))];
  if (details.length) facts.push(`Details: ${details.join(', ')}`);
  const fired = triage.route?.trace.filter((rule) => rule.fired).map((rule) => rule.rule) ?? [];
  if (fired.length) facts.push(`Rules: ${fired.join(', ')}`);
  blocks.push({ kind: 'heading', text: 'Triage' }, { kind: 'list', items: facts });

  const similar = suggestion?.similarTickets ?? [];
  if (similar.length) blocks.push({ kind: 'heading', text: 'Similar resolved tickets' }, { kind: 'list', items: similar.slice(0, 3).map((t) => `${t.id}: ${t.subject}${t.category ? ` (${t.category})` : ''}`) });
  const warnings = [...context.warnings, ...(triage.route?.warnings ?? [])];
  if (warnings.length) blocks.push({ kind: 'heading', text: 'Warnings' }, { kind: 'list', items: warnings });

  const what = suggestion?.status === 'answered' ? 'suggested reply' : suggestion ? 'no answer found' : 'triage';
  const category = triage.category && triage.category.level !== 'low' ? triage.category.label : undefined;
  const subject = `Answerdesk: ${what}${category ? ` · ${category}` : ''} · ${context.priority.value} priority`;
  return { subject, body: renderText(blocks), html: renderHtml(blocks) };
}

/** The priority triage ends with (the route's when rules ran), what it rests on, and the helpdesk's name for it. */
export function helpdeskPriority(triage: TriageResult, names: HelpdeskNames, defaults?: Readonly<Record<Priority, HelpdeskPriority>>): AnswerPriority {
  const value = triage.route?.priority ?? triage.priority.priority;
  const byRule = triage.route !== undefined && (value !== triage.priority.priority || triage.route.trace.some((rule) => rule.fired && rule.actions.some((action) => action.startsWith('priority'))));
  const given = names.priorities?.[value];
  const named = typeof given === 'string' ? { name: given } : given ?? defaults?.[value] ?? { name: value };
  return { value, basis: byRule ? 'rules' : triage.priority.basis, name: named.name, ...(named.id !== undefined ? { id: named.id } : {}) };
}

/** What the helpdesk sets on the ticket: priority and group in its own names, tags, and the internal note. */
export function helpdeskAnswer(ticket: HelpdeskTicket, triage: TriageResult & { suggestionId?: string }, names: HelpdeskNames, defaults?: Readonly<Record<Priority, HelpdeskPriority>>): HelpdeskAnswer {
  const warnings = [...ticket.warnings];
  const category = triage.category && triage.category.level !== 'low' ? triage.category.label : undefined;
  const predictedQueue = triage.labels.queue && triage.labels.queue.level !== 'low' ? triage.labels.queue.label : undefined;
  const queue = triage.route?.queue ?? predictedQueue;
  let group: string | undefined;
  if (queue) {
    if (!names.groups) group = queue;
    else if (Object.prototype.hasOwnProperty.call(names.groups, queue)) group = names.groups[queue];
    else warnings.push(`the queue "${queue}" has no ${ticket.helpdesk} group in the mapping's "groups", so the group was left as it is`);
  }
  const priority = helpdeskPriority(triage, names, defaults);
  const tags = [...new Set(triage.route?.tags ?? [])];
  const note = triageNote(triage, { priority, ...(queue ? { queue } : {}), ...(group ? { group } : {}), tags, warnings });
  return {
    helpdesk: ticket.helpdesk,
    ...(ticket.ticketId ? { ticketId: ticket.ticketId } : {}),
    ...(ticket.ticketNumber ? { ticketNumber: ticket.ticketNumber } : {}),
    ...(category ? { category } : {}),
    priority,
    ...(queue ? { queue } : {}),
    ...(group ? { group } : {}),
    tags,
    note: { ...note, internal: true },
    warnings,
    triage,
  };
}

/** The Zammad answer: the helpdesk answer plus `update`, the body of `PUT /api/v1/tickets/{id}` (Zammad's REST API, "Tickets › Update"). */
export function zammadAnswer(ticket: HelpdeskTicket, triage: TriageResult & { suggestionId?: string }, options: ZammadOptions = {}): HelpdeskAnswer {
  const answer = helpdeskAnswer(ticket, triage, options, ZAMMAD_PRIORITIES);
  const update: Record<string, unknown> = {
    ...(answer.group ? { group: answer.group } : {}),
    // A default says nothing: the priority the ticket came with (a customer's, a channel's) stays.
    // An id survives a renamed priority; a name is all a mapping may give.
    ...(answer.priority.basis === 'default' ? {} : answer.priority.id !== undefined ? { priority_id: answer.priority.id } : { priority: answer.priority.name }),
    ...(options.categoryAttribute && answer.category ? { [options.categoryAttribute]: answer.category } : {}),
    article: { subject: answer.note.subject, body: answer.note.html, content_type: 'text/html', type: 'note', internal: true },
  };
  return { ...answer, update };
}
