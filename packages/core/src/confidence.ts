import type { Confidence, ConfidenceLevel } from '@answerdesk/types';

/**
 * Cosine-similarity cut-offs for the default USE-lite encoder, calibrated by
 * bench/retrieval on in-domain vs out-of-domain questions (see its README).
 * Another encoder has another similarity scale: calibrate and pass your own.
 */
export interface Thresholds {
  /** Below this the engine abstains. */
  abstain: number;
  /** At or above this: medium. */
  medium: number;
  /** At or above this: high. */
  high: number;
}

// bench/retrieval sweep: at 0.45 the engine abstains on 1.5–4.5% of in-domain questions
// and on 73–95% of off-topic ones (0.40: 0.5–2.7% vs 46–88%).
export const USE_LITE_THRESHOLDS: Thresholds = { abstain: 0.45, medium: 0.5, high: 0.62 };

export function validateThresholds(t: Thresholds): string | undefined {
  const ok = [t.abstain, t.medium, t.high].every((v) => typeof v === 'number' && v >= -1 && v <= 1);
  if (!ok) return 'values must be numbers between -1 and 1';
  if (!(t.abstain <= t.medium && t.medium <= t.high)) return 'must satisfy abstain ≤ medium ≤ high';
  return undefined;
}

/** Level of a similarity score, or undefined when it is below the abstain cut-off. Pure. */
export function confidenceOf(similarity: number, thresholds: Thresholds): Confidence | undefined {
  if (!(similarity >= thresholds.abstain)) return undefined;
  const level: ConfidenceLevel = similarity >= thresholds.high ? 'high' : similarity >= thresholds.medium ? 'medium' : 'low';
  return { level, score: Math.round(similarity * 1000) / 1000 };
}
