import hnswlib from 'hnswlib-node';
import { AnswerdeskError } from '@answerdesk/types';

const { HierarchicalNSW } = hnswlib;

export interface VectorIndexOptions {
  dimension: number;
  /** Starting capacity; doubles when full. Default 1024. */
  capacity?: number;
  /** Graph links per node. Default 16. */
  m?: number;
  /** Build-time beam width. Default 200 (better graph, slower inserts). */
  efConstruction?: number;
  /**
   * Query-time beam width. Default 128: hnswlib's default of 10 loses recall
   * badly beyond a few thousand vectors; 128 keeps recall@10 ≈ 1 at 100k.
   */
  efSearch?: number;
  /** Seed of the graph's level generator, for reproducible builds. Default 42. */
  seed?: number;
}

export interface VectorHit {
  key: string;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

export interface VectorIndexState {
  dimension: number;
  capacity: number;
  m: number;
  efConstruction: number;
  efSearch: number;
  seed: number;
  /** Label of every live key. */
  labels: Record<string, number>;
  /** Deleted slots that later inserts will reuse. */
  deleted: number;
  next: number;
}

/** Cosine nearest-neighbour index over string keys (hnswlib underneath, integer labels hidden). */
export class VectorIndex {
  readonly dimension: number;
  private readonly options: Required<VectorIndexOptions>;
  private index: InstanceType<typeof HierarchicalNSW>;
  private capacity: number;
  private readonly labels = new Map<string, number>();
  private readonly keys = new Map<number, string>();
  private deleted = 0;
  private next = 0;

  constructor(options: VectorIndexOptions) {
    if (!Number.isInteger(options.dimension) || options.dimension < 1) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'dimension', reason: 'must be a positive integer' });
    }
    this.options = { capacity: 1024, m: 16, efConstruction: 200, efSearch: 128, seed: 42, ...options };
    this.dimension = options.dimension;
    this.capacity = Math.max(16, this.options.capacity);
    this.index = this.createIndex(this.capacity);
  }

  private createIndex(capacity: number) {
    const index = new HierarchicalNSW('cosine', this.dimension);
    index.initIndex({ maxElements: capacity, m: this.options.m, efConstruction: this.options.efConstruction, randomSeed: this.options.seed, allowReplaceDeleted: true });
    index.setEf(this.options.efSearch);
    return index;
  }

  get size(): number {
    return this.labels.size;
  }

  has(key: string): boolean {
    return this.labels.has(key);
  }

  /** Insert or replace the vector of `key`. */
  upsert(key: string, vector: ArrayLike<number>): void {
    if (vector.length !== this.dimension) throw new AnswerdeskError('ADK_DIMENSION_MISMATCH', { actual: vector.length, expected: this.dimension });
    const point = Array.from(vector);
    const existing = this.labels.get(key);
    if (existing !== undefined) {
      // Replacing a live point: hnswlib updates its neighbourhood in place.
      this.index.addPoint(point, existing);
      return;
    }
    if (this.deleted > 0) {
      // hnswlib reuses the slot of a deleted point for the new label; labels themselves are never reused.
      this.index.addPoint(point, this.next, true);
      this.deleted--;
    } else {
      if (this.index.getCurrentCount() >= this.capacity) {
        // A graph read back from an empty save has a capacity of 0, which doubling never grows.
        this.capacity = Math.max(16, this.capacity * 2);
        this.index.resizeIndex(this.capacity);
      }
      this.index.addPoint(point, this.next);
    }
    this.bind(key, this.next++);
  }

  private bind(key: string, label: number) {
    this.labels.set(key, label);
    this.keys.set(label, key);
  }

  remove(key: string): boolean {
    const label = this.labels.get(key);
    if (label === undefined) return false;
    this.index.markDelete(label);
    this.labels.delete(key);
    this.keys.delete(label);
    this.deleted++;
    return true;
  }

  vector(key: string): Float32Array | undefined {
    const label = this.labels.get(key);
    return label === undefined ? undefined : Float32Array.from(this.index.getPoint(label));
  }

  /** The `k` nearest keys by cosine similarity, optionally only keys passing `accept`. */
  search(query: ArrayLike<number>, k: number, accept?: (key: string) => boolean): VectorHit[] {
    if (query.length !== this.dimension) throw new AnswerdeskError('ADK_DIMENSION_MISMATCH', { actual: query.length, expected: this.dimension });
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    // The beam must be at least as wide as the answer.
    this.index.setEf(Math.max(this.options.efSearch, n));
    const filter = accept ? (label: number) => { const key = this.keys.get(label); return key !== undefined && accept(key); } : undefined;
    const result = this.index.searchKnn(Array.from(query), n, filter);
    return result.neighbors
      .map((label, i) => ({ key: this.keys.get(label)!, similarity: 1 - result.distances[i]! }))
      .filter((hit) => hit.key !== undefined)
      .sort((a, b) => b.similarity - a.similarity);
  }

  /** Write the graph to `file` (caller handles atomicity) and return the state that goes with it. */
  writeGraph(file: string): VectorIndexState {
    this.index.writeIndexSync(file);
    return this.state();
  }

  state(): VectorIndexState {
    return {
      dimension: this.dimension,
      capacity: this.capacity,
      m: this.options.m,
      efConstruction: this.options.efConstruction,
      efSearch: this.options.efSearch,
      seed: this.options.seed,
      labels: Object.fromEntries(this.labels),
      deleted: this.deleted,
      next: this.next,
    };
  }

  /** Load a graph written by `writeGraph`, with its state. */
  static readGraph(file: string, state: VectorIndexState): VectorIndex {
    const vi = new VectorIndex({
      dimension: state.dimension,
      capacity: 16,
      m: state.m,
      efConstruction: state.efConstruction,
      efSearch: state.efSearch,
      seed: state.seed,
    });
    const index = new HierarchicalNSW('cosine', state.dimension);
    index.readIndexSync(file, true);
    index.setEf(state.efSearch);
    vi.index = index;
    vi.capacity = index.getMaxElements();
    for (const [key, label] of Object.entries(state.labels)) vi.bind(key, label);
    vi.deleted = state.deleted;
    vi.next = state.next;
    return vi;
  }
}
