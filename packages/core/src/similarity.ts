/** Cosine similarity of two unit vectors (every encoder here returns them normalized): their dot product. Pure. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}
