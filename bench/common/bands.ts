import { DEFAULT_BANDS, type ConfidenceBands } from '@answerdesk/core';

/**
 * The default bands with the abstain cut-off moved to `abstain`, medium and high lifted to it when it passes
 * them (abstain ≤ medium ≤ high must hold): what bench/retrieval and bench/multilingual sweep. Pure.
 */
export function bandsAt(abstain: number): ConfidenceBands {
  return { abstain, medium: Math.max(abstain, DEFAULT_BANDS.medium), high: Math.max(abstain, DEFAULT_BANDS.high) };
}
