/**
 * The public types of a knowledge base's API (options and reports), whatever store holds it:
 * kept apart from any implementation so that importing them loads none.
 */
import type { Encoder } from '@answerdesk/embeddings';
import type { RuleSet } from '@answerdesk/routing';
import type { CategorizerOptions, LabeledText, PriorityCue, TrainProgress } from '@answerdesk/triage';
import type { AnswerdeskError, DocFilter, QueryLanguage, SearchHit, SearchMode } from '@answerdesk/types';
import type { ConfidenceBands, ConfidenceModel } from './answer-confidence.js';
import type { PassageOptions } from './docs.js';
import type { ReadLimits } from './plans.js';
import type { LearningOptions } from './learning.js';

export interface KnowledgeBaseOptions {
  /** Store folder. Default `.answerdesk` in the working directory. */
  store?: string;
  /** Sentence encoder. Default: the offline USE-lite encoder. */
  encoder?: Encoder;
  /**
   * Probability cut-offs of `suggest`'s confidence: below `abstain` there is no answer, from `medium` and
   * `high` those levels; an answer with another source at least `rival` probable is never High. Default
   * `DEFAULT_BANDS`, { abstain: 0.4, medium: 0.6, high: 0.85, rival: 0.8 }: the score is the calibrated
   * probability that the answer shown is right, so High means about nine in ten right.
   */
  bands?: ConfidenceBands;
  /**
   * The model that turns what ranking knows about a candidate into that probability. Default
   * `DEFAULT_CONFIDENCE_MODEL`, fitted for USE-lite; another encoder needs its own (`pnpm bench:answers --fit`).
   */
  confidenceModel?: ConfidenceModel;
  /** How documents are cut into passages for embedding. */
  passages?: PassageOptions;
  /** Longest question accepted, in characters. Default 4000. */
  maxQueryLength?: number;
  /** How hybrid search merges its two rankings. Default `weighted` (min-max normalised scores; beat RRF on all three bench/retrieval datasets). */
  fusion?: 'rrf' | 'weighted';
  /** Weight of the vector ranking in hybrid fusion (lexical weight is 1). Default 1. */
  vectorWeight?: number;
  /** Suggest an article section over a past ticket when it is nearly as close (within 0.05 similarity). Default true. */
  preferArticles?: boolean;
  /** Options for every categorizer this knowledge base trains (head, calibration targets…). */
  categorizer?: Omit<CategorizerOptions, 'field' | 'descriptions' | 'onProgress'>;
  /** Explicit priority cues used when no priority model is confident. Default: @answerdesk/triage's `defaultPriorityCues`. */
  priorityCues?: readonly PriorityCue[];
  /**
   * Language of the original articles, used for questions whose language cannot be told, and for
   * answers when a section has no translation in the customer's language. Default `en`.
   */
  defaultLanguage?: string;
  /** Languages a question's language is detected among. Default: every language with a stemmer (see @answerdesk/index `analyzedLanguages`). */
  languages?: readonly string[];
  /**
   * Weight of the vector ranking in hybrid fusion for questions in a language the encoder does not
   * match by meaning (USE-lite: every language but English), so those lean on the lexical side.
   * Default 0.25 (bench/multilingual).
   */
  foreignVectorWeight?: number;
  /**
   * The same for such a question searched by its English gloss (see `learnLexicon` and the knowledge base's
   * glossaries): the gloss is read by meaning, so its ranking weighs as an English question's. Default 1.
   */
  glossedVectorWeight?: number;
  /**
   * Learning from agents' feedback: sources marked helpful (or picked instead) for similar questions
   * rank higher, ones marked not helpful lower, with a note saying so; route corrections move similar
   * messages; confidence is recalibrated on agents' outcomes. Default on: `{ similarity: 0.6,
   * routeSimilarity: 0.8, weight: 2, recalibrate: true }` (LEARNING_DEFAULTS); `since` (an ISO time)
   * ignores older feedback, `recalibrate: false` keeps the model's confidence, `enabled: false` turns it all off.
   */
  learning?: LearningOptions;
}

export interface IndexProgress {
  phase: 'read' | 'embed' | 'index' | 'train' | 'save';
  done: number;
  total: number;
}

/** `maxFileBytes`, `maxTicketFileBytes`: files larger than these are refused, each with a coded error (see `ReadLimits`). */
export interface IndexOptions extends ReadLimits {
  onProgress?: (progress: IndexProgress) => void;
  /** Save the store when done. Default true. */
  save?: boolean;
  /**
   * Label fields whose categorizers are retrained from the indexed tickets when
   * tickets changed (e.g. `['category', 'priority', 'queue']`). A field with
   * fewer than 2 labels is skipped; one trained from a file (`train({examples})`)
   * is kept; `category` is also retrained when articles changed. Default none.
   */
  train?: readonly string[];
  /**
   * Embed the answer units and headings of new and changed sections now and keep them in the store, so no
   * question waits for them (indexing docs-content from nothing: about 70 s instead of 36 s on 2 cores).
   * Default true; false leaves them to each section's first question in a process.
   */
  answerUnits?: boolean;
}

export interface PublishOptions {
  /** Compute and return the plan without changing anything. */
  dryRun?: boolean;
  /** Publish only the markdown files that changed between two git revisions (`A..B`, or `A` for `A..HEAD`); a renamed file keeps its article's id. */
  git?: string;
  onProgress?: (progress: IndexProgress) => void;
  /** A larger markdown file is refused with `ADK_FILE_TOO_LARGE` (left as it was). Default 5 MiB. */
  maxFileBytes?: number;
}

/** What `verify` found: counts from every side of the index, and any inconsistency. */
export interface VerifyReport {
  ok: boolean;
  /** What holds the knowledge base: the old file format, one SQLite database, or PostgreSQL. */
  engine: 'files' | 'sqlite' | 'postgres';
  store: string;
  /** Format version of the files, or schema version of the database. */
  formatVersion: number;
  /** Sequence of the current snapshot (0: none yet). */
  snapshot: number;
  journal: { records: number; bytes: number; tornBytes: number };
  counts: { documents: number; sections: number; articles: number; tickets: number; passages: number; vectors: number; lexical: number };
  categorizers: string[];
  feedback: number;
  problems: string[];
}

export interface TrainOptions {
  /** Label field to learn. Default `category`. */
  field?: string;
  /** Labeled texts to learn from. Default: the indexed tickets' labels (plus article sections for `category`). */
  examples?: readonly LabeledText[];
  /** Label → description, for labels with few or no examples (zero-shot). */
  descriptions?: Record<string, string>;
  /** Learn `category` from article sections too (each carries its article's category). Default true when examples come from the knowledge base. */
  articles?: boolean;
  onProgress?: (progress: TrainProgress) => void;
  /** Save the store when done. Default true. */
  save?: boolean;
}

export interface TriageOptions {
  /** Routing rules (see @answerdesk/routing `loadRules`). Without them there is no route. */
  rules?: RuleSet;
  /** Also suggest an answer. Default true. */
  suggest?: boolean;
  /** Filter for the suggestion (e.g. only the message's language). */
  filter?: DocFilter;
  /** Languages the helpdesk handles; detection picks among them. Default: any. */
  languages?: readonly string[];
  /** The label field read as the category. Default `category`. */
  categoryField?: string;
  /** Clock for due times when the message has no receivedAt. Default now. */
  now?: Date;
}
export interface IndexReport {
  /** Articles read (reply templates not included) and their sections. */
  articles: number;
  sections: number;
  /** Reply templates read (files with `template:` front matter). */
  templates: number;
  /** Glossaries read (files with `glossary:` front matter). */
  glossaries: number;
  tickets: number;
  /** Documents added or changed. */
  updated: number;
  unchanged: number;
  removed: number;
  /** Passages sent to the model vs answered from the content-hash cache. */
  embedded: number;
  reused: number;
  /** Files and rows that could not be used; everything else was indexed. */
  errors: AnswerdeskError[];
  /** Categorizers retrained from the indexed tickets (see `train`). */
  trained: string[];
  /** Articles left out because their front matter says `draft: true`. */
  drafts?: Array<{ id: string; file: string }>;
  tookMs: number;
}

/** What a write changed. */
export interface ChangeReport {
  /** Documents added or changed. */
  updated: number;
  unchanged: number;
  removed: number;
  /** Passages sent to the model vs answered from the content-hash cache. */
  embedded: number;
  reused: number;
}

export interface SearchOptions {
  /** Number of results. Default 5. */
  k?: number;
  /** Default `hybrid`. */
  mode?: SearchMode;
  filter?: DocFilter;
  /** The customer's language (ISO 639-1), when the helpdesk knows it. Default: detected from the text. */
  language?: string;
}

export interface SearchResult {
  query: string;
  mode: SearchMode;
  /** The language the question was read in; hits are shown in it where a translation exists. */
  language: QueryLanguage;
  hits: SearchHit[];
  /** Things to know about these results, in plain words. */
  notes?: string[];
  tookMs: number;
}

export interface WarmUpOptions {
  /**
   * How many of the store's past tickets to read and adapt as a suggest would (none is recorded). Default 200,
   * about 1.5 s on 2 cores: a process that has adapted no resolution yet compiles that code (hundreds of
   * patterns) during its first questions, which makes them up to twice as slow.
   */
  resolutions?: number;
}

export interface WarmUpReport {
  /** Past tickets read and adapted. */
  resolutions: number;
  tookMs: number;
}

export interface SuggestOptions {
  filter?: DocFilter;
  /** Alternatives listed after the best source. Default 3. */
  alternatives?: number;
  /** The customer's language (ISO 639-1), when the helpdesk knows it. Default: detected from the text. */
  language?: string;
  /** Brand whose reply templates the draft uses (e.g. `brightcart`). Default: templates without a brand. */
  brand?: string;
  /** Channel of the reply (`email`, `chat`): picks the templates written for it. Default `email`. */
  channel?: string;
  /** List every candidate answer with its probability and features (for tuning and for curious developers). Default false. */
  explain?: boolean;
  /**
   * Sources the agent picked, by question (0 = the first question of the message): each becomes its
   * question's answer and the draft is built with it, when it is among that question's candidates
   * (an alternative the page listed always is). Default none.
   */
  pick?: ReadonlyArray<{ question: number; sourceId: string }>;
  /**
   * A canned reply (`off-topic`, `spam`, `need-details`, `not-covered`, `looking-into-it`, or one the
   * knowledge base's templates name) to draft instead of the answers; the answers are still returned. Default none.
   */
  canned?: string;
}
