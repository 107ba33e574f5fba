/**
 * @answerdesk/routing: declarative routing rules (YAML or JSON, checked against a
 * JSON Schema) and their ordered, explained evaluation against triage facts.
 */
export { parseRules, loadRules, type ParseRulesOptions } from './parse.js';
export { routeMessage, explainRoute, ruleLabel } from './evaluate.js';
export { checkRuleLabels, unknownLabelsError, type KnownLabels, type RuleLabelWarning } from './labels.js';
export { ruleSchema, type RuleFile, type RuleFileRule, type RuleFileConditions, type RuleFileActions, type OneOrMany, type MatchValue } from './schema.js';
export { normalizeTag } from './actions.js';
export { hasKeyword, keywordPattern } from './keywords.js';
export { parseDuration, addDuration } from './duration.js';
export { TEMPLATE_NAMES } from './templates.js';
export type { RulesFormat } from './syntax.js';
export type {
  RuleSet,
  Rule,
  Directory,
  Conditions,
  LevelCondition,
  FieldCondition,
  KeywordCondition,
  Actions,
  DefaultActions,
  NotifyAction,
} from './types.js';
