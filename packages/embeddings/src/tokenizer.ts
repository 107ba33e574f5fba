/**
 * SentencePiece unigram tokenizer for the USE-lite vocabulary, written from the
 * published algorithm: NFKC-normalise, mark word starts with ▁, then pick the
 * segmentation whose pieces have the highest summed log-probability (Viterbi).
 */

export const WORD_START = '\u2581';
/** Ids below this are reserved (<unk>, <s>, </s>, extra ids) and never produced from text. */
export const RESERVED_IDS = 6;
export const UNKNOWN_ID = 0;

export type Vocabulary = ReadonlyArray<readonly [piece: string, score: number]>;

export interface Tokenizer {
  encode(text: string): number[];
  /** Pieces instead of ids, for debugging and tests. */
  pieces(text: string): string[];
  readonly size: number;
}

/** Whitespace runs become one space; the model has no piece for newlines or tabs. */
export function normalizeForTokenizer(text: string): string {
  return WORD_START + text.normalize('NFKC').replace(/\s+/g, ' ').trim().replace(/ /g, WORD_START);
}

export function createTokenizer(vocabulary: Vocabulary): Tokenizer {
  const pieces = new Map<string, { id: number; score: number }>();
  let maxLength = 1;
  let minScore = 0;
  vocabulary.forEach(([piece, score], id) => {
    if (id < RESERVED_IDS) return;
    pieces.set(piece, { id, score });
    if (piece.length > maxLength) maxLength = piece.length;
    if (score < minScore) minScore = score;
  });
  // An unknown character costs more than any real piece so it is used only when nothing else fits.
  const unknownScore = minScore - 10;

  function segment(text: string): Array<{ id: number; piece: string }> {
    const input = normalizeForTokenizer(text);
    if (input.length <= 1) return [];
    // Work on code points so surrogate pairs (emoji) stay one character.
    const chars = Array.from(input);
    const n = chars.length;
    const best = new Float64Array(n + 1).fill(-Infinity);
    const backStart = new Int32Array(n + 1).fill(-1);
    const backId = new Int32Array(n + 1).fill(UNKNOWN_ID);
    best[0] = 0;
    for (let start = 0; start < n; start++) {
      const base = best[start]!;
      if (base === -Infinity) continue;
      let candidate = '';
      let matchedAny = false;
      for (let end = start + 1; end <= Math.min(n, start + maxLength); end++) {
        candidate += chars[end - 1];
        const entry = pieces.get(candidate);
        if (!entry) continue;
        if (end === start + 1) matchedAny = true;
        const score = base + entry.score;
        if (score > best[end]!) {
          best[end] = score;
          backStart[end] = start;
          backId[end] = entry.id;
        }
      }
      if (!matchedAny) {
        const score = base + unknownScore;
        if (score > best[start + 1]!) {
          best[start + 1] = score;
          backStart[start + 1] = start;
          backId[start + 1] = UNKNOWN_ID;
        }
      }
    }
    const out: Array<{ id: number; piece: string }> = [];
    for (let end = n; end > 0; ) {
      const start = backStart[end]!;
      out.push({ id: backId[end]!, piece: chars.slice(start, end).join('') });
      end = start;
    }
    return out.reverse();
  }

  return {
    size: vocabulary.length,
    encode: (text) => segment(text).map((token) => token.id),
    pieces: (text) => segment(text).map((token) => token.piece),
  };
}
