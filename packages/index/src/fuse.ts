/** One retriever's ranked answer: ids best first, with that retriever's own scores. */
export interface RankedList {
  name: string;
  hits: ReadonlyArray<{ id: string; score: number }>;
  /** Relative weight of this list in the fusion. Default 1. */
  weight?: number;
}

export interface FusedHit {
  id: string;
  score: number;
  /** 1-based rank of the id in each list that contained it. */
  ranks: Record<string, number>;
  /** Raw score of the id in each list that contained it. */
  scores: Record<string, number>;
}

export interface RrfOptions {
  /** The RRF constant: larger values flatten the advantage of top ranks. Default 60 (Cormack et al. 2009). */
  k?: number;
}

export interface WeightedOptions {
  /** How each list's scores are brought to [0, 1] before weighting. Default `minmax`. */
  normalization?: 'minmax' | 'max';
}

function collect(lists: readonly RankedList[], contribution: (list: RankedList, rank: number, score: number) => number): FusedHit[] {
  const fused = new Map<string, FusedHit>();
  for (const list of lists) {
    list.hits.forEach((hit, index) => {
      let entry = fused.get(hit.id);
      if (!entry) {
        entry = { id: hit.id, score: 0, ranks: {}, scores: {} };
        fused.set(hit.id, entry);
      }
      // An id listed twice in one list counts once, at its best rank.
      if (entry.ranks[list.name] !== undefined) return;
      entry.ranks[list.name] = index + 1;
      entry.scores[list.name] = hit.score;
      entry.score += contribution(list, index + 1, hit.score);
    });
  }
  // Ties break by id so results are deterministic.
  return [...fused.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Reciprocal rank fusion: score = Σ weight / (k + rank). Scale-free, so lists of any score type mix. Pure. */
export function fuseRrf(lists: readonly RankedList[], options: RrfOptions = {}): FusedHit[] {
  const k = options.k ?? 60;
  if (!(k >= 0)) throw new RangeError('RRF k must be a non-negative number');
  return collect(lists, (list, rank) => (list.weight ?? 1) / (k + rank));
}

/** Weighted sum of per-list normalized scores (missing from a list = 0). Pure. */
export function fuseWeighted(lists: readonly RankedList[], options: WeightedOptions = {}): FusedHit[] {
  const normalization = options.normalization ?? 'minmax';
  const scalers = new Map<string, (score: number) => number>();
  for (const list of lists) {
    const scores = list.hits.map((hit) => hit.score);
    const max = scores.length ? Math.max(...scores) : 0;
    const min = scores.length ? Math.min(...scores) : 0;
    scalers.set(list.name, (score) => {
      if (normalization === 'max') return max > 0 ? score / max : 0;
      return max > min ? (score - min) / (max - min) : scores.length ? 1 : 0;
    });
  }
  return collect(lists, (list, _rank, score) => (list.weight ?? 1) * scalers.get(list.name)!(score));
}
