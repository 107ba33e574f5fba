import type { ConfidenceLevel, EntityKind, FieldValue, Priority, SupportLine } from '@answerdesk/types';

/**
 * A rule set ready to evaluate: what `parseRules` returns. Plain data (it can be
 * serialised and compared); every shorthand of the file format has been expanded,
 * so evaluation never has to guess what a value means.
 */
export interface RuleSet {
  version: 1;
  /** The file the rules came from, as named in error messages and warnings. */
  file: string;
  /** The route before any rule fires. */
  defaults: DefaultActions;
  /** Named lookup tables for `notify`: directory → entry key → role → addresses. */
  directories: Record<string, Directory>;
  rules: Rule[];
  /** Things in the file that are legal but almost certainly a mistake (e.g. a rule no message can reach). */
  warnings: string[];
}

/** Entry key (a store id…) → role (mailbox, director…) → one or more addresses. */
export type Directory = Record<string, Record<string, string[]>>;

/** One rule, in file order. */
export interface Rule {
  name: string;
  /** 1-based position in the file, as used in messages (`rule 3 "gift-certificates"`). */
  position: number;
  description?: string;
  /** All must hold; an empty object means the rule always fires. */
  when: Conditions;
  then: Actions;
  /** End evaluation when this rule fires (the file's default is true: first match wins). */
  stop: boolean;
}

/** A bound on the category's confidence level; both ends inclusive. */
export interface LevelCondition {
  atLeast?: ConfidenceLevel;
  atMost?: ConfidenceLevel;
}

/**
 * A custom-field condition: the field is (not) set, or equals one of the values (compared as text, ignoring case).
 * Also an entity condition: details of that kind were (not) found, or one of them equals one of the values.
 */
export type FieldCondition = { exists: boolean } | { anyOf: FieldValue[] };

/** Whole words or phrases looked for in subject + text, ignoring case. A trailing `*` matches any word ending. */
export interface KeywordCondition {
  /** At least one must be present. */
  any?: string[];
  /** Every one must be present. */
  all?: string[];
  /** None may be present. */
  none?: string[];
}

/**
 * What a rule looks at. Lists mean "any of"; all text comparisons ignore case.
 * Conditions are checked in the order of this interface, so a trace always
 * reports the same failing condition for the same message.
 */
export interface Conditions {
  category?: string[];
  level?: LevelCondition;
  priority?: Priority[];
  language?: string[];
  channel?: string[];
  fields?: Record<string, FieldCondition>;
  labels?: Record<string, string[]>;
  /** Details found in subject + text (`TriageFacts.entities`), by kind; holds when any value of the kind matches. */
  entities?: Partial<Record<EntityKind, FieldCondition>>;
  keywords?: KeywordCondition;
}

/** Somebody to notify: a fixed address, or roles looked up in a directory under a (templated) key. */
export type NotifyAction =
  | { address: string }
  | {
      directory: string;
      /** Template, e.g. `{fields.storeId}`. */
      key: string;
      /** Roles to notify; every role of the entry when absent. */
      roles?: string[];
    };

/** What a rule does when it fires. Scalars overwrite; tags and notify append (deduplicated). */
export interface Actions {
  queue?: string;
  team?: string;
  line?: SupportLine;
  /** Later rules see the new priority. */
  priority?: Priority;
  /** Templates (`category__{category}`); the text is normalised when applied. */
  tags?: string[];
  notify?: NotifyAction[];
  /** Time to resolve as written (`1d`); the deadline counts from `receivedAt`. */
  due?: string;
}

/** The route before any rule fires. Priority is not among them: it comes from the message's assessment. */
export type DefaultActions = Omit<Actions, 'priority'>;
