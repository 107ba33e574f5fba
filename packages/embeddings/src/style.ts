import { STYLE_DIRECTION } from './style-direction.js';

/**
 * USE-lite places a customer's message and the article that answers it apart along one direction
 * whatever their topic: how a customer writes ("my parcel never came, what now?") against how a help
 * article does ("Parcels are delivered within…"). Cosine then rewards passages written like questions
 * (past tickets, FAQ-style headings) over the section that answers. Removing that direction from every
 * vector compares meaning alone: on bench/answers' docs-content messages the right section is the nearest
 * one about a fifth more often (see packages/embeddings/README.md, "Customer style removed").
 *
 * The direction: the mean of past tickets' questions minus the mean of article passages of docs-content,
 * unit length (bench/answers/style-direction.ts writes style-direction.ts).
 */
export function withoutStyle(vector: Float32Array, direction: ArrayLike<number> = STYLE_DIRECTION): Float32Array {
  let along = 0;
  for (let i = 0; i < vector.length; i++) along += vector[i]! * direction[i]!;
  const out = new Float32Array(vector.length);
  let sum = 0;
  for (let i = 0; i < vector.length; i++) {
    out[i] = vector[i]! - along * direction[i]!;
    sum += out[i]! * out[i]!;
  }
  // A vector along the direction alone has nothing left: it stays as it was rather than becoming NaN.
  if (!(sum > 1e-12)) return vector;
  const norm = Math.sqrt(sum);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return out;
}
