import type { Actions, Conditions, DefaultActions, Directory, FieldCondition, KeywordCondition, NotifyAction, Rule, RuleSet } from './types.js';
import type { MatchValue, OneOrMany, RuleFile, RuleFileActions, RuleFileConditions } from './schema.js';

/** Expand the file's shorthands (single values, `level: medium`, string addresses) into a `RuleSet`. The file has been checked. */
export function normalizeRuleFile(file: RuleFile, name: string): RuleSet {
  const rules = file.rules.map((rule, index): Rule => {
    const out: Rule = {
      name: rule.name.trim(),
      position: index + 1,
      when: normalizeConditions(rule.when ?? {}),
      then: normalizeActions(rule.then ?? {}),
      stop: rule.stop ?? true,
    };
    if (rule.description !== undefined) out.description = rule.description;
    return out;
  });
  const { priority: _ignored, ...defaults } = normalizeActions(file.defaults ?? {});
  return {
    version: 1,
    file: name,
    defaults: defaults satisfies DefaultActions,
    directories: normalizeDirectories(file.directories ?? {}),
    rules,
    warnings: lint(rules),
  };
}

function list<T>(value: OneOrMany<T>): T[] {
  return Array.isArray(value) ? value : [value];
}

function texts(value: OneOrMany<string>): string[] {
  return list(value).map((item) => item.trim());
}

function normalizeConditions(when: RuleFileConditions): Conditions {
  const out: Conditions = {};
  if (when.category !== undefined) out.category = texts(when.category);
  if (when.level !== undefined) out.level = typeof when.level === 'string' ? { atLeast: when.level } : { ...when.level };
  if (when.priority !== undefined) out.priority = list(when.priority);
  if (when.language !== undefined) out.language = texts(when.language);
  if (when.channel !== undefined) out.channel = texts(when.channel);
  if (when.fields !== undefined) out.fields = matchConditions(when.fields);
  if (when.labels !== undefined) {
    out.labels = Object.fromEntries(Object.entries(when.labels).map(([name, value]) => [name, texts(value)]));
  }
  if (when.entities !== undefined) out.entities = matchConditions(when.entities);
  if (when.keywords !== undefined) {
    const keywords: KeywordCondition = {};
    for (const kind of ['any', 'all', 'none'] as const) {
      const value = when.keywords[kind];
      if (value !== undefined) keywords[kind] = texts(value);
    }
    out.keywords = keywords;
  }
  return out;
}

/** `fields` and `entities`: a value, a list, `{ exists }` or `{ anyOf }`, each into `{ exists }` or `{ anyOf }`. */
function matchConditions<T extends Partial<Record<string, MatchValue>>>(conditions: T): { [K in keyof T]: FieldCondition } {
  return Object.fromEntries(
    Object.entries<MatchValue | undefined>(conditions).flatMap(([name, value]): Array<[string, FieldCondition]> => {
      if (value === undefined) return [];
      if (Array.isArray(value)) return [[name, { anyOf: value }]];
      if (typeof value === 'object') return [[name, 'exists' in value ? { exists: value.exists } : { anyOf: list(value.anyOf) }]];
      return [[name, { anyOf: [value] }]];
    }),
  ) as { [K in keyof T]: FieldCondition };
}

function normalizeActions(then: RuleFileActions): Actions {
  const out: Actions = {};
  if (then.queue !== undefined) out.queue = then.queue.trim();
  if (then.team !== undefined) out.team = then.team.trim();
  if (then.line !== undefined) out.line = then.line;
  if (then.priority !== undefined) out.priority = then.priority;
  if (then.tags !== undefined) out.tags = texts(then.tags);
  if (then.notify !== undefined) {
    out.notify = then.notify.map((item): NotifyAction => {
      if (typeof item === 'string') return { address: item.trim() };
      if ('address' in item) return { address: item.address.trim() };
      const lookup: NotifyAction = { directory: item.directory, key: item.key.trim() };
      if (item.roles !== undefined) lookup.roles = texts(item.roles);
      return lookup;
    });
  }
  if (then.due !== undefined) out.due = then.due.replace(/\s+/g, '');
  return out;
}

function normalizeDirectories(directories: NonNullable<RuleFile['directories']>): Record<string, Directory> {
  return Object.fromEntries(
    Object.entries(directories).map(([name, entries]) => [
      name,
      Object.fromEntries(
        Object.entries(entries).map(([key, roles]) => [key, Object.fromEntries(Object.entries(roles).map(([role, addresses]) => [role, texts(addresses)]))]),
      ),
    ]),
  );
}

/** Legal but surely unintended: an unconditional stopping rule hides every rule after it. */
function lint(rules: Rule[]): string[] {
  const warnings: string[] = [];
  const blocker = rules.find((rule) => rule.stop && Object.keys(rule.when).length === 0);
  if (blocker && blocker.position < rules.length) {
    const hidden = rules.slice(blocker.position).map((rule) => `"${rule.name}"`);
    warnings.push(`rule ${blocker.position} "${blocker.name}" has no conditions and stops evaluation, so ${hidden.join(', ')} never run; add stop: false or move it last`);
  }
  return warnings;
}
