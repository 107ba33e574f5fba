/**
 * Seeded randomness, so every sample and split is the same on every run and
 * machine (Math.random would make the numbers drift between runs). The
 * generator is the categorizer's own (mulberry32), not a second copy.
 */
import { seededRandom, shuffleInPlace } from '@answerdesk/triage';

/** Floats in [0, 1) from a fixed seed. */
export const rng = seededRandom;

/** A shuffled copy (Fisher–Yates). Pure given the generator's state. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  return shuffleInPlace([...items], random);
}

/** Up to `n` items drawn without replacement, in their original order (stable output for a fixed seed). */
export function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  if (n >= items.length) return [...items];
  const picked = new Set(shuffled(items.map((_, i) => i), rng(seed)).slice(0, n));
  return items.filter((_, i) => picked.has(i));
}
