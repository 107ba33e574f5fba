/**
 * Questions: a message that asks about two things is answered twice, so each answer is searched
 * for with its own question and the statements that give it context. A second question about the
 * same thing ("Where is my order? When will it arrive?") stays with the first.
 */
import { alternation, B, E, pattern, phrasesByLanguage, phrasesFor, primaryLanguage, type LanguagePhrases } from './phrases.js';
import { capitalizeFirst, sentencesOf, type Span } from './text.js';
import type { QuestionSpan } from './types.js';

export interface SplitQuestionsOptions {
  /** Language of the text, for sentence boundaries and question words. Default: sentence rules of `en`, words of every language. */
  language?: string;
  /** Most questions returned; the rest stay with the last. Default 4. */
  maxQuestions?: number;
}

/** A sentence, or one half of a sentence joining two questions. */
interface Unit extends Span {
  /** What the question text shows for it. */
  shown: string;
  question: boolean;
  /** It starts with "Also," or "P.S.": another matter. */
  connector: boolean;
  request: boolean;
  /** A sentence of its own asking "And can/how/is…" after another question: a question of its own, even when it points back ("…order? And can my husband collect it?"). */
  joined: boolean;
  /** It starts with a list's marker ("2) ", "- "): the writer made it a point of its own. */
  item: boolean;
}

interface Patterns {
  questionStart: RegExp;
  connector: RegExp;
  joiner: RegExp;
  joinerStart: RegExp;
  anaphora: RegExp;
  dummyIt: RegExp;
  request: RegExp;
  alternative: RegExp;
  questionMarker: RegExp;
}

/** Words that join a question to what came before ("and can I…", "but is it…"), in the languages the reader knows. */
const CONJUNCTIONS = 'and|but|so|also|e|ma|und|aber|и|а|но|et|mais|y|pero';

function patternsFor(tables: readonly LanguagePhrases[]): Patterns {
  const optional = (field: keyof LanguagePhrases) => (tables.some((table) => table[field].length > 0) ? alternation(tables, field) : '(?!)');
  return {
    questionStart: pattern(String.raw`^[¿"«„“(]*(?:(?:${CONJUNCTIONS})[,]?\s+)?(?:${optional('questionStarts')})${E}`),
    connector: pattern(String.raw`^(?:${optional('connectors')})(?:${E}|(?<=\.))[\s,:;.!–—-]*`),
    joiner: pattern(String.raw`[,;]?\s+(${optional('joiners')})${E}`, 'giu'),
    joinerStart: pattern(String.raw`^[¿"«„“(]*(?:${optional('joiners')})${E}`),
    anaphora: pattern(String.raw`${B}(?:${optional('anaphora')})${E}`),
    dummyIt: pattern(String.raw`${B}(?:${optional('dummyIt')})${E}`, 'giu'),
    request: pattern(String.raw`${B}(?:${optional('requests')})${E}`),
    alternative: pattern(String.raw`^(?:or|oder|o|oppure|или|либо|ou|ó)${E}`),
    questionMarker: pattern(String.raw`^(?:${optional('questionMarkers')})${E}[\s,:;–—-]*`),
  };
}

// Built at import for each language and for all of them together: the tables never change.
const PATTERNS_BY_LANGUAGE: ReadonlyMap<string, Patterns> = new Map([
  ...Object.keys(phrasesByLanguage).map((language) => [language, patternsFor(phrasesFor(language))] as const),
  ['*', patternsFor(phrasesFor(undefined))],
]);

const patternsOf = (language: string | undefined): Patterns => PATTERNS_BY_LANGUAGE.get(primaryLanguage(language) ?? '*') ?? PATTERNS_BY_LANGUAGE.get('*')!;

const words = (text: string) => text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
const endsAsQuestion = (text: string) => /[?？]\s*["'»”)\]]*\s*$/u.test(text) || /^\s*¿/u.test(text);
const terminated = (text: string) => /[.!。]\s*["'»”)\]]*\s*$/u.test(text);

function isQuestion(text: string, patterns: Patterns): boolean {
  if (endsAsQuestion(text)) return true;
  // "When I opened the box, it was broken." starts like a question but is a statement.
  return !terminated(text) && patterns.questionStart.test(text.trim());
}

/** A short label before a colon ("Two things:", "Quick question:", "Questions:"): up to four words. */
const LABEL_WORDS = String.raw`(?:[\p{L}\p{N}'’-]+\s+){0,3}[\p{L}\p{N}'’-]+\s*:`;

/** A list item's marker at the start of a sentence ("- ", "• ", "2) ", "3. "), perhaps after a label. */
const LIST_MARKER = new RegExp(String.raw`^\s*(?:${LABEL_WORDS}\s*)?(?:[-*•·–]|\d{1,2}[.)])\s+(?=\S)`, 'u');

/** A reply's or forward's subject line ("Re: …", "AW: …", "Fwd: …"). */
const REPLY_SUBJECT = /^\s*(?:re|aw|fwd?|fw|wg|rif|sv|vs|tr|отв)\s*:/iu;

/** A label introduces what follows; the question is after it. */
const LABEL = new RegExp(String.raw`^${LABEL_WORDS}\s+`, 'u');

/** A sentence that is only a label ("Two questions:" on its own line, before a list): it goes with what follows. */
const LABEL_ONLY = new RegExp(String.raw`^\s*${LABEL_WORDS}\s*$`, 'u');

/** A sentence the segmenter ended at a list's number ("…two questions:\n1."): the item follows. */
const LIST_NUMBER_END = /(?:^|\s)\d{1,2}[.)]\s*$/u;

/** The text starts as a question does, after a label if it has one. */
function asks(text: string, patterns: Patterns): boolean {
  const trimmed = text.trim();
  if (patterns.questionStart.test(trimmed)) return true;
  const label = LABEL.exec(trimmed);
  return label !== null && patterns.questionStart.test(trimmed.slice(label[0].length));
}

/**
 * "…? And if we buy it elsewhere, how do we install it?": a question of its own, after a clause that
 * sets its condition (if, once, when…). `joinerStart` covers "And can/how/is…" directly.
 */
const CLAUSE_FIRST = new RegExp(String.raw`^[¿"«„“(]*(?:${CONJUNCTIONS})\s+[^,?;]{2,80},\s*`, 'iu');

function joinedAfterClause(text: string, patterns: Patterns): boolean {
  const clause = CLAUSE_FIRST.exec(text);
  return clause !== null && endsAsQuestion(text) && patterns.questionStart.test(text.slice(clause[0].length));
}

/**
 * "how long do refunds take and can I return an opened game?" → two questions, when each half
 * asks on its own and has three words or more. `restStart` is where the sentence starts after a connector.
 */
function splitJoined(text: string, unit: Unit, restStart: number, patterns: Patterns): Unit[] {
  if (!unit.question) return [unit];
  const sentence = text.slice(restStart, unit.end);
  for (const match of sentence.matchAll(patterns.joiner)) {
    const first = sentence.slice(0, match.index).trim();
    const secondAt = match.index + match[0].length - match[1]!.length + match[1]!.indexOf(' ') + 1;
    const second = sentence.slice(secondAt).trim();
    if (words(first).length < 3 || words(second).length < 3 || !asks(first, patterns)) continue;
    const firstShown = capitalizeFirst(/[?？]$/u.test(first) ? first : `${first.replace(/[,;:]$/u, '')}?`);
    return [
      { start: unit.start, end: restStart + match.index, shown: firstShown, question: true, connector: unit.connector, request: false, joined: unit.joined, item: unit.item },
      // Joined within one sentence, a half that points back stays with the first ("what are the options and what do they cost?").
      { start: restStart + secondAt, end: unit.end, shown: capitalizeFirst(second), question: true, connector: false, request: false, joined: false, item: false },
    ];
  }
  return [unit];
}

/** The units of a text: its sentences, with lone fragments ("P.S.", "n.") and labels ("Two questions:") joined to what follows. */
function unitsOf(text: string, language: string | undefined, patterns: Patterns): Unit[] {
  const sentences = sentencesOf(text, language);
  const spans: Span[] = [];
  let pending: Span | undefined;
  for (const sentence of sentences) {
    const span = pending ? { start: pending.start, end: sentence.end } : { start: sentence.start, end: sentence.end };
    const slice = text.slice(span.start, span.end);
    if (((words(slice).length <= 1 && !endsAsQuestion(slice)) || LABEL_ONLY.test(slice) || LIST_NUMBER_END.test(slice)) && sentence !== sentences.at(-1)) {
      pending = span;
      continue;
    }
    pending = undefined;
    spans.push(span);
  }
  if (pending) spans.push(pending);
  return spans.flatMap((span) => {
    const written = text.slice(span.start, span.end);
    // "Questions:\n- Do you ship to Norway?", "2) can I pay with Klarna?": the list's marker (and its label) is not part of the question.
    const marker = LIST_MARKER.exec(written);
    const slice = marker ? written.slice(marker[0].length) : written;
    const connector = patterns.connector.exec(slice);
    const rest = connector ? slice.slice(connector[0].length) : slice;
    const unit: Unit = {
      ...span,
      shown: connector || marker ? capitalizeFirst(rest) : slice,
      // "Re: How did we do?", a survey's subject the reply keeps: the company asked it, not the customer.
      question: isQuestion(rest, patterns) && !REPLY_SUBJECT.test(written),
      connector: connector !== null && rest.trim().length > 0,
      request: patterns.request.test(rest),
      joined: patterns.joinerStart.test(rest.trim()) || joinedAfterClause(rest.trim(), patterns),
      item: marker !== null,
    };
    return splitJoined(text, unit, span.start + (slice.length - rest.length), patterns);
  });
}

/**
 * The question is about what the one before it was about: "Or …", a few words, or "it"/"this" pointing
 * back — unless it is joined on with "and can/how/is…", which adds a question about the same thing.
 */
function sameMatter(unit: Unit, patterns: Patterns): boolean {
  const shown = unit.shown.trim();
  // "How long does it take?" after a question: without its "how long does it", one word is left of its own.
  if (patterns.alternative.test(shown) || words(shown).length <= 3 || words(shown.replace(patterns.dummyIt, ' ')).length <= 2) return true;
  return !unit.joined && pointsBack(unit, patterns);
}

/** "it", "this", "es", "это"… other than in "is it possible", "gibt es". */
const pointsBack = (unit: Unit, patterns: Patterns) => patterns.anaphora.test(unit.shown.trim().replace(patterns.dummyIt, ' '));

interface Group {
  units: Unit[];
  question: boolean;
  /** Started by "Also," or "P.S.". */
  connector: boolean;
}

const normalizeSpace = (text: string) => text.replace(/\s+/gu, ' ').trim();

/** Words of statements before "Also, …?" that make them a matter of their own (a problem told), not its context. */
const TOLD = 8;

/**
 * The questions of a cleaned message, each with the statements before it that give its context
 * (the first one with the opening statements). One question, or none, gives the whole text.
 */
export function splitQuestions(text: string, options: SplitQuestionsOptions = {}): QuestionSpan[] {
  const whole: QuestionSpan[] = [{ text, start: 0, end: text.length }];
  const patterns = patternsOf(options.language);
  const units = unitsOf(text, options.language, patterns);
  if (units.length < 2) return whole;

  const groups: Group[] = [];
  let pending: Unit[] = [];
  for (const unit of units) {
    const current = groups.at(-1);
    if (unit.connector && (current || pending.length > 0)) {
      // Statements before "Also," close the matter before it.
      if (current) current.units.push(...pending);
      else groups.push({ units: [...pending], question: false, connector: false });
      pending = [];
      groups.push({ units: [unit], question: unit.question, connector: true });
      continue;
    }
    if (!unit.question) {
      pending.push(unit);
      continue;
    }
    if (!current) groups.push({ units: [...pending, unit], question: true, connector: false });
    // Each numbered or bulleted question is a point of its own, whatever "it" or "that" in it points back to; so is
    // a question that ends an item opened by statements ("2) My partner wants to delete her account. Can she…?").
    else if (!current.question || (!unit.item && !pending.some((before) => before.item) && sameMatter(unit, patterns))) {
      current.units.push(...pending, unit);
      current.question = true;
    } else {
      // "And can my husband collect it?": what it points back to (the matter before it) is its context.
      const context = unit.joined && pointsBack(unit, patterns) ? current.units : [];
      groups.push({ units: [...context, ...pending, unit], question: true, connector: false });
    }
    pending = [];
  }
  if (pending.length) {
    const last = groups.at(-1);
    if (last) last.units.push(...pending);
    else groups.push({ units: pending, question: false, connector: false });
  }

  // "Also, the box was damaged." adds to the matter before it; "Also, I'd like a refund." is one of its own.
  const matters: Group[] = [];
  for (const group of groups) {
    const previous = matters.at(-1);
    const own = group.question || (group.connector && group.units.some((unit) => unit.request));
    // "Thunderbird keeps asking for my password. Also, which port…?": what "Also" follows is a matter of its own,
    // a problem told without a question mark, unless it is only a few words of context.
    const toldBefore = group.connector && words(previous?.units.map((unit) => unit.shown).join(' ') ?? '').length >= TOLD;
    if (previous && !own) previous.units.push(...group.units);
    else if (previous && !previous.question && !toldBefore && !(previous.connector && previous.units.some((unit) => unit.request))) {
      // Opening statements with no question of their own are the context of the first matter.
      previous.units.push(...group.units);
      previous.question = group.question;
      previous.connector = group.connector;
    } else matters.push({ ...group, units: [...group.units] });
  }
  // "So my actual question is: can I…?": what came before it is background the writer set aside; the matter starts there.
  let marked = false;
  for (const matter of matters) {
    let at = matter.units.length - 1;
    while (at >= 0 && !(matter.units[at]!.question && patterns.questionMarker.test(matter.units[at]!.shown.trim()))) at--;
    if (at < 0) continue;
    const unit = matter.units[at]!;
    const rest = unit.shown.trim().replace(patterns.questionMarker, '');
    if (words(rest).length === 0) continue;
    matter.units = [{ ...unit, shown: capitalizeFirst(rest) }, ...matter.units.slice(at + 1)];
    marked = true;
  }
  if (matters.length < 2 && !marked) return whole;

  const max = Math.max(1, Math.floor(options.maxQuestions ?? 4));
  while (matters.length > max) {
    const last = matters.pop()!;
    matters.at(-1)!.units.push(...last.units);
  }
  return matters.map((group, i) => {
    const start = i === 0 && !marked ? 0 : group.units[0]!.start;
    const end = group.units.at(-1)!.end;
    // The first question keeps its text as written from the start; the others show their sentences without "Also,".
    const shown = i === 0 && group.units.every((unit) => unit.shown === text.slice(unit.start, unit.end)) ? text.slice(start, end) : group.units.map((unit) => unit.shown).join(' ');
    return { text: capitalizeFirst(normalizeSpace(shown)), start, end };
  });
}
