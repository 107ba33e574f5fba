/**
 * Cleaning: what of a customer's e-mail is the customer's question. email-reply-parser finds
 * quoted replies and signatures; the tables of phrases.ts find greetings, sign-offs, politeness
 * and legal footers, which it does not. Everything works on spans of the original text, so the
 * cleaned text can always be traced back (entities keep their offsets in the original).
 */
import EmailReplyParser from 'email-reply-parser';
import { allPhrases, alternation, B, E, pattern } from './phrases.js';
import { assemble, blankSpan, isBlank, linesOf, PICTOGRAPH, sentencesOf, subtract, trimSpan, type Assembled, type Line, type Span } from './text.js';

/** A person's name found in the frame of a message. */
export interface NameSpan extends Span {
  name: string;
  /** `customer`: the writer (sign-off, signature, self-introduction); `addressee`: whom the greeting greets. */
  role: 'customer' | 'addressee';
}

export interface CleanedMessage extends Assembled {
  /** Spans of the original that make the cleaned body, in order. */
  kept: Span[];
  greeting?: string;
  signOff?: string;
  signature?: string;
  quoted?: string;
  footer?: string;
  /** Where the quoted earlier messages are in the original. */
  quotedSpans: Span[];
  names: NameSpan[];
  /** Politeness sentences removed from the body. */
  politeness: string[];
  /** A greeting was removed: the body's first letter may need its capital. */
  greetingRemoved: boolean;
  /** Cleaning left nothing, so the body is the whole original. */
  keptOriginal: boolean;
}

// ── Names ────────────────────────────────────────────────────────────────────

/** Words that are capitalised in signatures and greetings without being anyone's name. */
const NOT_NAME = new Set(
  `team support service services customer customers care department dept ltd limited inc llc gmbh ag kg ug srl spa sas sa bv nv plc ооо ип оао зао co company corp
   corporation group shop store the and from management sales office admin info kundenservice kundendienst служба поддержки поддержка assistenza clienti thanks thank
   regards best hello hi hey dear sent order mobile tel phone fax email e-mail iphone ipad android outlook i me my we our you your please sir madam mr mrs ms herr frau
   signor signora everyone all there zusammen tutti everybody cheers grazie danke спасибо saluti grüße mfg lg cordialmente kind warm many yours sincerely faithfully
   ciao hallo привет здравствуйте buongiorno salve bonjour hola merci gracias director manager ceo cto owner founder account accounts billing help desk helpdesk
   www http https com net org via street road`
    .split(/\s+/)
    .filter(Boolean),
);
const PARTICLES = new Set(['van', 'von', 'de', 'di', 'da', 'del', 'della', 'der', 'den', 'la', 'le', 'du', 'dos', 'das', 'bin', 'ter', 'ten']);
const TITLE_CASE_WORD = /^(?:\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)*|\p{Lu}\.)$/u;
const CAPS_WORD = /^\p{Lu}[\p{Lu}'’]+(?:-\p{Lu}{2,})*$/u;

/** `JOHN` → `John`; other words as they are. */
const titleCase = (word: string) => (CAPS_WORD.test(word) ? word[0]! + word.slice(1).toLowerCase() : word);

/**
 * The name these words make, or undefined: one to four words, capitalised (ALL CAPS too when
 * `caps`), particles like "van" or "di" inside, none of them a word like "Team" or "Ltd".
 */
export function personName(words: string, caps = false): string | undefined {
  const parts = words.trim().replace(/[,.;:!?)]+$/u, '').split(/\s+/u).filter(Boolean);
  if (parts.length === 0 || parts.length > 4) return undefined;
  const isName = (word: string) => TITLE_CASE_WORD.test(word) || (caps && CAPS_WORD.test(word));
  for (const [i, part] of parts.entries()) {
    if (NOT_NAME.has(part.toLowerCase())) return undefined;
    const inside = i > 0 && i < parts.length - 1;
    if (!isName(part) && !(inside && PARTICLES.has(part))) return undefined;
  }
  // A lone initial ("J.") is not a name.
  if (parts.every((part) => /^\p{Lu}\.$/u.test(part))) return undefined;
  return parts.map(titleCase).join(' ');
}

const NAME_WORDS = String.raw`[\p{L}][\p{L}'’.-]*(?:[ \t]+[\p{L}][\p{L}'’.-]*){0,3}`;
/** A company's name after the writer's: capitalized, a few words, "&" and digits allowed ("Becker Tools Ltd", "Smith & Sons"). */
const COMPANY = String.raw`\p{Lu}[\p{L}\p{N}&'’.-]*(?:[ \t]+(?:&|[\p{L}\p{N}][\p{L}\p{N}&'’.-]*)){0,4}`;
const TRAILING = String.raw`[\s,!.;:)\p{Extended_Pictographic}\u{FE0F}]*`;
/** Emoji, with their joiners, variation selectors and skin tones: "👋", "🙏🏽", "👨‍💻". */
const PICTOGRAPHS = String.raw`(?:${PICTOGRAPH}[ \t]*)+`;

// ── Greetings ────────────────────────────────────────────────────────────────

interface Found extends Span {
  /** A name inside what was found, offsets in the same text. */
  name?: NameSpan;
}

// Built once, at import: the tables never change.
const GREETING = ((): { named: RegExp; bare: RegExp; plain: RegExp; addressees: RegExp; titles: RegExp; salutation: RegExp } => {
  const greetings = alternation(allPhrases, 'greetings');
  const plainGreetings = alternation(allPhrases, 'plainGreetings');
  const salutations = alternation(allPhrases, 'salutations');
  const addressees = alternation(allPhrases, 'addressees');
  const titles = alternation(allPhrases, 'titles');
  // A greeting ends at punctuation, a dash, the line's end, or an emoji ("Hi 😊 my parcel is late", "Hi :)", "Hello…").
  const emoticon = String.raw`(?:[:;=][-']?[)(DPp/\\|]+(?![\p{L}\p{N}]))`;
  const end = String.raw`[ \t]*(?:${emoticon}[ \t]*|[,!:;.…]+[ \t]*(?:${PICTOGRAPHS}|${emoticon})?|[ \t]+[-–—]|${PICTOGRAPHS}|(?=[ \t]*$))[ \t]*`;
  return {
    // Group 1: the greeting words; 2: whom it greets.
    named: pattern(String.raw`^[ \t]*(${salutations}|${greetings}${E}[ \t]*,?)[ \t]+((?:${titles}[ \t]+)?${NAME_WORDS}|${addressees})${E}${end}`),
    bare: pattern(String.raw`^[ \t]*(${greetings})${E}${end}`),
    // "hi ordered the wrong size…", "hey there my parcel…": a word that only greets needs no punctuation. Not before
    // a capitalised word: "Hello Kitty" may be a product, "Hi Maria" a name the named form reads with its comma.
    plain: pattern(String.raw`^[ \t]*(?:${plainGreetings})(?:[ \t]+${addressees})?${E}[ \t]+(?=[\p{L}\p{N}])`),
    addressees: pattern(`^${addressees}$`),
    titles: pattern(`^(?:${titles})\\s+`),
    salutation: pattern(`^${salutations}$`),
  };
})();

/** A first line that reads like a subject: a reply's or forward's prefix, a subject field, or an order or ticket reference alone. */
const SUBJECT_LINE = /^[ \t]*(?:(?:re|fwd?|fw|aw|wg|rif|sv|vs|tr|subject|betreff|oggetto|objet|asunto|тема|отв)[ \t]*:[^\n]{1,80}|(?:order|bestellung|ordine|commande|pedido|заказ|ticket|invoice|rechnung|fattura|счёт|счет)[ \t]*(?:no\.?|nr\.?|n\.?|#|№)?[ \t]*#?[\p{L}\p{N}-]*\p{N}[\p{L}\p{N}-]*)[ \t]*$/iu;

/** Words that join a team's name to the rest of a greeting: "team di Brightcart", "a tutto il team", "the Hostwell team". */
const GREETING_LINKS = new Set(['the', 'of', 'at', 'a', 'di', 'del', 'della', 'dello', 'tutto', 'tutta', 'il', 'lo', 'la', 'von', 'vom', 'der', 'de', 'du']);

/**
 * Whom a greeting greets is the helpdesk: an addressee ("team", "служба поддержки") with the brand, kind words and
 * links around it, in any order: "Hostwell support team", "команда Hostwell", "liebes Hostwell-Team", "team di
 * Brightcart", "a tutto il team", "уважаемая служба поддержки". Pure.
 */
function greetsHelpdesk(words: string): boolean {
  const { addressees, salutation } = GREETING;
  const parts = words.replace(/[,.;:!?)]+$/u, '').split(/\s+/u).filter(Boolean);
  if (parts.length === 0 || parts.length > 5) return false;
  let addressed = false;
  for (let i = 0; i < parts.length; ) {
    // The longest addressee starting here ("support team" before "support").
    let j = parts.length;
    while (j > i && !addressees.test(parts.slice(i, j).join(' '))) j--;
    if (j > i) {
      addressed = true;
      i = j;
      continue;
    }
    const part = parts[i]!;
    // "Hostwell-Team", "Brightcart-Kundenservice".
    if (part.includes('-') && addressees.test(part.slice(part.lastIndexOf('-') + 1))) addressed = true;
    else if (!(salutation.test(part) || GREETING_LINKS.has(part.toLowerCase()) || /^\p{Lu}/u.test(part))) return false;
    i++;
  }
  return addressed;
}

/** The greeting at the start of a line ("Hi Maria," or "Buongiorno,"), with the name it greets. */
export function greetingIn(line: Line): Found | undefined {
  const { named, bare, plain: unpunctuated, addressees, titles, salutation: isSalutation } = GREETING;
  const match = named.exec(line.text);
  if (match) {
    const words = match[2]!;
    const opening = match[1]!.trim();
    const untitled = words.replace(titles, '');
    const name = personName(untitled);
    // "Dear …," greets whoever it names; "Hello, I need help." names no one: only "Hello," is the greeting.
    const parts = words.split(/\s+/u);
    if (name || addressees.test(words) || greetsHelpdesk(words) || (isSalutation.test(opening) && parts.length <= 5)) {
      const found: Found = { start: line.start, end: line.start + match[0].length };
      if (name) {
        const at = line.start + match.index + match[0].indexOf(words) + (words.length - untitled.length);
        found.name = { start: at, end: at + untitled.replace(/[,.;:!?)]+$/u, '').trimEnd().length, name, role: 'addressee' };
      }
      return found;
    }
  }
  const plain = bare.exec(line.text);
  // A greeting needs its punctuation, an emoji or a line of its own: "Morgen ist …" does not greet.
  if (plain && (/[,!:;.…–—-]|\p{Extended_Pictographic}/u.test(plain[0].slice(plain[1]!.length)) || isBlank(line.text.slice(plain[0].length)))) {
    return { start: line.start, end: line.start + plain[0].length };
  }
  // "@brightcart where is my order??": a public post addresses the company by its handle.
  const handle = /^[ \t]*@[\p{L}\p{N}_]{2,30}(?![\p{L}\p{N}_.@])[ \t,:]*(?=\S)/u.exec(line.text);
  if (handle) return { start: line.start, end: line.start + handle[0].length };
  const only = unpunctuated.exec(line.text);
  // (Tested here: the pattern ignores case, and so would \p{Lu} in it.)
  if (!only || /^\p{Lu}\p{Ll}/u.test(line.text.slice(only[0].length))) return undefined;
  return { start: line.start, end: line.start + only[0].length };
}

/** The name starts with a courtesy title of a language the reader knows ("Mrs Patel", "Frau Weber", "Sig.ra Rossi", "г-жа Иванова"). Pure. */
export function startsWithTitle(name: string): boolean {
  return GREETING.titles.test(name.trim());
}

// ── Sign-offs and signatures ─────────────────────────────────────────────────

const SIGN_OFF = ((): { line: RegExp; trailing: RegExp; dashName: RegExp } => {
  const signOffs = alternation(allPhrases, 'signOffs');
  // "Regards, Tom Becker, Becker Tools Ltd", "Kind regards, Fiona Hale, Treasurer, Oakfield Animal Rescue":
  // a role and a company may follow the name on the sign-off's line.
  const name = String.raw`(?:[ \t]*[,!.;:–—-]*[ \t]*(${NAME_WORDS})(?:[ \t]*,[ \t]*${COMPANY}){0,2})?`;
  return {
    line: pattern(String.raw`^[ \t]*(?:[-–—]+[ \t]*)?(${signOffs})${E}${name}${TRAILING}$`),
    // After the last sentence of a line: "… is that normal?? grazie".
    trailing: pattern(String.raw`(?<=[.!?…)][ \t]*|^)(${signOffs})${E}${name}${TRAILING}$`),
    // A dash and a name, after the last sentence or on a line of its own: "… valid till sunday?? - Kai".
    dashName: pattern(String.raw`(?<=[.!?…)][ \t]*|^[ \t]*)()[-–—~]+[ \t]*(\p{L}[\p{L}'’.-]*(?:[ \t]+\p{L}[\p{L}'’.-]*)?)${TRAILING}$`),
  };
})();

/** A line that is only a sign-off, perhaps with the writer's name ("Thanks, Maria"). */
export function signOffIn(line: Line): Found | undefined {
  const { line: pattern } = SIGN_OFF;
  const match = pattern.exec(line.text);
  if (!match) return undefined;
  const found: Found = { start: line.start, end: line.end };
  const words = match[2];
  if (words) {
    const name = personName(words, true);
    if (!name) return undefined;
    const at = line.start + match[0].lastIndexOf(words);
    found.name = { start: at, end: at + words.replace(/[,.;:!?)]+$/u, '').trimEnd().length, name, role: 'customer' };
  }
  return found;
}

/** A sign-off ending a line that says something else first ("Can you check? Thanks!"). */
function trailingSignOffIn(line: Line): Found | undefined {
  const { trailing, dashName } = SIGN_OFF;
  // A sign-off is the end of the line: only its last characters are searched.
  const cut = Math.max(0, line.text.length - 160);
  const tail = line.text.slice(cut);
  const phrase = trailing.exec(tail);
  // A dash and a name is a sign-off only where it names someone; a line of its own is one too.
  const match = phrase ?? dashName.exec(tail);
  if (!match || (cut > 0 && match.index === 0)) return undefined;
  const index = cut + match.index;
  if (phrase && isBlank(line.text.slice(0, index))) return undefined;
  if (!phrase && !personName(match[2]!, true)) return undefined;
  const found: Found = { start: line.start + index, end: line.end };
  const words = match[2];
  if (words) {
    const name = personName(words, true);
    if (!name) return undefined;
    const at = line.start + index + match[0].lastIndexOf(words);
    found.name = { start: at, end: at + words.replace(/[,.;:!?)]+$/u, '').trimEnd().length, name, role: 'customer' };
  }
  return found;
}

const SEPARATOR_LINE = /^\s*(?:--\s?|[-_=+*~]{2,})\s*$/u;

/** The writer's name from a signature's first line ("John Smith | +44 20 …", "Maria"). */
function signatureName(lines: readonly Line[]): NameSpan | undefined {
  const first = lines.find((line) => !isBlank(line.text) && !SEPARATOR_LINE.test(line.text));
  // A signature line is short; a long one is message (and would cost the pattern below dearly).
  if (!first || first.text.length > 120) return undefined;
  const head = /^\s*([^|,•·–—\t]+?)\s*(?:[|,•·–—\t]|\s-\s|$)/u.exec(first.text);
  const words = head?.[1];
  if (!words) return undefined;
  const untitled = words.replace(GREETING.titles, '');
  const name = personName(untitled, true);
  if (!name) return undefined;
  const at = first.start + first.text.indexOf(words) + (words.length - untitled.length);
  return { start: at, end: at + untitled.length, name, role: 'customer' };
}

const CONTACT = /[\d@|]|www\.|https?:/iu;

/** Lines a signature below a sign-off may have: name, title, company, address, phone, office hours. */
const SIGNATURE_LINES = 6;

const isPostScript = (line: Line) => /^\s*(?:p\.?\s?p?\.?\s?s\.?|ps)(?:[\s:.,-]|$)/iu.test(line.text);

/**
 * A line a signature is made of: a name, a company, a title, a phone number. Short, asks nothing,
 * and does not read like a sentence (two or more lower-case words of four letters or more).
 */
function signatureIsh(line: Line): boolean {
  const text = line.text.trim();
  if (!text || SEPARATOR_LINE.test(text)) return true;
  if (text.length > 120) return false;
  if (isPostScript(line) || /\?\s*$/u.test(text)) return false;
  const words = text.split(/\s+/u);
  // An address or office hours run longer than a title: "Office hours: Mon–Thu 8.30am–3.30pm, Fri 8.30am–12pm".
  const contact = CONTACT.test(text);
  // …but one sentence at most: "Il sito mostra errore 500 da stamattina. Cosa posso fare?" has a number too.
  if (words.length > (contact && !/[.?!]\s+\p{L}/u.test(text) ? 14 : 8)) return false;
  if (contact || signatureName([line])) return true;
  return words.filter((word) => /^\p{Ll}\p{L}{3,}/u.test(word)).length < 2;
}

/** The first P.S. among the last lines of `lines[from, end)`: what follows it is body again, even below a sign-off. */
export function postScriptLine(lines: readonly Line[], from: number, end: number): number | undefined {
  let found: number | undefined;
  let seen = 0;
  for (let i = end - 1; i > from && seen < 12; i--) {
    if (isBlank(lines[i]!.text)) continue;
    seen++;
    if (isPostScript(lines[i]!)) found = i;
  }
  return found;
}

export interface Closing {
  /** The sign-off: its lines, or the end of the last line of the body. */
  signOff: Found;
  /** The sign-off ends a line whose start is body. */
  inline: boolean;
  /** Lines after the sign-off, up to the P.S. or the end. */
  signature: Line[];
  name?: NameSpan;
}

/**
 * The sign-off closing `lines[from, end)`: walking up from the last line through what may be a
 * signature (or what email-reply-parser marked as one), the earliest sign-off line wins
 * ("Thanks in advance!\nBest regards\nJohn"); else a sign-off ending the last line.
 */
export function closingIn(lines: readonly Line[], from: number, end: number, signatureLines?: ReadonlySet<number>): Closing | undefined {
  let last = end - 1;
  while (last >= from && isBlank(lines[last]!.text)) last--;
  if (last < from) return undefined;
  let first: number | undefined;
  let seen = 0;
  // The lowest line that is neither a sign-off nor signature-like: the body's last line.
  let bodyEnd: number | undefined;
  for (let i = last; i >= from; i--) {
    const line = lines[i]!;
    if (isBlank(line.text)) continue;
    if (signOffIn(line)) {
      first = i;
      continue;
    }
    const marked = signatureLines?.has(i) ?? false;
    if ((marked || signatureIsh(line)) && (marked || ++seen <= SIGNATURE_LINES)) continue;
    bodyEnd = i;
    break;
  }
  if (first !== undefined) {
    // The sign-off runs over consecutive sign-off lines; the signature is what follows.
    let lastSignOff = first;
    for (let k = first + 1; k < end; k++) {
      if (isBlank(lines[k]!.text)) continue;
      if (!signOffIn(lines[k]!)) break;
      lastSignOff = k;
    }
    const signature = lines.slice(lastSignOff + 1, end);
    const plain = signature.filter((line, k) => !isBlank(line.text) && !signatureLines?.has(lastSignOff + 1 + k));
    if (plain.length <= SIGNATURE_LINES) {
      const own = signOffIn(lines[lastSignOff]!)?.name ?? signOffIn(lines[first]!)?.name;
      const name = own ?? signatureName(signature);
      const signOff: Found = { start: lines[first]!.start, end: lines[lastSignOff]!.end };
      return { signOff, inline: false, signature, ...(name ? { name } : {}) };
    }
  }
  const trailing = trailingSignOffIn(lines[last]!);
  if (trailing) return { signOff: trailing, inline: true, signature: lines.slice(last + 1, end), ...(trailing.name ? { name: trailing.name } : {}) };
  // "…Cosa posso fare? Grazie mille\nLuca Verdi\nTel. 333 1234567": the sign-off ends the body's last line, a signature follows.
  if (first === undefined && bodyEnd !== undefined && bodyEnd < last && last - bodyEnd <= 4) {
    const inline = trailingSignOffIn(lines[bodyEnd]!);
    if (inline) {
      const signature = lines.slice(bodyEnd + 1, end);
      const name = inline.name ?? signatureName(signature);
      return { signOff: inline, inline: true, signature, ...(name ? { name } : {}) };
    }
  }
  // "…As per subject.\n\nCiara\n\nGet Outlook for Android": the name signs above a mail app's line.
  let named = last;
  while (named > from && (isBlank(lines[named]!.text) || (signatureLines?.has(named) ?? false))) named--;
  return nameBlockIn(lines, from, named, last) ?? firstNameBelow(lines, from, last);
}

/** A line that ends a sentence: a full stop, an exclamation, an ellipsis, an emoticon or an emoji. */
const SENTENCE_ENDED = /(?:[.!…]|[:;=]-?[()/\\|DPp]|\p{Extended_Pictographic}\uFE0F?)[ \t]*$/u;

/**
 * "…Very disappointed :-/\nAisha": a first name alone on the last line, right below a line that ends a sentence,
 * with more written above. Not below a question or an unfinished line ("Please send it to\nLondon").
 */
function firstNameBelow(lines: readonly Line[], from: number, last: number): Closing | undefined {
  const line = lines[last]!;
  const word = line.text.trim();
  const above = last - 1;
  if (above <= from || isBlank(lines[above]!.text) || !SENTENCE_ENDED.test(lines[above]!.text)) return undefined;
  if (!/^\p{Lu}[\p{Ll}'’-]{1,20}$/u.test(word) || !personName(word)) return undefined;
  const at = line.start + line.text.indexOf(word);
  return { signOff: { start: line.start, end: line.end }, inline: false, signature: [], name: { start: at, end: at + word.length, name: word, role: 'customer' } };
}

/**
 * A message signed with a name alone: "…disappear?\n\nAndrea", or "Tom Becker\nBecker Bikes" below
 * a blank line. The block after the last blank line opens with a line that is only a person's name,
 * the rest of it reads like a signature, and something is written above it. `tail`: the last line of the
 * signature, below `last` when a mail app's line follows the name block.
 */
function nameBlockIn(lines: readonly Line[], from: number, last: number, tail = last): Closing | undefined {
  let blank = last;
  while (blank > from && !isBlank(lines[blank]!.text)) blank--;
  const start = blank + 1;
  if (blank <= from || !isBlank(lines[blank]!.text) || last - start > 3) return undefined;
  const above = lines.slice(from, blank).some((line) => !isBlank(line.text));
  const nameLine = lines[start]!;
  const words = nameLine.text.trim();
  const name = above && words.length <= 60 ? personName(words, true) : undefined;
  if (!name || !lines.slice(start + 1, last + 1).every(signatureIsh)) return undefined;
  const at = nameLine.start + nameLine.text.indexOf(words);
  const length = words.replace(/[,.;:!?)]+$/u, '').length;
  return {
    signOff: { start: nameLine.start, end: nameLine.end },
    inline: false,
    signature: lines.slice(start + 1, tail + 1),
    name: { start: at, end: at + length, name, role: 'customer' },
  };
}

// ── Self-introductions ───────────────────────────────────────────────────────

/** "my name is Anna Rossi", "mi chiamo Anna", "меня зовут Анна": the writer's name in the body. */
export function selfIntroductionsIn(text: string, range: Span = { start: 0, end: text.length }): NameSpan[] {
  const explicit = pattern(String.raw`^(?:my name(?: is|'s|’s)|mi chiamo|il mio nome è|mein name ist|ich hei(?:ß|ss)e|меня зовут|мо[её] имя|je m['’]appelle|mon nom est|me llamo|mi nombre es)$`);
  const introduction = pattern(String.raw`${B}(${alternation(allPhrases, 'selfIntroductions')})[ \t]+(${NAME_WORDS})`, 'giu');
  const found: NameSpan[] = [];
  const slice = text.slice(range.start, range.end);
  for (const match of slice.matchAll(introduction)) {
    const words = match[2]!;
    const caps = explicit.test(match[1]!.toLowerCase().replace(/\s+/g, ' '));
    // Take the longest run of name words: "I'm Anna Rossi and I ordered" → "Anna Rossi".
    const parts = words.split(/[ \t]+/);
    for (let n = Math.min(parts.length, 3); n >= 1; n--) {
      const candidate = parts.slice(0, n).join(' ');
      const name = personName(candidate, caps);
      if (name) {
        const at = range.start + match.index + match[0].length - words.length;
        found.push({ start: at, end: at + candidate.replace(/[,.;:!?)]+$/u, '').length, name, role: 'customer' });
        break;
      }
    }
  }
  return found;
}

/** Names a message's frame gives: the greeting's addressee, the writer from the sign-off or signature, self-introductions. */
export function namesIn(text: string): NameSpan[] {
  const lines = linesOf(text);
  const names: NameSpan[] = [];
  const first = lines.find((line) => !isBlank(line.text));
  const greeting = first ? greetingIn(first) : undefined;
  if (greeting?.name) names.push(greeting.name);
  const closing = closingIn(lines, 0, postScriptLine(lines, 0, lines.length) ?? lines.length);
  if (closing?.name) names.push(closing.name);
  names.push(...selfIntroductionsIn(text));
  return names;
}

// ── Quotes and footers ───────────────────────────────────────────────────────

const OUTLOOK_FROM = /^\s*\*?(?:from|von|da|de|от|od|van)\s*:\*?\s*\S/iu;
const OUTLOOK_FIELD = /^\s*\*?(?:sent|date|to|subject|gesendet|datum|an|betreff|inviato|data|a|oggetto|envoyé|objet|à|enviado|fecha|para|asunto|отправлено|дата|кому|тема)\s*:/iu;

/** A line that introduces a quoted message: "-----Original Message-----", "… пишет:", an Outlook "From:/Sent:" block. */
const QUOTE_HEADER = pattern(String.raw`^[ \t]*(?:${alternation(allPhrases, 'quoteHeaders')})[ \t]*$`);

/**
 * A ticket system's marker above its notification ("##- Please type your reply above this line -##", Zendesk's,
 * in the reader's languages): what is written above it is the reply.
 */
const REPLY_MARKER = /^[ \t>]*#{1,3}-?[ \t]*[^#\n]{0,20}(?:reply above this line|antwort (?:über|oberhalb) dieser zeile|risposta sopra questa riga|ответ (?:над|выше) этой строк)[^#\n]{0,20}-?#{1,3}[ \t]*$/iu;

/** A date with a time, as a helpdesk's notification heads each earlier reply ("Mar 10, 2025, 15:02 GMT", "4 Mar 2025, 09:31"). */
const STAMP_LINE = /^[ \t]*(?:\p{L}{3,9}\.?[ \t]+\d{1,2},?[ \t]+\d{4}|\d{1,2}\.?[ \t]+\p{L}{3,9}\.?[ \t]+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}),?[ \t]+(?:at[ \t]+|um[ \t]+|alle[ \t]+|в[ \t]+)?\d{1,2}[:.]\d{2}\b[^\n]{0,20}$/iu;
/** "Your request (#51277) has been updated.": a helpdesk's notification, quoted below the reply. */
const NOTIFICATION_LINE = /\b(?:request|ticket|case|anfrage|richiesta|запрос|обращение|заявка)[ \t]*\(?[ \t]*#?\d+\)?[ \t]+(?:has been|was|wurde|è stat[ao]|был[ао]?)[ \t]+(?:updated|answered|aktualisiert|beantwortet|aggiornat[ao]|обновлен[ао]?)/iu;
const RULE_LINE = /^[ \t]*[-_=]{10,}[ \t]*$/u;

/** A long rule above a helpdesk's notification or an agent's dated reply: the history of the ticket, quoted. */
function isHistoryRule(lines: readonly Line[], i: number): boolean {
  if (!RULE_LINE.test(lines[i]!.text)) return false;
  let seen = 0;
  for (let j = i + 1; j < lines.length && seen < 4; j++) {
    const text = lines[j]!.text;
    if (isBlank(text)) continue;
    seen++;
    if (STAMP_LINE.test(text) || NOTIFICATION_LINE.test(text)) return true;
  }
  return false;
}

function isQuoteHeader(lines: readonly Line[], i: number): boolean {
  const line = lines[i]!.text;
  if (QUOTE_HEADER.test(line) || REPLY_MARKER.test(line) || isHistoryRule(lines, i)) return true;
  if (OUTLOOK_FROM.test(line)) {
    for (let j = i + 1; j < Math.min(lines.length, i + 5); j++) if (OUTLOOK_FIELD.test(lines[j]!.text)) return true;
  }
  return false;
}

type LineKind = 'body' | 'quoted' | 'signature';

const MAX_PARSED_LINE = 300;

/**
 * What email-reply-parser makes of each line. It returns fragments of text, not offsets: each
 * fragment is found again in the original from its first line, whose words are matched with any
 * white space between them (the parser trims lines and joins a wrapped "On … wrote:" header).
 */
function lineKinds(original: string, lines: readonly Line[]): LineKind[] {
  const kinds: LineKind[] = lines.map(() => 'body');
  let fragments;
  try {
    // Its quote-header patterns backtrack on long lines ("on … at … wrote:"); no header is that long,
    // and a line cut short still starts with the words that find it again below.
    const input = lines.map((line) => (line.text.length > MAX_PARSED_LINE ? line.text.slice(0, MAX_PARSED_LINE) : line.text)).join('\n');
    fragments = new EmailReplyParser().read(input).getFragments();
  } catch {
    return kinds;
  }
  let cursor = 0;
  let lineIndex = 0;
  const starts: Array<{ line: number; kind: LineKind }> = [];
  for (const fragment of fragments) {
    const firstLine = fragment
      .getContent()
      .split('\n')
      .find((line) => !isBlank(line));
    if (firstLine === undefined) continue;
    const words = firstLine.trim().split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const pattern = new RegExp(words.join('\\s+'), 'g');
    pattern.lastIndex = cursor;
    const match = pattern.exec(original);
    if (!match) break;
    cursor = match.index + match[0].length;
    while (lineIndex < lines.length - 1 && lines[lineIndex]!.end < match.index) lineIndex++;
    starts.push({ line: lineIndex, kind: fragment.isQuoted() ? 'quoted' : fragment.isSignature() ? 'signature' : 'body' });
  }
  starts.forEach((start, i) => {
    const end = starts[i + 1]?.line ?? lines.length;
    for (let line = start.line; line < end; line++) kinds[line] = start.kind;
  });
  return kinds;
}

const MOBILE_SIGNATURE = pattern(String.raw`^[ \t]*(?:${alternation(allPhrases, 'mobileSignatures')})[ \t.]*$`);

/**
 * A mail app's line the parser does not know ("Inviato da iPhone", "Отправлено с iPhone"), the last written between
 * the message's opening line and `end` (the quote, or the end), is a signature: the body ends above it.
 */
function markMobileSignature(lines: readonly Line[], kinds: LineKind[], opening: number, end: number): void {
  for (let i = end - 1; i > opening; i--) {
    if (isBlank(lines[i]!.text)) continue;
    // On a line of its own below a blank one, as mail apps write it: "Inviato da poco il pacco" under a sentence is the message.
    if (kinds[i] === 'body' && isBlank(lines[i - 1]!.text) && lines[i]!.text.length <= 80 && MOBILE_SIGNATURE.test(lines[i]!.text)) kinds[i] = 'signature';
    return;
  }
}

const FOOTER = pattern(String.raw`^[ \t]*(?:[*_=-]+[ \t]*)?(?:${alternation(allPhrases, 'footers')})`);

function footerLine(lines: readonly Line[], from: number, end: number): number | undefined {
  for (let i = from; i < end; i++) if (FOOTER.test(lines[i]!.text)) return i;
  return undefined;
}

// ── Politeness ───────────────────────────────────────────────────────────────

const POLITENESS = pattern(String.raw`^(?:(?:and|so|e|und|и|et|y)\s+)?(?:${alternation(allPhrases, 'politeness')})${E}(?:[\s,]+(?:please|per favore|bitte|пожалуйста|s'il vous plaît|por favor))?${TRAILING}$`,
);

function politenessSentences(text: string, span: Span, language: string | undefined): Span[] {
  const slice = text.slice(span.start, span.end);
  return sentencesOf(slice, language)
    .filter((sentence) => POLITENESS.test(sentence.text))
    .map((sentence) => ({ start: span.start + sentence.start, end: span.start + sentence.end }));
}

const INTRODUCTION_PHRASE = pattern(String.raw`^(?:${alternation(allPhrases, 'selfIntroductions')})$`);

/**
 * Sentences that only say who writes ("My name is Olivia Brown."): the name is kept (see
 * selfIntroductionsIn), the sentence is not matched: it holds nothing of the question.
 */
function introductionSentences(text: string, span: Span, language: string | undefined): Span[] {
  return sentencesOf(text.slice(span.start, span.end), language)
    .filter((sentence) => {
      const intro = selfIntroductionsIn(sentence.text)[0];
      return intro !== undefined && INTRODUCTION_PHRASE.test(sentence.text.slice(0, intro.start).trim()) && !/[\p{L}\p{N}]/u.test(sentence.text.slice(intro.end));
    })
    .map((sentence) => ({ start: span.start + sentence.start, end: span.start + sentence.end }));
}

// ── The whole message ────────────────────────────────────────────────────────

const joinLines = (lines: readonly Line[]): string | undefined => {
  const text = lines
    .map((line) => line.text.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text ? text : undefined;
};

const sliceOf = (original: string, span: Span): string | undefined => {
  const trimmed = trimSpan(original, span);
  const text = original.slice(trimmed.start, trimmed.end).replace(/\r\n?/g, '\n');
  return text ? text : undefined;
};

// ── Automatic replies ────────────────────────────────────────────────────────

const AUTO_REPLY_HEADER = pattern(String.raw`^[ \t]*(?:${alternation(allPhrases, 'autoReplies')})${E}[ \t]*[:.!]`, 'imu');
const AWAY = pattern(`${B}${alternation(allPhrases, 'away')}${E}`);
const AWAY_NOTICE = pattern(`${B}${alternation(allPhrases, 'awayNotices')}`);

/**
 * The message is an automatic reply: a line opens with what only such replies say of themselves
 * ("Automatic reply: Re: your order", "Abwesenheitsnotiz:", "This is an automated response."), or it
 * says its writer is away and what an out-of-office message says besides ("I am out of the office
 * until 16 March with limited access to email"). A customer who writes that they are on holiday
 * ("I'm on holiday until Monday, can you hold my parcel?") says only the first. Pure.
 */
export function isAutoReply(text: string): boolean {
  return AUTO_REPLY_HEADER.test(text) || (AWAY.test(text) && AWAY_NOTICE.test(text));
}

// ── Forwarded messages ───────────────────────────────────────────────────────

/** The line a mail client starts a forwarded message with (Gmail, Outlook, Apple Mail, Thunderbird), in the reader's languages. */
const FORWARD_HEADER =
  /^[ \t]*(?:-{2,}[ \t]*(?:forwarded message|messaggio inoltrato|weitergeleitete nachricht|пересылаемое сообщение|пересланное сообщение|message transféré|mensaje reenviado)[ \t]*-*|(?:begin forwarded message|inizio (?:del )?messaggio inoltrato|anfang der weitergeleiteten (?:nachricht|e-?mail)|начало (?:пересылаемого|переадресованного|пересланного) сообщения)[ \t]*:?)[ \t]*$/iu;

/** Words written above a forwarded message that leave it the message ("FYI", "See below, please"). */
const FORWARD_NOTE_WORDS = 4;

/**
 * A message that is a forward with nothing, or a few words, written above it: what was forwarded is
 * what the customer asks about. The forward's header line and its From/Date/Subject lines are blanked
 * (same length, so every offset stays the original's) and their span returned; `undefined` when the
 * message is no such forward. Forwarded with a question above it, the forward stays a quote.
 */
function unwrapForward(original: string, lines: readonly Line[]): { text: string; header: Span } | undefined {
  const at = lines.findIndex((line) => FORWARD_HEADER.test(line.text));
  if (at < 0) return undefined;
  const above = lines.slice(0, at).map((line) => line.text).join(' ');
  if ((above.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) > FORWARD_NOTE_WORDS) return undefined;
  let last = at;
  while (last + 1 < lines.length && (OUTLOOK_FROM.test(lines[last + 1]!.text) || OUTLOOK_FIELD.test(lines[last + 1]!.text))) last++;
  const start = lines[at]!.start;
  const end = lines[last]!.end;
  return { text: blankSpan(original, { start, end }), header: { start, end } };
}

// ── Web forms ────────────────────────────────────────────────────────────────

/** A contact form's field for the customer's own words. */
const FORM_MESSAGE = String.raw`message|your message|comments?|question|your question|enquiry|inquiry|details|description|how can we help(?: you)?\??|messaggio|richiesta|domanda|descrizione|nachricht|ihre nachricht|anliegen|frage|beschreibung|сообщение|ваше сообщение|вопрос|описание|комментарий`;
/** The field with the customer's name (a first and a last name are joined). */
const FORM_NAME = String.raw`(?:full |your )?name|first name|last name|surname|nome(?: e cognome)?|cognome|(?:vor|nach)?name|имя|фамилия|фио`;
/** Other fields a contact form sends: who, how to reach them, what about. */
const FORM_OTHER = String.raw`e-?mail(?: address)?|phone(?: number)?|telephone|mobile|order(?: number| no\.?| id| #)?|subject|topic|category|reason|company|country|indirizzo e-?mail|telefono|cellulare|(?:numero (?:d'|dell')?)?ordine|oggetto|motivo|azienda|e-?mail-adresse|telefon|bestellnummer|betreff|firma|kategorie|почта|электронная почта|телефон|номер заказа|заказ|тема|компания`;
// A field may carry a hint or a required mark before its colon: "Order number (if applicable):", "Email*:".
const FORM_FIELD = pattern(String.raw`^[ \t]*(?:(${FORM_MESSAGE})|(${FORM_NAME})|(?:${FORM_OTHER}))(?:[ \t]*\([^)\n]{1,40}\))?[ \t]*\*?[ \t]*:[ \t]*(.*)$`);

/**
 * A message sent from a contact form ("Name: John Carter\nEmail: …\nOrder number: …\nMessage: Where is
 * my parcel?"): two or more fields, one of them the message. The other fields and the labels are blanked
 * (same length: every offset stays the original's), so that what is matched is the customer's own words,
 * and the name field's value is the writer's name. `undefined` when the message is no form.
 */
function unwrapForm(original: string, lines: readonly Line[]): { text: string; name?: NameSpan } | undefined {
  let at = 0;
  while (at < lines.length && isBlank(lines[at]!.text)) at++;
  const fields: Array<{ line: number; kind: 'message' | 'name' | 'other'; value: Span }> = [];
  for (let i = at; i < lines.length; i++) {
    const match = FORM_FIELD.exec(lines[i]!.text);
    if (!match) break;
    const valueStart = lines[i]!.start + lines[i]!.text.length - match[3]!.length;
    fields.push({ line: i, kind: match[1] ? 'message' : match[2] ? 'name' : 'other', value: { start: valueStart, end: lines[i]!.end } });
  }
  const messages = fields.filter((field) => field.kind === 'message');
  if (fields.length < 2 || messages.length === 0) return undefined;
  // Every field of the customer's own words stays: "Anliegen: Zahlung" above "Nachricht: Ich habe per PayPal bezahlt…"
  // (only the first had been kept, and the question blanked with the other fields).
  const blanks: Span[] = fields.filter((field) => field.kind !== 'message').map((field) => ({ start: lines[field.line]!.start, end: lines[field.line]!.end }));
  for (const message of messages) blanks.push({ start: lines[message.line]!.start, end: message.value.start });
  const text = blanks.reduce(blankSpan, original);
  const named = fields.filter((field) => field.kind === 'name').map((field) => original.slice(field.value.start, field.value.end).trim()).filter(Boolean);
  const words = named.join(' ');
  const person = words ? personName(words, true) : undefined;
  const first = fields.find((field) => field.kind === 'name');
  return { text, ...(person && first ? { name: { start: first.value.start, end: first.value.start + original.slice(first.value.start, first.value.end).trim().length, name: person, role: 'customer' as const } } : {}) };
}

// ── Chat transcripts ─────────────────────────────────────────────────────────

/** A time stamp: "[14:02]", "[18/03/2025, 08:47:12]", "(15:10)". */
const STAMP = String.raw`[\[(][^\])\n]{0,24}\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?[\])]`;
/** A line said in a chat: "[14:02] Visitor: hello", "[18/03/2025, 08:47:12] Mark: …", "Клиент (15:10): …". Group 1: who. */
const CHAT_LINE = new RegExp(String.raw`^[ \t]*(?:${STAMP}[ \t]*([^:\n]{1,40}?)|([^:\n\[(]{1,40}?)[ \t]*${STAMP})[ \t]*:[ \t]*\S`, 'u');
/** A chat's own event: "[14:31] Visitor has left the chat." */
const CHAT_EVENT = new RegExp(String.raw`^[ \t]*${STAMP}[ \t]*[^:\n]*$`, 'u');
/** Who speaks for the company in a chat: its bot, agents and operators. */
const COMPANY_SPEAKER = pattern(String.raw`${B}(?:bot|chatbot|assistant|agent|operator|support|service|team|admin|system|helpdesk|advisor|бот|ассистент|оператор|поддержка|сотрудник|консультант|менеджер|operatore|assistente|supporto|consulente|mitarbeiter(?:in)?|berater(?:in)?|kundenservice|kundendienst)${E}`);
/** Lines said in a chat, at least this many: a transcript, not a message that quotes a time. */
const CHAT_LINES = 3;

/**
 * A chat pasted into a message (a web chat's transcript, a WhatsApp conversation): the spans that go. What the
 * company's bot and agents said, the time stamps and names before the customer's lines, and the chat's own events;
 * the customer's lines stay, with what is written around the chat. Empty when the message is no transcript.
 */
function transcriptSpans(lines: readonly Line[]): Span[] {
  const said = lines.map((line) => CHAT_LINE.exec(line.text));
  if (said.filter(Boolean).length < CHAT_LINES) return [];
  const spans: Span[] = [];
  lines.forEach((line, i) => {
    const match = said[i];
    if (match) {
      const who = (match[1] ?? match[2] ?? '').trim();
      // The match ends at the first letter said: the colon before it closes the label (the stamp has colons too).
      spans.push(COMPANY_SPEAKER.test(who) ? line : { start: line.start, end: line.start + match[0].lastIndexOf(':') + 1 });
    } else if (CHAT_EVENT.test(line.text)) spans.push(line);
  });
  return spans;
}

/** Splits a message into its parts and the spans of the body to match. */
export function cleanMessage(original: string, language?: string): CleanedMessage {
  const lines = linesOf(original);
  const form = unwrapForm(original, lines);
  if (form !== undefined) {
    const cleaned = cleanMessage(form.text, language);
    return form.name ? { ...cleaned, names: [form.name, ...cleaned.names.filter((name) => name.role !== 'customer')] } : cleaned;
  }
  const forwarded = unwrapForward(original, lines);
  if (forwarded !== undefined) {
    // The note above the forward, if any, and what was forwarded, without the forward's header between them.
    const cleaned = cleanMessage(forwarded.text, language);
    const kept = subtract(cleaned.kept, forwarded.header);
    return cleaned.keptOriginal ? cleaned : { ...cleaned, ...assemble(forwarded.text, kept), kept };
  }
  const kinds = lineKinds(original, lines);
  // A ticket system's marker written above the reply, as the notification's first line, carries nothing of the customer's:
  // the message starts below it.
  let top = 0;
  for (let i = 0; i < lines.length && (isBlank(lines[i]!.text) || REPLY_MARKER.test(lines[i]!.text)); i++) {
    if (!isBlank(lines[i]!.text)) {
      kinds[i] = 'signature';
      top = i + 1;
    }
  }
  const isContent = (i: number) => !isBlank(lines[i]!.text) && kinds[i] !== 'signature';
  /** The first line with content at or after `from` (lines.length if none). */
  const firstContent = (from: number) => {
    let i = from;
    while (i < lines.length && !isContent(i)) i++;
    return i;
  };
  const hasContent = (from: number, to: number) => firstContent(from) < to;
  const opening = firstContent(0);

  // Quoted part: from the first quote (the parser's, or a header it does not know) to the end.
  let firstQuoted = kinds.indexOf('quoted');
  if (firstQuoted < 0) firstQuoted = lines.length;
  for (let i = 0; i < firstQuoted; i++) {
    if (i > opening && isQuoteHeader(lines, i)) {
      firstQuoted = i;
      break;
    }
  }
  // Below the opening line, so marking it changes neither the opening nor where the quote starts.
  markMobileSignature(lines, kinds, opening, firstQuoted);
  let from = top;
  let end = firstQuoted;
  const quotedSpans: Span[] = [];
  if (firstQuoted < lines.length) {
    const written = lines.map((_, i) => i).filter((i) => i > firstQuoted && isContent(i) && kinds[i] !== 'quoted');
    // "Hi, answers below." above "> 1. Which domain?" and the answer under each quoted line: a quote made only of "> "
    // lines, with no header, has the customer's words between its lines however much is written above it.
    const inline = written.length > 0 && /^[ \t]*>/u.test(lines[firstQuoted]!.text) && lines.every((line, i) => i <= firstQuoted || !isQuoteHeader(lines, i));
    if (hasContent(0, firstQuoted) && !inline) {
      quotedSpans.push({ start: lines[firstQuoted]!.start, end: original.length });
    } else {
      // Written below the quote, or between its lines: the body is what is not quoted.
      end = lines.length;
      if (written.length) {
        from = hasContent(0, firstQuoted) ? top : written[0]!;
        end = written.at(-1)! + 1;
        for (let i = 0; i < lines.length; i++) {
          if (kinds[i] !== 'quoted' && !(i === firstQuoted)) continue;
          const last = quotedSpans.at(-1);
          if (last && isBlank(original.slice(last.end, lines[i]!.start))) last.end = lines[i]!.end;
          else quotedSpans.push({ start: lines[i]!.start, end: lines[i]!.end });
        }
      }
    }
  }

  // Footer; a P.S. (body again); the sign-off and signature above them.
  const footerAt = footerLine(lines, from, end);
  const footerStart = footerAt !== undefined && hasContent(from, footerAt) ? footerAt : undefined;
  const tail = footerStart ?? end;
  const ps = postScriptLine(lines, from, tail);
  const stop = ps ?? tail;
  const marked = new Set<number>();
  const bodyOpening = firstContent(from);
  for (let i = from; i < stop; i++) if (kinds[i] === 'signature' && i > bodyOpening) marked.add(i);
  const closing = closingIn(lines, from, stop, marked);
  // No sign-off, but the parser found a signature ("-- ", "Sent from my iPhone"): the body ends there.
  const signatureAt = closing ? undefined : [...marked][0];

  // Greeting on the first line with something on it.
  const [firstLine, secondLine] = lines.slice(from, stop).filter((line) => !isBlank(line.text));
  let greeting = firstLine ? greetingIn(firstLine) : undefined;
  // "Re: domain expired??" or "Order #BC-3321907" above "Hi,": the subject line stays (it says what the message is
  // about), the greeting below it goes.
  const greetingBelow = !greeting && firstLine && secondLine && SUBJECT_LINE.test(firstLine.text) ? greetingIn(secondLine) : undefined;

  const bodyEnd = closing ? closing.signOff.start : signatureAt !== undefined ? lines[signatureAt]!.start : lines[Math.max(from, stop - 1)]!.end;
  const bodyStart = Math.min(greeting ? greeting.end : lines[from]!.start, bodyEnd);
  let kept: Span[] = [{ start: bodyStart, end: bodyEnd }];
  const signatureTail: Line[] = [];
  if (ps !== undefined) {
    let psEnd = ps + 1;
    while (psEnd < tail && kinds[psEnd] !== 'signature') psEnd++;
    kept.push({ start: lines[ps]!.start, end: lines[psEnd - 1]!.end });
    signatureTail.push(...lines.slice(psEnd, tail));
  }

  // Quoted lines between the lines written below a quote; in a pasted chat, what the company said and who said what.
  for (const span of [...quotedSpans, ...transcriptSpans(lines)]) kept = subtract(kept, span);
  if (greetingBelow) {
    kept = subtract(kept, greetingBelow);
    greeting = greetingBelow;
  }

  const politeness: string[] = [];
  for (const span of [...kept]) {
    for (const sentence of [...politenessSentences(original, span, language), ...introductionSentences(original, span, language)]) {
      kept = subtract(kept, sentence);
      politeness.push(original.slice(sentence.start, sentence.end));
    }
  }

  const signatureLines = [...(closing ? closing.signature : signatureAt !== undefined ? lines.slice(signatureAt, stop) : []), ...signatureTail];
  const names: NameSpan[] = [];
  if (greeting?.name) names.push(greeting.name);
  const writer = closing ? closing.name : signatureName(signatureLines);
  if (writer) names.push(writer);
  const bodyRange = { start: lines[from]!.start, end: lines[Math.max(from, tail - 1)]!.end };
  for (const intro of selfIntroductionsIn(original, bodyRange)) names.push(intro);

  // A blanked label or header (a form's second message field) leaves spaces at a line's start: not the customer's.
  for (const run of original.matchAll(/(?<=^|\n)[ \t]{3,}/gu)) kept = subtract(kept, { start: run.index, end: run.index + run[0].length });
  let assembled = assemble(original, kept);
  let keptOriginal = false;
  if (!/[\p{L}\p{N}]/u.test(assembled.text)) {
    // Cleaning would leave nothing to match ("Thanks!"): match the message as it was written.
    kept = [trimSpan(original, { start: 0, end: original.length })];
    assembled = assemble(original, kept);
    keptOriginal = true;
  }

  const parts: Partial<Record<'greeting' | 'signOff' | 'signature' | 'quoted' | 'footer', string>> = {};
  if (greeting) parts.greeting = sliceOf(original, greeting);
  if (closing) parts.signOff = sliceOf(original, closing.signOff);
  const signature = joinLines(signatureLines);
  if (signature) parts.signature = signature;
  if (quotedSpans.length) parts.quoted = quotedSpans.map((span) => sliceOf(original, span)).filter(Boolean).join('\n\n') || undefined;
  if (footerStart !== undefined) parts.footer = sliceOf(original, { start: lines[footerStart]!.start, end: lines[end - 1]!.end });
  for (const key of Object.keys(parts) as Array<keyof typeof parts>) if (parts[key] === undefined) delete parts[key];

  return {
    ...assembled,
    kept,
    ...parts,
    quotedSpans,
    names,
    politeness,
    greetingRemoved: greeting !== undefined,
    keptOriginal,
  };
}
