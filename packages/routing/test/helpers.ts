import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type tap from 'tap';
import type { Route, TriageFacts } from '@answerdesk/types';
import { parseRules, routeMessage, type RuleSet } from '@answerdesk/routing';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const examplesDir = path.join(repoRoot, 'examples', 'routing');

export const RECEIVED_AT = '2025-03-03T09:00:00Z';

/** Facts with neutral defaults; tests spell out only what they are about. */
export function facts(overrides: Partial<TriageFacts> = {}): TriageFacts {
  return { text: '', priority: 'normal', language: 'en', fields: {}, receivedAt: RECEIVED_AT, ...overrides };
}

/** A rule set from a plain object, written as JSON so the parser checks it like a file. */
export function ruleSet(file: Record<string, unknown>): RuleSet {
  return parseRules(JSON.stringify({ version: 1, ...file }), { file: 'test.json' });
}

/** One rule named "r" with the given conditions; it sets queue "hit" so a fired rule is easy to see. */
export function oneRule(when: Record<string, unknown>, then: Record<string, unknown> = { queue: 'hit' }): RuleSet {
  return ruleSet({ rules: [{ name: 'r', when, then }] });
}

/** Route and return the only rule's trace entry alongside the route. */
export function routeOne(rules: RuleSet, input: TriageFacts): { route: Route; fired: boolean; why: string[]; actions: string[] } {
  const route = routeMessage(rules, input);
  const step = route.trace[0];
  if (!step) throw new Error('no trace entry');
  return { route, fired: step.fired, why: step.why, actions: step.actions };
}

/** The type of a subtest's `t` (tap's last `test` overload takes just the callback). */
export type TapTest = Parameters<Parameters<typeof tap.test>[0]>[0];
