import type { DocFilter, DocKind, KnowledgeDoc } from './model.js';

/**
 * The storage a knowledge base runs on: documents, passage vectors, word
 * search, categorizers and feedback of one knowledge base, changed only by
 * atomic writes. Two implementations: `PgDocumentStore` (@answerdesk/postgres,
 * PostgreSQL + pgvector, many tenants per database) and `SqliteDocumentStore`
 * (@answerdesk/sqlite, one database file). The knowledge-base logic above it
 * (planning, embedding, ranking, translations, confidence) is the same code for both.
 */

export interface KnowledgeBaseInfo {
  model: string;
  dimension: number;
  /** Bumped by every change of documents, passages or categorizers. */
  version: number;
}

/** A passage of a document with its embedding. */
export interface PassageRecord {
  key: string;
  docId: string;
  text: string;
  /** Hash of `text`: an unchanged text reuses its vector (`passageVectors`). */
  textHash: string;
  vector: Float32Array;
}

/** One atomic change of a knowledge base. */
export interface KnowledgeBaseChange {
  /** Documents to add or replace (by id). */
  docs?: readonly KnowledgeDoc[];
  /** Passages to store. */
  passages?: readonly PassageRecord[];
  /** Ids of documents to delete, with their passages. */
  removed?: readonly string[];
  /** Whose passages the given ones replace: every upserted document's (the only mode, and the default). */
  replacePassagesOf?: 'docs';
  /**
   * The change this write makes to the spellers' word counts (`vocabulary`): the upserted documents'
   * words counted up, the words of the documents they replace or that are removed counted down. A write
   * of documents without it leaves the stored counts stale (`vocabulary` answers undefined until `putVocabulary`).
   */
  vocabulary?: ReadonlyMap<string, number>;
  /**
   * Vectors of the texts answering embeds inside sections (their answer units and headings), by text hash:
   * kept so that a section's first question after publishing, or in a new process, embeds nothing.
   * A store that does not keep them (no `unitVectors`) ignores them.
   */
  units?: ReadonlyArray<{ textHash: string; vector: Float32Array }>;
}

export interface WriteOptions {
  /** Fail with ADK_DATABASE_VERSION_CONFLICT unless the knowledge base is still at this version. */
  onlyIfVersion?: bigint | number;
  /**
   * Fail with ADK_ARTICLE_CHANGED_MEANWHILE unless each of these articles still has exactly these sections:
   * article id → its sections' (and templates') id → hash, as the change was planned on; an empty map for an
   * article that had none. A change planned on a few articles checks those alone, so writers of other
   * articles and of tickets never conflict with it.
   */
  onlyIfArticles?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * The first article of `expected` whose sections differ from the stored `rows` (id and hash of every
 * non-ticket document whose id starts with an expected article's id and `#`); undefined when all are
 * as expected. Both stores check `onlyIfArticles` with it. Pure.
 */
export function changedArticle(expected: ReadonlyMap<string, ReadonlyMap<string, string>>, rows: Iterable<{ id: string; hash: string }>): string | undefined {
  const found = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const at = row.id.indexOf('#');
    const article = at < 0 ? row.id : row.id.slice(0, at);
    if (!expected.has(article)) continue;
    const sections = found.get(article) ?? new Map<string, string>();
    sections.set(row.id, row.hash);
    found.set(article, sections);
  }
  for (const [article, sections] of expected) {
    const stored = found.get(article) ?? new Map<string, string>();
    if (stored.size !== sections.size) return article;
    for (const [id, hash] of sections) if (stored.get(id) !== hash) return article;
  }
  return undefined;
}

/**
 * A document found by a search. For vectors `score` is the cosine similarity of the
 * document's best passage; for words it is the store's relevance (higher is better),
 * comparable within one query and one store only: PostgreSQL ranks with `ts_rank_cd`,
 * SQLite with BM25.
 */
export interface ScoredId {
  id: string;
  score: number;
}

/** A query term as the store analyzes it, with its BM25 inverse document frequency over the knowledge base. */
export interface TermWeight {
  term: string;
  weight: number;
}

export interface StoredCategorizer {
  field: string;
  origin: string;
  state: unknown;
}

export interface Counts {
  documents: number;
  articles: number;
  tickets: number;
  passages: number;
}

/** The method set a knowledge base needs from its store. Every write is atomic: on any error nothing of it is kept. */
export interface KnowledgeStore {
  /** The knowledge base's name in error messages: the tenant id in PostgreSQL, the database file for SQLite. */
  readonly knowledgeBase: string;
  /** Where the store is, as users name it in messages. */
  readonly location: string;

  /**
   * Creates the knowledge base for this model, or checks that it was built with it
   * (a model-mismatch error otherwise).
   */
  ensureKnowledgeBase(model: { model: string; dimension: number }): Promise<KnowledgeBaseInfo & { created: boolean }>;
  /** The model, dimension and version of the knowledge base; undefined when it does not exist. */
  info(): Promise<KnowledgeBaseInfo | undefined>;
  /**
   * Applies a change atomically: removes documents (with their passages), upserts
   * documents, replaces the passages of every upserted document with the given ones,
   * and bumps the version, which it returns. With `onlyIfVersion`, fails with
   * ADK_DATABASE_VERSION_CONFLICT when another writer got there first.
   */
  write(change: KnowledgeBaseChange, options?: WriteOptions): Promise<number>;

  getDocument(id: string): Promise<KnowledgeDoc | undefined>;
  /** The documents with these ids that exist, in the order asked. */
  getDocuments(ids: readonly string[]): Promise<Map<string, KnowledgeDoc>>;
  /** Ids of the documents, sorted. */
  documentIds(options?: { kind?: DocKind }): Promise<string[]>;
  /** Content hash of every document, to tell what changed since it was indexed. */
  hashes(options?: { kind?: DocKind }): Promise<Map<string, string>>;
  /** Every document, in id order, read in pages so a large knowledge base is never held at once. */
  documents(options?: { kind?: DocKind; pageSize?: number }): AsyncIterable<KnowledgeDoc>;
  /** Stored vectors of passage texts by text hash, so unchanged texts are not embedded again. */
  passageVectors(textHashes: readonly string[]): Promise<Map<string, Float32Array>>;
  /** Stored vectors of answer units and headings by text hash (see `KnowledgeBaseChange.units`). Optional. */
  unitVectors?(textHashes: readonly string[]): Promise<Map<string, Float32Array>>;
  counts(): Promise<Counts>;
  /** Languages of the documents, sorted. */
  languages(): Promise<string[]>;
  /** Categories of the documents, sorted. */
  categories(): Promise<string[]>;

  /** The k documents whose best passage is nearest to `vector` (cosine similarity, best first). */
  searchVectors(vector: Float32Array, k: number, filter?: DocFilter): Promise<ScoredId[]>;
  /** Documents matching any word of `text` (analyzed in `language`), best first. */
  searchLexical(text: string, language: string, k: number, filter?: DocFilter): Promise<ScoredId[]>;
  /** `searchLexical` with the query terms each document holds. */
  searchLexicalTerms(text: string, language: string, k: number, filter?: DocFilter): Promise<Array<ScoredId & { terms: string[] }>>;
  /** The terms of a question with their inverse document frequency: a rare word weighs more, a word found nowhere most. */
  weighTerms(text: string, language: string): Promise<TermWeight[]>;
  /** Cosine similarity of each document's best passage to `vector` (exact), for documents that exist. */
  similarities(ids: readonly string[], vector: Float32Array): Promise<Map<string, number>>;

  /** Saves a trained categorizer for a label field (replacing the previous one); bumps the version. */
  putCategorizer(field: string, origin: string, state: unknown): Promise<number>;
  categorizers(): Promise<StoredCategorizer[]>;
  /** Deletes the categorizer of a field; false when there was none (then the version stays). */
  removeCategorizer(field: string): Promise<boolean>;

  /** Records an agent's feedback, append-only (an id recorded before is kept as it was); leaves the version alone. */
  addFeedback<F extends { id: string; at: string }>(entry: F): Promise<void>;
  /** Every feedback entry, oldest first. */
  feedback<F = Record<string, unknown>>(): Promise<F[]>;
  /** Records a question asked and its outcome, append-only like feedback; leaves the version alone. */
  logQuestion<Q extends { id: string; at: string }>(entry: Q): Promise<void>;
  /** The questions asked at or after an ISO time (all when absent), oldest first. */
  questions<Q = Record<string, unknown>>(since?: string): Promise<Q[]>;

  /**
   * The documents' word counts the spellers correct typos against, kept by every write's `vocabulary`
   * change so the first question after opening a large store does not count every word again.
   * Undefined when they are not known (a store older than them, or written without them).
   * Optional: a store without it has its words counted by the knowledge base on first use.
   */
  vocabulary?(): Promise<Map<string, number> | undefined>;
  /**
   * Replaces the stored word counts with a full count made at `version`; ignored (false) when the
   * knowledge base has moved on since, so a count that misses a write is never stored as complete.
   */
  putVocabulary?(counts: ReadonlyMap<string, number>, version: number): Promise<boolean>;

  /** Consistency checks; no problems means the store is whole. */
  verify(): Promise<{ problems: string[] }>;
  /** Deletes everything of this knowledge base. */
  drop(): Promise<void>;
  /** Releases what the store holds (a database file, caches). Absent where the caller owns the connection. */
  close?(): Promise<void>;
}
