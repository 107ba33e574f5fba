import type { Route, RuleTrace, TriageFacts } from '@answerdesk/types';
import { applyActions, type RouteDraft } from './actions.js';
import { checkConditions } from './conditions.js';
import type { Rule, RuleSet } from './types.js';

/** `rule 3 "gift-certificates"`: how messages and warnings name a rule. */
export function ruleLabel(rule: Pick<Rule, 'name' | 'position'>): string {
  return `rule ${rule.position} "${rule.name}"`;
}

/**
 * Route one message: start from the defaults, then evaluate the rules in file
 * order. A rule fires when all its conditions hold; it then applies its actions
 * and, unless it says `stop: false`, ends evaluation. Later rules see what
 * earlier ones changed (the priority). Pure and deterministic: the same rules
 * and facts always give the same route, trace and warnings.
 */
export function routeMessage(rules: RuleSet, facts: TriageFacts): Route {
  const draft: RouteDraft = { priority: facts.priority, tags: [], notify: [], warnings: [] };
  applyActions(rules.defaults, draft, { facts, directories: rules.directories, source: 'defaults' });

  const trace: RuleTrace[] = [];
  for (const rule of rules.rules) {
    const verdict = checkConditions(rule.when, { facts, priority: draft.priority, ...(draft.prioritySetBy ? { prioritySetBy: draft.prioritySetBy } : {}) });
    if (!verdict.held) {
      trace.push({ rule: rule.name, fired: false, why: [verdict.why], actions: [], stopped: false });
      continue;
    }
    const actions = applyActions(rule.then, draft, { facts, directories: rules.directories, source: ruleLabel(rule) });
    trace.push({ rule: rule.name, fired: true, why: verdict.why, actions, stopped: rule.stop });
    if (rule.stop) break;
  }

  const route: Route = { priority: draft.priority, tags: draft.tags, notify: draft.notify, trace, warnings: draft.warnings };
  if (draft.queue !== undefined) route.queue = draft.queue;
  if (draft.team !== undefined) route.team = draft.team;
  if (draft.line !== undefined) route.line = draft.line;
  if (draft.due !== undefined) route.due = draft.due;
  return route;
}

/** A route's explanation as lines of text, e.g. for a log or an agent's side panel. */
export function explainRoute(route: Route): string[] {
  const lines: string[] = [];
  for (const step of route.trace) {
    lines.push(`${step.fired ? '✓' : '✗'} ${step.rule}: ${step.why.join('; ')}`);
    for (const action of step.actions) lines.push(`    ${action}`);
    if (step.stopped) lines.push('    (stop)');
  }
  for (const warning of route.warnings) lines.push(`! ${warning}`);
  return lines;
}
