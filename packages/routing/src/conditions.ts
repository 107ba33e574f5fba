import type { ConfidenceLevel, FieldValue, Priority, TriageFacts } from '@answerdesk/types';
import { hasKeyword } from './keywords.js';
import type { Conditions, FieldCondition, KeywordCondition, LevelCondition } from './types.js';

/** The facts as a rule sees them: earlier rules may have changed the priority. */
export interface FactsView {
  facts: TriageFacts;
  priority: Priority;
  /** `rule 2 "fraud"` when an earlier rule set the priority, for the explanation. */
  prioritySetBy?: string;
}

/** A condition's verdict: every reason it held, or the one reason it failed. */
export type Verdict = { held: true; why: string[] } | { held: false; why: string };

const LEVEL_ORDER: Record<ConfidenceLevel, number> = { low: 0, medium: 1, high: 2 };

/** Checks every condition in a fixed order and stops at the first that fails. Pure. */
export function checkConditions(when: Conditions, view: FactsView): Verdict {
  const why: string[] = [];
  const checks: Array<() => Verdict | undefined> = [
    () => when.category && checkCategory(when.category, view.facts),
    () => when.level && checkLevel(when.level, view.facts.level),
    () => when.priority && checkPriority(when.priority, view),
    () => when.language && checkText('language', when.language, view.facts.language),
    () => when.channel && checkText('channel', when.channel, view.facts.channel),
    () => when.fields && checkFields(when.fields, view.facts.fields ?? {}),
    () => when.labels && checkLabels(when.labels, view.facts.labels ?? {}),
    () => when.entities && checkEntities(when.entities, view.facts.entities ?? {}),
    () => when.keywords && checkKeywords(when.keywords, searchText(view.facts)),
  ];
  for (const check of checks) {
    const verdict = check();
    if (verdict === undefined) continue;
    if (!verdict.held) return verdict;
    why.push(...verdict.why);
  }
  return { held: true, why: why.length > 0 ? why : ['no conditions: the rule always fires'] };
}

/** Text comparisons ignore case and surrounding space; numbers and booleans compare by their text. */
export function sameText(a: FieldValue, b: FieldValue): boolean {
  return String(a).trim().toLowerCase() === String(b).trim().toLowerCase();
}

function wants(values: readonly FieldValue[]): string {
  return values.length === 1 ? String(values[0]) : `one of ${values.join(', ')}`;
}

export function checkCategory(wanted: string[], facts: TriageFacts): Verdict {
  const category = facts.category;
  if (category === undefined || category === '') return { held: false, why: `no category predicted, rule wants ${wants(wanted)}` };
  if (!wanted.some((value) => sameText(value, category))) return { held: false, why: `category is ${category}, rule wants ${wants(wanted)}` };
  const detail = [facts.probability === undefined ? undefined : `p=${facts.probability.toFixed(2)}`, facts.level].filter((part) => part !== undefined);
  return { held: true, why: [`category is ${category}${detail.length > 0 ? ` (${detail.join(', ')})` : ''}`] };
}

function describeLevel(wanted: LevelCondition): string {
  if (wanted.atLeast && wanted.atMost) return wanted.atLeast === wanted.atMost ? `exactly ${wanted.atLeast}` : `between ${wanted.atLeast} and ${wanted.atMost}`;
  return wanted.atLeast ? `at least ${wanted.atLeast}` : `at most ${wanted.atMost ?? 'high'}`;
}

export function checkLevel(wanted: LevelCondition, level: ConfidenceLevel | undefined): Verdict {
  if (level === undefined) return { held: false, why: `no category confidence level, rule wants ${describeLevel(wanted)}` };
  const rank = LEVEL_ORDER[level];
  const held = (wanted.atLeast === undefined || rank >= LEVEL_ORDER[wanted.atLeast]) && (wanted.atMost === undefined || rank <= LEVEL_ORDER[wanted.atMost]);
  return held
    ? { held: true, why: [`confidence level is ${level} (${describeLevel(wanted)})`] }
    : { held: false, why: `confidence level is ${level}, rule wants ${describeLevel(wanted)}` };
}

export function checkPriority(wanted: Priority[], view: FactsView): Verdict {
  const source = view.prioritySetBy ? ` (set by ${view.prioritySetBy})` : '';
  return wanted.includes(view.priority)
    ? { held: true, why: [`priority is ${view.priority}${source}`] }
    : { held: false, why: `priority is ${view.priority}${source}, rule wants ${wants(wanted)}` };
}

/** language and channel: a plain value compared with a list. */
export function checkText(name: string, wanted: string[], actual: string | undefined): Verdict {
  if (actual === undefined || actual === '') return { held: false, why: `no ${name} given, rule wants ${wants(wanted)}` };
  return wanted.some((value) => sameText(value, actual))
    ? { held: true, why: [`${name} is ${actual}`] }
    : { held: false, why: `${name} is ${actual}, rule wants ${wants(wanted)}` };
}

function isSet(value: FieldValue | undefined): value is FieldValue {
  return value !== undefined && value !== null && String(value).trim() !== '';
}

export function checkFields(wanted: Record<string, FieldCondition>, fields: Record<string, FieldValue>): Verdict {
  const why: string[] = [];
  for (const [name, condition] of Object.entries(wanted)) {
    // Own properties only: a field called "constructor" must not find Object.prototype.
    const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
    const label = `fields.${name}`;
    if ('exists' in condition) {
      if (condition.exists !== isSet(value)) {
        return { held: false, why: isSet(value) ? `${label} is set (${value}), rule wants it unset` : `${label} is not set, rule wants it set` };
      }
      why.push(isSet(value) ? `${label} is set (${value})` : `${label} is not set`);
      continue;
    }
    if (!isSet(value)) return { held: false, why: `${label} is not set, rule wants ${wants(condition.anyOf)}` };
    if (!condition.anyOf.some((option) => sameText(option, value))) return { held: false, why: `${label} = ${value}, rule wants ${wants(condition.anyOf)}` };
    why.push(`${label} = ${value}`);
  }
  return { held: true, why };
}

export function checkLabels(wanted: Record<string, string[]>, labels: Record<string, string>): Verdict {
  const why: string[] = [];
  for (const [name, options] of Object.entries(wanted)) {
    const value = Object.hasOwn(labels, name) ? labels[name] : undefined;
    if (value === undefined || value === '') return { held: false, why: `no labels.${name} predicted, rule wants ${wants(options)}` };
    if (!options.some((option) => sameText(option, value))) return { held: false, why: `labels.${name} is ${value}, rule wants ${wants(options)}` };
    why.push(`labels.${name} is ${value}`);
  }
  return { held: true, why };
}

/** Several found values read as "a or b": a condition holds when any of them matches. */
function found(values: readonly string[]): string {
  return values.length <= 2 ? values.join(' or ') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

/**
 * `entities`: like `fields`, but a kind can have several values (two order numbers), and the condition
 * holds when any of them matches. Blank values do not count.
 */
export function checkEntities(wanted: Partial<Record<string, FieldCondition>>, entities: Record<string, readonly string[]>): Verdict {
  const why: string[] = [];
  for (const [kind, condition] of Object.entries(wanted)) {
    if (condition === undefined) continue;
    const values = (Object.hasOwn(entities, kind) ? (entities[kind] ?? []) : []).filter((value) => isSet(value));
    const label = `entities.${kind}`;
    const isFound = values.length > 0;
    if ('exists' in condition) {
      if (condition.exists !== isFound) {
        return { held: false, why: isFound ? `${label} is set (${values.join(', ')}), rule wants it unset` : `${label} is not set, rule wants it set` };
      }
      why.push(isFound ? `${label} is set (${values.join(', ')})` : `${label} is not set`);
      continue;
    }
    if (!isFound) return { held: false, why: `${label} is not set, rule wants ${wants(condition.anyOf)}` };
    const match = values.find((value) => condition.anyOf.some((option) => sameText(option, value)));
    if (match === undefined) return { held: false, why: `${label} = ${found(values)}, rule wants ${wants(condition.anyOf)}` };
    why.push(`${label} = ${match}`);
  }
  return { held: true, why };
}

/** Keywords are looked for in the subject and the text together. */
export function searchText(facts: TriageFacts): string {
  return facts.subject ? `${facts.subject}\n${facts.text}` : facts.text;
}

function quoted(keywords: string[]): string {
  return keywords.map((keyword) => `"${keyword}"`).join(', ');
}

export function checkKeywords(wanted: KeywordCondition, text: string): Verdict {
  const why: string[] = [];
  if (wanted.any) {
    const found = wanted.any.filter((keyword) => hasKeyword(text, keyword));
    if (found.length === 0) return { held: false, why: `none of the keywords ${quoted(wanted.any)} found` };
    why.push(found.length === 1 ? `keyword ${quoted(found)} found` : `keywords ${quoted(found)} found`);
  }
  if (wanted.all) {
    const missing = wanted.all.find((keyword) => !hasKeyword(text, keyword));
    if (missing !== undefined) return { held: false, why: `keyword "${missing}" not found, rule wants all of ${quoted(wanted.all)}` };
    why.push(`all keywords ${quoted(wanted.all)} found`);
  }
  if (wanted.none) {
    const present = wanted.none.find((keyword) => hasKeyword(text, keyword));
    if (present !== undefined) return { held: false, why: `keyword "${present}" found, rule excludes it` };
    why.push(`none of ${quoted(wanted.none)} found`);
  }
  return { held: true, why };
}
