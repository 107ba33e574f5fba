// Facts a text states that a writer can check against another text: durations, amounts and
// percentages, each with the words of the clause it is in (what it is about). Pure.
import { analyze } from '@answerdesk/index';
import { extractEntities } from '@answerdesk/message';

export type FactKind = 'duration' | 'amount' | 'percent';

export interface Fact {
  kind: FactKind;
  /**
   * What the value is measured in; facts compare only within one unit: `hours` (said in hours),
   * `days` (days or weeks), `months` (months or years), `working-days` (business or working days
   * are not calendar days), a currency code, `percent`. Durations are in hours whatever their unit.
   */
  unit: string;
  /** The value, or a range ("3–5 working days"), in `unit`: days and weeks become hours. */
  low: number;
  high: number;
  /** As written: "14 days", "€9.99", "3–5 business days". */
  text: string;
  /** Where it was said: the sentence, or a table row with its header. */
  sentence: string;
  /** Index terms of the clause (or table cell with its column's header) the fact is in, numbers and units left out. */
  topic: string[];
  /** Index terms of the rest of its sentence: what it is about, more loosely. */
  around: string[];
  /** A table row's label (its first cell) as index terms: the case the row is about ("VPS", "Shared hosting"). */
  qualifier: string[];
  /**
   * An amount said as what something costs or a limit ("a fee of €5", "free on orders over €50"),
   * rather than one case's sum ("the €95 total"). Always true for durations and percentages.
   */
  rule: boolean;
}

const WORD_NUMBERS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fourteen: 14, fifteen: 15, twenty: 20, thirty: 30, sixty: 60, ninety: 90,
};
const NUMBER = String.raw`\d+(?:[.,]\d+)?|${Object.keys(WORD_NUMBERS).join('|')}`;

/** Hours in each unit; a month is a twelfth of a year, so 24 months are 2 years. */
const UNITS: Array<[RegExp, number]> = [
  [/^(?:hours?|hrs?|ore|ora|stunden?|час(?:а|ов)?)$/iu, 1],
  [/^(?:days?|giorn[oi]|tag(?:e|en)?|werktag(?:e|en)?|arbeitstag(?:e|en)?|день|дн(?:я|ей))$/iu, 24],
  [/^(?:weeks?|settiman[ae]|wochen?|недел(?:я|и|ю|ь))$/iu, 24 * 7],
  [/^(?:months?|mes[ei]|monat(?:e|en)?|месяц(?:а|ев)?)$/iu, (24 * 365) / 12],
  [/^(?:years?|ann[oi]|jahr(?:e|en)?|год(?:а)?|лет)$/iu, 24 * 365],
];
const UNIT_WORDS = String.raw`hours?|hrs?|days?|weeks?|months?|years?|ore|ora|giorni|giorno|settimane|settimana|mesi|mese|anni|anno|Stunden?|Tagen?|Tage|Tag|Werktagen?|Werktage|Werktag|Arbeitstagen?|Arbeitstage|Arbeitstag|Wochen?|Monaten?|Monate|Monat|Jahren?|Jahre|Jahr|час(?:а|ов)?|дн(?:я|ей)|день|недел(?:я|и|ю|ь)|месяц(?:а|ев)?|года?|лет`;
/** "Up to 10 working days" is any time up to 10: a ticket's "3–5 days" says no other thing. */
const UP_TO = String.raw`(?<![\p{L}])(?:up\s+to|at\s+most|no\s+more\s+than|not\s+more\s+than|a\s+maximum\s+of|max\.?|fino\s+a|bis\s+zu|höchstens|до)`;
/** Unit words as plain words, to leave out of topics. */
const UNIT_TERMS =
  'hour hours hr hrs day days week weeks month months year years percent cent euro euros dollar dollars ore ora giorni giorno settimane settimana mesi mese anni anno lavorativi stunde stunden tag tage tagen werktag werktage werktagen arbeitstage woche wochen monat monate monaten jahr jahre jahren prozent час часа часов день дня дней неделя недели недель месяц месяца месяцев год года лет рабочих процентов';
const WORKING = String.raw`business|working|work|рабочих|рабочие`;
// "3–5 business days", "3 to 5 working days", "14 days", "30-day", "24 hours", "2 giorni lavorativi", "5 Werktage".
const DURATION = new RegExp(
  String.raw`(${UP_TO}\s+)?(?<![\p{L}\p{N}.,])(${NUMBER})(?:\s*(?:–|—|-|to|or|a|bis|до)\s*(${NUMBER}))?(?:\s+|-)(?:(${WORKING})\s+)?(${UNIT_WORDS})(?:\s+(lavorativi))?(?![\p{L}\p{N}])`,
  'giu',
);
const PERCENT = new RegExp(String.raw`(?<![\p{L}\p{N}.,])(${NUMBER})\s?(?:%|percent|per\s+cent|per\s+cento|prozent|процент\p{L}*)(?![\p{L}\p{N}])`, 'giu');

/** Words that make an amount a price or a limit. */
const PRICE = new RegExp(
  String.raw`(?<![\p{L}])(?:fees?|costs?|price[sd]?|pricing|charges?|surcharge|per|each|minimum|maximum|min|max|limit|over|under|up\s+to|at\s+least|free|deposit|commission|rate|costo|costa|prezzo|spese|commissione|gebühr(?:en)?|kosten|kostet|preis|pro|ab|mindestens|höchstens|стоимость|стоит|цена|комиссия|плата|свыше|от|до)(?![\p{L}])`,
  'iu',
);

const numberOf = (written: string): number => WORD_NUMBERS[written.toLowerCase()] ?? Number(written.replace(',', '.'));

/** Hours per unit word, or undefined for a word that is no unit of time. */
function hoursIn(unit: string): number | undefined {
  return UNITS.find(([pattern]) => pattern.test(unit))?.[1];
}

/** Words that say nothing about what a number is about ("within 14 days", "up to 30 days"). */
const FILLER = new Set(['within', 'up', 'least', 'around', 'about', 'approximately', 'roughly', 'usually', 'normally', 'typically', 'also', 'still', 'later', 'longer', 'entro', 'fino', 'innerhalb', 'spätestens', 'течение']);
/** What is left of English contractions ("I've" → "ve", "you're" → "re", "isn't" → "isn"). */
const CONTRACTED = new Set(['ve', 're', 'll', 'nt', 'isn', 'aren', 'don', 'doesn', 'didn', 'won', 'wasn', 'weren', 'hasn', 'haven', 'hadn', 'couldn', 'shouldn', 'wouldn']);
const unitTerms = new Map<string, Set<string>>();

/** Index terms in a language, without numbers, unit words and fillers: what a clause is about. */
export function topicTerms(text: string, language = 'en'): string[] {
  let units = unitTerms.get(language);
  if (!units) {
    units = new Set(analyze(UNIT_TERMS, language));
    unitTerms.set(language, units);
  }
  const fillers = new Set(analyze([...FILLER].join(' '), language));
  return [...new Set(analyze(text, language).filter((term) => !CONTRACTED.has(term) && !/\d/.test(term) && !units!.has(term) && !fillers.has(term)))];
}

interface Piece {
  /** The text the facts are read from. */
  text: string;
  /** Where it was said, for people. */
  sentence: string;
  /** What the facts in it are about, besides its own words. */
  context: string;
  /** A table row's label. */
  qualifier: string;
}

const clauseAround = (sentence: string, at: number, end: number): string => {
  // A clause ends at a comma, semicolon, colon, dash or "so"/"which"/"but" (the next thing said).
  const stops = /[,;:()]|\s[–—-]\s|\s(?:so|which|but|and then|while|whereas)\s/giu;
  let start = 0;
  let stop = sentence.length;
  for (const match of sentence.matchAll(stops)) {
    if (match.index + match[0].length <= at) start = match.index + match[0].length;
    else if (match.index >= end) {
      stop = match.index;
      break;
    }
  }
  return sentence.slice(start, stop);
};

/** Table rows ("a | b | c", the first line of a run its header) and sentences of the other lines. */
function piecesOf(text: string, language: string): Piece[] {
  const pieces: Piece[] = [];
  const lines = text.split('\n');
  let header: string[] | undefined;
  for (const line of lines) {
    if (/ \| /.test(line)) {
      const cells = line.split(' | ').map((cell) => cell.trim());
      if (!header) {
        header = cells;
        continue;
      }
      cells.forEach((cell, column) => {
        if (column === 0 || cell === '') return;
        pieces.push({ text: cell, sentence: line.trim(), context: header![column] ?? '', qualifier: cells[0]! });
      });
      continue;
    }
    header = undefined;
    const segmenter = new Intl.Segmenter(language, { granularity: 'sentence' });
    for (const { segment } of segmenter.segment(line)) if (segment.trim()) pieces.push({ text: segment.trim(), sentence: segment.trim(), context: '', qualifier: '' });
  }
  return pieces;
}

/**
 * The durations, amounts and percentages a text states, each with what it is about. Tables (rows
 * of "a | b | c" as section text keeps them) give one fact per cell, about the cell and its column's
 * header, qualified by the row's label. Pure.
 */
export function extractFacts(text: string, language = 'en'): Fact[] {
  const facts: Fact[] = [];
  for (const piece of piecesOf(text, language)) {
    const qualifier = topicTerms(piece.qualifier, language);
    const add = (kind: FactKind, unit: string, low: number, high: number, start: number, end: number) => {
      if (!Number.isFinite(low) || !Number.isFinite(high)) return;
      // The fact's own words (its number and unit) say nothing about what it is about.
      const blanked = `${piece.text.slice(0, start)} ${piece.text.slice(end)}`;
      const clause = piece.context ? blanked : clauseAround(blanked, start, start + 1);
      facts.push({
        kind,
        unit,
        low: Math.min(low, high),
        high: Math.max(low, high),
        text: piece.text.slice(start, end),
        sentence: piece.sentence,
        topic: topicTerms(`${clause} ${piece.context}`, language),
        around: topicTerms(`${piece.context ? piece.sentence : blanked} ${piece.context}`, language),
        qualifier,
        rule: kind !== 'amount' || PRICE.test(`${clause} ${piece.context}`),
      });
    };
    for (const match of piece.text.matchAll(DURATION)) {
      const [, upTo, from, to, qualifier, unit, lavorativi] = match;
      const hours = hoursIn(unit!);
      if (hours === undefined) continue;
      const working = qualifier !== undefined || lavorativi !== undefined || /^(?:werk|arbeits)/iu.test(unit!);
      const high = numberOf(to ?? from!) * hours;
      const low = upTo ? 0 : numberOf(from!) * hours;
      // The unit a duration is said in tells what it is about: "a backup every 24 hours" is no retention of "30 days", a
      // "registration of 1 to 10 years" no deadline of "15 days".
      const scale = working ? 'working-days' : hours < 24 ? 'hours' : hours < 24 * 30 ? 'days' : 'months';
      add('duration', scale, low, high, match.index, match.index + match[0].length);
    }
    for (const match of piece.text.matchAll(PERCENT)) {
      const value = numberOf(match[1]!);
      add('percent', 'percent', value, value, match.index, match.index + match[0].length);
    }
    for (const entity of extractEntities(piece.text, { language })) {
      if (entity.kind !== 'amount') continue;
      const [value, currency] = entity.value.split(' ');
      add('amount', currency!, Number(value), Number(value), entity.start, entity.end);
    }
  }
  return facts;
}

/** Two facts state the same value: their ranges meet ("3–5 days" and "5 days"). */
export function sameValue(a: Pick<Fact, 'low' | 'high'>, b: Pick<Fact, 'low' | 'high'>): boolean {
  return a.low <= b.high && b.low <= a.high;
}
