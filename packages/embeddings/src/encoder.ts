/** The one interface the rest of Answerdesk uses to turn text into vectors. */
export interface EncodeProgress {
  done: number;
  total: number;
}

export interface EncodeOptions {
  onProgress?: (progress: EncodeProgress) => void;
  /**
   * Work nobody waits for (training, a big import): an encoder with worker
   * threads leaves one core to the caller's thread, so answers keep their
   * latency meanwhile. Default false.
   */
  background?: boolean;
}

export interface Encoder {
  /** Stable model id, recorded in the store so vectors from two models never mix. */
  readonly id: string;
  /** Vector length; known after `load()`. */
  readonly dimension: number;
  /**
   * True when queries and passages are embedded the same way (no query/passage
   * prefixes), so a stored passage vector can stand in for the same text as a query.
   */
  readonly symmetric?: boolean;
  /** Languages the model matches semantically, or `multilingual`. */
  readonly languages: readonly string[] | 'multilingual';
  load(): Promise<void>;
  /** Embed customer questions (unit-length vectors). */
  embedQueries(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]>;
  /** Embed knowledge passages (unit-length vectors). */
  embedPassages(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]>;
  close(): Promise<void>;
}
