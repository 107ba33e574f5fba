import { createHash } from 'node:crypto';
import type { Encoder, EncodeOptions } from './encoder.js';

/** Key of a text's vector: the model id and the exact text, hashed. */
export function embeddingKey(modelId: string, text: string): string {
  return createHash('sha256').update(modelId).update('\0').update(text).digest('hex').slice(0, 32);
}

export interface CachedEmbedResult {
  vectors: Float32Array[];
  /** Cache key of each text, so callers need not hash again. */
  keys: string[];
  /** Texts sent to the model. */
  embedded: number;
  /** Texts answered from the cache. */
  reused: number;
}

/**
 * Vectors by content hash, so unchanged text is never embedded twice
 * (re-indexing a folder, re-importing a ticket export). Plain in-memory map;
 * the store persists it alongside the index.
 */
export class EmbeddingCache {
  private readonly vectors = new Map<string, Float32Array>();

  get size(): number {
    return this.vectors.size;
  }

  get(key: string): Float32Array | undefined {
    return this.vectors.get(key);
  }

  set(key: string, vector: Float32Array): void {
    this.vectors.set(key, vector);
  }

  entries(): IterableIterator<[string, Float32Array]> {
    return this.vectors.entries();
  }

  /** Keep only the keys still in use, so the cache does not grow forever. */
  retain(keys: Iterable<string>): void {
    const keep = new Set(keys);
    for (const key of this.vectors.keys()) if (!keep.has(key)) this.vectors.delete(key);
  }

  /** Embed passages, sending only texts whose vectors are not cached yet (duplicates embedded once). */
  async embedPassages(encoder: Encoder, texts: readonly string[], options?: EncodeOptions): Promise<CachedEmbedResult> {
    const keys = texts.map((text) => embeddingKey(encoder.id, text));
    const missing = new Map<string, string>();
    keys.forEach((key, i) => {
      if (!this.vectors.has(key) && !missing.has(key)) missing.set(key, texts[i]!);
    });
    if (missing.size > 0) {
      const fresh = await encoder.embedPassages([...missing.values()], options);
      [...missing.keys()].forEach((key, i) => this.vectors.set(key, fresh[i]!));
    }
    return {
      vectors: keys.map((key) => this.vectors.get(key)!),
      keys,
      embedded: missing.size,
      reused: texts.length - missing.size,
    };
  }
}
