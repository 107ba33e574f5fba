import { UseLiteEncoder, embeddingKey, type Encoder } from '@answerdesk/embeddings';
import { matchesFilter, isEmptyFilter } from '@answerdesk/index';
import { Categorizer, type CategorizerInfo, type LabeledText } from '@answerdesk/triage';
import {
  AnswerdeskError,
  isAnswerdeskError,
  reasonOf,
  type Article,
  type DocFilter,
  type Feedback,
  type FeedbackInput,
  type AskedQuestion,
  type KnowledgeGap,
  type SectionPerformance,
  type RouteCorrection,
  type RouteCorrectionInput,
  type IncomingMessage,
  type KnowledgeDoc,
  type LabelPrediction,
  type KnowledgeStore,
  type PassageRecord,
  type QueryLanguage,
  type ResolutionDetails,
  type SearchHit,
  type SearchMode,
  type Suggestion,
  type Ticket,
  type TriageResult,
  type WriteOptions,
} from '@answerdesk/types';
import { checkAnsweringOptions, foundHit, fuseCandidates, rankHits, readsLanguage, reserveSections, type Candidates } from './answering.js';
import { detailsHold, type ReplyTemplate } from '@answerdesk/reply';
import { articleIdOf, isAnswer, onePerArticle, passagesOf, templatesOf, ticketDoc } from './docs.js';
import { sectionTexts } from './answer-question.js';
import { checkWholeNumber } from './checks.js';
import { countVocabulary, vocabularyChange } from './vocabulary.js';
import { checkFeedback, checkRouteCorrection } from './feedback.js';
import { isRouteCorrection, type AgentRecord } from './learning.js';
import { askedQuestion, checkGapOptions, knowledgeGaps, questionOutcomes, sectionPerformance, type GapOptions } from './questions.js';
import type {
  ChangeReport,
  IndexOptions,
  IndexProgress,
  IndexReport,
  KnowledgeBaseOptions,
  PublishOptions,
  SearchOptions,
  SearchResult,
  WarmUpOptions,
  WarmUpReport,
  SuggestOptions,
  TrainOptions,
  TriageOptions,
  VerifyReport,
} from './types.js';
import { planArticles, planDirectory, planIndex, readKnowledge } from './plans.js';
import type { PublishReport } from './publish.js';
import type { KnowledgeService, KnowledgeStats } from './service.js';
import { AnswerEngine, type CategorizerOrigin, type RankMore } from './engine.js';
import { yieldToLoop } from './yield.js';
import { withAnswerDetails } from './answer-details.js';
import { translationIndex, type TranslationIndex } from './translations.js';

/** What a knowledge base over a store needs: the answering options of the embedded one, without its file-store settings. */
export type StoreKnowledgeBaseOptions = Omit<KnowledgeBaseOptions, 'store'>;

/** What the opener of a store tells the knowledge base about it. */
export interface StoreBackend {
  /** The database, reported by `verify()`. */
  engine: 'sqlite' | 'postgres';
  /** Schema version of the store, reported by `verify()`. */
  formatVersion: number;
  /** The error when the store holds no knowledge base (any more). */
  missing: () => AnswerdeskError;
  /** Called after the knowledge base closed the store (e.g. a database pool it opened). */
  afterClose?: () => Promise<void>;
}

/** Tries of a write planned against a version that another process changed meanwhile. */
const WRITE_ATTEMPTS = 5;
/** Past tickets `warmUp` adapts by default: on 2 cores, 200 take about 1.5 s and bring suggest's slowest new questions at 100k tickets from ~100 to ~58 ms. */
const WARM_UP_RESOLUTIONS = 200;
/** The first wait before a write planned again after a conflict is up to twice this; it doubles with each try. */
const RETRY_BASE_MS = 10;
/** Tickets given their resolutions' details in one write when an older store is indexed (about 4 s of work). */
const DETAILS_BATCH = 1000;

interface LoadedCategorizer {
  categorizer: Categorizer;
  origin: 'knowledge-base' | 'examples';
  /** The stored state it was read from. */
  json: string;
  weights: string;
}

/**
 * A knowledge base over a `KnowledgeStore`: one SQLite file (`SqliteKnowledgeBase`, the embedded
 * default) or PostgreSQL + pgvector (`PgKnowledgeBase`, many tenants, many service processes).
 * Planning, embedding, ranking, translations and confidence are this class's; the store keeps
 * documents, passage vectors, words, categorizers and feedback, and changes them atomically.
 * Every write is planned on the current version and applied only if no other process changed
 * the knowledge base meanwhile (otherwise planned again); every read first catches up with
 * other processes' writes (one cheap query when nothing changed).
 */
export class StoreKnowledgeBase implements KnowledgeService {
  readonly encoder: Encoder;
  readonly location: string;
  private readonly options: StoreKnowledgeBaseOptions;
  /** Answering over this knowledge base's data. */
  private readonly engine: AnswerEngine;
  /** The store this knowledge base runs on. */
  readonly store: KnowledgeStore;
  private readonly backend: StoreBackend;
  /** Version of the knowledge base the caches below reflect (-1: not read yet). */
  private version = -1;
  /**
   * Version of the documents the derived caches (spellers, known domains) reflect: a version
   * that only saved a categorizer leaves it as it was, so training rebuilds nothing of theirs.
   */
  private contentVersion = -1;
  /** The version this process's last categorizer save made, when nothing else changed since the one before. */
  private categorizerOnlyVersion = -1;
  /** Every article section: few compared with tickets, and needed for translations and publish plans. */
  private articles = new Map<string, KnowledgeDoc>();
  private translations: TranslationIndex = translationIndex([]);
  private templates: ReplyTemplate[] = [];
  private templateDocs = new Map<string, KnowledgeDoc>();
  private glossaryDocs = new Map<string, KnowledgeDoc>();
  private categoryList: string[] = [];
  private languageList: string[] = [];
  private counts = { documents: 0, articles: 0, tickets: 0, passages: 0 };
  private categorizers = new Map<string, LoadedCategorizer>();
  private refreshing?: Promise<void>;
  private readonly writes = new Set<Promise<unknown>>();
  /** The last write called: the next one starts after it (see `planned`). */
  private writeQueue: Promise<unknown> = Promise.resolve();

  private constructor(store: KnowledgeStore, options: StoreKnowledgeBaseOptions, backend: StoreBackend) {
    this.options = options;
    this.store = store;
    this.backend = backend;
    this.location = store.location;
    this.encoder = options.encoder ?? new UseLiteEncoder();
    checkAnsweringOptions(options);
    this.engine = new AnswerEngine({
      encoder: this.encoder,
      options,
      beforeRead: () => this.beforeRead(),
      rank: (query, mode, k, filter, language, embedded, more) => this.rank(query, mode, k, filter, language, embedded, more),
      hitsOf: (ids, query, language, vector) => this.hitsOf(ids, query, language, vector),
      storedUnitVectors: (texts) => this.storedUnitVectors(texts),
      hitLanguages: (hits) => this.hitLanguages(hits),
      documentLanguages: () => this.documentLanguages(),
      vocabularyCounts: () => this.vocabularyCounts(),
      knowledgeVersion: () => this.contentVersion,
      publishedTexts: () => this.publishedTexts(),
      translationSources: () => ({ sections: this.articles.values(), translations: this.translations, glossaries: this.glossaryDocs.values() }),
      replyTemplates: async () => this.templates,
      categorizerEntries: () => this.categorizerEntries(),
      keepCategorizer: (field, categorizer, origin) => this.keepCategorizer(field, categorizer, origin),
      labeledExamples: (field, articles) => this.labeledExamples(field, articles),
      agentRecords: () => this.store.feedback<AgentRecord>(),
    });
  }

  // ---------------------------------------------------------------- answering (the engine's)

  /** Rank documents for a question: by meaning, by words, or both fused. */
  search(text: string, options: SearchOptions = {}): Promise<SearchResult> {
    return this.engine.search(text, options);
  }

  /**
   * Prepare this process for its first questions: past tickets of the store are read and adapted as a
   * suggest would (nothing is recorded), so the first agents do not wait for that code to be compiled.
   * `answerdesk serve` runs it before it reports ready.
   */
  async warmUp(options: WarmUpOptions = {}): Promise<WarmUpReport> {
    const started = performance.now();
    const limit = checkWholeNumber('resolutions', options.resolutions ?? WARM_UP_RESOLUTIONS, 0, 10_000);
    await this.beforeRead();
    const tickets: KnowledgeDoc[] = [];
    if (limit > 0) {
      for await (const doc of this.store.documents({ kind: 'ticket', pageSize: limit })) {
        if (doc.answer) tickets.push(doc);
        if (tickets.length >= limit) break;
      }
    }
    const resolutions = await this.engine.warmUpReading(tickets);
    return { resolutions, tookMs: Math.round(performance.now() - started) };
  }

  /** The reply draft and answers for a customer's message, with sources and confidence, or an abstention. */
  suggest(text: string, options: SuggestOptions = {}): Promise<Suggestion> {
    return this.engine.suggest(text, options);
  }

  /** Category, priority, language, route and the suggested answer for one incoming message. */
  triage(message: IncomingMessage, options: TriageOptions = {}): Promise<TriageResult> {
    return this.engine.triage(message, options);
  }

  /** Categorize texts with the trained categorizer of `field` (default `category`). */
  categorize(texts: readonly string[], options: { field?: string } = {}): Promise<LabelPrediction[]> {
    return this.engine.categorize(texts, options);
  }

  /** The trained categorizer of a field, if any. */
  categorizer(field = 'category'): Categorizer | undefined {
    return this.engine.categorizer(field);
  }

  /** Fields with a trained categorizer. */
  get categorizerFields(): string[] {
    return this.engine.categorizerFields;
  }

  /**
   * A knowledge base over an open store: loads the encoder, creates the knowledge base for its
   * model (or checks the store was built with it) and reads what it caches. On failure the store
   * is left open: whoever opened it closes it.
   */
  static async over(store: KnowledgeStore, options: StoreKnowledgeBaseOptions, backend: StoreBackend): Promise<StoreKnowledgeBase> {
    const kb = new StoreKnowledgeBase(store, options, backend);
    await kb.encoder.load();
    await store.ensureKnowledgeBase({ model: kb.encoder.id, dimension: kb.encoder.dimension });
    await kb.refresh();
    return kb;
  }

  // ---------------------------------------------------------------- views

  get stats(): KnowledgeStats {
    return { ...this.counts, segments: 0, model: this.encoder.id };
  }

  get articleIds(): string[] {
    return [...new Set([...this.articles.values()].map(articleIdOf))].sort();
  }

  get categories(): string[] {
    return this.categoryList;
  }

  get languages(): string[] {
    return this.languageList;
  }

  async document(id: string): Promise<KnowledgeDoc | undefined> {
    return this.store.getDocument(id);
  }

  /** Read the caches again when another process (or this one) changed the knowledge base: one query when nothing changed. */
  refresh(): Promise<void> {
    // Concurrent requests share one refresh.
    this.refreshing ??= this.refreshNow().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshNow(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const info = await this.store.info();
      if (!info) throw this.backend.missing();
      if (info.version === this.version) return;
      // This process's own categorizer save, with nothing else in between: the documents are as they were.
      const categorizerOnly = this.categorizerOnlyVersion === info.version && this.version === info.version - 1;
      const categorizers = await this.readCategorizers();
      if (categorizerOnly) {
        this.categorizers = categorizers;
        this.version = info.version;
        return;
      }
      const articles = new Map<string, KnowledgeDoc>();
      for await (const doc of this.store.documents({ kind: 'article' })) articles.set(doc.id, doc);
      const templates = new Map<string, KnowledgeDoc>();
      for await (const doc of this.store.documents({ kind: 'template' })) templates.set(doc.id, doc);
      const glossaries = new Map<string, KnowledgeDoc>();
      for await (const doc of this.store.documents({ kind: 'glossary' })) glossaries.set(doc.id, doc);
      const counts = await this.store.counts();
      const categories = await this.store.categories();
      const languages = await this.store.languages();
      // Each read sees what was committed when it ran: a write committed between them would mix two
      // versions, so read again. (After a few tries the mix is kept under the older version, which
      // the next refresh reads again.)
      if ((await this.store.info())?.version !== info.version && attempt < WRITE_ATTEMPTS) continue;
      this.articles = articles;
      this.templateDocs = templates;
      this.glossaryDocs = glossaries;
      this.templates = templatesOf(templates.values());
      this.translations = translationIndex(articles.values());
      this.counts = counts;
      this.categoryList = categories;
      this.languageList = languages;
      this.categorizers = categorizers;
      this.contentVersion = info.version;
      this.version = info.version;
      return;
    }
  }

  /**
   * Every document, giving the event loop a turn every few hundred: the SQLite driver reads
   * synchronously, and a loop over a large knowledge base (training's examples, the speller's
   * vocabulary) would otherwise hold up every other request for its whole length.
   */
  private async *allDocuments(): AsyncGenerator<KnowledgeDoc> {
    let count = 0;
    for await (const doc of this.store.documents()) {
      yield doc;
      if (++count % 256 === 0) await yieldToLoop();
    }
  }

  /** The stored categorizers; one whose stored state is unchanged is the one already loaded, not parsed again. */
  private async readCategorizers(): Promise<Map<string, LoadedCategorizer>> {
    const categorizers = new Map<string, LoadedCategorizer>();
    for (const stored of await this.store.categorizers()) {
      const state = stored.state as { json: string; weights: string };
      const origin = stored.origin === 'examples' ? 'examples' : 'knowledge-base';
      const loaded = this.categorizers.get(stored.field);
      const same = loaded && loaded.origin === origin && loaded.json === state.json && loaded.weights === state.weights;
      categorizers.set(stored.field, same ? loaded : { categorizer: Categorizer.fromFiles(state.json, Buffer.from(state.weights, 'base64')), origin, json: state.json, weights: state.weights });
    }
    return categorizers;
  }

  // ---------------------------------------------------------------- writes

  /**
   * One write, planned on the current state and applied in one transaction
   * only if no other process changed the knowledge base meanwhile; otherwise
   * planned again. Vectors are computed once per text however often it is tried.
   * This instance's writes run one at a time in the order they were called, so a
   * `remove` called after an `addTickets` is planned on what that write left (planned
   * at once, it would find nothing to remove and be silently lost); a failed write
   * does not hold up the next.
   */
  private planned<T extends { changed: readonly KnowledgeDoc[]; removedIds: readonly string[]; readArticles?: readonly string[]; answerUnits?: boolean }>(
    plan: () => Promise<T>,
    progress?: (p: IndexProgress) => void,
    checkVersion = true,
  ): Promise<T & { embedded: number; reused: number }> {
    const run = this.writeQueue.then(() => this.plannedNow(plan, progress, checkVersion));
    this.writeQueue = run.catch(() => undefined);
    return this.tracked(run);
  }

  /** A write in flight: `close()` waits for it, so a write acknowledged as closing began is kept. */
  private tracked<T>(write: Promise<T>): Promise<T> {
    this.writes.add(write);
    const done = () => void this.writes.delete(write);
    write.then(done, done);
    return write;
  }

  private async plannedNow<T extends { changed: readonly KnowledgeDoc[]; removedIds: readonly string[]; readArticles?: readonly string[]; answerUnits?: boolean }>(
    plan: () => Promise<T>,
    progress: ((p: IndexProgress) => void) | undefined,
    checkVersion: boolean,
  ): Promise<T & { embedded: number; reused: number }> {
    const vectors = new Map<string, Float32Array>();
    const details = new Map<string, ResolutionDetails>();
    for (let attempt = 1; ; attempt++) {
      await this.refresh();
      const version = this.version;
      const planned = await plan();
      if (planned.changed.length === 0 && planned.removedIds.length === 0) return { ...planned, embedded: 0, reused: 0 };
      // A plan made from a few articles is checked on those alone (taken now, before anything can refresh them):
      // writers of other articles never conflict with it. A plan made from everything checks the whole version.
      const check: WriteOptions = !checkVersion ? {} : planned.readArticles ? { onlyIfArticles: this.sectionsOf(planned.readArticles) } : { onlyIfVersion: version };
      const embedding = this.embed(planned.changed, vectors, progress, planned.answerUnits !== false);
      // Awaited below; meanwhile this thread reads the tickets' resolutions while the model embeds on its workers.
      embedding.catch(() => undefined);
      const docs = await withAnswerDetails(planned.changed, details);
      const { records, units, embedded, reused } = await embedding;
      try {
        const vocabulary = await this.vocabularyChangeOf(docs, planned.removedIds);
        await this.store.write({ docs, passages: records, removed: planned.removedIds, ...(vocabulary ? { vocabulary } : {}), ...(units.length ? { units } : {}) }, check);
        await this.refresh();
        return { ...planned, embedded, reused };
      } catch (error) {
        const conflict = isAnswerdeskError(error) && (error.code === 'ADK_DATABASE_VERSION_CONFLICT' || error.code === 'ADK_ARTICLE_CHANGED_MEANWHILE');
        if (!conflict || attempt >= WRITE_ATTEMPTS) throw error;
        // Another process wrote first. Writers that lost together would plan again together and collide
        // again: each waits a random, growing while first (full jitter), so they spread out.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_BASE_MS * 2 ** attempt));
      }
    }
  }

  /** The sections (and templates) of these articles as this process knows them: id → hash, per article. */
  private sectionsOf(articleIds: readonly string[]): Map<string, Map<string, string>> {
    const out = new Map(articleIds.map((id) => [id, new Map<string, string>()]));
    for (const doc of this.published().values()) out.get(articleIdOf(doc))?.set(doc.id, doc.hash);
    return out;
  }

  /**
   * The change a write makes to the stored word counts (undefined for a store that does not keep them).
   * The documents replaced are read before the write; a write checked against the version (a conflict
   * retries) replaces exactly those.
   */
  private async vocabularyChangeOf(changed: readonly KnowledgeDoc[], removedIds: readonly string[]): Promise<Map<string, number> | undefined> {
    if (!this.store.vocabulary) return undefined;
    const replaced = await this.store.getDocuments([...changed.map((doc) => doc.id), ...removedIds]);
    return vocabularyChange(changed, replaced.values());
  }

  /**
   * Passages of the documents with their vectors: known texts reuse the stored vector, the rest are embedded.
   * With `units`, the texts answering embeds inside the sections (answer units, headings) that the store does
   * not hold yet too, in the same call: written with the sections, so no question waits for them. Stores that
   * do not keep them (no `unitVectors`) embed them on a section's first question instead.
   */
  private async embed(
    docs: readonly KnowledgeDoc[],
    vectors: Map<string, Float32Array>,
    progress: ((p: IndexProgress) => void) | undefined,
    units: boolean,
  ): Promise<{ records: PassageRecord[]; units: Array<{ textHash: string; vector: Float32Array }>; embedded: number; reused: number }> {
    const passages = docs.flatMap((doc) => passagesOf(doc, this.options.passages)).map((p) => ({ ...p, textHash: embeddingKey(this.encoder.id, p.text) }));
    const wanted = [...new Set(passages.map((p) => p.textHash))].filter((hash) => !vectors.has(hash));
    for (const [hash, vector] of await this.store.passageVectors(wanted)) vectors.set(hash, vector);
    const texts = new Map<string, string>();
    for (const p of passages) if (!vectors.has(p.textHash)) texts.set(p.textHash, p.text);
    const passagesEmbedded = texts.size;
    const unitTexts = new Map<string, string>();
    if (units && this.store.unitVectors) {
      for (const doc of docs) for (const text of sectionTexts(doc)) unitTexts.set(embeddingKey(this.encoder.id, text), text);
      for (const [hash, vector] of await this.store.unitVectors([...unitTexts.keys()].filter((hash) => !vectors.has(hash)))) vectors.set(hash, vector);
      for (const [hash, text] of unitTexts) if (!vectors.has(hash)) texts.set(hash, text);
    }
    const fresh = [...texts];
    if (fresh.length) {
      const embedded = await this.encoder.embedPassages(fresh.map(([, text]) => text), { onProgress: (p) => progress?.({ phase: 'embed', done: p.done, total: p.total }) });
      fresh.forEach(([hash], i) => vectors.set(hash, embedded[i]!));
    }
    progress?.({ phase: 'embed', done: fresh.length, total: fresh.length });
    const records = passages.map((p) => ({ key: p.key, docId: p.docId, text: p.text, textHash: p.textHash, vector: vectors.get(p.textHash)! }));
    return {
      records,
      units: [...unitTexts.keys()].map((textHash) => ({ textHash, vector: vectors.get(textHash)! })),
      embedded: passagesEmbedded,
      reused: new Set(passages.map((p) => p.textHash)).size - passagesEmbedded,
    };
  }

  /** A store made before unit vectors were kept gets those of every section once, the next time it is indexed. */
  private async completeUnits(progress?: (p: IndexProgress) => void): Promise<void> {
    if (!this.store.unitVectors || this.articles.size === 0) return;
    const sections = [...this.articles.values()];
    const hashes = sections.flatMap((doc) => sectionTexts(doc).map((text) => embeddingKey(this.encoder.id, text)));
    const stored = await this.store.unitVectors(hashes);
    if (stored.size === new Set(hashes).size) return;
    const had = new Set(stored.keys());
    const { units } = await this.embed(sections, stored, progress, true);
    await this.store.write({ units: units.filter((unit) => !had.has(unit.textHash)) });
  }

  /**
   * A store written before tickets kept their resolutions' details gets them once, the next time it is
   * indexed (about 4 ms a ticket, in writes of 1,000; no passage is embedded again). Each write plans on
   * the tickets as they are then and checks the version, so a ticket changed meanwhile is never undone;
   * when other processes keep writing, what is left waits for the next index (a question finds them itself).
   */
  private async completeAnswerDetails(lacking: readonly string[], progress?: (p: IndexProgress) => void): Promise<void> {
    for (let start = 0; start < lacking.length; start += DETAILS_BATCH) {
      const ids = lacking.slice(start, start + DETAILS_BATCH);
      try {
        await this.planned(async () => {
          const now = await this.store.getDocuments(ids);
          return { changed: [...now.values()].filter((doc) => doc.kind === 'ticket' && !detailsHold(doc.answerDetails, doc.answer, doc.language)), removedIds: [] as string[], answerUnits: false };
        });
      } catch (error) {
        if (isAnswerdeskError(error) && error.code === 'ADK_DATABASE_VERSION_CONFLICT') return;
        throw error;
      }
      progress?.({ phase: 'index', done: Math.min(lacking.length, start + DETAILS_BATCH), total: lacking.length });
    }
  }

  /** Stored vectors of these unit texts (those the store holds), by text. */
  private async storedUnitVectors(texts: readonly string[]): Promise<Map<string, Float32Array>> {
    if (!this.store.unitVectors || texts.length === 0) return new Map();
    const hashes = texts.map((text) => embeddingKey(this.encoder.id, text));
    const found = await this.store.unitVectors(hashes);
    const out = new Map<string, Float32Array>();
    texts.forEach((text, i) => {
      const vector = found.get(hashes[i]!);
      if (vector) out.set(text, vector);
    });
    return out;
  }

  async index(paths: readonly string[], options: IndexOptions = {}): Promise<IndexReport> {
    const started = Date.now();
    const progress = options.onProgress;
    const read = await readKnowledge(paths, progress, options);
    let unchanged = 0;
    let lacking: string[] = [];
    const result = await this.planned(async () => {
      const current = new Map<string, KnowledgeDoc>();
      for await (const doc of this.allDocuments()) current.set(doc.id, doc);
      const plan = planIndex(current, read.next, read.refused);
      unchanged = plan.unchanged;
      const written = new Set([...plan.changed.map((doc) => doc.id), ...plan.removedIds]);
      lacking = [...current.values()].filter((doc) => doc.kind === 'ticket' && doc.answer && !written.has(doc.id) && !detailsHold(doc.answerDetails, doc.answer, doc.language)).map((doc) => doc.id);
      return { ...plan, kinds: new Set([...plan.changed.map((doc) => doc.kind), ...plan.removedIds.map((id) => current.get(id)?.kind)]), answerUnits: options.answerUnits !== false };
    }, progress);
    if (options.answerUnits !== false) await this.completeUnits(progress);
    await this.completeAnswerDetails(lacking, progress);
    const trained = await this.engine.retrain(options.train ?? [], result.kinds, progress);
    return {
      articles: read.articles,
      sections: read.sections,
      templates: read.templates,
      glossaries: read.glossaries,
      tickets: read.tickets,
      updated: result.changed.length,
      unchanged,
      removed: result.removedIds.length,
      embedded: result.embedded,
      reused: result.reused,
      errors: read.errors,
      trained,
      ...(read.drafts.length ? { drafts: read.drafts } : {}),
      tookMs: Date.now() - started,
    };
  }

  /**
   * Writes documents as they are (already parsed: another store's, when rebuilding one with a
   * new model), embedding each passage text this store has no vector for.
   */
  async putDocuments(docs: readonly KnowledgeDoc[], options: { onProgress?: (progress: IndexProgress) => void } = {}): Promise<ChangeReport> {
    const result = await this.planned(async () => ({ changed: docs, removedIds: [] as string[] }), options.onProgress, false);
    return { updated: result.changed.length, unchanged: docs.length - result.changed.length, removed: 0, embedded: result.embedded, reused: result.reused };
  }

  async addTickets(tickets: readonly Ticket[], options: IndexOptions = {}): Promise<ChangeReport> {
    const docs = tickets.map((ticket) => ticketDoc(ticket));
    // Replacing tickets by id does not depend on anything else: concurrent appends need no version check.
    const result = await this.planned(
      async () => {
        const existing = await this.store.getDocuments(docs.map((doc) => doc.id));
        return { changed: docs.filter((doc) => existing.get(doc.id)?.hash !== doc.hash), removedIds: [] as string[] };
      },
      options.onProgress,
      false,
    );
    if (result.changed.length) await this.engine.retrain(options.train ?? [], new Set(['ticket']), options.onProgress);
    return { updated: result.changed.length, unchanged: docs.length - result.changed.length, removed: 0, embedded: result.embedded, reused: result.reused };
  }

  async remove(ids: readonly string[]): Promise<number> {
    const result = await this.planned(
      async () => {
        const existing = await this.store.getDocuments(ids);
        return { changed: [] as KnowledgeDoc[], removedIds: ids.filter((id) => existing.has(id)) };
      },
      undefined,
      false,
    );
    return result.removedIds.length;
  }

  async putArticles(articles: readonly Article[], options: { prune?: boolean; onProgress?: (progress: IndexProgress) => void } = {}): Promise<ChangeReport & { articles: number; sections: number }> {
    // A draft is never published: said, not skipped in silence (publishing a folder skips drafts and reports them).
    const draft = articles.find((article) => article.draft === true);
    if (draft) throw new AnswerdeskError('ADK_ARTICLE_IS_DRAFT', { id: draft.id });
    // Without prune the plan reads only the given articles' sections.
    const readArticles = options.prune ? {} : { readArticles: articles.map((article) => article.id) };
    const result = await this.planned(async () => ({ ...planArticles(this.published(), articles, options.prune ?? false), ...readArticles }), options.onProgress);
    return {
      articles: articles.length,
      sections: result.next.size,
      updated: result.changed.length,
      unchanged: result.next.size - result.changed.length,
      removed: result.removedIds.length,
      embedded: result.embedded,
      reused: result.reused,
    };
  }

  async removeArticles(articleIds: readonly string[]): Promise<number> {
    const wanted = new Set(articleIds);
    const result = await this.planned(async () => ({
      changed: [] as KnowledgeDoc[],
      removedIds: [...this.articles.values()].filter((doc) => wanted.has(articleIdOf(doc))).map((doc) => doc.id),
      readArticles: [...wanted],
    }));
    return result.removedIds.length;
  }

  async publish(dir: string, options: PublishOptions = {}): Promise<PublishReport> {
    const started = Date.now();
    if (options.dryRun) {
      await this.refresh();
      const { plan, changed, errors } = await planDirectory(dir, this.published(), options);
      const hashes = [...new Set(changed.flatMap((doc) => passagesOf(doc, this.options.passages)).map((p) => embeddingKey(this.encoder.id, p.text)))];
      const known = await this.store.passageVectors(hashes);
      return { plan, dryRun: true, embedded: hashes.length - known.size, reused: known.size, errors, tookMs: Date.now() - started };
    }
    const result = await this.planned(() => planDirectory(dir, this.published(), options), options.onProgress);
    return { plan: result.plan, dryRun: false, embedded: result.embedded, reused: result.reused, errors: result.errors, tookMs: Date.now() - started };
  }

  // ---------------------------------------------------------------- categorizers

  /** Labeled texts for `field` from the tickets (and article sections, for `category`), each its first passage. */
  private async labeledExamples(field: string, articles = false): Promise<LabeledText[]> {
    const picked: Array<{ text: string; label: string; hash: string }> = [];
    for await (const doc of this.allDocuments()) {
      const label = doc.kind === 'ticket' ? (doc.labels?.[field] ?? (field === 'category' ? doc.category : undefined)) : articles && field === 'category' ? doc.category : undefined;
      const first = passagesOf(doc, this.options.passages)[0];
      if (label && first) picked.push({ text: first.text, label, hash: embeddingKey(this.encoder.id, first.text) });
    }
    // Agents' corrections teach the categorizer too: the latest one per message, since an admin's reset.
    if (this.options.learning?.enabled !== false) {
      const since = this.options.learning?.since ?? '';
      const latest = new Map<string, string>();
      for (const c of await this.routeCorrections()) if (c.field === field && c.at >= since) latest.set(c.text, c.label);
      for (const [text, label] of latest) picked.push({ text, label, hash: '' });
    }
    // A symmetric encoder's passage vector stands for the same text as a query: training embeds nothing.
    const vectors = this.encoder.symmetric ? await this.store.passageVectors([...new Set(picked.map((p) => p.hash))]) : new Map<string, Float32Array>();
    return picked.map(({ text, label, hash }) => (vectors.has(hash) ? { text, label, vector: vectors.get(hash)! } : { text, label }));
  }

  private async keepCategorizer(field: string, categorizer: Categorizer, origin: CategorizerOrigin): Promise<void> {
    const { json, weights } = categorizer.toFiles();
    const state = { json, weights: Buffer.from(weights).toString('base64') };
    await this.refresh();
    const before = this.version;
    const after = await this.tracked(this.store.putCategorizer(field, origin, state));
    if (after === before + 1) this.categorizerOnlyVersion = after;
    // The refresh below finds this state stored and keeps this object rather than parsing it again.
    this.categorizers = new Map(this.categorizers).set(field, { categorizer, origin, ...state });
    await this.refresh();
  }

  private categorizerEntries(): Array<{ field: string; categorizer: Categorizer; origin: CategorizerOrigin }> {
    return [...this.categorizers].map(([field, { categorizer, origin }]) => ({ field, categorizer, origin }));
  }

  private beforeRead(): Promise<void> {
    return this.refresh();
  }

  /** The stored word counts, or (a store that does not keep them, or has not yet) a count of every document, stored for next time. */
  private async vocabularyCounts(): Promise<Map<string, number>> {
    const stored = await this.store.vocabulary?.();
    if (stored) return stored;
    const version = this.version;
    const counts = await countVocabulary(this.allDocuments());
    await this.store.putVocabulary?.(counts, version);
    return counts;
  }

  /** What publish plans compare against: article sections, reply templates and glossaries, all published from markdown. */
  private published(): Map<string, KnowledgeDoc> {
    return new Map([...this.articles, ...this.templateDocs, ...this.glossaryDocs]);
  }

  private async publishedTexts(): Promise<Iterable<string>> {
    return [...[...this.articles.values()].map((doc) => doc.answer), ...this.templates.map((template) => template.body)];
  }

  private documentLanguages(): readonly string[] {
    return this.languageList;
  }

  /** Hits carry the documents they show; what they matched may be a ticket or translation not fetched yet. */
  private async hitLanguages(hits: readonly SearchHit[]): Promise<(id: string) => string | undefined> {
    const languages = new Map(hits.map((hit) => [hit.doc.id, hit.doc.language]));
    const matched = await this.store.getDocuments(hits.map((hit) => hit.matched).filter((id): id is string => id !== undefined && !this.articles.has(id)));
    return (id) => this.articles.get(id)?.language ?? matched.get(id)?.language ?? languages.get(id);
  }

  async train(options: TrainOptions = {}): Promise<CategorizerInfo> {
    return (await this.engine.trainField(options)).info;
  }

  // ---------------------------------------------------------------- feedback and checks

  async recordFeedback(input: FeedbackInput): Promise<Feedback> {
    const source = typeof input?.sourceId === 'string' ? await this.store.getDocument(input.sourceId) : undefined;
    const entry = checkFeedback(input, () => source !== undefined);
    await this.tracked(this.store.addFeedback(entry));
    this.engine.remember(entry);
    return entry;
  }

  /** Agents' verdicts on answers, oldest first (route corrections are kept in the same log: see routeCorrections). */
  async feedback(): Promise<Feedback[]> {
    return (await this.store.feedback<AgentRecord>()).filter((entry): entry is Feedback => !isRouteCorrection(entry));
  }

  /**
   * Record that a message belonged under another label of a field (queue, category…): similar
   * messages move to it at once, and the field's categorizer learns it when next trained.
   */
  async correctRoute(input: RouteCorrectionInput): Promise<RouteCorrection> {
    const entry = checkRouteCorrection(input);
    await this.tracked(this.store.addFeedback(entry));
    this.engine.remember(entry);
    return entry;
  }

  /** Log a suggestion given to an agent or a client (details masked), for knowledge gaps and article performance. `id`: the suggestionId feedback comes back with. */
  async recordQuestion(suggestion: Suggestion, options: { id?: string; via: AskedQuestion['via'] }): Promise<AskedQuestion> {
    const entry = askedQuestion(suggestion, options);
    await this.tracked(this.store.logQuestion(entry));
    return entry;
  }

  /** The questions logged at or after an ISO time (all when absent), oldest first. */
  askedQuestions(since?: string): Promise<AskedQuestion[]> {
    return this.store.questions<AskedQuestion>(since);
  }

  /** What customers ask that the knowledge base fails to answer, as topics, most asked first (see GapOptions). */
  async gaps(options: GapOptions = {}): Promise<KnowledgeGap[]> {
    checkGapOptions(options);
    const asked = await this.askedQuestions(options.since);
    const outcomes = questionOutcomes(asked, await this.feedback());
    return knowledgeGaps(
      outcomes,
      {
        embed: (texts) => this.encoder.embedQueries(texts),
        reads: (language) => readsLanguage(this.encoder.languages, language),
        nearest: async (question) => onePerArticle((await this.search(question, { k: 10, filter: { kind: 'article' } })).hits.map((hit) => hit.doc)).map((doc) => doc.source),
      },
      options,
    );
  }

  /** How each article section did: shown, sent, edited, rejected, picked, from the question log and feedback. */
  async performance(options: { since?: string } = {}): Promise<SectionPerformance[]> {
    const asked = await this.askedQuestions(options.since);
    const feedback = await this.feedback();
    const ids = new Set([...asked.flatMap((q) => q.answers.flatMap((a) => (a.sourceId ? [a.sourceId] : []))), ...feedback.map((f) => f.sourceId)]);
    const docs = await this.store.getDocuments([...ids]);
    return sectionPerformance(asked, feedback, (id) => docs.get(id)?.source, options.since);
  }

  /** Agents' route corrections, oldest first. */
  async routeCorrections(): Promise<RouteCorrection[]> {
    return (await this.store.feedback<AgentRecord>()).filter(isRouteCorrection);
  }

  /**
   * How many corrections of a field were recorded after its categorizer was trained: enough of them
   * call for retraining. 0 when the field has no categorizer learned from the knowledge base (one
   * trained from a file would be replaced by retraining).
   */
  async correctionsSinceTraining(field: string): Promise<number> {
    const kept = this.categorizers.get(field);
    if (kept?.origin !== 'knowledge-base') return 0;
    const trainedAt = kept.categorizer.info.trainedAt;
    const since = this.options.learning?.since ?? '';
    return (await this.routeCorrections()).filter((c) => c.field === field && c.at > trainedAt && c.at >= since).length;
  }

  async verify(): Promise<VerifyReport> {
    await this.refresh();
    const { problems } = await this.store.verify();
    for (const [field, { categorizer }] of this.categorizers) {
      try {
        categorizer.checkEncoder(this.encoder);
      } catch (error) {
        problems.push(`categorizer "${field}": ${reasonOf(error)}`);
      }
    }
    const feedback = (await this.store.feedback()).length;
    return {
      ok: problems.length === 0,
      store: this.location,
      engine: this.backend.engine,
      formatVersion: this.backend.formatVersion,
      snapshot: this.version,
      journal: { records: 0, bytes: 0, tornBytes: 0 },
      counts: {
        documents: this.counts.documents,
        sections: this.articles.size,
        articles: this.articleIds.length,
        tickets: this.counts.tickets,
        passages: this.counts.passages,
        vectors: this.counts.passages,
        lexical: this.counts.documents,
      },
      categorizers: this.categorizerFields,
      feedback,
      problems,
    };
  }

  // ---------------------------------------------------------------- answers


  private async rank(query: string, mode: SearchMode, k: number, filter: DocFilter | undefined, language: QueryLanguage, embedded?: Float32Array | Promise<Float32Array>, more: RankMore = {}): Promise<SearchHit[]> {
    const { sections, gloss } = more;
    if (this.counts.documents === 0) return [];
    const depth = Math.max(k * 4, 40);
    const vectorOnItsWay = mode === 'lexical' ? undefined : (embedded ?? this.encoder.embedQueries([query]).then((vectors) => vectors[0]!));
    // The word search starts first: it runs while an encoder on a worker thread embeds the question.
    const words = mode === 'vector' ? Promise.resolve([]) : this.store.searchLexicalTerms(query, language.code, depth, filter);
    words.catch(() => undefined);
    // A glossed question's words are searched in the gloss's language too: they are how it reaches untranslated articles.
    const glossWords = mode === 'vector' || !gloss ? Promise.resolve([]) : this.store.searchLexicalTerms(gloss.text, gloss.language, depth, filter);
    glossWords.catch(() => undefined);
    const queryVector = await vectorOnItsWay;
    const [vector, lexical, glossLexical] = await Promise.all([queryVector ? this.store.searchVectors(queryVector, depth, filter) : Promise.resolve([]), words, glossWords]);
    const weights = lexical.length > 0 ? await this.store.weighTerms(query, language.code) : [];
    const candidates: Candidates = {
      mode,
      language,
      vector,
      lexical,
      weights,
      ...(gloss && embedded !== undefined
        ? { gloss: { language: gloss.language, lexical: glossLexical, weights: glossLexical.length > 0 ? await this.store.weighTerms(gloss.text, gloss.language) : [] } }
        : {}),
    };
    // Fetch what ranking will look at: the candidates and, for sections, their translations (cached).
    const ids = fuseCandidates(candidates, this.options).map((hit) => hit.id);
    const docs = await this.store.getDocuments(ids.filter((id) => !this.articles.has(id)));
    const seenByVector = new Set(vector.map((hit) => hit.id));
    const byWordsOnly = [...new Set([...lexical, ...glossLexical].map((hit) => hit.id))].filter((id) => !seenByVector.has(id));
    const similarities = queryVector ? await this.store.similarities(byWordsOnly, queryVector) : new Map<string, number>();
    const doc = (id: string) => this.articles.get(id) ?? docs.get(id);
    const hits = rankHits(
      candidates,
      k,
      {
        doc,
        translations: this.translations,
        ...(isEmptyFilter(filter) ? {} : { accept: (id: string) => matchesFilter(doc(id)!, filter) }),
        similarity: (id) => similarities.get(id),
      },
      this.options,
    );
    // In a large history past tickets fill every place: the sections nearest the question are looked up on
    // their own (a few hundred rows, not the tickets) and take the places of the lowest-ranked tickets.
    const isSection = (hit: SearchHit) => hit.doc.kind === 'article';
    if (!sections || this.articles.size === 0 || (filter?.kind !== undefined && filter.kind !== 'article') || hits.filter(isSection).length >= Math.min(sections, k)) return hits;
    const seen = new Set(hits.map((hit) => hit.doc.id));
    const nearest = (await this.rank(query, mode, sections, { ...filter, kind: 'article' }, language, queryVector, gloss ? { gloss } : {})).filter((hit) => !seen.has(hit.doc.id));
    return reserveSections([...hits, ...nearest], k, sections, isSection).map((hit, i) => ({ ...hit, rank: i + 1 }));
  }

  /** Hits for documents ranking did not find (see `foundHit`); templates and ids the store lacks are left out. */
  private async hitsOf(ids: readonly string[], query: string, language: QueryLanguage, vector: Float32Array | undefined): Promise<SearchHit[]> {
    const fetched = await this.store.getDocuments(ids.filter((id) => !this.articles.has(id)));
    const docs = ids.map((id) => this.articles.get(id) ?? fetched.get(id)).filter((doc): doc is KnowledgeDoc => doc !== undefined && isAnswer(doc));
    if (!docs.length) return [];
    const [similarities, weights] = await Promise.all([
      vector?.length ? this.store.similarities(docs.map((doc) => doc.id), vector) : Promise.resolve(new Map<string, number>()),
      this.store.weighTerms(query, language.code),
    ]);
    return docs.map((doc) => foundHit(doc, similarities.get(doc.id), weights));
  }

  /** Close the store (and what its opener asked to close with it) and the encoder. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.writes]);
    await this.refreshing?.catch(() => undefined);
    try {
      await this.store.close?.();
      await this.backend.afterClose?.();
    } finally {
      await this.encoder.close();
    }
  }
}
