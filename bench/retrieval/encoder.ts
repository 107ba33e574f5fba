import type { EncodeOptions, Encoder } from '@answerdesk/embeddings';

/**
 * Wraps the real encoder and remembers every vector it returned, keyed by the
 * exact text. The benchmark opens several knowledge bases over one corpus
 * (RRF, weighted fusion, one per abstain threshold) and feeds the same
 * vectors to Orama; without this each would re-run the model on the same
 * texts. Vectors are the model's own output, never altered: a remembered
 * vector is bit-identical to a fresh one for the same text.
 */
export class MemoEncoder implements Encoder {
  private readonly vectors = new Map<string, Float32Array>();
  /** Texts actually sent to the model (the rest were answered from memory). */
  modelTexts = 0;

  constructor(readonly inner: Encoder) {}

  get id(): string {
    return this.inner.id;
  }

  get dimension(): number {
    return this.inner.dimension;
  }

  get languages(): Encoder['languages'] {
    return this.inner.languages;
  }

  load(): Promise<void> {
    return this.inner.load();
  }

  embedQueries(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    return this.embed('q', texts, (missing) => this.inner.embedQueries(missing, options));
  }

  embedPassages(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    return this.embed('p', texts, (missing) => this.inner.embedPassages(missing, options));
  }

  /** Does nothing: knowledge bases close their encoder, and this one is shared. Call `inner.close()` at the end. */
  async close(): Promise<void> {}

  // Queries and passages are kept apart: some encoders embed them differently (USE-lite does not).
  private async embed(kind: 'q' | 'p', texts: readonly string[], run: (missing: string[]) => Promise<Float32Array[]>): Promise<Float32Array[]> {
    const key = (text: string) => `${kind}\u0000${text}`;
    const missing = [...new Set(texts.filter((text) => !this.vectors.has(key(text))))];
    if (missing.length > 0) {
      const fresh = await run(missing);
      missing.forEach((text, i) => this.vectors.set(key(text), fresh[i]!));
      this.modelTexts += missing.length;
    }
    return texts.map((text) => this.vectors.get(key(text))!);
  }
}
