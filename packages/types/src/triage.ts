import type { ConfidenceLevel, Entity, Suggestion } from './model.js';

/** Ticket priority, most pressing first. */
export type Priority = 'urgent' | 'high' | 'normal' | 'low';
export const PRIORITIES: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];

/** Support line a message is handled by: 1 answers what is within its competence, 2 takes the rest. */
export type SupportLine = 1 | 2;

/** A custom field value on a message or ticket (store id, customer tier, order id…). */
export type FieldValue = string | number | boolean;

/** One incoming customer message, as a helpdesk hands it over. */
export interface IncomingMessage {
  id?: string;
  subject?: string;
  /** The customer's words (the body). */
  text: string;
  /** email, chat, phone, web form… */
  channel?: string;
  /** ISO 639-1 code when the helpdesk already knows it; detected otherwise. */
  language?: string;
  /** Custom fields: storeId, customerTier… */
  fields?: Record<string, FieldValue>;
  /** When it arrived (ISO 8601); due times count from here. Defaults to now. */
  receivedAt?: string;
}

/** A label predicted by a categorizer, with its calibrated probability. */
export interface LabelScore {
  label: string;
  probability: number;
}

/** What a categorizer says about one text. */
export interface LabelPrediction extends LabelScore {
  /** The label field this prediction is for (category, queue, priority…). */
  field: string;
  /** High when held-out tickets at this probability were right often enough to route automatically. */
  level: ConfidenceLevel;
  /** Runners-up, best first. */
  alternatives: LabelScore[];
  /** `examples`: learned from labeled tickets; `description`: zero-shot, from the label's description only. */
  basis: 'examples' | 'description';
  /** How agents' corrections of similar messages moved it, in an agent's words (absent when they did not). */
  learned?: string;
}

/** An agent's correction of a route, as given: the message belonged under another label of a field. One click on the page. */
export interface RouteCorrectionInput {
  /** The message as triage read it: the subject and the text. */
  text: string;
  /** The label field corrected: `queue`, `category`, `priority`… */
  field: string;
  /** The right label. */
  label: string;
  /** The label triage gave, when it gave one. */
  was?: string;
  /** Id the service gave the triage or suggestion, to join with request logs. */
  suggestionId?: string;
  /** Who gave it (the service fills in the API key's name). */
  agent?: string;
}

/** A recorded route correction: learned from at once for similar messages, and by the categorizer when it is retrained. */
export interface RouteCorrection extends RouteCorrectionInput {
  kind: 'route';
  id: string;
  /** ISO time it was recorded. */
  at: string;
}

/** Detected language of a message. */
export interface LanguageGuess {
  /** ISO 639-1 code, or `und` when the text gives too little to tell. */
  code: string;
  /** 0..1; how far the best language is ahead of the others. */
  confidence: number;
  reliable: boolean;
}

/** How urgent a message is, and why. */
export interface PriorityAssessment {
  priority: Priority;
  /** `model`: learned from labeled tickets; `cues`: explicit words (outage, fraud, legal threat…); `default`: nothing said otherwise. */
  basis: 'model' | 'cues' | 'default';
  level?: ConfidenceLevel;
  /** The cues found in the text, e.g. `fraud: "unauthorized charge"`. */
  cues: string[];
}

/** The facts routing rules look at. Built by triage; pure data. */
export interface TriageFacts {
  text: string;
  subject?: string;
  category?: string;
  /** Confidence level of the category. */
  level?: ConfidenceLevel;
  /** Probability of the category. */
  probability?: number;
  priority: Priority;
  language: string;
  channel?: string;
  fields: Record<string, FieldValue>;
  /** Other predicted labels (queue, type…) by field name. */
  labels?: Record<string, string>;
  /**
   * Details found in subject + text, by entity kind (`order`, `email`…): each kind's normalized
   * values, each once, in order of appearance. Kinds with nothing found are absent. Triage always
   * fills it; facts built by hand may leave it out (no details).
   */
  entities?: Record<string, string[]>;
  receivedAt: string;
}

/** Somebody to tell about a routed message. */
export interface Notification {
  address: string;
  /** Role in the directory entry (mailbox, director, territorialManager…), when it came from one. */
  role?: string;
  /** `directory:key` the address was looked up in, when it came from one. */
  from?: string;
}

/** One rule's verdict, kept so every route explains itself. */
export interface RuleTrace {
  rule: string;
  fired: boolean;
  /** Why it fired (each condition that held) or why not (the first condition that failed). */
  why: string[];
  /** What it changed, when it fired. */
  actions: string[];
  /** True when this rule fired and stopped evaluation. */
  stopped: boolean;
}

/** Where a message goes, and why. */
export interface Route {
  queue?: string;
  team?: string;
  line?: SupportLine;
  priority: Priority;
  tags: string[];
  notify: Notification[];
  /** Time to resolve, as written in the rule (e.g. `1d`), and the deadline it gives. */
  due?: { within: string; at: string };
  /** Every rule in order, fired or not, up to the one that stopped evaluation. */
  trace: RuleTrace[];
  /** Problems met while routing that did not stop it (e.g. a store id missing from the directory). */
  warnings: string[];
}

/** Everything a first-line agent sees about one incoming message at once. */
export interface TriageResult {
  id?: string;
  category?: LabelPrediction;
  /** Predictions of the other trained label fields (queue, type…), by field. */
  labels: Record<string, LabelPrediction>;
  priority: PriorityAssessment;
  language: LanguageGuess;
  /** Details found in the subject and text (order numbers, e-mails, amounts…); offsets are in what triage reads: the subject and the text, trimmed, joined by a line break. */
  entities: Entity[];
  /** Present when routing rules were given. */
  route?: Route;
  /** The suggested answer with its sources (absent when suggestions were turned off). */
  suggestion?: Suggestion;
  tookMs: number;
}
