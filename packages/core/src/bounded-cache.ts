/**
 * A map that keeps at most `limit` entries, dropping the oldest first: the
 * caches a suggest fills (unit vectors, parsed sections, adapted resolutions)
 * must not grow with every question a long-running service answers.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): this {
    this.entries.set(key, value);
    // A Map iterates in insertion order: the first keys are the oldest.
    for (const old of this.entries.keys()) {
      if (this.entries.size <= this.limit) break;
      this.entries.delete(old);
    }
    return this;
  }
}
