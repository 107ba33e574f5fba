import type { DataPath } from './syntax.js';

/**
 * Where in a rule file a problem is, in the words of ADK_RULES_INVALID: the
 * `rule` part (`rule 3 "gift-certificates"`, `defaults`, `directory "stores"`)
 * and the `field` part (`then.notify[1].roles[2]`). List positions count from 1,
 * like rule numbers, because people read these messages, not programs.
 */
export interface Place {
  rule: string;
  field: string;
}

export function placeOf(path: DataPath, data: unknown): Place {
  const [top, second] = path;
  if (top === 'rules' && typeof second === 'number') {
    const name = nameOfRule(data, second);
    return {
      rule: name === undefined ? `rule ${second + 1}` : `rule ${second + 1} "${name}"`,
      field: path.length > 2 ? fieldPath(path.slice(2)) : '(the rule itself)',
    };
  }
  if (top === 'defaults') return { rule: 'defaults', field: fieldPath(path) };
  if (top === 'directories' && typeof second === 'string') return { rule: `directory "${second}"`, field: fieldPath(path) };
  return { rule: 'top level', field: path.length > 0 ? fieldPath(path) : '(the whole file)' };
}

/** The rule's name when it has a usable one, for naming a rule even when the error is in its name's neighbours. */
function nameOfRule(data: unknown, index: number): string | undefined {
  const rules = (data as { rules?: unknown } | null)?.rules;
  const rule = Array.isArray(rules) ? (rules[index] as unknown) : undefined;
  const name = typeof rule === 'object' && rule !== null ? (rule as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined;
}

/** `['then', 'notify', 0, 'roles']` → `then.notify[1].roles`. */
export function fieldPath(path: DataPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part + 1}]`;
    else if (/^[\w-]+$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** A value as a message shows it: `"1 day"`, `3`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}
