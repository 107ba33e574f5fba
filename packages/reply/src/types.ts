import type { Entity, EntityKind, ReplyDraft, ReplyDraftPart, ResolutionDetails } from '@answerdesk/types';

// A detail found in a message (order number, e-mail, amount…), as `extractEntities` of @answerdesk/message reports it.
export type { Entity, EntityKind };
// Kept with a ticket by the stores, so it lives in @answerdesk/types.
export type { ResolutionDetails };
// The draft's shape is shared with the service and the CLI, so it lives in @answerdesk/types.
export type { ReplyDraft };
export type DraftPart = ReplyDraftPart;

// ── Answer units ────────────────────────────────────────────────────────────

export type UnitKind = 'paragraph' | 'sentence' | 'list' | 'steps' | 'table' | 'code' | 'quote';

export interface TableData {
  header: string[];
  rows: string[][];
  align: Array<'left' | 'right' | 'center' | null>;
}

/** One piece of a section that can be shown on its own. */
export interface AnswerUnit {
  /** Position in the array `answerUnits` returns. */
  index: number;
  kind: UnitKind;
  /** The unit's markdown exactly as written, whole (with its lead-in, if any). */
  markdown: string;
  /** Plain text for scoring: list items one a line, a table as "header: cell" lines. */
  text: string;
  /** The paragraph introducing a list, steps, table or code block ("Items must be:"); part of `markdown`. */
  leadIn?: string;
  /** The unit only refers the reader elsewhere ("See our article on refund timelines."): never shown as the answer. */
  pointsElsewhere: boolean;
  table?: TableData;
  /** For a sentence: the index of its paragraph. */
  parent?: number;
}

// ── Choosing what to show ───────────────────────────────────────────────────

export interface ChooseOptions {
  /** Score below the best unit's within which a smaller unit is preferred. Default 0.03 */
  tolerance?: number;
  /** Sections with at most this many characters (and at most `wholeUnits` units) are shown whole. Default 450 */
  wholeBelow?: number;
  /** …and at most this many units besides sentences. Default 2 */
  wholeUnits?: number;
}

export interface ChosenPassage {
  /** Markdown to show; '' when every unit only points elsewhere. */
  markdown: string;
  /** `plainText(markdown)`. */
  text: string;
  /** Indices of the units shown. */
  units: number[];
  /** The whole section is shown. */
  whole: boolean;
  /** Set when the passage is one table, for renderers that lay it out themselves. */
  table?: TableData;
}

// ── Past resolutions adapted to the current customer ────────────────────────

export interface AdaptOptions {
  /** Entities found in the current customer's message */
  message: readonly Entity[];
  /** The current customer's name, if known */
  customerName?: string;
  /** The current customer's language: placeholder labels are written in it (en, it, de, ru; others get English). Default 'en' */
  language?: string;
  /** Language of the resolution, for sentence splitting, entity extraction and names. Default: `language` */
  resolutionLanguage?: string;
  /** Id of the past ticket, named in the notes. */
  ticketId?: string;
  /** The company's own domains (e.g. brightcart.com): e-mails, links and domains on them are not the customer's and stay. Default none */
  ownDomains?: readonly string[];
  /**
   * Where the resolution's details are, as `resolutionDetails` found them (kept with the ticket): used when
   * found in this resolution, by this version, in its language; else found again. Default: found here.
   */
  details?: ResolutionDetails;
  /**
   * Keeps where each resolution's details are (a `Map` will do; the caller bounds it) when `details` is not
   * given. Finding them parses the resolution (compromise), most of the cost of adapting it, and depends only
   * on the resolution and its language, while the same past tickets come back question after question.
   */
  cache?: ResolutionCache;
  /**
   * Numbers the knowledge base's articles and templates state ("30 days", "€500", "port 587"): policy, the
   * same for every customer. Given, any other number of the resolution that no detail covers is that
   * customer's ("your remaining 1,240 loyalty points", "weighed at 1.9 kg", "restored at 11:28") and
   * becomes "[number]" or "[time]". Small counts (up to 12), years and version numbers stay. Compared as
   * written and by their digits ("1,240" states "1240"). Default: none given, numbers stay as written.
   */
  statedNumbers?: ReadonlySet<string>;
}

/** What `adaptResolution` keeps between calls, by a key it makes; values are its own and never to be changed. */
export interface ResolutionCache {
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
}

/** What a placeholder stands for: a detail of a kind the message reader finds, or a number or clock time of that case. */
export type PlaceholderKind = EntityKind | 'number' | 'time';

export interface Placeholder {
  kind: PlaceholderKind;
  /** "[order number]" */
  label: string;
}

export interface AdaptedReply {
  /** What can be sent to the current customer; '' when nothing sendable remains. */
  text: string;
  /** Placeholders left in `text`, in order, each once. */
  placeholders: Placeholder[];
  /** What the agent did in that case, as notes for the agent (first-person action claims, with details replaced) */
  notes: string[];
  /** Spans that were replaced, for tests and the UI */
  replaced: Array<{ kind: PlaceholderKind; from: string; to: string }>;
}

// ── Reply templates ─────────────────────────────────────────────────────────

export type TemplateKind = 'greeting' | 'closing' | 'canned';

export interface ReplyTemplate {
  id: string;
  kind: TemplateKind;
  /** Canned replies only: off-topic, spam, looking-into-it, need-details, not-covered, or your own. */
  name?: string;
  language: string;
  brand?: string;
  channel?: string;
  title: string;
  /** Markdown after the front matter, trimmed; may contain `{name}` (the customer's name as given) and `{firstName}` (its first word). */
  body: string;
  file?: string;
}

export interface TemplateWant {
  kind: TemplateKind;
  name?: string;
  language: string;
  brand?: string;
  channel?: string;
}

// ── The reply draft ─────────────────────────────────────────────────────────

export interface DraftAnswer {
  /** The customer's question this answers; shown above the answer only when a draft has several. */
  question?: string;
  /** Markdown of the chosen passage or adapted reply */
  text: string;
  placeholders?: Placeholder[];
  notes?: string[];
  sourceId?: string;
  language: string;
  /**
   * The heading of the section the passage comes from, for a passage that opens with a list or a table:
   * in the article the heading was its lead-in, so the draft puts it before the list ("Photos we need:").
   */
  heading?: string;
}

export interface DraftInput {
  templates: readonly ReplyTemplate[];
  /** The customer's language */
  language: string;
  /** Language of the templates used when the customer's has none. Default 'en' */
  defaultLanguage?: string;
  /** Brand whose templates to prefer (brand-neutral ones otherwise). */
  brand?: string;
  /** email | chat. Default 'email' */
  channel?: string;
  /** Fills `{name}` and `{firstName}` in the templates; without it the greeting has no name. */
  customerName?: string;
  answers: readonly DraftAnswer[];
  /** Name of a canned reply to use instead of answers */
  canned?: string;
  /** Notes for the agent to put first. */
  notes?: string[];
}
