/**
 * A vector as pgvector's text input, `[v1,v2,…]`. Nine significant digits
 * round-trip every float32 and keep the text about half as long as
 * `String(number)` of the widened double.
 */
export function vectorLiteral(vector: ArrayLike<number>): string {
  let out = '[';
  for (let i = 0; i < vector.length; i++) {
    if (i > 0) out += ',';
    const value = vector[i]!;
    out += value === 0 ? '0' : value.toPrecision(9);
  }
  return out + ']';
}

/** pgvector's text output back to a Float32Array. */
export function parseVector(text: string): Float32Array {
  const body = text.trim().slice(1, -1);
  if (body === '') return new Float32Array(0);
  const parts = body.split(',');
  const vector = new Float32Array(parts.length);
  for (let i = 0; i < parts.length; i++) vector[i] = Number(parts[i]);
  return vector;
}

/** Index of the first NaN or infinite component, or -1: pgvector refuses them. */
export function firstNonFinite(vector: ArrayLike<number>): number {
  for (let i = 0; i < vector.length; i++) if (!Number.isFinite(vector[i])) return i;
  return -1;
}
