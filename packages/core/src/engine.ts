import type { Encoder } from '@answerdesk/embeddings';
import { trainCategorizer, type Categorizer, type CategorizerOptions, type LabeledText, type PriorityCue } from '@answerdesk/triage';
import { AnswerdeskError, type DocFilter, type IncomingMessage, type LabelPrediction, type QueryLanguage, type SearchHit, type SearchMode, type Suggestion, type TriageResult } from '@answerdesk/types';
import { buildSuggestion, checkQuestion, checkSearch, readQueryLanguage, type RankingOptions } from './answering.js';
import type { Thresholds } from './confidence.js';
import type { IndexProgress, SearchOptions, SearchResult, SuggestOptions, TrainOptions, TriageOptions } from './knowledge-base.js';
import { languageNotes } from './translations.js';
import { checkFieldName, composeTriage, retrainFields } from './triage.js';

/** The options the answering side reads, whatever the store. */
export interface EngineOptions extends RankingOptions {
  thresholds?: Thresholds;
  wordThresholds?: Thresholds;
  preferArticles?: boolean;
  maxQueryLength?: number;
  languages?: readonly string[];
  priorityCues?: readonly PriorityCue[];
  categorizer?: Omit<CategorizerOptions, 'field' | 'descriptions' | 'onProgress'>;
}

export type CategorizerOrigin = 'knowledge-base' | 'examples';

/** A suggestion looks this deep, so asking for more alternatives never changes whether the engine answers. */
const SUGGEST_DEPTH = 5;

/**
 * What every knowledge base does the same way, whatever holds its documents:
 * reading the question's language, search and suggest around the store's own
 * ranking, triage, categorizing and training. A store supplies the few
 * operations that touch its data.
 */
export abstract class AnswerEngine {
  abstract readonly encoder: Encoder;
  protected abstract readonly options: EngineOptions;
  protected abstract readonly thresholds: Thresholds;
  /** Loaded on the first question: the detector's tables are big and indexing never needs them. */
  private languageDetector?: Promise<typeof import('@answerdesk/triage/language')>;

  /** Catch up with other writers before a read (a no-op where this process is the only writer). */
  protected abstract beforeRead(): Promise<void>;
  /** Ranked, translation-collapsed hits for a question. `embedded`: its vector when already known. */
  protected abstract rank(query: string, mode: SearchMode, k: number, filter: DocFilter | undefined, language: QueryLanguage, embedded?: Float32Array): Promise<SearchHit[]>;
  /** The language of every document the hits matched or show (fetched first where needed). */
  protected abstract hitLanguages(hits: readonly SearchHit[]): Promise<(id: string) => string | undefined>;
  /** Languages of the knowledge base's documents. */
  protected abstract documentLanguages(): readonly string[];
  protected abstract categorizerEntries(): Array<{ field: string; categorizer: Categorizer; origin: CategorizerOrigin }>;
  /** Keep a trained categorizer (in memory, and wherever the store keeps it). */
  protected abstract keepCategorizer(field: string, categorizer: Categorizer, origin: CategorizerOrigin): Promise<void>;
  protected abstract labeledExamples(field: string, articles?: boolean): LabeledText[] | Promise<LabeledText[]>;

  protected checkQuery(text: unknown): string {
    return checkQuestion(text, this.options.maxQueryLength);
  }

  protected queryLanguage(text: string, given: string | undefined): Promise<QueryLanguage> {
    this.languageDetector ??= import('@answerdesk/triage/language');
    return readQueryLanguage(text, given, {
      encoder: this.encoder,
      detector: this.languageDetector,
      ...(this.options.languages ? { languages: this.options.languages } : {}),
      ...(this.options.defaultLanguage ? { defaultLanguage: this.options.defaultLanguage } : {}),
      known: this.documentLanguages(),
    });
  }

  /** Rank documents for a question: by meaning, by words, or both fused. */
  async search(text: string, options: SearchOptions = {}): Promise<SearchResult> {
    const started = performance.now();
    const query = this.checkQuery(text);
    const { mode, k } = checkSearch(options);
    await this.beforeRead();
    const language = await this.queryLanguage(query, options.language);
    const hits = await this.rank(query, mode, k, options.filter, language);
    const notes = languageNotes(language, this.encoder.id, mode);
    return { query, mode, language, hits, ...(notes.length ? { notes } : {}), tookMs: Math.round((performance.now() - started) * 100) / 100 };
  }

  /**
   * The suggested answer for a customer's message: the best section or past
   * resolution with its source and confidence, or an abstention when nothing
   * in the knowledge base is close enough.
   */
  suggest(text: string, options: SuggestOptions = {}): Promise<Suggestion> {
    return this.suggestWith(text, options);
  }

  private async suggestWith(text: string, options: SuggestOptions, embedded?: Float32Array, known?: QueryLanguage): Promise<Suggestion> {
    const started = performance.now();
    const query = this.checkQuery(text);
    const alternatives = options.alternatives ?? 3;
    if (!known) await this.beforeRead();
    const language = known ?? (await this.queryLanguage(query, options.language));
    const hits = await this.rank(query, 'hybrid', Math.max(SUGGEST_DEPTH, alternatives + 1), options.filter, language, embedded);
    return buildSuggestion(
      query,
      hits,
      language,
      {
        thresholds: this.thresholds,
        ...(this.options.wordThresholds ? { wordThresholds: this.options.wordThresholds } : {}),
        ...(this.options.preferArticles !== undefined ? { preferArticles: this.options.preferArticles } : {}),
        alternatives,
        encoderId: this.encoder.id,
        languageOf: await this.hitLanguages(hits),
      },
      () => Math.round((performance.now() - started) * 100) / 100,
    );
  }

  /**
   * Everything a first-line agent needs about one incoming message: category,
   * confidence, priority, language, the route with its explanation, and the
   * suggested answer with its sources.
   */
  async triage(message: IncomingMessage, options: TriageOptions = {}): Promise<TriageResult> {
    await this.beforeRead();
    this.languageDetector ??= import('@answerdesk/triage/language');
    return composeTriage(message, options, {
      encoder: this.encoder,
      categorizers: this.categorizerEntries(),
      detector: this.languageDetector,
      maxQueryLength: this.options.maxQueryLength ?? 4000,
      ...(this.options.priorityCues ? { priorityCues: this.options.priorityCues } : {}),
      queryLanguage: (text) => this.queryLanguage(text, undefined),
      suggest: (text, filter, vector, language) => this.suggestWith(text, filter ? { filter } : {}, vector, language),
    });
  }

  /** The trained categorizer of a field, if any. */
  categorizer(field = 'category'): Categorizer | undefined {
    return this.categorizerEntries().find((entry) => entry.field === field)?.categorizer;
  }

  /** Fields with a trained categorizer. */
  get categorizerFields(): string[] {
    return this.categorizerEntries()
      .map((entry) => entry.field)
      .sort();
  }

  /** Categorize texts with the trained categorizer of `field` (default `category`). */
  async categorize(texts: readonly string[], options: { field?: string } = {}): Promise<LabelPrediction[]> {
    await this.beforeRead();
    const field = checkFieldName(options.field ?? 'category');
    const found = this.categorizer(field);
    if (!found) throw new AnswerdeskError('ADK_CATEGORIZER_NOT_TRAINED', { field });
    return found.categorize(
      texts.map((text) => this.checkQuery(text)),
      this.encoder,
    );
  }

  protected async fit(field: string, examples: readonly LabeledText[], options: Pick<TrainOptions, 'descriptions' | 'onProgress'>, origin: CategorizerOrigin): Promise<Categorizer> {
    const categorizer = await trainCategorizer(examples, this.encoder, {
      ...this.options.categorizer,
      field,
      ...(options.descriptions ? { descriptions: options.descriptions } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await this.keepCategorizer(field, categorizer, origin);
    return categorizer;
  }

  /** Train a field's categorizer from `options.examples`, or from the knowledge base's own labels. */
  protected async trainField(options: TrainOptions): Promise<Categorizer> {
    const field = checkFieldName(options.field ?? 'category');
    const fromKnowledgeBase = options.examples === undefined;
    const examples = options.examples ?? (await this.labeledExamples(field, options.articles ?? field === 'category'));
    if (examples.length === 0 && Object.keys(options.descriptions ?? {}).length === 0) {
      throw new AnswerdeskError('ADK_TRAINING_DATA_INVALID', {
        field,
        reason: fromKnowledgeBase ? `no indexed ticket has a "${field}" label; index labeled tickets or pass examples` : 'no examples were given',
      });
    }
    return this.fit(field, examples, options, fromKnowledgeBase ? 'knowledge-base' : 'examples');
  }

  /** Retrain the knowledge base's own categorizers for `fields` after a write (see IndexOptions.train). */
  protected retrain(fields: readonly string[], kindsChanged: ReadonlySet<string | undefined>, progress?: (p: IndexProgress) => void): Promise<string[]> {
    const origins = new Map(this.categorizerEntries().map((entry) => [entry.field, entry.origin]));
    return retrainFields(
      fields,
      kindsChanged,
      {
        origin: (field) => origins.get(field),
        examples: (field) => this.labeledExamples(field, field === 'category'),
        fit: (field, examples) => this.fit(field, examples, {}, 'knowledge-base'),
      },
      progress,
    );
  }
}
