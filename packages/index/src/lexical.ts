import lunr from 'lunr';
import { analyze } from './analyzer.js';

/** What the lexical side sees of a document. */
export interface LexicalDoc {
  id: string;
  /** Short, strong text: article title + heading, ticket subject. Boosted. */
  title: string;
  body: string;
  /** Language whose stemmer and stop words index this document. Default `en`. */
  language?: string;
}

export interface LexicalHit {
  id: string;
  /** lunr's BM25 score (comparable within one query). */
  score: number;
  /**
   * Share of the query's information found in the document, 0–1: its distinct terms weighted by
   * inverse document frequency, so a rare word counts more than a common one and a word found
   * nowhere counts fully against. Comparable across queries, unlike the score.
   */
  coverage: number;
  /** The query terms (analyzed) the document holds. */
  terms: string[];
}

/** A query term as analyzed, with its weight (BM25 inverse document frequency over the whole index), as `searchWeighted` gives it. */
export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface LexicalSearchOptions {
  /** Only documents passing this test are returned. */
  accept?: (id: string) => boolean;
  /** Language the query is analyzed in (stemmer, stop words). Default `en`. */
  language?: string;
}

/** Version of the text analysis the stored segments were built with; segments of another version must be rebuilt. */
export const ANALYSIS_VERSION = 2;

export interface LexicalIndexOptions {
  /**
   * Documents per sealed segment. lunr indexes are immutable and memory-hungry
   * (they fail around 50k documents), so the index is a list of bounded segments.
   * Default 5000.
   */
  segmentSize?: number;
  /** Share of deleted documents at which a sealed segment is rebuilt. Default 0.3. */
  compactAt?: number;
}

export interface SegmentState {
  id: string;
  ids: string[];
  deleted: string[];
  index: object;
}

export interface LexicalIndexState {
  /** Absent in stores written before per-language analysis (version 1: English for everything). */
  analysis?: number;
  segmentSize: number;
  compactAt: number;
  segments: SegmentState[];
  /** Documents not yet in a sealed segment, kept as text. */
  open: LexicalDoc[];
  /** lunr index of the open documents, so a reopened store answers its first query without a rebuild. */
  openIndex?: object;
  nextSegment: number;
}

interface Segment {
  id: string;
  ids: Set<string>;
  deleted: Set<string>;
  index: lunr.Index;
}

function buildIndex(docs: readonly LexicalDoc[]): lunr.Index {
  return lunr(function () {
    // Text arrives analyzed in its own language (analyze()), so lunr's English pipeline must not run again.
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.ref('id');
    this.field('title', { boost: 2 });
    this.field('body');
    // Positions are not used for ranking; leaving them out saves memory.
    this.metadataWhitelist = [];
    for (const doc of docs) {
      this.add({ id: doc.id, title: analyze(doc.title, doc.language ?? 'en').join(' '), body: analyze(doc.body, doc.language ?? 'en').join(' ') });
    }
  });
}

/**
 * Lexical (BM25) index made of bounded immutable lunr segments plus one small
 * open segment. Adding touches only the open segment; deleting only marks a
 * tombstone; a segment is rebuilt when enough of it is deleted.
 */
export class LexicalIndex {
  private readonly segmentSize: number;
  private readonly compactAt: number;
  private segments: Segment[] = [];
  private open = new Map<string, LexicalDoc>();
  private openIndex?: lunr.Index;
  private nextSegment = 0;
  /** Sealed segment holding each live id. */
  private readonly location = new Map<string, Segment>();

  constructor(options: LexicalIndexOptions = {}) {
    this.segmentSize = options.segmentSize ?? 5000;
    this.compactAt = options.compactAt ?? 0.3;
  }

  get size(): number {
    return this.location.size + this.open.size;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  has(id: string): boolean {
    return this.open.has(id) || this.location.has(id);
  }

  /** Add or replace documents. Full open segments are sealed as they fill. */
  upsert(docs: Iterable<LexicalDoc>): void {
    for (const doc of docs) {
      this.remove(doc.id);
      this.open.set(doc.id, { id: doc.id, title: doc.title, body: doc.body, ...(doc.language ? { language: doc.language } : {}) });
      this.openIndex = undefined;
      if (this.open.size >= this.segmentSize) this.seal();
    }
  }

  private seal(): void {
    const docs = [...this.open.values()];
    const segment: Segment = { id: `seg-${String(this.nextSegment++).padStart(5, '0')}`, ids: new Set(docs.map((d) => d.id)), deleted: new Set(), index: buildIndex(docs) };
    this.segments.push(segment);
    for (const id of segment.ids) this.location.set(id, segment);
    this.open.clear();
    this.openIndex = undefined;
  }

  remove(id: string): boolean {
    if (this.open.delete(id)) {
      this.openIndex = undefined;
      return true;
    }
    const segment = this.location.get(id);
    if (!segment) return false;
    segment.deleted.add(id);
    this.location.delete(id);
    return true;
  }

  /** Segments whose deleted share passed `compactAt` and need their live documents re-added. */
  segmentsToCompact(): string[] {
    return this.segments.filter((s) => s.deleted.size > 0 && s.deleted.size / s.ids.size >= this.compactAt).map((s) => s.id);
  }

  /**
   * Rebuild segments heavy with tombstones. lunr keeps no text, so the caller
   * supplies each live document again.
   */
  compact(lookup: (id: string) => LexicalDoc | undefined): number {
    const ids = new Set(this.segmentsToCompact());
    if (ids.size === 0) return 0;
    const survivors: LexicalDoc[] = [];
    this.segments = this.segments.filter((segment) => {
      if (!ids.has(segment.id)) return true;
      for (const id of segment.ids) {
        if (segment.deleted.has(id)) continue;
        this.location.delete(id);
        const doc = lookup(id);
        if (doc) survivors.push(doc);
      }
      return false;
    });
    this.upsert(survivors);
    return ids.size;
  }

  private openSegmentIndex(): lunr.Index {
    this.openIndex ??= buildIndex([...this.open.values()]);
    return this.openIndex;
  }

  /** Best `k` documents for free text, analyzed in `options.language`. */
  search(text: string, k: number, options: LexicalSearchOptions = {}): LexicalHit[] {
    return this.searchWeighted(text, k, options).hits;
  }

  /** `search`, with the query's terms and their weights as `weigh` gives them (analyzed once). */
  searchWeighted(text: string, k: number, options: LexicalSearchOptions = {}): { hits: LexicalHit[]; weights: WeightedTerm[] } {
    const { accept } = options;
    const terms = [...new Set(analyze(text, options.language ?? 'en'))];
    if (terms.length === 0 || k <= 0) return { hits: [], weights: [] };
    const indexes = this.allIndexes();
    const weight = this.termWeights(terms, indexes.map((entry) => entry.index));
    const weights = terms.map((term) => ({ term, weight: weight.get(term)! }));
    const total = terms.reduce((sum, term) => sum + weight.get(term)!, 0);
    const hits: LexicalHit[] = [];
    for (const { index, live } of indexes) {
      const results = index.query((query) => {
        // Every term optional (OR); terms are already analyzed, and plain words (never lunr syntax).
        query.term(terms, { presence: lunr.Query.presence.OPTIONAL, usePipeline: false });
      });
      for (const result of results) {
        if (!live(result.ref) || (accept && !accept(result.ref))) continue;
        const found = Object.keys(result.matchData.metadata);
        const matched = found.reduce((sum, term) => sum + (weight.get(term) ?? 0), 0);
        hits.push({ id: result.ref, score: result.score, coverage: Math.round((matched / total) * 1000) / 1000, terms: found });
      }
    }
    return { hits: hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, k), weights };
  }

  private allIndexes(): Array<{ index: lunr.Index; live: (id: string) => boolean }> {
    const indexes = this.segments.map((segment) => ({ index: segment.index, live: (id: string) => !segment.deleted.has(id) }));
    if (this.open.size > 0) indexes.push({ index: this.openSegmentIndex(), live: (id) => this.open.has(id) });
    return indexes;
  }

  /** BM25's inverse document frequency of each term over every segment (tombstones included: an approximation lunr's own scores share). */
  private termWeights(terms: readonly string[], indexes: readonly lunr.Index[]): Map<string, number> {
    const documents = Math.max(1, this.size);
    const weights = new Map<string, number>();
    for (const term of terms) {
      let frequency = 0;
      for (const index of indexes) {
        const posting = (index as unknown as { invertedIndex: Record<string, Record<string, object> | undefined> }).invertedIndex[term];
        if (!posting) continue;
        const refs = new Set<string>();
        for (const [field, docs] of Object.entries(posting)) if (field !== '_index') for (const ref of Object.keys(docs)) refs.add(ref);
        frequency += refs.size;
      }
      weights.set(term, Math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5)));
    }
    return weights;
  }

  /** Plain-data state for persistence. */
  state(): LexicalIndexState {
    return {
      analysis: ANALYSIS_VERSION,
      segmentSize: this.segmentSize,
      compactAt: this.compactAt,
      segments: this.segments.map((s) => ({ id: s.id, ids: [...s.ids], deleted: [...s.deleted], index: s.index.toJSON() })),
      open: [...this.open.values()],
      openIndex: this.open.size > 0 ? this.openSegmentIndex().toJSON() : undefined,
      nextSegment: this.nextSegment,
    };
  }

  /** False for a state built with an older analysis: rebuild it from the documents (`upsert`) instead of loading it. */
  static isCurrent(state: LexicalIndexState): boolean {
    return state.analysis === ANALYSIS_VERSION;
  }

  static fromState(state: LexicalIndexState): LexicalIndex {
    const lexical = new LexicalIndex({ segmentSize: state.segmentSize, compactAt: state.compactAt });
    lexical.nextSegment = state.nextSegment;
    for (const saved of state.segments) {
      const segment: Segment = { id: saved.id, ids: new Set(saved.ids), deleted: new Set(saved.deleted), index: lunr.Index.load(saved.index) };
      lexical.segments.push(segment);
      for (const id of segment.ids) if (!segment.deleted.has(id)) lexical.location.set(id, segment);
    }
    for (const doc of state.open) lexical.open.set(doc.id, doc);
    if (state.openIndex && state.open.length > 0) lexical.openIndex = lunr.Index.load(state.openIndex);
    return lexical;
  }
}
