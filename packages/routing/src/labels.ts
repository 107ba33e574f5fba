import { AnswerdeskError } from '@answerdesk/types';
import { ruleLabel } from './evaluate.js';
import { closest, editDistance } from './schema-errors.js';
import type { RuleSet } from './types.js';

/**
 * The values a knowledge base can produce, per field: what routing rules may sensibly name.
 * A field left out (or with no values) is not checked: nothing is known about it.
 */
export interface KnownLabels {
  /** Categories: the labels of the trained category categorizer (and the documents' categories). */
  category?: readonly string[];
  /** Languages a message can be read in (the languages with their own analyzer). */
  language?: readonly string[];
  /** Other label fields (queue, priority, team…) → the labels of their categorizers. `queue` and `team` also check the queues and teams rules send messages to. */
  labels?: Readonly<Record<string, readonly string[]>>;
}

/** A value in a rule file that the knowledge base does not know: surely a typo, or a label nothing predicts yet. */
export interface RuleLabelWarning {
  /** `rule 3 "fraud-review"`, or `defaults`. */
  rule: string;
  /** Where in the rule: `when.category`, `when.labels.queue`, `when.language`, `then.queue`. */
  field: string;
  value: string;
  /** What the knowledge base knows for that field, sorted. */
  known: string[];
  /** The known value nearest by edit distance, when one is close. */
  suggestion?: string;
  /** The whole warning in words. */
  message: string;
}

const WHAT: Record<string, string> = { category: 'category', language: 'language', queue: 'queue', team: 'team', priority: 'priority' };

function sameLanguage(value: string, known: string): boolean {
  const v = value.toLowerCase();
  const k = known.toLowerCase();
  // de-AT is German; nb and nn are Norwegian.
  const base = (code: string) => {
    const b = code.split('-')[0]!;
    return b === 'nb' || b === 'nn' ? 'no' : b;
  };
  return v === k || base(v) === base(k);
}

/**
 * Values named in `rules` that `known` does not hold, in file order: categories and
 * languages in conditions, other labels in `when.labels`, and the queues and teams that
 * `then` and `defaults` send messages to. Text is compared ignoring case, as routing
 * does. Each warning names the known values and, when one is close, "did you mean". Pure.
 */
export function checkRuleLabels(rules: RuleSet, known: KnownLabels): RuleLabelWarning[] {
  const warnings: RuleLabelWarning[] = [];
  const check = (rule: string, field: string, kind: string, values: readonly string[] | undefined, knownValues: readonly string[] | undefined, same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()) => {
    if (!values?.length || !knownValues?.length) return;
    const sorted = [...new Set(knownValues)].sort();
    for (const value of values) {
      if (sorted.some((k) => same(value, k))) continue;
      // At most 2 edits, and fewer than half the word: "fruad" → "fraud", but "fr" is not "de".
      const near = closest(value, sorted);
      const suggestion = near !== undefined && editDistance(value.toLowerCase(), near.toLowerCase()) * 2 < value.length ? near : undefined;
      const what = WHAT[kind] ?? `"${kind}" label`;
      warnings.push({
        rule,
        field,
        value,
        known: sorted,
        ...(suggestion ? { suggestion } : {}),
        message: `${rule}: ${field} names ${what} "${value}", which this knowledge base does not know${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known ${kind === 'category' ? 'categories' : `${what}s`}: ${sorted.join(', ')}`,
      });
    }
  };
  const actions = (rule: string, at: string, then: { queue?: string; team?: string }) => {
    for (const key of ['queue', 'team'] as const) {
      const value = then[key];
      if (value !== undefined) check(rule, `${at}.${key}`, key, [value], known.labels?.[key]);
    }
  };
  actions('defaults', 'defaults', rules.defaults);
  for (const rule of rules.rules) {
    const label = ruleLabel(rule);
    check(label, 'when.category', 'category', rule.when.category, known.category);
    check(label, 'when.language', 'language', rule.when.language, known.language, sameLanguage);
    for (const [field, values] of Object.entries(rule.when.labels ?? {})) {
      check(label, `when.labels.${field}`, field, values, field === 'category' ? known.category : known.labels?.[field]);
    }
    actions(label, 'then', rule.then);
  }
  return warnings;
}

/** The warnings as the one coded error `--strict` asks for (`ADK_RULES_LABEL_UNKNOWN`), naming the first. */
export function unknownLabelsError(rules: RuleSet, warnings: readonly RuleLabelWarning[]): AnswerdeskError {
  const first = warnings[0]!;
  return new AnswerdeskError('ADK_RULES_LABEL_UNKNOWN', {
    file: rules.file,
    count: warnings.length,
    rule: first.rule,
    field: first.field,
    value: first.value,
    hint: first.suggestion ? ` (did you mean "${first.suggestion}"?)` : '',
    known: first.known.join(', '),
  });
}
