/**
 * Seeded randomness, so every sample and split is the same on every run and
 * machine (Math.random would make the numbers drift between runs).
 */

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for sampling. Returns floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy (Fisher–Yates). Pure given the generator's state. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Up to `n` items drawn without replacement, in their original order (stable output for a fixed seed). */
export function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  if (n >= items.length) return [...items];
  const picked = new Set(shuffled(items.map((_, i) => i), rng(seed)).slice(0, n));
  return items.filter((_, i) => picked.has(i));
}
