import type { Notification, Priority, SupportLine, TriageFacts } from '@answerdesk/types';
import { addDuration } from './duration.js';
import { fillTemplate } from './templates.js';
import type { Actions, Directory, NotifyAction } from './types.js';

/** The route while rules are applied. Local to one `routeMessage` call. */
export interface RouteDraft {
  queue?: string;
  team?: string;
  line?: SupportLine;
  priority: Priority;
  /** Who set the priority, when a rule did (for later rules' explanations). */
  prioritySetBy?: string;
  tags: string[];
  notify: Notification[];
  due?: { within: string; at: string };
  warnings: string[];
}

export interface ActionContext {
  facts: TriageFacts;
  directories: Record<string, Directory>;
  /** `rule 3 "gift-certificates"` or `defaults`: who applied the actions, for warnings. */
  source: string;
}

/**
 * Tag text as stored: lowercase ASCII letters, digits and underscores, every
 * other character (accented letters lose their accent first) replaced by `_`.
 * `category__{category}` for `gift-certificate` gives `category__gift_certificate`.
 */
export function normalizeTag(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
}

/**
 * Apply one rule's (or the defaults') actions to the draft: scalars overwrite,
 * tags and notify append without duplicates. Returns what changed, in words,
 * for the trace; problems that should not stop routing become warnings.
 */
export function applyActions(actions: Actions, draft: RouteDraft, context: ActionContext): string[] {
  const done: string[] = [];
  const warn = (text: string): void => {
    draft.warnings.push(`${context.source}: ${text}`);
    done.push(`warning: ${text}`);
  };
  const valueOf = (name: string): string | undefined => templateValue(name, context.facts, draft);

  if (actions.queue !== undefined) done.push(overwrite('queue', draft.queue, actions.queue, (v) => (draft.queue = v)));
  if (actions.team !== undefined) done.push(overwrite('team', draft.team, actions.team, (v) => (draft.team = v)));
  if (actions.line !== undefined) done.push(overwrite('line', draft.line, actions.line, (v) => (draft.line = v)));
  if (actions.priority !== undefined) {
    done.push(overwrite('priority', draft.priority, actions.priority, (v) => (draft.priority = v)));
    draft.prioritySetBy = context.source;
  }
  for (const template of actions.tags ?? []) {
    const filled = fillTemplate(template, valueOf);
    if (filled.text === undefined) {
      warn(`tag "${template}" skipped: the message has no ${filled.missing}`);
      continue;
    }
    const tag = normalizeTag(filled.text);
    if (draft.tags.includes(tag)) continue;
    draft.tags.push(tag);
    done.push(`tag + ${tag}`);
  }
  for (const item of actions.notify ?? []) {
    for (const notification of resolveNotify(item, context, valueOf, warn)) {
      if (draft.notify.some((known) => known.address.toLowerCase() === notification.address.toLowerCase())) continue;
      draft.notify.push(notification);
      done.push(`notify + ${notification.address}${notification.from ? ` (${notification.from} ${notification.role})` : ''}`);
    }
  }
  if (actions.due !== undefined) {
    const at = addDuration(context.facts.receivedAt, actions.due);
    if (at === undefined) {
      warn(`due ${actions.due} not set: receivedAt ${JSON.stringify(context.facts.receivedAt)} is not a date`);
    } else {
      const was = draft.due?.within;
      draft.due = { within: actions.due, at };
      done.push(`due → ${actions.due} (at ${at})${was === undefined ? '' : was === actions.due ? ' (unchanged)' : ` (was ${was})`}`);
    }
  }
  return done;
}

function overwrite<T extends string | number>(name: string, was: T | undefined, value: T, set: (value: T) => void): string {
  set(value);
  if (was === undefined) return `${name} → ${value}`;
  return was === value ? `${name} → ${value} (unchanged)` : `${name} → ${value} (was ${was})`;
}

/** Value of a template placeholder for this message and the route so far; undefined when there is none. */
export function templateValue(name: string, facts: TriageFacts, draft: RouteDraft): string | undefined {
  const [head, ...rest] = name.split('.');
  const key = rest.join('.');
  switch (head) {
    case 'category':
      return facts.category;
    case 'level':
      return facts.level;
    case 'priority':
      return draft.priority;
    case 'language':
      return facts.language;
    case 'channel':
      return facts.channel;
    case 'queue':
      return draft.queue;
    case 'team':
      return draft.team;
    case 'fields': {
      const fields = facts.fields ?? {};
      const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
      return value === undefined || value === null ? undefined : String(value);
    }
    case 'labels': {
      const labels = facts.labels ?? {};
      return Object.hasOwn(labels, key) ? labels[key] : undefined;
    }
    default:
      return undefined;
  }
}

/** The notifications one notify item gives; look-up misses become warnings, never errors. */
function resolveNotify(
  item: NotifyAction,
  context: ActionContext,
  valueOf: (name: string) => string | undefined,
  warn: (text: string) => void,
): Notification[] {
  if ('address' in item) {
    const filled = fillTemplate(item.address, valueOf);
    if (filled.text === undefined) {
      warn(`notify "${item.address}" skipped: the message has no ${filled.missing}`);
      return [];
    }
    return [{ address: filled.text }];
  }
  const filled = fillTemplate(item.key, valueOf);
  if (filled.text === undefined) {
    warn(`nobody from directory "${item.directory}" notified: the message has no ${filled.missing} to look up`);
    return [];
  }
  const key = filled.text.trim();
  const directory = context.directories[item.directory] ?? {};
  // Exact key first; ids typed by hand ("s-014") still find "S-014".
  const entryKey = Object.hasOwn(directory, key) ? key : Object.keys(directory).find((known) => known.toLowerCase() === key.toLowerCase());
  const entry = entryKey === undefined ? undefined : directory[entryKey];
  if (entryKey === undefined || entry === undefined) {
    warn(`directory "${item.directory}" has no entry "${key}" (from ${item.key}); nobody from it notified`);
    return [];
  }
  const notifications: Notification[] = [];
  for (const role of item.roles ?? Object.keys(entry)) {
    const addresses = Object.hasOwn(entry, role) ? entry[role] : undefined;
    if (addresses === undefined || addresses.length === 0) {
      warn(`directory "${item.directory}" entry "${entryKey}" has no ${role}`);
      continue;
    }
    for (const address of addresses) notifications.push({ address, role, from: `${item.directory}:${entryKey}` });
  }
  return notifications;
}
