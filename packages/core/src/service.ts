import type { Encoder } from '@answerdesk/embeddings';
import type { Categorizer, CategorizerInfo } from '@answerdesk/triage';
import type { Article, Feedback, FeedbackInput, IncomingMessage, RouteCorrection, RouteCorrectionInput, AskedQuestion, KnowledgeGap, SectionPerformance, KnowledgeDoc, LabelPrediction, Suggestion, Ticket, TriageResult } from '@answerdesk/types';
import type { PublishReport } from './publish.js';
import type { GapOptions } from './questions.js';
import type { ChangeReport, IndexOptions, IndexProgress, IndexReport, PublishOptions, SearchOptions, SearchResult, SuggestOptions, TrainOptions, TriageOptions, VerifyReport, WarmUpOptions, WarmUpReport } from './types.js';

/** Counts of what a knowledge base holds. */
export interface KnowledgeStats {
  documents: number;
  articles: number;
  tickets: number;
  /** Reply templates (greetings, closings, canned replies). */
  templates?: number;
  passages: number;
  /** Lexical segments (files on disk); 0 on PostgreSQL. */
  segments: number;
  model: string;
}

/**
 * What every knowledge base offers, whatever holds it: files on disk
 * (`KnowledgeBase`, the default) or PostgreSQL (`PgKnowledgeBase`). The
 * service and the CLI use only this.
 *
 * Synchronous getters are as of the last operation: a PostgreSQL knowledge
 * base shared by several processes refreshes them when it notices another
 * process's write (`refresh()` forces it).
 */
export interface KnowledgeService {
  readonly encoder: Encoder;
  /** Where it lives: the store folder, or `postgres://host/db#kb` (never a password). */
  readonly location: string;
  readonly stats: KnowledgeStats;
  /** Ids of the articles, sorted. */
  readonly articleIds: string[];
  /** Categories of the documents, sorted. */
  readonly categories: string[];
  /** Languages of the documents, sorted. */
  readonly languages: string[];
  /** Fields with a trained categorizer. */
  readonly categorizerFields: string[];
  categorizer(field?: string): Categorizer | undefined;
  /** One document (article section or ticket) by id. */
  document(id: string): Promise<KnowledgeDoc | undefined>;
  /** Catch up with writes made by other processes (a no-op for a store only this process writes). */
  refresh(): Promise<void>;

  index(paths: readonly string[], options?: IndexOptions): Promise<IndexReport>;
  addTickets(tickets: readonly Ticket[], options?: IndexOptions): Promise<ChangeReport>;
  remove(ids: readonly string[], options?: { save?: boolean }): Promise<number>;
  putArticles(articles: readonly Article[], options?: { prune?: boolean; save?: boolean; onProgress?: (progress: IndexProgress) => void }): Promise<ChangeReport & { articles: number; sections: number }>;
  removeArticles(articleIds: readonly string[], options?: { save?: boolean }): Promise<number>;
  publish(dir: string, options?: PublishOptions): Promise<PublishReport>;
  train(options?: TrainOptions): Promise<CategorizerInfo>;
  recordFeedback(input: FeedbackInput): Promise<Feedback>;
  feedback(): Promise<Feedback[]>;
  correctRoute(input: RouteCorrectionInput): Promise<RouteCorrection>;
  recordQuestion(suggestion: Suggestion, options: { id?: string; via: AskedQuestion['via'] }): Promise<AskedQuestion>;
  askedQuestions(since?: string): Promise<AskedQuestion[]>;
  gaps(options?: GapOptions): Promise<KnowledgeGap[]>;
  performance(options?: { since?: string }): Promise<SectionPerformance[]>;
  routeCorrections(): Promise<RouteCorrection[]>;
  correctionsSinceTraining(field: string): Promise<number>;
  verify(): Promise<VerifyReport>;

  search(text: string, options?: SearchOptions): Promise<SearchResult>;
  suggest(text: string, options?: SuggestOptions): Promise<Suggestion>;
  /** Prepare the process for its first questions (see StoreKnowledgeBase.warmUp). */
  warmUp(options?: WarmUpOptions): Promise<WarmUpReport>;
  triage(message: IncomingMessage, options?: TriageOptions): Promise<TriageResult>;
  categorize(texts: readonly string[], options?: { field?: string }): Promise<LabelPrediction[]>;
  close(): Promise<void>;
}
