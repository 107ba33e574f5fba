/** A markdown help article, as written by a writer. */
export interface Article {
  id: string;
  title: string;
  category?: string;
  language: string;
  tags: string[];
  /** Id of the article this one translates. */
  translationOf?: string;
  /** Set when the file is a reply template (front matter `template: greeting | closing | canned`), not an article. */
  template?: TemplateInfo;
  /** Set when the file is a glossary (front matter `glossary: en`), not an article. */
  glossary?: Glossary;
  /** `draft: true` in the front matter: a writer is still working on it, and it is never published or indexed. */
  draft?: boolean;
  /** Path of the source file, relative to the folder that was indexed. */
  file: string;
  sections: Section[];
}

/** What a reply template's front matter says besides title and language. */
export interface TemplateInfo {
  kind: 'greeting' | 'closing' | 'canned';
  /** A canned reply's name: off-topic, spam, looking-into-it… */
  name?: string;
  brand?: string;
  /** email, chat…; unset: any channel. */
  channel?: string;
}

/**
 * A glossary: the words of the file's language (its rows' `terms`) with what they mean in another (`into`),
 * kept by the writers who translate the knowledge base. A question in the file's language is glossed word
 * for word into `into` with it, so an encoder that reads only `into` can match it by meaning.
 */
export interface Glossary {
  /** The language the rows translate into, e.g. `en`. */
  into: string;
  rows: GlossaryRow[];
}

/** One concept: the forms customers write (`rimborso`, `rimborsare`…) and the word or phrase they mean (`refund`). */
export interface GlossaryRow {
  terms: string[];
  meaning: string;
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
  /** Plain text, matched against questions. */
  text: string;
  /** The section's markdown as written (lists, tables, emphasis), shown as the answer. Raw HTML is left out. */
  markdown: string;
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

/**
 * `template`: a reply template (greeting, closing, canned reply); `glossary`: a table of one language's words
 * with another's. Both are stored with the knowledge but never searched or shown as an answer.
 */
export type DocKind = 'article' | 'ticket' | 'template' | 'glossary';

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
  /** When a ticket was opened (ISO 8601), as its file says. */
  createdAt?: string;
  /** A reply template's kind, name, brand and channel. */
  template?: TemplateInfo;
  /** A glossary's rows and the language they translate into. */
  glossary?: Glossary;
  /**
   * A ticket's resolution read for reuse (`resolutionDetails` of @answerdesk/reply), kept when the ticket is
   * written: where its other customer's details are. Finding them is most of the cost of adapting it.
   */
  answerDetails?: ResolutionDetails;
}

/** Where the details of a past ticket's resolution are (offsets into its text without salutation and sign-off). */
export interface ResolutionDetails {
  /** The version of the code that found them: details found by another version are found again. */
  version: number;
  /** The language the resolution was read in. */
  language: string;
  /** Of the resolution they were found in (FNV-1a, hex): details of another text are never applied. */
  fingerprint: string;
  /** In the order they are weighed: when two overlap, the first kept wins. */
  details: Array<{
    kind: EntityKind;
    start: number;
    end: number;
    /** A name of that ticket's customer (their salutation's), not an employee's. */
    isCustomer?: boolean;
    /** Of an e-mail address, link or domain: its host, so the company's own stay in the reply. */
    host?: string;
  }>;
  /** Places named (not street addresses): a sentence naming one tells that case's story. */
  places: Array<{ start: number; end: number }>;
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
  /**
   * The engine's own score before it was recalibrated on agents' outcomes (present only when it
   * was): feedback on the answer sends this one, so recalibration keeps learning on one scale.
   */
  before?: number;
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
  /** How the message was read before matching: the cleaned text and the questions found in it. */
  message?: MessageReading;
  /** One answer per question found in the message; the top-level answer is the first question's. */
  answers?: QuestionAnswer[];
  /** The reply an agent can send (or edit): greeting, one answer per question, closing. */
  draft?: ReplyDraft;
  /** Past tickets like this one: evidence for the agent, never sent as they are. */
  similarTickets?: SimilarTicket[];
  tookMs: number;
}

export type EntityKind = 'email' | 'phone' | 'url' | 'domain' | 'order' | 'ticket' | 'invoice' | 'certificate' | 'amount' | 'card' | 'date' | 'name' | 'address' | 'iban' | 'tracking';

/** Every entity kind, once, in a fixed order (for schemas, validation and documentation). */
export const ENTITY_KINDS: readonly EntityKind[] = Object.keys({
  email: 0, phone: 0, url: 0, domain: 0, order: 0, ticket: 0, invoice: 0, certificate: 0, amount: 0, card: 0, date: 0, name: 0, address: 0, iban: 0, tracking: 0,
} satisfies Record<EntityKind, 0>) as EntityKind[];

/** A detail found in a message: an order number, an e-mail, an amount… */
export interface Entity {
  kind: EntityKind;
  /** As written. */
  text: string;
  /** Normalized (e-mail lowercased, phone in E.164, amount "12.50 EUR", card's last digits, ids uppercased). */
  value: string;
  start: number;
  end: number;
}

/** What was matched of a customer's message, so an agent sees it. */
export interface MessageReading {
  /** The cleaned text: greeting, sign-off, signature, quoted replies and footers removed, ALL CAPS folded, spelling corrected. */
  text: string;
  /** The questions found, each answered on its own (matched without the customer's order, ticket and card numbers; see readMessage). */
  questions: string[];
  corrections: Array<{ from: string; to: string }>;
  capsFolded: boolean;
  customerName?: string;
  entities: Entity[];
  /** What cleaning removed, by part. */
  removed: Partial<Record<'greeting' | 'signOff' | 'signature' | 'quoted' | 'footer', string>>;
  /** An automatic reply (an out-of-office message, an auto-acknowledgement): nothing is answered, and no reply is drafted. */
  autoReply?: true;
  /** The customer only thanks or says the matter is solved ("Thanks, that solved it!"): nothing is answered, and no reply is drafted. */
  thanksOnly?: true;
  /** The customer only chases an earlier message ("Any update on this?"): nothing is answered, and the draft is the "looking-into-it" canned reply. */
  followUp?: true;
  /** Nothing asked yet (a greeting, an order number or a question mark alone): nothing is answered, and the draft is the "need-details" canned reply. */
  nothingAsked?: true;
  /** Spam or an unsolicited offer (a prize to claim, a sales pitch): nothing is answered, and the draft is the "spam" canned reply. */
  unsolicited?: true;
}

/** The passage shown as an answer: the smallest complete unit of a section that answers, or an adapted past resolution. */
export interface ShownPassage {
  /** Markdown of what is shown. */
  markdown: string;
  /** The whole section is shown. */
  whole: boolean;
  /** A table, when the passage is one: rendered as a table on the page, aligned text in the CLI. */
  table?: { header: string[]; rows: string[][] };
  /** `article`: from a section; `ticket`: adapted from a past resolution (details replaced, actions moved to notes). */
  basis: 'article' | 'ticket';
}

/** The answer to one question of a message. */
export interface QuestionAnswer {
  question: string;
  status: 'answered' | 'abstained';
  /** The text shown (the passage that answers). */
  answer?: string;
  passage?: ShownPassage;
  source?: Source;
  /** Calibrated probability that the shown answer is right, and its level. */
  confidence: Confidence;
  alternatives: Array<{ source: Source; confidence: Confidence; language?: string }>;
  reason?: string;
  /** When abstaining: articles near the question, so the agent knows what exists. */
  nearby?: Source[];
  /**
   * When abstaining: the most probable candidate, below the abstain band (`confidence.score` is its
   * probability). What the agent does next says whether it would have been right: feedback on it, with
   * that score, recalibrates confidence below the band too.
   */
  best?: Source;
  language?: string;
  needsTranslation?: boolean;
  placeholders?: string[];
  notes?: string[];
  /**
   * For a question in a language the encoder cannot read: the English words it was matched by meaning
   * through, glossed word for word with a lexicon learned from the knowledge base's translated articles.
   */
  gloss?: string;
  /** With `explain`: every candidate looked at, with its probability, what it was computed from, and what moved it (feedback, recalibration). */
  candidates?: Array<{ source: Source; probability: number; features: Record<string, number>; notes?: string[] }>;
}

/** One part of a reply draft. */
export interface ReplyDraftPart {
  kind: 'greeting' | 'answer' | 'closing' | 'canned';
  text: string;
  templateId?: string;
  sourceId?: string;
}

/** A reply an agent can send once its placeholders are filled. */
export interface ReplyDraft {
  text: string;
  parts: ReplyDraftPart[];
  /** Placeholders left to fill, such as `[order number]`. */
  placeholders: string[];
  /** For the agent, never for the customer. */
  notes: string[];
  language: string;
  needsTranslation: boolean;
}

/** A past ticket shown beside the answer. */
export interface SimilarTicket {
  id: string;
  subject: string;
  category?: string;
  createdAt?: string;
  /** How it was resolved (the agent's words to that customer: evidence, not a reply). */
  resolution: string;
  source: Source;
  similarity?: number;
}

/** An agent's verdict on a suggestion, as given. */
export interface FeedbackInput {
  /** The customer's text the suggestion answered. */
  query: string;
  /**
   * The question of that text the verdict is on, as the suggestion read it (`QuestionAnswer.question`).
   * Similar questions are found by it: a message that asked two things would otherwise carry one
   * question's verdict to questions like the other. Default: the whole `query`.
   */
  question?: string;
  /** Id of the suggested source (article section or ticket). */
  sourceId: string;
  helpful: boolean;
  /** Id the service gave the suggestion, to join feedback with request logs. */
  suggestionId?: string;
  /** The agent's words, e.g. what was wrong. */
  comment?: string;
  /** Who gave it (the service fills in the API key's name). */
  agent?: string;
  /**
   * What the agent did, when it was more than a verdict: `sent` the reply draft as it was, `edited` it
   * first, `picked` this source instead of the one shown, `rejected` the one shown for another.
   */
  action?: FeedbackAction;
  /** With `sent` / `edited`: the share of the draft's words the agent changed before sending it (0–1). */
  edited?: number;
  /**
   * The engine's probability for the source the verdict is on, when the engine chose it: the answer shown,
   * or after an abstention its `best` candidate (picked, or passed over for another source or a canned
   * reply); never on another source picked instead. Its `confidence.before`, else its `confidence.score`.
   * Outcomes at known probabilities recalibrate confidence.
   */
  confidence?: number;
}

export type FeedbackAction = 'sent' | 'edited' | 'picked' | 'rejected';

/** A recorded feedback entry, kept for later learning. */
export interface Feedback extends FeedbackInput {
  id: string;
  /** ISO time it was recorded. */
  at: string;
}

/** How one question of a message went, as logged. */
export interface AskedAnswer {
  status: 'answered' | 'abstained';
  /** The source shown, when answered. */
  sourceId?: string;
  /** Its article, when it is an article section. */
  articleId?: string;
  /** The engine's probability for what it showed (or for its best candidate, when it abstained). */
  score: number;
  level: ConfidenceLevel;
}

/** A question the service or the CLI was asked, kept so writers see what the knowledge base fails to answer. */
export interface AskedQuestion {
  /** The suggestion's id (the suggestionId feedback comes back with). */
  id: string;
  at: string;
  /** The questions as read (greetings, signatures and quotes removed), each person's details masked as [order number], [email address]… */
  questions: string[];
  /** One per question, in order. */
  answers: AskedAnswer[];
  language: string;
  /** What asked: the agent page or an API client (`suggest`, `triage`), or the CLI. */
  via: 'suggest' | 'triage' | 'cli';
}

/** What became of a logged question, from the log and agents' feedback. */
export type QuestionOutcome = 'answered' | 'abstained' | 'rejected' | 'edited';

/** A topic customers ask about that the knowledge base fails to answer: what a writer should write next. */
export interface KnowledgeGap {
  /** A title for the missing article, from the topic's most typical question. */
  title: string;
  /** Customer messages that asked about it. */
  count: number;
  /** Questions in the topic (a message may ask two about it). */
  questions: number;
  /** How they went: left open, answer rejected by an agent, answer edited heavily. */
  outcomes: Partial<Record<QuestionOutcome, number>>;
  /** The most typical questions first, details masked. */
  examples: string[];
  /** The words that set the topic apart from other questions. */
  keywords: string[];
  /** The existing articles nearest to it (what might be extended instead). */
  nearest: Source[];
  firstAt: string;
  lastAt: string;
}

/** How one article section did with agents and customers. */
export interface SectionPerformance {
  sourceId: string;
  source: Source;
  /** Times it was the answer shown. */
  shown: number;
  /** Times agents sent the draft built from it as it was. */
  sent: number;
  /** Times they edited it first (lightly or heavily). */
  edited: number;
  /** Times they rejected it or marked it not helpful. */
  rejected: number;
  /** Times agents picked it instead of the answer shown. */
  picked: number;
  /** sent / (sent + edited + rejected), when agents acted on it. */
  sentShare?: number;
}
