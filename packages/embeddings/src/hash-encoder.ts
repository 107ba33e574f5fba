import { createHash } from 'node:crypto';
import type { EncodeOptions, Encoder } from './encoder.js';

/**
 * A tiny deterministic encoder for plumbing tests ONLY: it hashes word
 * trigrams into a vector, so identical words give similar vectors, but it has
 * no notion of meaning. Never use it to claim semantic behaviour.
 */
export class HashingEncoder implements Encoder {
  readonly id: string;
  readonly languages = 'multilingual' as const;
  readonly symmetric = true;
  constructor(readonly dimension = 64) {
    this.id = `hashing-${dimension}`;
  }
  async load(): Promise<void> {}
  // Options (progress, background) mean nothing for an encoder this fast; taken so callers and wrappers see Encoder's signature.
  async embedQueries(texts: readonly string[], _options?: EncodeOptions): Promise<Float32Array[]> {
    return texts.map((text) => this.vector(text));
  }
  async embedPassages(texts: readonly string[], _options?: EncodeOptions): Promise<Float32Array[]> {
    return texts.map((text) => this.vector(text));
  }
  async close(): Promise<void> {}
  private vector(text: string): Float32Array {
    const v = new Float32Array(this.dimension);
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const word of words) {
      const padded = `#${word}#`;
      for (let i = 0; i + 3 <= padded.length; i++) {
        const h = createHash('md5').update(padded.slice(i, i + 3)).digest();
        v[h.readUInt32LE(0) % this.dimension]! += h[4]! & 1 ? 1 : -1;
      }
    }
    const norm = Math.hypot(...v) || 1;
    for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
  }
}
