/**
 * Each distinct text is embedded once per run and its vector reused by every
 * method and every task of its dataset (Bitext intent and category share
 * texts), so the comparison is on identical vectors and the model's cost is
 * measured once, apart from the methods' own.
 */
import type { EncodeProgress, Encoder } from '@answerdesk/embeddings';
import { mean, percentile } from './evaluate.js';

export interface EmbedTiming {
  /** Texts sent to the model (already-known texts are not counted). */
  texts: number;
  meanChars: number;
  ms: number;
}

export class VectorTable {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(private readonly encoder: Encoder) {}

  /** Embed, in one batch through `embedQueries`, the texts not in the table yet; timed. */
  async add(texts: readonly string[], onProgress?: (p: EncodeProgress) => void): Promise<EmbedTiming> {
    const missing = [...new Set(texts)].filter((text) => !this.vectors.has(text));
    const started = performance.now();
    const vectors = missing.length ? await this.encoder.embedQueries(missing, { onProgress }) : [];
    const ms = performance.now() - started;
    missing.forEach((text, i) => this.vectors.set(text, vectors[i]!));
    return { texts: missing.length, meanChars: mean(missing.map((t) => t.length)), ms };
  }

  get(text: string): Float32Array {
    const vector = this.vectors.get(text);
    if (!vector) throw new Error(`no vector for ${JSON.stringify(text.slice(0, 60))}: embed it first`);
    return vector;
  }
}

/**
 * Latency of embedding one message alone, as a live ticket is: one
 * `embedQueries([text])` call each, in sequence. Calls under the encoder's
 * worker threshold run on the main thread, so this is the single-thread cost.
 */
export async function singleMessageLatency(encoder: Encoder, texts: readonly string[]): Promise<{ messages: number; mean: number; p50: number; p95: number }> {
  const times: number[] = [];
  for (const text of texts) {
    const started = performance.now();
    await encoder.embedQueries([text]);
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { messages: times.length, mean: mean(times), p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}
