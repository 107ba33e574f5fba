/**
 * Case folding: an ALL CAPS message matches like a normal one ("MY ORDER NEVER ARRIVED" reads as
 * "My order never arrived"), while ids (BC-4410273) and known acronyms (DNS, VAT) stay as written.
 * Folding keeps every offset: a letter whose lower case is longer ("İ") is left as it is.
 */
import { primaryLanguage } from './phrases.js';
import { overlaps, sentencesOf, type Span } from './text.js';

/** Acronyms that keep their capitals. */
export const defaultAcronyms: readonly string[] = Object.freeze(
  `SSL TLS DNS MX SPF DKIM DMARC CNAME TXT CAA NS VAT PDF URL FAQ EU UK US USA API PIN PUK IBAN BIC SWIFT ID SMS OTP GDPR DSGVO IVA IP FTP SFTP SSH SMTP IMAP
   HTTP HTTPS WWW HTML CSS PHP CSV SEO UPS DHL DPD GLS TNT USPS ATM CVV CVC EUR USD GBP CHF RUB TV PC ИНН НДС СМС РФ ООО ИП`
    .split(/\s+/)
    .filter(Boolean),
);

export interface FoldCapsOptions {
  /** Acronyms kept in capitals. Default `defaultAcronyms`. */
  acronyms?: readonly string[];
  /** Spans left exactly as written (e-mails, URLs, ids found as entities). Default none. */
  keep?: readonly Span[];
  /** Language: English gets its "I" back. Default `en` for sentence splitting. */
  language?: string;
  /** Share of upper-case letters from which the whole message is folded. Default 0.6. */
  messageShare?: number;
  /** Share of upper-case letters from which one sentence is folded. Default 0.7. */
  sentenceShare?: number;
}

export interface FoldedText {
  text: string;
  /** Whether anything was folded. */
  folded: boolean;
}

function caseCounts(text: string): { upper: number; lower: number } {
  return { upper: (text.match(/\p{Lu}/gu) ?? []).length, lower: (text.match(/\p{Ll}/gu) ?? []).length };
}

/** Whether a stretch of text is shouted: most of its cased letters are capitals, and enough of them to tell. */
function shouted(text: string, share: number, minimum: number): boolean {
  const { upper, lower } = caseCounts(text);
  return upper + lower >= minimum && upper / (upper + lower) >= share;
}

const lowerKeepingLength = (text: string) => [...text].map((char) => (char.toLowerCase().length === char.length ? char.toLowerCase() : char)).join('');

const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’._@/+-]*/gu;

/** Lower-cases ALL CAPS text (or its shouted sentences, or words shouted together), keeping ids, acronyms and `keep` spans. */
export function foldCaps(text: string, options: FoldCapsOptions = {}): FoldedText {
  const acronyms = new Set((options.acronyms ?? defaultAcronyms).map((acronym) => acronym.toUpperCase()));
  const keep = options.keep ?? [];
  const messageShare = options.messageShare ?? 0.6;
  const sentenceShare = options.sentenceShare ?? 0.7;

  /** Ids and codes (BC-4410273, DNS_PROBE), e-mails and links, acronyms, kept spans: as written. */
  const kept = (word: string, start: number) => {
    if (/\p{N}/u.test(word) || /[@/_]/u.test(word) || keep.some((span) => overlaps(span, { start, end: start + word.length }))) return true;
    const bare = word.replace(/[.'’_+-]+$/u, '').replace(/['’]s$/u, '');
    return acronyms.has(bare.toUpperCase()) && bare === bare.toUpperCase();
  };
  /** The words that folding would change, so a message of acronyms and ids is not taken for shouting. */
  const foldable = (region: Span) =>
    [...text.slice(region.start, region.end).matchAll(TOKEN)].filter((match) => !kept(match[0], region.start + match.index)).map((match) => match[0]);

  const all = shouted(foldable({ start: 0, end: text.length }).join(' '), messageShare, 12);
  const regions: Span[] = all
    ? [{ start: 0, end: text.length }]
    : sentencesOf(text, options.language).filter((sentence) => {
        const words = foldable(sentence);
        return shouted(words.join(' '), sentenceShare, 8) && words.filter((word) => /^[^\p{Ll}]*\p{Lu}{3,}[^\p{Ll}]*$/u.test(word)).length >= 2;
      });
  // "and STILL NO REFUND!!!", "da IERI SERA": words shouted together inside a sentence written as usual. One word
  // alone ("NOT", "IKEA") may be a name or an acronym the list lacks: it stays.
  const runs = all ? [] : shoutedRuns(text, kept).filter((run) => !regions.some((region) => overlaps(region, run)));
  if (regions.length === 0 && runs.length === 0) return { text, folded: false };

  // Every replacement has the length of what it replaces, so offsets into `text` stay valid in `out`.
  let out = text;
  let folded = false;
  for (const region of regions) {
    for (const match of text.slice(region.start, region.end).matchAll(TOKEN)) {
      const start = region.start + match.index;
      const word = match[0];
      if (!/\p{Lu}/u.test(word) || kept(word, start)) continue;
      const lower = lowerKeepingLength(word);
      out = out.slice(0, start) + lower + out.slice(start + word.length);
      folded = true;
    }
  }
  for (const run of runs) {
    out = out.slice(0, run.start) + lowerKeepingLength(text.slice(run.start, run.end)) + out.slice(run.end);
    folded = true;
  }
  if (!folded) return { text, folded: false };

  // Sentences are found in the text as written: after folding, ". where" no longer starts a sentence for the segmenter.
  for (const region of regions) out = capitalized(out, region, sentencesOf(text.slice(region.start, region.end), options.language), options.language, keep);
  if (runs.length) out = englishI(out, { start: 0, end: out.length }, options.language, keep);
  return { text: out, folded: out !== text };
}

/** Two or more words in capitals in a row, with only spaces between them, that folding may change. */
function shoutedRuns(text: string, kept: (word: string, start: number) => boolean): Span[] {
  const words = [...text.matchAll(TOKEN)].map((match) => ({ start: match.index, end: match.index + match[0].length, word: match[0] }));
  const loud = (i: number) => {
    const w = words[i];
    return w !== undefined && /^\p{Lu}[\p{Lu}'’-]+$/u.test(w.word) && !kept(w.word, w.start);
  };
  const runs: Span[] = [];
  for (let i = 0; i < words.length; i++) {
    if (!loud(i)) continue;
    let j = i;
    while (loud(j + 1) && /^[ \t]+$/u.test(text.slice(words[j]!.end, words[j + 1]!.start))) j++;
    if (j > i) runs.push({ start: words[i]!.start, end: words[j]!.end });
    i = j;
  }
  return runs;
}

/** Sentence starts in `region` get their capital back; English its "I". Same length as `text`. */
function capitalized(text: string, region: Span, sentences: readonly Span[], language: string | undefined, keep: readonly Span[]): string {
  let out = text;
  for (const sentence of sentences) {
    const at = region.start + sentence.start;
    const first = out.slice(at).search(/[\p{L}\p{N}]/u);
    if (first < 0) continue;
    const index = at + first;
    // An e-mail address or a link opening the sentence stays as written.
    if (keep.some((span) => overlaps(span, { start: index, end: index + 1 }))) continue;
    const letter = out[index]!;
    const upper = letter.toUpperCase();
    if (upper.length === 1 && /\p{Ll}/u.test(letter)) out = out.slice(0, index) + upper + out.slice(index + 1);
  }
  return englishI(out, region, language, keep);
}

/** English's lone "i" (and "i'm", "i've", "i'd", "i'll") as "I", outside `keep` spans (an e-mail "i@…"). Other languages as they are. Same length. */
function englishI(text: string, region: Span, language: string | undefined, keep: readonly Span[]): string {
  if ((primaryLanguage(language) ?? 'en') !== 'en') return text;
  const slice = text.slice(region.start, region.end).replace(/(?<![\p{L}\p{N}'’@./-])i(?=(?:['’](?:m|ve|d|ll))?(?![\p{L}\p{N}@-]))/gu, (letter, offset: number) =>
    keep.some((span) => overlaps(span, { start: region.start + offset, end: region.start + offset + 1 })) ? letter : 'I',
  );
  return text.slice(0, region.start) + slice + text.slice(region.end);
}

/**
 * A message written all in lower case ("how long does standard delivery usually take??") as a
 * message in sentence case: the encoder reads "how long…" and "How long…" as different texts, and
 * was trained on the second. Text with any capital keeps its case but for English's lone "i" ("Can i
 * get a refund?"), a slip whatever the rest; `keep` spans stay as written (an e-mail address opening
 * a sentence). Same length, every offset kept.
 */
export function sentenceCase(text: string, language?: string, keep: readonly Span[] = []): FoldedText {
  if (!/\p{Ll}/u.test(text)) return { text, folded: false };
  const whole = { start: 0, end: text.length };
  const out = /\p{Lu}/u.test(text) ? englishI(text, whole, language, keep) : capitalized(text, whole, sentencesOf(text, language), language, keep);
  return { text: out, folded: out !== text };
}
