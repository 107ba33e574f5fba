/**
 * Punctuation spoken into a dictation app that wrote it out as words: "I'm dictating this comma sorry full stop",
 * "здравствуйте запятая … вопросительный знак". Left as words, the message is one run-on sentence whose
 * question is never found, with "comma" and "question mark" among the words it is matched by.
 */

interface SpokenMark {
  /** Regular-expression source of the spoken words, matched case-insensitively as whole words. */
  words: string;
  mark: string;
}

/** Marks no customer writes as words in a sentence of their own: two of them make a text dictated. */
const SURE: readonly SpokenMark[] = [
  { words: 'comma|virgola|komma|запятая', mark: ',' },
  { words: 'full stop', mark: '.' },
  { words: 'question mark|punto interrogativo|punto di domanda|fragezeichen|вопросительный знак', mark: '?' },
  { words: 'exclamation (?:mark|point)|punto esclamativo|ausrufezeichen|восклицательный знак', mark: '!' },
  { words: 'new paragraph|nuovo paragrafo|neuer absatz|новый абзац', mark: '\n\n' },
  { words: 'new line|a capo|neue zeile|новая строка|с новой строки', mark: '\n' },
];

/**
 * Words that are a full stop only in a text already known to be dictated: "punto", "Punkt", "точка" and "period"
 * are words too, and stay before what makes them one ("точка выдачи" is a pickup point, "punto vendita" a shop).
 */
const MAYBE: readonly SpokenMark[] = [{ words: 'period|punto|punkt|точка', mark: '.' }];
const MAYBE_BEFORE = String.raw`\s+(?:of|di|del|della|vendita|ritiro|für|выдачи|доступа|зрения|отсчёта|отсчета|продаж)(?![\p{L}])`;

const DICTATED_AT_LEAST = 2;

const wordPattern = (marks: readonly SpokenMark[]) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${marks.map((m) => m.words).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
const SURE_WORDS = wordPattern(SURE);
const ALL_WORDS = wordPattern([...SURE, ...MAYBE]);

const MARKS = [...SURE, ...MAYBE].map((mark) => ({ ...mark, sure: SURE.includes(mark), pattern: new RegExp(`^(?:${mark.words})$`, 'iu') }));

/** The mark spoken words stand for, and whether only dictation writes them. */
function markOf(spoken: string): { mark: string; sure: boolean } | undefined {
  const words = spoken.replace(/\s+/gu, ' ');
  return MARKS.find((mark) => mark.pattern.test(words));
}

/**
 * The text with spoken punctuation written as marks, when it was dictated: two or more marks only a dictation
 * writes out, and more of them than marks typed (a message that mentions a comma has its own punctuation).
 * Otherwise the text as given. Pure.
 */
export function withSpokenPunctuation(text: string): string {
  const spoken = text.match(SURE_WORDS)?.length ?? 0;
  if (spoken < DICTATED_AT_LEAST) return text;
  // Typed marks that end or split a sentence, not those inside a domain, a number or "I'm".
  const typed = text.match(/[,.?!;](?=\s|$)/gu)?.length ?? 0;
  if (typed >= spoken) return text;
  // Sticky, made per text: tested where a word ends, without copying the rest of the text.
  const before = new RegExp(MAYBE_BEFORE, 'iuy');
  return text.replace(ALL_WORDS, (words: string, at: number) => {
    const found = markOf(words);
    if (found === undefined) return words;
    if (!found.sure) {
      before.lastIndex = at + words.length;
      if (before.test(text)) return words;
    }
    // A private-use character marks where the mark goes, so the spaces before it can go next.
    return `\uE000${found.mark}`;
  })
    // The spaces before a mark go; a line break takes the spaces around it.
    .replace(/[ \t]*\uE000(\n+)[ \t]*/gu, '$1')
    .replace(/[ \t]*\uE000/gu, '');
}
