/** A markdown help article, as written by a writer. */
export interface Article {
  id: string;
  title: string;
  category?: string;
  language: string;
  tags: string[];
  /** Id of the article this one translates. */
  translationOf?: string;
  /** Path of the source file, relative to the folder that was indexed. */
  file: string;
  sections: Section[];
}

/** A part of an article under one heading: the unit a suggestion cites. */
export interface Section {
  /** `articleId#anchor` — stable across edits of other sections. */
  id: string;
  articleId: string;
  articleTitle: string;
  heading: string;
  /** Headings from the article title down to this section. */
  headingPath: string[];
  anchor: string;
  depth: number;
  text: string;
  startLine: number;
  endLine: number;
  /** sha256 of the section's heading path and text. */
  hash: string;
}

/** A resolved support ticket: the customer's text and the agent's answer. */
export interface Ticket {
  id: string;
  subject: string;
  body: string;
  resolution: string;
  category?: string;
  priority?: string;
  queue?: string;
  language?: string;
  createdAt?: string;
  tags?: string[];
  fields?: Record<string, string | number | boolean>;
}

export type DocKind = 'article' | 'ticket';

/** Where a piece of knowledge came from, as cited to an agent. */
export interface Source {
  /** Stable id: `articleId#anchor` for a section, the ticket id for a ticket. */
  id: string;
  kind: DocKind;
  title: string;
  /** Section heading (articles only). */
  heading?: string;
  headingPath?: string[];
  /** Source file and anchor, e.g. `articles/eshop/refunds.md#card-refunds`. */
  file?: string;
  anchor?: string;
  line?: number;
}

/** One searchable unit of knowledge: an article section or a resolved ticket. */
export interface KnowledgeDoc {
  id: string;
  kind: DocKind;
  title: string;
  /** Text matched against questions (section text; ticket subject + body). */
  text: string;
  /** Text shown as the answer (section text; ticket resolution). */
  answer: string;
  category?: string;
  language: string;
  tags: string[];
  source: Source;
  /** Hash of everything that was embedded: unchanged hash, no re-embedding. */
  hash: string;
  /** A ticket's labels (category, priority, queue, string custom fields), learned from by categorizers. */
  labels?: Record<string, string>;
  /** Group of translations (article id of the original), for later use. */
  family?: string;
}

export interface DocFilter {
  kind?: DocKind;
  category?: string | string[];
  language?: string | string[];
  /** Every listed tag must be present. */
  tags?: string[];
}

export type SearchMode = 'hybrid' | 'vector' | 'lexical';

export interface SearchHit {
  doc: KnowledgeDoc;
  /** Fused score used for ranking (scale depends on the mode). */
  score: number;
  /** Cosine similarity of the best matching passage, when the vector side saw it. */
  similarity?: number;
  /** Lexical (BM25) score, when the lexical side saw it. */
  lexicalScore?: number;
  /** Share of the question's words (after stemming and stop words) found in the document, when the lexical side saw it. */
  coverage?: number;
  /** Id of the section that matched, when the hit shows it in another language (the customer's, or the default). */
  matched?: string;
  rank: number;
}

/** The language a question was read in. */
export interface QueryLanguage {
  /** ISO 639-1 code: given by the caller, detected, or the knowledge base's default. */
  code: string;
  /** How it was found: `given` by the caller, `detected` reliably, or the `default` when detection could not tell. */
  basis: 'given' | 'detected' | 'default';
  /** False when the encoder does not match this language by meaning (e.g. USE-lite outside English): matching leans on words. */
  semantic: boolean;
}

export type ConfidenceLevel = 'high' | 'medium' | 'low';

export interface Confidence {
  level: ConfidenceLevel;
  /** Calibrated score in [0, 1] the level was read from. */
  score: number;
}

export interface Suggestion {
  query: string;
  /** `answered` when the knowledge base has an answer; `abstained` when nothing fits well enough. */
  status: 'answered' | 'abstained';
  answer?: string;
  source?: Source;
  confidence: Confidence;
  /** Next best sources, best first. */
  alternatives: Array<{ source: Source; confidence: Confidence; language?: string }>;
  /** Why the engine abstained, in words an agent understands. */
  reason?: string;
  /** The customer's language, as the question was read. */
  queryLanguage?: QueryLanguage;
  /** Language of the answer. */
  language?: string;
  /** True when the answer is not in the customer's language: the agent translates it before sending. */
  needsTranslation?: boolean;
  /** Things the agent should know about this answer, in plain words (answer language, English-only model). */
  notes?: string[];
  tookMs: number;
}

/** An agent's verdict on a suggestion, as given. */
export interface FeedbackInput {
  /** The customer's text the suggestion answered. */
  query: string;
  /** Id of the suggested source (article section or ticket). */
  sourceId: string;
  helpful: boolean;
  /** Id the service gave the suggestion, to join feedback with request logs. */
  suggestionId?: string;
  /** The agent's words, e.g. what was wrong. */
  comment?: string;
  /** Who gave it (the service fills in the API key's name). */
  agent?: string;
}

/** A recorded feedback entry, kept for later learning. */
export interface Feedback extends FeedbackInput {
  id: string;
  /** ISO time it was recorded. */
  at: string;
}
