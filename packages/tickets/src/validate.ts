import type { Ticket } from '@answerdesk/types';

/** Why a row is not a usable ticket, or the ticket. Pure. */
export type TicketCheck = { ok: true; ticket: Ticket } | { ok: false; reason: string };

const KNOWN = new Set(['id', 'subject', 'body', 'resolution', 'category', 'priority', 'queue', 'language', 'createdAt', 'tags', 'fields']);
const ID_PATTERN = /^[^\s#][^\s]*$/;

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * Check one raw record (a parsed JSON line or CSV row) and turn it into a Ticket.
 * Columns that are not ticket fields are kept in `fields`, never dropped.
 */
export function validateTicket(raw: unknown): TicketCheck {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'a ticket must be a JSON object' };
  const row = raw as Record<string, unknown>;
  const id = text(row.id);
  if (!id) return { ok: false, reason: 'missing "id"' };
  if (!ID_PATTERN.test(id)) return { ok: false, reason: `"id" must not contain spaces or start with "#" (got "${id}")` };
  for (const name of ['subject', 'body', 'resolution', 'category', 'priority', 'queue', 'language', 'createdAt'] as const) {
    if (row[name] !== undefined && row[name] !== null && text(row[name]) === undefined) return { ok: false, reason: `"${name}" must be text` };
  }
  const subject = text(row.subject) ?? '';
  const body = text(row.body) ?? '';
  const resolution = text(row.resolution) ?? '';
  if (subject === '' && body === '') return { ok: false, reason: 'needs a "subject" or a "body" (the customer\'s text)' };
  if (resolution === '') return { ok: false, reason: 'missing "resolution" (the agent\'s answer): only resolved tickets are knowledge' };

  const ticket: Ticket = { id, subject, body, resolution };
  for (const name of ['category', 'queue'] as const) {
    const value = text(row[name]);
    if (value) ticket[name] = value;
  }
  const priority = text(row.priority);
  if (priority) ticket.priority = priority.toLowerCase();
  const language = text(row.language);
  if (language) {
    if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(language)) return { ok: false, reason: `"language" must be a code such as "en" (got "${language}")` };
    ticket.language = language.toLowerCase();
  }
  const createdAt = text(row.createdAt);
  if (createdAt) {
    const time = Date.parse(createdAt);
    if (Number.isNaN(time)) return { ok: false, reason: `"createdAt" is not a date (got "${createdAt}"); use ISO 8601 such as 2025-03-14T09:30:00Z` };
    ticket.createdAt = new Date(time).toISOString();
  }
  if (row.tags !== undefined && row.tags !== null && row.tags !== '') {
    const list = typeof row.tags === 'string' ? row.tags.split(/[;,]/) : row.tags;
    if (!Array.isArray(list) || list.some((tag) => typeof tag !== 'string')) return { ok: false, reason: '"tags" must be a list of words' };
    ticket.tags = [...new Set(list.map((tag: string) => tag.trim().toLowerCase()).filter(Boolean))];
  }
  const fields: Record<string, string | number | boolean> = {};
  // An empty cell (CSV) means no custom fields, as for tags.
  if (row.fields !== undefined && row.fields !== null && row.fields !== '') {
    if (typeof row.fields !== 'object' || Array.isArray(row.fields)) return { ok: false, reason: '"fields" must be an object of custom values' };
    for (const [key, value] of Object.entries(row.fields as Record<string, unknown>)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        return { ok: false, reason: `custom field "${key}" must be text, a number or true/false` };
      }
      fields[key] = value;
    }
  }
  for (const [key, value] of Object.entries(row)) {
    if (KNOWN.has(key) || value === undefined || value === null || value === '') continue;
    const name = key.startsWith('fields.') ? key.slice('fields.'.length) : key;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[name] = value;
    else return { ok: false, reason: `column "${key}" must be text, a number or true/false` };
  }
  if (Object.keys(fields).length > 0) ticket.fields = fields;
  return { ok: true, ticket };
}
