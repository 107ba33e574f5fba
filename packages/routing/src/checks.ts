import type { ConfidenceLevel } from '@answerdesk/types';
import { parseDuration, DURATION_HINT } from './duration.js';
import type { RuleFile, RuleFileActions } from './schema.js';
import type { Problem } from './schema-errors.js';
import { closest } from './schema-errors.js';
import type { DataPath } from './syntax.js';
import { templateProblem } from './templates.js';

const LEVEL_ORDER: Record<ConfidenceLevel, number> = { low: 0, medium: 1, high: 2 };

/**
 * The checks a JSON Schema cannot express, on a file that passed the schema:
 * unique rule names, notify look-ups that can resolve, templates and durations
 * that work. Returns the first problem in file order, or undefined.
 */
export function semanticProblem(file: RuleFile): Problem | undefined {
  const directories = file.directories ?? {};
  if (file.defaults) {
    const problem = actionsProblem(file.defaults, ['defaults'], directories);
    if (problem) return problem;
  }
  const seen = new Map<string, number>();
  for (const [index, rule] of file.rules.entries()) {
    const key = rule.name.trim().toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      return { path: ['rules', index, 'name'], reason: `repeats the name of rule ${first + 1}; give each rule a unique name` };
    }
    seen.set(key, index);
    const level = rule.when?.level;
    if (typeof level === 'object' && level.atLeast && level.atMost && LEVEL_ORDER[level.atLeast] > LEVEL_ORDER[level.atMost]) {
      return { path: ['rules', index, 'when', 'level'], reason: `asks for at least ${level.atLeast} and at most ${level.atMost}, which no message can be; swap or drop one` };
    }
    if (rule.then) {
      const problem = actionsProblem(rule.then, ['rules', index, 'then'], directories);
      if (problem) return problem;
    }
  }
  return undefined;
}

function actionsProblem(actions: RuleFileActions, at: DataPath, directories: NonNullable<RuleFile['directories']>): Problem | undefined {
  for (const key of ['queue', 'team'] as const) {
    const value = actions[key];
    if (value !== undefined && /[{}]/.test(value)) {
      return { path: [...at, key], reason: `is "${value}"; placeholders only work in tags and notify, write the ${key} name itself` };
    }
  }
  const tags = actions.tags === undefined ? [] : ([] as string[]).concat(actions.tags);
  for (const [index, tag] of tags.entries()) {
    const problem = templateProblem(tag);
    if (problem) return { path: Array.isArray(actions.tags) ? [...at, 'tags', index] : [...at, 'tags'], reason: problem };
  }
  for (const [index, item] of (actions.notify ?? []).entries()) {
    const here: DataPath = [...at, 'notify', index];
    if (typeof item === 'string') {
      const problem = templateProblem(item);
      if (problem) return { path: here, reason: problem };
      continue;
    }
    const problem = notifyProblem(item, here, directories);
    if (problem) return problem;
  }
  if (actions.due !== undefined && parseDuration(actions.due) === undefined) {
    return { path: [...at, 'due'], reason: `is "${actions.due}", which is no time at all; ${DURATION_HINT}` };
  }
  return undefined;
}

function notifyProblem(
  item: { address?: string; directory?: string; key?: string; roles?: string | string[] },
  here: DataPath,
  directories: NonNullable<RuleFile['directories']>,
): Problem | undefined {
  if (item.address !== undefined) {
    if (item.directory !== undefined || item.key !== undefined || item.roles !== undefined) {
      return { path: here, reason: 'has both an address and a directory look-up; split them into two notify items' };
    }
    const problem = templateProblem(item.address);
    return problem ? { path: [...here, 'address'], reason: problem } : undefined;
  }
  const name = item.directory ?? '';
  const directory = directories[name];
  if (directory === undefined) {
    const known = Object.keys(directories);
    const guess = closest(name, known);
    return {
      path: [...here, 'directory'],
      reason:
        known.length === 0
          ? `refers to directory "${name}", but the file has no directories section; add one or notify an address instead`
          : `refers to directory "${name}", which is not defined${guess ? ` (did you mean "${guess}"?)` : ''}; defined directories: ${known.join(', ')}`,
    };
  }
  const keyProblem = templateProblem(item.key ?? '');
  if (keyProblem) return { path: [...here, 'key'], reason: keyProblem };
  // A role that no entry has is a typo, not a gap in one store's data (that is a routing-time warning).
  const roles = new Set(Object.values(directory).flatMap((entry) => Object.keys(entry)));
  const wanted = item.roles === undefined ? [] : ([] as string[]).concat(item.roles);
  for (const [index, role] of wanted.entries()) {
    if (!roles.has(role)) {
      const guess = closest(role, [...roles]);
      return {
        path: Array.isArray(item.roles) ? [...here, 'roles', index] : [...here, 'roles'],
        reason: `names role "${role}", which no entry of directory "${name}" has${guess ? ` (did you mean "${guess}"?)` : ''}; roles there: ${[...roles].join(', ') || '(none, the directory is empty)'}`,
      };
    }
  }
  return undefined;
}
