import { ENTITY_KINDS, type ConfidenceLevel, type EntityKind, type FieldValue, type Priority, type SupportLine } from '@answerdesk/types';
import { DURATION_HINT, DURATION_PATTERN } from './duration.js';

/*
 * The JSON Schema of a rule file, version 1. It is written so that a wrong value
 * gives one precise error: "string or list" values use a union `type` (keywords
 * like `items` or `pattern` only apply to their own type) instead of `anyOf`,
 * whose branch-by-branch errors would bury the real problem. The `description`
 * of a value doubles as the hint in error messages, so it says what to write.
 */

const text = { type: 'string', pattern: '\\S', description: 'must be non-empty text' } as const;

function textOrList(description: string) {
  return {
    type: ['string', 'array'],
    pattern: '\\S',
    minItems: 1,
    items: text,
    description,
  } as const;
}

const levels = ['low', 'medium', 'high'] as const;
const priorities = ['urgent', 'high', 'normal', 'low'] as const;
const levelPattern = `^(${levels.join('|')})$`;
const priorityPattern = `^(${priorities.join('|')})$`;
const addressPattern = '^[^\\s@]+@[^\\s@]+$';

const fieldValue = { type: ['string', 'number', 'boolean'], description: 'must be text, a number or true/false' } as const;

/** A `fields` or `entities` condition: a value, a list of values, `{ exists: true|false }` or `{ anyOf: [values] }`. */
const matchCondition = {
  type: ['string', 'number', 'boolean', 'array', 'object'],
  minItems: 1,
  items: fieldValue,
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: {
    exists: { type: 'boolean', description: 'must be true or false' },
    anyOf: { type: ['string', 'number', 'boolean', 'array'], minItems: 1, items: fieldValue, description: 'must be a value or a list of values' },
  },
  description: 'must be a value, a list of values or { exists: true|false } (or { anyOf: [values] })',
} as const;

/** `entities` maps entity kinds, and only those, to conditions: an unknown kind is an error listing the kinds. */
const entityConditions = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(ENTITY_KINDS.map((kind) => [kind, matchCondition])),
  description: `must map entity kinds (${ENTITY_KINDS.join(', ')}) to a value, a list of values or { exists: true|false }`,
};

const notifyItem = {
  type: ['string', 'object'],
  pattern: addressPattern,
  additionalProperties: false,
  properties: {
    address: { type: 'string', pattern: addressPattern, description: 'must be an e-mail address (templates like {fields.storeId} allowed)' },
    directory: { ...text, description: 'must name a directory defined under directories' },
    key: { ...text, description: 'must be the entry key to look up, usually a template like "{fields.storeId}"' },
    roles: textOrList('must list roles of the directory entry, e.g. [mailbox, director]'),
  },
  anyOf: [{ required: ['address'] }, { required: ['directory', 'key'] }],
  description: 'needs either an address, or a directory and a key (with optional roles); a plain string is read as an address',
} as const;

const actionProperties = {
  queue: { ...text, description: 'must be the name of a queue' },
  team: { ...text, description: 'must be the name of a team' },
  line: { enum: [1, 2], description: 'must be 1 (first line) or 2 (second line)' },
  tags: textOrList('must be a tag or a list of tags; templates like "category__{category}" are allowed'),
  notify: {
    type: 'array',
    items: notifyItem,
    description: 'must be a list of addresses or directory look-ups',
  },
  due: { type: 'string', pattern: DURATION_PATTERN, description: DURATION_HINT },
} as const;

/** The JSON Schema (draft-07) every rule file is checked against before the semantic checks. */
export const ruleSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://answerdesk.example/schemas/routing-rules-v1.json',
  title: 'Answerdesk routing rules',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'rules'],
  description: 'must be a mapping with version: 1 and a list of rules',
  properties: {
    version: { const: 1, description: 'must be 1 (the only version of this format)' },
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: actionProperties,
      description: 'must be a mapping of queue, team, line, tags, notify and due (the route before any rule fires)',
    },
    directories: {
      type: 'object',
      description: 'must map directory names to entries, e.g. stores: { S-014: { mailbox: ... } }',
      additionalProperties: {
        type: 'object',
        description: 'must map entry keys (e.g. store ids) to their roles',
        additionalProperties: {
          type: 'object',
          minProperties: 1,
          description: 'must map roles (mailbox, director…) to an address or a list of addresses',
          additionalProperties: {
            type: ['string', 'array'],
            pattern: addressPattern,
            minItems: 1,
            items: { type: 'string', pattern: addressPattern, description: 'must be an e-mail address' },
            description: 'must be an e-mail address or a list of them',
          },
        },
      },
    },
    rules: {
      type: 'array',
      description: 'must be a list of rules',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        description: 'must be a mapping with a name, when, then and optional stop',
        properties: {
          name: { ...text, description: 'every rule needs a unique name' },
          description: { type: 'string', description: 'must be text' },
          when: {
            type: ['object', 'null'],
            additionalProperties: false,
            description: 'must be a mapping of conditions (leave it out for a rule that always fires)',
            properties: {
              category: textOrList('must be a category or a list of categories'),
              level: {
                type: ['string', 'object'],
                pattern: levelPattern,
                additionalProperties: false,
                minProperties: 1,
                properties: {
                  atLeast: { enum: levels, description: 'must be low, medium or high' },
                  atMost: { enum: levels, description: 'must be low, medium or high' },
                },
                description: 'must be low, medium or high (meaning "at least"), or { atLeast: …, atMost: … }',
              },
              priority: {
                type: ['string', 'array'],
                pattern: priorityPattern,
                minItems: 1,
                items: { enum: priorities, description: 'must be urgent, high, normal or low' },
                description: 'must be urgent, high, normal or low, or a list of them',
              },
              language: {
                type: ['string', 'array'],
                pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$',
                minItems: 1,
                items: { type: 'string', pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$', description: 'must be a language code like en or de' },
                description: 'must be a language code like en or de, or a list of them',
              },
              channel: textOrList('must be a channel (email, chat, phone, web-form…) or a list of them'),
              fields: {
                type: 'object',
                description: 'must map custom field names to a value, a list of values or { exists: true|false }',
                additionalProperties: matchCondition,
              },
              labels: {
                type: 'object',
                description: 'must map label fields (queue, type…) to a label or a list of labels',
                additionalProperties: textOrList('must be a label or a list of labels'),
              },
              entities: entityConditions,
              keywords: {
                type: 'object',
                additionalProperties: false,
                minProperties: 1,
                description: 'must be a mapping with any, all and/or none',
                properties: {
                  any: keywordList(),
                  all: keywordList(),
                  none: keywordList(),
                },
              },
            },
          },
          then: {
            type: ['object', 'null'],
            additionalProperties: false,
            description: 'must be a mapping of actions',
            properties: {
              ...actionProperties,
              priority: { enum: priorities, description: 'must be urgent, high, normal or low' },
            },
          },
          stop: { type: 'boolean', description: 'must be true (end evaluation when the rule fires, the default) or false (go on to later rules)' },
        },
      },
    },
  },
} as const;

function keywordList() {
  const keyword = {
    type: 'string',
    pattern: '^[^*]*[^*\\s][^*]*\\*?\\s*$',
    description: 'must be a word or phrase; only a trailing * (any word ending) is allowed',
  } as const;
  return { type: ['string', 'array'], pattern: keyword.pattern, minItems: 1, items: keyword, description: 'must be a keyword or a list of keywords' } as const;
}

/** A list or a single value, as the file format allows. */
export type OneOrMany<T> = T | T[];

/** A `fields` or `entities` condition as written: a value, a list of values, `{ exists }` or `{ anyOf }`. */
export type MatchValue = OneOrMany<FieldValue> | { exists: boolean } | { anyOf: OneOrMany<FieldValue> };

/** A rule file as written (what `ruleSchema` describes), before `parseRules` expands it into a `RuleSet`. */
export interface RuleFile {
  version: 1;
  defaults?: RuleFileActions;
  directories?: Record<string, Record<string, Record<string, OneOrMany<string>>>>;
  rules: RuleFileRule[];
}

export interface RuleFileRule {
  name: string;
  description?: string;
  when?: RuleFileConditions | null;
  then?: RuleFileActions | null;
  stop?: boolean;
}

export interface RuleFileConditions {
  category?: OneOrMany<string>;
  level?: ConfidenceLevel | { atLeast?: ConfidenceLevel; atMost?: ConfidenceLevel };
  priority?: OneOrMany<Priority>;
  language?: OneOrMany<string>;
  channel?: OneOrMany<string>;
  fields?: Record<string, MatchValue>;
  labels?: Record<string, OneOrMany<string>>;
  entities?: Partial<Record<EntityKind, MatchValue>>;
  keywords?: { any?: OneOrMany<string>; all?: OneOrMany<string>; none?: OneOrMany<string> };
}

export interface RuleFileActions {
  queue?: string;
  team?: string;
  line?: SupportLine;
  priority?: Priority;
  tags?: OneOrMany<string>;
  notify?: Array<string | { address: string } | { directory: string; key: string; roles?: OneOrMany<string> }>;
  due?: string;
}
