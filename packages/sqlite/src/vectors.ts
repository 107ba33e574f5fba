import { endianness } from 'node:os';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/**
 * A vector as stored in a BLOB: float32 components, little-endian (the byte
 * order of every machine Node commonly runs on, written explicitly elsewhere
 * so a database file reads the same on any host). Always a copy.
 */
export function vectorBlob(vector: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(vector.length * 4);
  if (LITTLE_ENDIAN_HOST) {
    const floats = vector instanceof Float32Array ? vector : Float32Array.from(vector);
    out.set(new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength));
  } else {
    for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i]!, i * 4);
  }
  return out;
}

/** A stored BLOB back to a Float32Array (a copy: SQLite's buffer may be unaligned and is reused). Undefined when its length is not a whole number of floats. */
export function blobVector(blob: Uint8Array): Float32Array | undefined {
  if (blob.byteLength % 4 !== 0) return undefined;
  const out = new Float32Array(blob.byteLength / 4);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer).set(blob);
  } else {
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/** Index of the first NaN or infinite component, or -1. */
export function firstNonFinite(vector: ArrayLike<number>): number {
  for (let i = 0; i < vector.length; i++) if (!Number.isFinite(vector[i])) return i;
  return -1;
}

export function norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  return Math.sqrt(sum);
}

/** Cosine similarity given the query's norm; 0 against a zero vector (as hnswlib's cosine space scores it). */
export function cosine(query: ArrayLike<number>, queryNorm: number, vector: ArrayLike<number>): number {
  let dot = 0;
  let sum = 0;
  for (let i = 0; i < vector.length; i++) {
    dot += query[i]! * vector[i]!;
    sum += vector[i]! * vector[i]!;
  }
  const denominator = queryNorm * Math.sqrt(sum);
  return denominator > 0 ? dot / denominator : 0;
}
