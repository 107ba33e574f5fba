import type { ReplyTemplate } from '@answerdesk/reply';
import path from 'node:path';
import { EmbeddingCache, UseLiteEncoder, embeddingKey, type Encoder } from '@answerdesk/embeddings';
import { LexicalIndex, VectorIndex, isEmptyFilter, matchesFilter, type LexicalIndexState, type VectorIndexState } from '@answerdesk/index';
import type { RuleSet } from '@answerdesk/routing';
import { FORMAT_VERSION, Journal, SnapshotStore, WriteAheadLog, WriterLock, walName, type SaveOptions } from '@answerdesk/store';
import { readFile } from 'node:fs/promises';
import { Categorizer, type CategorizerInfo, type CategorizerOptions, type LabeledText, type PriorityCue, type TrainProgress } from '@answerdesk/triage';
import {
  AnswerdeskError,
  reasonOf,
  type Article,
  type DocFilter,
  type Feedback,
  type FeedbackInput,
  type KnowledgeDoc,
  type PassageRecord,
  type QueryLanguage,
  type SearchHit,
  type SearchMode,
  type Ticket,
} from '@answerdesk/types';
import { USE_LITE_THRESHOLDS, type Thresholds } from './confidence.js';
import { articleIdOf, isPublished, lexicalOf, passagesOf, publishedTexts, templatesOf, ticketDoc, type Passage, type PassageOptions } from './docs.js';
import { checkFeedback } from './feedback.js';
import { type PublishReport } from './publish.js';
import { planArticles, planDirectory, planIndex, readKnowledge, type ReadLimits } from './plans.js';
import { checkFieldName } from './triage.js';
import { translationIndex, type TranslationIndex } from './translations.js';
import { checkAnsweringOptions, rankHits } from './answering.js';
import type { KnowledgeService, KnowledgeStats } from './service.js';
import { AnswerEngine, type CategorizerOrigin } from './engine.js';
import { countVocabulary } from './vocabulary.js';
import type {
  ChangeReport,
  IndexOptions,
  IndexProgress,
  IndexReport,
  KnowledgeBaseOptions,
  PublishOptions,
  TrainOptions,
  VerifyReport,
} from './types.js';


/** The old file format's own settings (`FileKnowledgeBase`). */
export interface FileKnowledgeBaseOptions extends KnowledgeBaseOptions {
  /** Documents per lexical segment. Default 5000. */
  segmentSize?: number;
  /** Fold the write-ahead log into a new snapshot once it is this big. Default 64 MiB. */
  journalLimit?: number;
}

/** One acknowledged change as written to the write-ahead log; the passages' vectors follow it as float32s. */
interface WalChange {
  model: string;
  dimension: number;
  docs: KnowledgeDoc[];
  passages: Array<{ key: string; docId: string; text: string }>;
  removed: string[];
}

/** Changes bigger than this go straight into a new snapshot rather than the log. */
const WAL_MAX_RECORD = 32 * 1024 * 1024;



/** A passage with the cache key of its vector, hashed once when it is embedded. */
type StoredPassage = Passage & { vectorKey: string };

/** A categorizer and where its examples came from: the knowledge base's own tickets are retrained on index; a file's are kept. */
interface StoredCategorizer {
  categorizer: Categorizer;
  origin: 'knowledge-base' | 'examples';
}

const SAVE_NAMES = { categorizers: 'categorizers.json', docs: 'docs.jsonl', passages: 'passages.json', vectors: 'vectors.f32', graph: 'vectors.hnsw', vectorState: 'vector-state.json', lexical: 'lexical.json' };

/**
 * A store folder in the old file format (format 2: JSON snapshots, a write-ahead log and lunr
 * segments of our own, one writer process at a time). Kept to convert such folders to SQLite
 * (`openStoreFolder` does it on open, through `exportRecords`); `KnowledgeBase` is the default.
 * @deprecated Open store folders with `KnowledgeBase.open` (SQLite); this class goes in a later version.
 */
export class FileKnowledgeBase extends AnswerEngine implements KnowledgeService {
  readonly storeDir: string;
  readonly encoder: Encoder;
  protected readonly options: FileKnowledgeBaseOptions;
  protected readonly thresholds: Thresholds;
  private readonly store: SnapshotStore;
  private docs = new Map<string, KnowledgeDoc>();
  private passages = new Map<string, StoredPassage[]>();
  private readonly passageDoc = new Map<string, string>();
  private cache = new EmbeddingCache();
  private vectors?: VectorIndex;
  private lexical: LexicalIndex;
  private categorizers = new Map<string, StoredCategorizer>();
  private readonly feedbackLog: Journal<Feedback>;
  private readonly wal: WriteAheadLog<WalChange>;
  /** Sequence of the snapshot the log applies to (0: no snapshot yet). */
  private base = 0;
  private walBytes = 0;
  private walRecords = 0;
  private tornBytes = 0;
  /** Format version of the store as found on disk, when it was older and has been migrated. */
  private migratedFrom?: number;
  /** Taken before the first write, held until close: one process writes a store at a time. */
  private readonly lock: WriterLock;
  /** What the store on disk looked like when this instance last read it, to notice another writer's changes. */
  private loadedMark = '';
  /** The tail of the write chain: writes run one at a time, reads never wait for them. */
  private writing: Promise<unknown> = Promise.resolve();
  /** Translation families of the current documents, built when first needed after a change. */
  private translations?: TranslationIndex;
  private knownLanguages?: string[];
  /** Counts changes to the documents, so what is derived from them (spellers) is rebuilt. */
  private changes = 0;

  private constructor(options: FileKnowledgeBaseOptions) {
    super();
    this.options = options;
    this.storeDir = path.resolve(options.store ?? '.answerdesk');
    this.encoder = options.encoder ?? new UseLiteEncoder();
    this.thresholds = options.thresholds ?? USE_LITE_THRESHOLDS;
    checkAnsweringOptions({ ...options, thresholds: this.thresholds });
    this.store = new SnapshotStore(this.storeDir);
    this.feedbackLog = new Journal<Feedback>(path.join(this.storeDir, 'feedback.jsonl'));
    this.wal = new WriteAheadLog<WalChange>(this.storeDir);
    this.lock = new WriterLock(this.storeDir);
    this.lexical = new LexicalIndex({ segmentSize: options.segmentSize });
  }

  /** Open the store (loading its snapshot if there is one) and the encoder. */
  static async open(options: FileKnowledgeBaseOptions = {}): Promise<FileKnowledgeBase> {
    const kb = new FileKnowledgeBase(options);
    await kb.encoder.load();
    await kb.load();
    // An older store is rewritten in this version's format once, atomically, as it opens.
    if (kb.migratedFrom !== undefined) await kb.exclusive(() => kb.persist());
    return kb;
  }

  /**
   * Rebuild a store with `options.encoder` (default USE-lite) from the
   * documents it holds, whatever model built it: every passage is embedded
   * again. Categorizers learned from the knowledge base are retrained; ones
   * trained from a file are dropped (train them again). Resolves with the open
   * knowledge base and what was done.
   */
  static async reindex(options: FileKnowledgeBaseOptions & { onProgress?: (progress: IndexProgress) => void } = {}): Promise<{ knowledgeBase: FileKnowledgeBase; documents: number; embedded: number; previousModel: string; retrained: string[]; dropped: string[] }> {
    const kb = new FileKnowledgeBase(options);
    await kb.encoder.load();
    const { docs, categorizers, model } = await kb.readDocuments();
    if (docs.size === 0 && model === undefined) throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir: kb.storeDir });
    await kb.lock.acquire();
    const { embedded } = await kb.apply([...docs.values()], [], options.onProgress);
    const retrained: string[] = [];
    const dropped: string[] = [];
    for (const { field, origin } of categorizers) {
      const examples = origin === 'knowledge-base' ? kb.labeledExamples(field, field === 'category') : [];
      if (new Set(examples.map((e) => e.label)).size < 2) {
        dropped.push(field);
        continue;
      }
      await kb.fit(field, examples, {}, 'knowledge-base');
      retrained.push(field);
    }
    await kb.persist();
    return { knowledgeBase: kb, documents: docs.size, embedded, previousModel: model ?? kb.encoder.id, retrained, dropped };
  }

  /** The documents a store holds (snapshot and log), without their vectors, whatever model made them. */
  private async readDocuments(): Promise<{ docs: Map<string, KnowledgeDoc>; categorizers: Array<{ field: string; origin: StoredCategorizer['origin'] }>; model?: string }> {
    const docs = new Map<string, KnowledgeDoc>();
    let categorizers: Array<{ field: string; origin: StoredCategorizer['origin'] }> = [];
    let model: string | undefined;
    let base = 0;
    try {
      if (await this.store.exists()) {
        const snapshot = await this.store.load();
        model = snapshot.manifest.modelId;
        base = snapshot.manifest.sequence;
        for (const line of (await snapshot.readText(SAVE_NAMES.docs)).split('\n')) {
          if (line.trim() === '') continue;
          const doc = JSON.parse(line) as KnowledgeDoc;
          docs.set(doc.id, doc);
        }
        if (snapshot.manifest.files[SAVE_NAMES.categorizers]) categorizers = JSON.parse(await snapshot.readText(SAVE_NAMES.categorizers));
      }
    } catch (error) {
      if (error instanceof AnswerdeskError) throw error;
      throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.storeDir, reason: reasonOf(error) }, { cause: error });
    }
    for (const { header } of (await this.wal.read(base)).records) {
      model ??= header.model;
      for (const id of header.removed) docs.delete(id);
      for (const doc of header.docs) docs.set(doc.id, doc);
    }
    return { docs, categorizers, ...(model ? { model } : {}) };
  }

  /** Open an existing store; fails with ADK_STORE_NOT_FOUND when there is none. */
  static async openExisting(options: FileKnowledgeBaseOptions = {}): Promise<FileKnowledgeBase> {
    const store = new SnapshotStore(path.resolve(options.store ?? '.answerdesk'));
    const logged = (await new WriteAheadLog(store.dir).size(0)) > 0;
    if (!(await store.exists()) && !logged) throw new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir: store.dir });
    return FileKnowledgeBase.open(options);
  }

  get stats(): KnowledgeStats {
    let articles = 0;
    let tickets = 0;
    for (const doc of this.docs.values()) {
      if (doc.kind === 'article') articles++;
      else if (doc.kind === 'ticket') tickets++;
    }
    return {
      documents: this.docs.size,
      articles,
      tickets,
      templates: this.docs.size - articles - tickets,
      passages: this.passageDoc.size,
      segments: this.lexical.segmentCount,
      model: this.encoder.id,
    };
  }

  getDocument(id: string): KnowledgeDoc | undefined {
    return this.docs.get(id);
  }

  /** One document by id (the `KnowledgeService` form of `getDocument`). */
  async document(id: string): Promise<KnowledgeDoc | undefined> {
    return this.docs.get(id);
  }

  /** The store folder. */
  get location(): string {
    return this.storeDir;
  }

  /**
   * Read the store again if another process wrote it since this instance read it (a reader
   * beside the writing service). Writes of this instance are never lost: it waits for them first.
   */
  async refresh(): Promise<void> {
    await this.writing;
    if (this.lock.isHeld) return;
    if ((await this.diskMark()) !== this.loadedMark) await this.reload();
  }

  // ---------------------------------------------------------------- indexing

  /**
   * Make the knowledge base hold exactly what `paths` contain: folders of
   * markdown articles and ticket files (.jsonl, .csv), or single files.
   * Unchanged documents keep their vectors; nothing is embedded twice.
   */
  index(paths: readonly string[], options: IndexOptions = {}): Promise<IndexReport> {
    return this.exclusive(() => this.indexNow(paths, options));
  }

  private async indexNow(paths: readonly string[], options: IndexOptions): Promise<IndexReport> {
    const started = Date.now();
    const progress = options.onProgress;
    const { next, errors, refused, articles, sections, templates, tickets } = await readKnowledge(paths, progress, options);
    const { changed, unchanged, removedIds } = planIndex(this.docs, next, refused);
    const kindsChanged = new Set([...changed.map((doc) => doc.kind), ...removedIds.map((id) => this.docs.get(id)?.kind)]);
    const { embedded, reused } = await this.apply(changed, removedIds, progress);
    try {
      const trained = await this.retrain(options.train ?? [], kindsChanged, progress);
      if (options.save ?? true) {
        progress?.({ phase: 'save', done: 0, total: 1 });
        await this.persist();
        progress?.({ phase: 'save', done: 1, total: 1 });
      }
      return { articles, sections, templates, tickets, updated: changed.length, unchanged, removed: removedIds.length, embedded, reused, errors, trained, tookMs: Date.now() - started };
    } catch (error) {
      // Nothing half-saved is ever served: memory goes back to what is on disk.
      if (options.save ?? true) await this.reload();
      throw error;
    }
  }

  /**
   * Add resolved tickets (or replace those with the same id) without touching
   * anything else. Tickets must be validated (see @answerdesk/tickets).
   */
  addTickets(tickets: readonly Ticket[], options: IndexOptions = {}): Promise<ChangeReport> {
    return this.exclusive(async () => {
      const docs = tickets.map((ticket) => ticketDoc(ticket));
      const changed = docs.filter((doc) => this.docs.get(doc.id)?.hash !== doc.hash);
      const result = await this.write(changed, [], options);
      // `train` (IndexOptions): the knowledge base's own categorizers follow changed tickets, as after index.
      const trained = changed.length ? await this.retrain(options.train ?? [], new Set(['ticket']), options.onProgress) : [];
      if (trained.length && (options.save ?? true)) await this.persistOrRollBack();
      return { updated: changed.length, unchanged: docs.length - changed.length, removed: 0, ...result };
    });
  }

  /** Remove documents (ticket ids or section ids); returns how many existed. */
  remove(ids: readonly string[], options: { save?: boolean } = {}): Promise<number> {
    return this.exclusive(async () => {
      const existing = ids.filter((id) => this.docs.has(id));
      if (existing.length) await this.write([], existing, options);
      return existing.length;
    });
  }

  /**
   * Add or replace whole articles (parsed with @answerdesk/markdown): a
   * replaced article's sections that are gone are removed, unchanged ones keep
   * their vectors. With `prune`, articles not given are removed too, so the
   * knowledge base then holds exactly these articles (tickets are untouched).
   */
  putArticles(articles: readonly Article[], options: { prune?: boolean; save?: boolean; onProgress?: (progress: IndexProgress) => void } = {}): Promise<ChangeReport & { articles: number; sections: number }> {
    return this.exclusive(async () => {
      const { next, changed, removedIds } = planArticles(this.docs, articles, options.prune ?? false);
      const result = await this.write(changed, removedIds, options);
      return { articles: articles.length, sections: next.size, updated: changed.length, unchanged: next.size - changed.length, removed: removedIds.length, ...result };
    });
  }

  /** Remove whole articles (all their sections); returns how many sections existed. */
  removeArticles(articleIds: readonly string[], options: { save?: boolean } = {}): Promise<number> {
    return this.exclusive(async () => {
      const wanted = new Set(articleIds);
      const ids = [...this.docs.values()].filter((doc) => isPublished(doc) && wanted.has(articleIdOf(doc))).map((doc) => doc.id);
      if (ids.length) await this.write([], ids, options);
      return ids.length;
    });
  }

  /**
   * Make the articles under `dir` current: new and changed sections are
   * embedded, sections and articles whose files are gone are deleted, and
   * unchanged ones cost nothing. Only articles from `dir` are touched (tickets
   * and other folders' articles stay); a file that cannot be parsed is reported
   * and its article left as it was. With `git`, only the files changed between
   * two revisions are read.
   */
  publish(dir: string, options: PublishOptions = {}): Promise<PublishReport> {
    return this.exclusive(async () => {
      const started = Date.now();
      const { plan, changed, removedIds, errors } = await planDirectory(dir, this.docs, options);
      if (options.dryRun) {
        const keys = new Set(changed.flatMap((doc) => passagesOf(doc, this.options.passages)).map((p) => embeddingKey(this.encoder.id, p.text)));
        const embedded = [...keys].filter((key) => !this.cache.get(key)).length;
        return { plan, dryRun: true, embedded, reused: keys.size - embedded, errors, tookMs: Date.now() - started };
      }
      const result = changed.length || removedIds.length ? await this.write(changed, removedIds, options) : { embedded: 0, reused: 0 };
      return { plan, dryRun: false, ...result, errors, tookMs: Date.now() - started };
    });
  }

  /**
   * Check that every side of the index agrees (documents, passages, vectors,
   * lexical entries, categorizers, the journals), as `answerdesk doctor` does.
   * Checksums were verified when the store was opened.
   */
  async verify(): Promise<VerifyReport> {
    const problems: string[] = [];
    const vectors = this.vectors;
    let sections = 0;
    for (const [id, doc] of this.docs) {
      if (doc.kind === 'article') sections++;
      if (doc.id !== id) problems.push(`document ${id} is stored under another id (${doc.id})`);
      const passages = this.passages.get(id) ?? [];
      // Reply templates are stored, never searched: they have no passages.
      if (passages.length === 0 && doc.kind !== 'template') problems.push(`document ${id} has no embedded passage`);
      for (const passage of passages) {
        if (this.passageDoc.get(passage.key) !== id) problems.push(`passage ${passage.key} does not point back to ${id}`);
        const vector = vectors?.vector(passage.key);
        if (!vector) problems.push(`passage ${passage.key} of ${id} has no vector`);
        else if (vector.length !== this.encoder.dimension || vector.some((v) => !Number.isFinite(v))) problems.push(`passage ${passage.key} of ${id} has a damaged vector`);
      }
      if (!this.lexical.has(id)) problems.push(`document ${id} is missing from the lexical index`);
    }
    for (const [key, docId] of this.passageDoc) if (!this.docs.has(docId)) problems.push(`passage ${key} belongs to a missing document ${docId}`);
    const vectorCount = vectors?.size ?? 0;
    if (vectorCount !== this.passageDoc.size) problems.push(`${vectorCount} vectors for ${this.passageDoc.size} passages`);
    if (this.lexical.size !== this.docs.size) problems.push(`${this.lexical.size} lexical entries for ${this.docs.size} documents`);
    for (const [field, { categorizer }] of this.categorizers) {
      try {
        categorizer.checkEncoder(this.encoder);
      } catch (error) {
        problems.push(`categorizer "${field}": ${reasonOf(error)}`);
      }
    }
    let feedback = 0;
    try {
      feedback = (await this.feedbackLog.read()).length;
    } catch (error) {
      problems.push(reasonOf(error));
    }
    const stats = this.stats;
    return {
      ok: problems.length === 0,
      store: this.storeDir,
      engine: 'files',
      formatVersion: FORMAT_VERSION,
      snapshot: this.base,
      journal: { records: this.walRecords, bytes: this.walBytes, tornBytes: this.tornBytes },
      counts: { documents: this.docs.size, sections, articles: this.articleIds.length, tickets: stats.tickets, passages: this.passageDoc.size, vectors: vectorCount, lexical: this.lexical.size },
      categorizers: this.categorizerFields,
      feedback,
      problems,
    };
  }

  /** Ids of the articles in the knowledge base, sorted. */
  get articleIds(): string[] {
    const ids = new Set<string>();
    for (const doc of this.docs.values()) if (doc.kind === 'article') ids.add(articleIdOf(doc));
    return [...ids].sort();
  }

  /** Categories of the documents in the knowledge base, sorted. */
  get categories(): string[] {
    const found = new Set<string>();
    for (const doc of this.docs.values()) if (doc.category) found.add(doc.category);
    return [...found].sort();
  }

  /**
   * Record an agent's verdict on a suggestion, durably (fsynced before this
   * resolves), for later learning. Returns the stored entry.
   */
  async recordFeedback(input: FeedbackInput): Promise<Feedback> {
    const entry = checkFeedback(input, (id) => this.docs.has(id));
    await this.feedbackLog.append([entry]);
    return entry;
  }

  /** Every recorded feedback entry, oldest first. */
  feedback(): Promise<Feedback[]> {
    return this.feedbackLog.read();
  }

  /**
   * Everything this store holds, as the records of a `KnowledgeStore`: what converting a
   * format-2 store folder to SQLite copies. Vectors are the stored ones (nothing is embedded).
   */
  async exportRecords(): Promise<{ model: string; dimension: number; docs: KnowledgeDoc[]; passages: PassageRecord[]; categorizers: Array<{ field: string; origin: CategorizerOrigin; state: { json: string; weights: string } }>; feedback: Feedback[] }> {
    const vectors = this.ensureVectors();
    const passages: PassageRecord[] = [];
    for (const list of this.passages.values()) {
      for (const passage of list) {
        const vector = this.cache.get(passage.vectorKey) ?? vectors.vector(passage.key);
        if (!vector) throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.storeDir, reason: `passage ${passage.key} has no vector` });
        passages.push({ key: passage.key, docId: passage.docId, text: passage.text, textHash: passage.vectorKey, vector: Float32Array.from(vector) });
      }
    }
    const categorizers = [...this.categorizers].map(([field, { categorizer, origin }]) => {
      const { json, weights } = categorizer.toFiles();
      return { field, origin, state: { json, weights: Buffer.from(weights).toString('base64') } };
    });
    return { model: this.encoder.id, dimension: vectors.dimension, docs: [...this.docs.values()], passages, categorizers, feedback: await this.feedback() };
  }

  /** Run a write after the writes before it; a failed write does not block the next. */
  private exclusive<T>(write: () => Promise<T>): Promise<T> {
    const run = this.writing.then(async () => {
      await this.becomeWriter();
      return write();
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /**
   * Add or replace documents and remove ids, embedding only text the cache has
   * not seen. With `log`, the change is first appended to the write-ahead log
   * (fsynced), so it is durable before memory changes; a change too big for the
   * log is applied and reported with `snapshot: true`, and the caller saves.
   */
  private async apply(changed: readonly KnowledgeDoc[], removedIds: readonly string[], progress?: (p: IndexProgress) => void, log = false): Promise<{ embedded: number; reused: number; snapshot: boolean }> {
    const newPassages = changed.map((doc) => passagesOf(doc, this.options.passages));
    const flat = newPassages.flat();
    const result = await this.cache.embedPassages(this.encoder, flat.map((p) => p.text), {
      onProgress: (p) => progress?.({ phase: 'embed', done: p.done, total: p.total }),
    });
    progress?.({ phase: 'embed', done: flat.length, total: flat.length });
    const change: WalChange = {
      model: this.encoder.id,
      dimension: this.encoder.dimension,
      docs: [...changed],
      passages: flat.map((p) => ({ key: p.key, docId: p.docId, text: p.text })),
      removed: [...removedIds],
    };
    const snapshot = log && flat.length * this.encoder.dimension * 4 > WAL_MAX_RECORD;
    if (log && !snapshot && (changed.length > 0 || removedIds.length > 0)) {
      const payload = new Float32Array(flat.length * this.encoder.dimension);
      result.vectors.forEach((vector, i) => payload.set(vector, i * this.encoder.dimension));
      this.walBytes += await this.wal.append(this.base, change, new Uint8Array(payload.buffer));
      this.walRecords++;
    }
    this.commit(change, result.vectors, result.keys, progress);
    return { embedded: result.embedded, reused: result.reused, snapshot };
  }

  /** Put a change into the in-memory index: synchronous, so a read sees it whole or not at all. */
  private commit(change: WalChange, vectors: readonly Float32Array[], vectorKeys: readonly string[], progress?: (p: IndexProgress) => void): void {
    const index = this.ensureVectors();
    this.translations = undefined;
    this.knownLanguages = undefined;
    this.changes++;
    for (const id of change.removed) this.removeDoc(id, index);
    const byDoc = new Map<string, Array<{ key: string; docId: string; text: string; at: number }>>();
    change.passages.forEach((passage, at) => {
      const list = byDoc.get(passage.docId) ?? [];
      list.push({ ...passage, at });
      byDoc.set(passage.docId, list);
    });
    change.docs.forEach((doc, i) => {
      this.removeDoc(doc.id, index);
      const passages: StoredPassage[] = (byDoc.get(doc.id) ?? []).map(({ key, docId, text, at }) => {
        index.upsert(key, vectors[at]!);
        this.cache.set(vectorKeys[at]!, vectors[at]!);
        this.passageDoc.set(key, docId);
        return { key, docId, text, vectorKey: vectorKeys[at]! };
      });
      this.passages.set(doc.id, passages);
      this.docs.set(doc.id, doc);
      if (i % 500 === 0) progress?.({ phase: 'index', done: i, total: change.docs.length });
    });
    this.lexical.upsert(change.docs.map(lexicalOf));
    this.lexical.compact((id) => {
      const doc = this.docs.get(id);
      return doc ? lexicalOf(doc) : undefined;
    });
    progress?.({ phase: 'index', done: change.docs.length, total: change.docs.length });
    this.cache.retain([...this.passages.values()].flat().map((p) => p.vectorKey));
  }

  /** After a logged write: fold the log into a new snapshot once it is big. The write is already durable, so a failed fold only leaves the log longer. */
  private async compactIfDue(): Promise<void> {
    if (this.walBytes < (this.options.journalLimit ?? 64 * 1024 * 1024)) return;
    await this.persist().catch(() => undefined);
  }

  /**
   * A durable write: logged before memory changes, or, when too big for the log,
   * applied and saved as a snapshot; if that save fails, memory goes back to
   * what is on disk, so nothing unsaved is ever served.
   */
  private async write(changed: readonly KnowledgeDoc[], removedIds: readonly string[], options: { save?: boolean; onProgress?: (p: IndexProgress) => void }): Promise<{ embedded: number; reused: number }> {
    const durable = options.save ?? true;
    const result = await this.apply(changed, removedIds, options.onProgress, durable);
    if (!durable) return { embedded: result.embedded, reused: result.reused };
    if (result.snapshot) await this.persistOrRollBack();
    else await this.compactIfDue();
    return { embedded: result.embedded, reused: result.reused };
  }

  private async persistOrRollBack(): Promise<void> {
    try {
      await this.persist();
    } catch (error) {
      await this.reload();
      throw error;
    }
  }

  /** Drop the in-memory state and read the store again (after a failed save). */
  private async reload(): Promise<void> {
    this.docs = new Map();
    this.passages = new Map();
    this.passageDoc.clear();
    this.cache = new EmbeddingCache();
    this.vectors = undefined;
    this.lexical = new LexicalIndex({ segmentSize: this.options.segmentSize });
    this.categorizers = new Map();
    this.translations = undefined;
    this.knownLanguages = undefined;
    this.changes++;
    await this.load();
  }

  private removeDoc(id: string, vectors: VectorIndex): void {
    for (const passage of this.passages.get(id) ?? []) {
      vectors.remove(passage.key);
      this.passageDoc.delete(passage.key);
    }
    this.passages.delete(id);
    this.lexical.remove(id);
    this.docs.delete(id);
  }

  private ensureVectors(): VectorIndex {
    this.vectors ??= new VectorIndex({ dimension: this.encoder.dimension });
    return this.vectors;
  }

  // ---------------------------------------------------------------- categorizers

  /**
   * Labeled texts for `field` from the indexed tickets, and from article
   * sections when asked (each carries its article's category). Each is
   * learned from its first passage: a ticket's opening customer words, a
   * section's title, heading and opening words. With a symmetric encoder the
   * stored passage vectors are reused, so training embeds nothing.
   */
  labeledExamples(field: string, articles = false): LabeledText[] {
    const examples: LabeledText[] = [];
    for (const doc of this.docs.values()) {
      const label = doc.kind === 'ticket' ? (doc.labels?.[field] ?? (field === 'category' ? doc.category : undefined)) : articles && field === 'category' ? doc.category : undefined;
      const first = this.passages.get(doc.id)?.[0];
      if (!label || !first) continue;
      const vector = this.encoder.symmetric ? this.cache.get(first.vectorKey) : undefined;
      examples.push(vector ? { text: first.text, label, vector } : { text: first.text, label });
    }
    return examples;
  }

  /**
   * Train (or retrain) the categorizer of a label field and keep it in the
   * store. Examples default to the indexed tickets' labels; for `category`,
   * article sections count too.
   */
  train(options: TrainOptions = {}): Promise<CategorizerInfo> {
    return this.exclusive(() => this.trainNow(options));
  }

  private async trainNow(options: TrainOptions): Promise<CategorizerInfo> {
    const categorizer = await this.trainField(options);
    if (options.save ?? true) await this.persist();
    return categorizer.info;
  }

  protected async keepCategorizer(field: string, categorizer: Categorizer, origin: CategorizerOrigin): Promise<void> {
    this.categorizers.set(field, { categorizer, origin });
  }

  protected categorizerEntries(): Array<{ field: string; categorizer: Categorizer; origin: CategorizerOrigin }> {
    return [...this.categorizers].map(([field, { categorizer, origin }]) => ({ field, categorizer, origin }));
  }

  /** This process is the store's only writer while it writes; a reader catches up with `refresh()`. */
  protected async beforeRead(): Promise<void> {}

  protected async hitLanguages(): Promise<(id: string) => string | undefined> {
    return (id) => this.docs.get(id)?.language;
  }

  // ---------------------------------------------------------------- search

  /** Languages of the documents, recomputed after a change (with the translation families). */
  protected async vocabularyCounts(): Promise<Map<string, number>> {
    return countVocabulary(this.docs.values());
  }

  protected async publishedTexts(): Promise<Iterable<string>> {
    return publishedTexts(this.docs.values());
  }

  protected knowledgeVersion(): number {
    return this.changes;
  }

  protected async replyTemplates(): Promise<ReplyTemplate[]> {
    return templatesOf(this.docs.values());
  }

  protected documentLanguages(): string[] {
    this.knownLanguages ??= [...new Set([...this.docs.values()].map((doc) => doc.language))];
    return this.knownLanguages;
  }


  private translationIndex(): TranslationIndex {
    this.translations ??= translationIndex(this.docs.values());
    return this.translations;
  }

  /** `embedded`: the query's vector when the caller already has it (triage embeds once for categorizers and suggestion). */
  protected async rank(query: string, mode: SearchMode, k: number, filter: DocFilter | undefined, language: QueryLanguage, embedded?: Float32Array): Promise<SearchHit[]> {
    if (this.docs.size === 0) return [];
    const acceptDoc = isEmptyFilter(filter) ? undefined : (id: string) => {
      const doc = this.docs.get(id);
      return doc !== undefined && matchesFilter(doc, filter);
    };
    // Look deeper than k so fusion has candidates from both sides.
    const depth = Math.max(k * 4, 40);
    const queryVector = mode === 'lexical' ? undefined : (embedded ?? (await this.encoder.embedQueries([query]))[0]!);

    const vectorRanked: Array<{ id: string; score: number }> = [];
    if (queryVector && this.vectors) {
      const acceptPassage = acceptDoc ? (key: string) => acceptDoc(this.passageDoc.get(key) ?? '') : undefined;
      const best = new Map<string, number>();
      for (const hit of this.vectors.search(queryVector, depth * 2, acceptPassage)) {
        const docId = this.passageDoc.get(hit.key)!;
        if (!best.has(docId)) best.set(docId, hit.similarity);
      }
      for (const [id, score] of best) vectorRanked.push({ id, score });
      vectorRanked.sort((a, b) => b.score - a.score);
    }
    const lexical = mode === 'vector' ? { hits: [], weights: [] } : this.lexical.searchWeighted(query, depth, { accept: acceptDoc, language: language.code });
    const candidates = { mode, language, vector: vectorRanked, lexical: lexical.hits, weights: lexical.weights };
    return rankHits(
      candidates,
      k,
      {
        doc: (id) => this.docs.get(id),
        translations: this.translationIndex(),
        ...(acceptDoc ? { accept: acceptDoc } : {}),
        ...(queryVector ? { similarity: (id: string) => this.similarityTo(id, queryVector) } : {}),
      },
      this.options,
    );
  }

  private similarityTo(docId: string, queryVector: Float32Array): number | undefined {
    let best: number | undefined;
    for (const passage of this.passages.get(docId) ?? []) {
      const v = this.vectors?.vector(passage.key);
      if (!v) continue;
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i]! * queryVector[i]!;
      if (best === undefined || dot > best) best = dot;
    }
    return best;
  }

  // ---------------------------------------------------------------- persistence

  /** Save everything as a new snapshot; a crash mid-save leaves the previous one readable. */
  save(options: SaveOptions = {}): Promise<void> {
    return this.exclusive(() => this.persist(options));
  }

  private async persist(options: SaveOptions = {}): Promise<void> {
    const vectors = this.ensureVectors();
    const keys: Array<{ key: string; doc: string; text: string }> = [];
    const buffer = new Float32Array(this.passageDoc.size * vectors.dimension);
    let row = 0;
    for (const passages of this.passages.values()) {
      for (const passage of passages) {
        const vector = this.cache.get(passage.vectorKey) ?? vectors.vector(passage.key)!;
        buffer.set(vector, row * vectors.dimension);
        keys.push({ key: passage.key, doc: passage.docId, text: passage.text });
        row++;
      }
    }
    const docsJsonl = [...this.docs.values()].map((doc) => JSON.stringify(doc)).join('\n');
    await this.store.save(
      { modelId: this.encoder.id, dimension: vectors.dimension, counts: { documents: this.docs.size, passages: keys.length, segments: this.lexical.segmentCount } },
      [
        { name: SAVE_NAMES.docs, data: docsJsonl },
        { name: SAVE_NAMES.passages, data: JSON.stringify(keys) },
        { name: SAVE_NAMES.vectors, data: new Uint8Array(buffer.buffer) },
        { name: SAVE_NAMES.graph, write: (file) => void vectors.writeGraph(file) },
        { name: SAVE_NAMES.vectorState, data: JSON.stringify(vectors.state()) },
        { name: SAVE_NAMES.lexical, data: JSON.stringify(this.lexical.state()) },
        ...this.categorizerFiles(),
      ],
      options,
    ).then(
      (manifest) => this.snapshotCommitted(manifest.sequence),
      async (error: unknown) => {
        // A save can fail after its commit point (CURRENT already names the new snapshot):
        // then the new snapshot is the base, or later writes would go to a log nobody reads.
        const current = await readFile(path.join(this.storeDir, 'CURRENT'), 'utf8').then((text) => Number(/^snap-(\d{8})$/.exec(text.trim())?.[1] ?? 0), () => 0);
        if (current > this.base) return this.snapshotCommitted(current);
        throw error;
      },
    );
  }

  /** The new snapshot holds everything the log held: later changes go to its own log. */
  private async snapshotCommitted(sequence: number): Promise<void> {
    this.base = sequence;
    this.walBytes = 0;
    this.walRecords = 0;
    this.tornBytes = 0;
    this.migratedFrom = undefined;
    await this.wal.prune(sequence).catch(() => undefined);
    this.loadedMark = await this.diskMark();
  }

  private categorizerFiles(): Array<{ name: string; data: string | Uint8Array }> {
    const list: Array<{ field: string; origin: StoredCategorizer['origin'] }> = [];
    const files: Array<{ name: string; data: string | Uint8Array }> = [];
    for (const [field, { categorizer, origin }] of this.categorizers) {
      const { json, weights } = categorizer.toFiles();
      files.push({ name: `categorizer-${field}.json`, data: json }, { name: `categorizer-${field}.f32`, data: weights });
      list.push({ field, origin });
    }
    return [{ name: SAVE_NAMES.categorizers, data: JSON.stringify(list) }, ...files];
  }

  private modelMismatch(stored: string, storedDim: number): AnswerdeskError {
    return new AnswerdeskError('ADK_STORE_MODEL_MISMATCH', { dir: this.storeDir, stored, storedDim, current: this.encoder.id, currentDim: this.encoder.dimension });
  }

  /** Read the current snapshot (if any), then replay its write-ahead log. */
  private async load(): Promise<void> {
    if (await this.store.exists()) await this.loadSnapshot();
    else this.base = 0;
    const log = await this.wal.read(this.base);
    for (const { header, payload } of log.records) {
      if (header.model !== this.encoder.id || header.dimension !== this.encoder.dimension) throw this.modelMismatch(header.model, header.dimension);
      const all = new Float32Array(payload.buffer, payload.byteOffset, payload.byteLength / 4);
      if (all.length !== header.passages.length * header.dimension) {
        throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.storeDir, reason: 'a write-ahead log record holds the wrong number of vectors' });
      }
      const vectors = header.passages.map((_, i) => all.slice(i * header.dimension, (i + 1) * header.dimension));
      this.commit(header, vectors, header.passages.map((p) => embeddingKey(this.encoder.id, p.text)));
    }
    this.walBytes = log.bytes;
    this.walRecords = log.records.length;
    this.tornBytes = log.tornBytes;
    this.loadedMark = await this.diskMark();
  }

  private async loadSnapshot(): Promise<void> {
    const snapshot = await this.store.load();
    const { manifest } = snapshot;
    if (manifest.modelId !== this.encoder.id || manifest.dimension !== this.encoder.dimension) throw this.modelMismatch(manifest.modelId, manifest.dimension);
    this.base = manifest.sequence;
    if (manifest.formatVersion < FORMAT_VERSION) this.migratedFrom = manifest.formatVersion;
    try {
      const docs = new Map<string, KnowledgeDoc>();
      for (const line of (await snapshot.readText(SAVE_NAMES.docs)).split('\n')) {
        if (line.trim() === '') continue;
        const doc = JSON.parse(line) as KnowledgeDoc;
        docs.set(doc.id, doc);
      }
      const keys = JSON.parse(await snapshot.readText(SAVE_NAMES.passages)) as Array<{ key: string; doc: string; text: string }>;
      const raw = await snapshot.readBuffer(SAVE_NAMES.vectors);
      const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
      if (all.length !== keys.length * manifest.dimension) throw new Error(`${SAVE_NAMES.vectors} holds ${all.length / manifest.dimension} vectors for ${keys.length} passages`);
      const cache = new EmbeddingCache();
      const passages = new Map<string, StoredPassage[]>();
      keys.forEach((entry, i) => {
        const vectorKey = embeddingKey(this.encoder.id, entry.text);
        cache.set(vectorKey, all.slice(i * manifest.dimension, (i + 1) * manifest.dimension));
        const list = passages.get(entry.doc) ?? [];
        list.push({ key: entry.key, docId: entry.doc, text: entry.text, vectorKey });
        passages.set(entry.doc, list);
        this.passageDoc.set(entry.key, entry.doc);
      });
      const vectorState = JSON.parse(await snapshot.readText(SAVE_NAMES.vectorState)) as VectorIndexState;
      this.vectors = VectorIndex.readGraph(snapshot.path(SAVE_NAMES.graph), vectorState);
      const lexicalState = JSON.parse(await snapshot.readText(SAVE_NAMES.lexical)) as LexicalIndexState;
      if (LexicalIndex.isCurrent(lexicalState)) this.lexical = LexicalIndex.fromState(lexicalState);
      else {
        // Built before per-language analysis: rebuilt from the documents, and saved once as the store opens.
        this.lexical = new LexicalIndex({ segmentSize: this.options.segmentSize });
        this.lexical.upsert([...docs.values()].map(lexicalOf));
        this.migratedFrom ??= manifest.formatVersion;
      }
      if (this.vectors.size !== keys.length || this.lexical.size !== docs.size) {
        throw new Error(`counts disagree: ${docs.size} documents, ${this.lexical.size} lexical entries, ${keys.length} passages, ${this.vectors.size} vectors`);
      }
      const categorizers = new Map<string, StoredCategorizer>();
      // Stores saved before categorizers existed have no list: nothing to load.
      if (manifest.files[SAVE_NAMES.categorizers]) {
        const list = JSON.parse(await snapshot.readText(SAVE_NAMES.categorizers)) as Array<{ field: string; origin: StoredCategorizer['origin'] }>;
        for (const { field, origin } of list) {
          const json = await snapshot.readText(`categorizer-${checkFieldName(field)}.json`);
          const weights = await snapshot.readBuffer(`categorizer-${field}.f32`);
          categorizers.set(field, { categorizer: Categorizer.fromFiles(json, weights), origin });
        }
      }
      this.docs = docs;
      this.passages = passages;
      this.cache = cache;
      this.categorizers = categorizers;
    } catch (error) {
      if (error instanceof AnswerdeskError) throw error;
      throw new AnswerdeskError('ADK_STORE_CORRUPT', { dir: this.storeDir, reason: reasonOf(error) }, { cause: error });
    }
  }

  /**
   * Take the store's writer lock; if another process changed the store since
   * this instance read it, read it again first, so no write is built on (and
   * no snapshot drops) changes this instance has not seen.
   */
  private async becomeWriter(): Promise<void> {
    if (this.lock.isHeld) return;
    await this.lock.acquire();
    if ((await this.diskMark()) !== this.loadedMark) await this.reload();
  }

  /** CURRENT and the size of its log: any write by anyone changes one of them. */
  private async diskMark(): Promise<string> {
    const current = await readFile(path.join(this.storeDir, 'CURRENT'), 'utf8').then((text) => text.trim(), () => '');
    const sequence = Number(/^snap-(\d{8})$/.exec(current)?.[1] ?? 0);
    const size = await this.wal.size(sequence);
    return `${current}:${walName(sequence)}:${size}`;
  }

  /** Wait for pending writes, then release the writer lock and the encoder. */
  async close(): Promise<void> {
    await this.writing;
    await this.lock.release();
    await this.encoder.close();
  }
}
