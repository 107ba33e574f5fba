/**
 * Retrieval and abstention metrics. Every function here is pure: ranked ids
 * and gold ids in, numbers out, so the metrics can be checked by hand.
 *
 * Relevance is binary (a document answers the question or it does not); a
 * query may have several relevant documents (Bitext: every stored ticket of
 * the query's intent; Bank FAQs: every copy of an identical answer).
 */

/** 1-based rank of the first relevant id within the top `k`, or undefined. */
export function firstRelevantRank(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number | undefined {
  const depth = Math.min(k, ranked.length);
  for (let i = 0; i < depth; i++) if (relevant.has(ranked[i]!)) return i + 1;
  return undefined;
}

/**
 * Recall@k as it is used for FAQ retrieval ("success@k", "hit@k"): 1 when at
 * least one relevant document is in the top k, else 0. A helpdesk needs one
 * right answer, not all copies of it, so this is the number that matters.
 */
export function recallAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return firstRelevantRank(ranked, relevant, k) === undefined ? 0 : 1;
}

/** Reciprocal rank of the first relevant id, 0 when none is in the top k (MRR@k per query). */
export function reciprocalRankAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const rank = firstRelevantRank(ranked, relevant, k);
  return rank === undefined ? 0 : 1 / rank;
}

/**
 * nDCG@k with binary gains: DCG = Σ 1/log2(rank+1) over relevant hits, divided
 * by the DCG of the ideal list (all relevant documents first, at most k).
 * Unlike recall it rewards ranking every relevant copy high.
 */
export function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  const seen = new Set<string>();
  const depth = Math.min(k, ranked.length);
  for (let i = 0; i < depth; i++) {
    const id = ranked[i]!;
    // A repeated id is one document: it earns its gain once.
    if (relevant.has(id) && !seen.has(id)) dcg += 1 / Math.log2(i + 2);
    seen.add(id);
  }
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

/** Keep the first occurrence of each id, in order (passage hits → document ranking). */
export function dedupe(ids: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export interface RankingScores {
  queries: number;
  recallAt1: number;
  recallAt5: number;
  mrrAt10: number;
  ndcgAt10: number;
}

/** Mean of the per-query metrics over one system's rankings of one query set. */
export function scoreRankings(rankings: ReadonlyArray<{ ranked: readonly string[]; relevant: ReadonlySet<string> }>): RankingScores {
  return {
    queries: rankings.length,
    recallAt1: mean(rankings.map((r) => recallAt(r.ranked, r.relevant, 1))),
    recallAt5: mean(rankings.map((r) => recallAt(r.ranked, r.relevant, 5))),
    mrrAt10: mean(rankings.map((r) => reciprocalRankAt(r.ranked, r.relevant, 10))),
    ndcgAt10: mean(rankings.map((r) => ndcgAt(r.ranked, r.relevant, 10))),
  };
}

/**
 * What `suggest` did with one question. `correct` is set for every in-domain
 * question (false when it abstained) and undefined for out-of-domain ones,
 * where no answer is correct.
 */
export interface SuggestOutcome {
  status: 'answered' | 'abstained';
  level: 'high' | 'medium' | 'low';
  /** The confidence score: the calibrated probability that the answer shown is right. */
  score: number;
  correct?: boolean;
}

export interface AbstainScores {
  questions: number;
  abstained: number;
  abstainRate: number;
  answered: number;
  /** Answered at High: for out-of-domain questions, High answers to what the knowledge base cannot answer. */
  high: number;
  /** Share of answered questions whose cited source is relevant (in-domain only). */
  answeredCorrectRate?: number;
  /** Share of all questions answered correctly (in-domain only): what an agent gets without searching. */
  correctRate?: number;
}

/** Abstain rate and, where gold is known, the precision of what was answered. */
export function scoreAbstention(outcomes: readonly SuggestOutcome[]): AbstainScores {
  const answered = outcomes.filter((o) => o.status === 'answered');
  const judged = answered.filter((o) => o.correct !== undefined);
  const correct = judged.filter((o) => o.correct).length;
  // In-domain outcomes carry `correct` even when abstained (false), so gold is known iff any outcome has it.
  const hasGold = outcomes.some((o) => o.correct !== undefined);
  return {
    questions: outcomes.length,
    abstained: outcomes.length - answered.length,
    abstainRate: outcomes.length ? (outcomes.length - answered.length) / outcomes.length : 0,
    answered: answered.length,
    high: answered.filter((o) => o.level === 'high').length,
    ...(hasGold ? { answeredCorrectRate: judged.length ? correct / judged.length : 0, correctRate: outcomes.length ? correct / outcomes.length : 0 } : {}),
  };
}

export interface LevelCalibration {
  level: 'high' | 'medium' | 'low';
  answered: number;
  correct: number;
  /** Share of the answers at this level whose source is relevant. */
  accuracy: number;
  /** Mean score of those answers: the share right the confidence states. */
  stated: number;
}

/** For answered in-domain questions: how often each confidence level is right. A good level ordering has high > medium > low. */
export function calibrateLevels(outcomes: readonly SuggestOutcome[]): LevelCalibration[] {
  return (['high', 'medium', 'low'] as const).map((level) => {
    const at = outcomes.filter((o) => o.status === 'answered' && o.level === level && o.correct !== undefined);
    const correct = at.filter((o) => o.correct).length;
    return { level, answered: at.length, correct, accuracy: at.length ? correct / at.length : 0, stated: at.length ? at.reduce((sum, o) => sum + o.score, 0) / at.length : 0 };
  });
}
