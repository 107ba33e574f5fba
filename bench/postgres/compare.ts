/**
 * How close two stores' answers are, and latency percentiles. Every function
 * here is pure: ranked ids (or timings) in, numbers out, so each can be
 * checked by hand.
 */
import { mean } from '../retrieval/metrics.js';

/** Jaccard overlap of the top `k` of two rankings: |A ∩ B| / |A ∪ B|; 1 when both are empty. */
export function jaccardAt(a: readonly string[], b: readonly string[], k: number): number {
  const left = new Set(a.slice(0, k));
  const right = new Set(b.slice(0, k));
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const id of left) if (right.has(id)) shared++;
  return shared / (left.size + right.size - shared);
}

/**
 * Kendall's τ between two rankings over the ids both hold in their top `k`
 * (each id's position in either list), from +1 (same order) to −1
 * (reversed); undefined with fewer than two shared ids. Top-k lists hold no
 * ties, so this is τ-a.
 */
export function kendallTauAt(a: readonly string[], b: readonly string[], k: number): number | undefined {
  const positionInB = new Map(b.slice(0, k).map((id, i) => [id, i]));
  const shared = a.slice(0, k).filter((id) => positionInB.has(id));
  if (shared.length < 2) return undefined;
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < shared.length; i++) {
    for (let j = i + 1; j < shared.length; j++) {
      // In A, shared[i] comes before shared[j]; does B agree?
      if (positionInB.get(shared[i]!)! < positionInB.get(shared[j]!)!) concordant++;
      else discordant++;
    }
  }
  return (concordant - discordant) / ((shared.length * (shared.length - 1)) / 2);
}

export interface RankingAgreement {
  queries: number;
  /** Share of queries whose first hit is the same document (both empty counts as the same). */
  sameTop1: number;
  /** Mean Jaccard overlap of the top 5. */
  jaccardAt5: number;
  /** Share of queries whose top 10 is the same documents in the same order. */
  identicalTop10: number;
  /** Mean Kendall τ over the documents both top 10s hold, over the queries where they share at least two. */
  kendallTauAt10?: number;
  /** Queries that entered the τ mean. */
  tauQueries: number;
}

/** Agreement between two stores' rankings of the same queries (same order of queries in both). */
export function rankingAgreement(a: ReadonlyArray<readonly string[]>, b: ReadonlyArray<readonly string[]>): RankingAgreement {
  if (a.length !== b.length) throw new Error(`rankingAgreement: ${a.length} rankings vs ${b.length}`);
  const taus = a.map((ranked, i) => kendallTauAt(ranked, b[i]!, 10)).filter((tau): tau is number => tau !== undefined);
  return {
    queries: a.length,
    sameTop1: mean(a.map((ranked, i) => (ranked[0] === b[i]![0] ? 1 : 0))),
    jaccardAt5: mean(a.map((ranked, i) => jaccardAt(ranked, b[i]!, 5))),
    identicalTop10: mean(a.map((ranked, i) => (ranked.slice(0, 10).join('\n') === b[i]!.slice(0, 10).join('\n') ? 1 : 0))),
    ...(taus.length ? { kendallTauAt10: mean(taus) } : {}),
    tauQueries: taus.length,
  };
}

export interface SuggestOutcome {
  status: 'answered' | 'abstained';
  source?: string;
}

export interface SuggestAgreement {
  queries: number;
  /** Share of questions with the same status (both answered or both abstained). */
  sameStatus: number;
  /** Questions both stores answered. */
  bothAnswered: number;
  /** Of those, the share citing the same source. */
  sameSourceOfBothAnswered: number;
  /** Share of all questions with the same outcome: same status and, when answered, the same source. */
  sameOutcome: number;
}

export function suggestAgreement(a: readonly SuggestOutcome[], b: readonly SuggestOutcome[]): SuggestAgreement {
  if (a.length !== b.length) throw new Error(`suggestAgreement: ${a.length} outcomes vs ${b.length}`);
  const both = a.map((s, i) => [s, b[i]!] as const);
  const bothAnswered = both.filter(([x, y]) => x.status === 'answered' && y.status === 'answered');
  return {
    queries: a.length,
    sameStatus: mean(both.map(([x, y]) => (x.status === y.status ? 1 : 0))),
    bothAnswered: bothAnswered.length,
    sameSourceOfBothAnswered: mean(bothAnswered.map(([x, y]) => (x.source === y.source ? 1 : 0))),
    sameOutcome: mean(both.map(([x, y]) => (x.status === y.status && (x.status === 'abstained' || x.source === y.source) ? 1 : 0))),
  };
}

/** Nearest-rank percentile (p in (0, 100]) of unsorted values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

export interface Percentiles {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  return { n: values.length, mean: mean(values), p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: values.length ? Math.max(...values) : 0 };
}

/** The stores in another order for each query (a rotation), so drift in machine load falls on all of them alike. Pure. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const shift = ((by % items.length) + items.length) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
