// A past ticket's resolution, made safe to reuse for another customer. Pure and deterministic.
import nlp from 'compromise';
import { extractEntities } from '@answerdesk/message';
import { AnswerdeskError } from '@answerdesk/types';
import type { AdaptOptions, AdaptedReply, Entity, EntityKind, Placeholder, PlaceholderKind, ResolutionDetails } from './types.js';
import { primaryLanguage, sentenceSpans, words, type Span } from './text.js';

// ── Placeholder labels ──────────────────────────────────────────────────────

const LABELS: Record<string, Record<PlaceholderKind, string>> = {
  en: {
    email: 'e-mail address', phone: 'phone number', url: 'link', domain: 'domain', order: 'order number', ticket: 'ticket number',
    invoice: 'invoice number', certificate: 'certificate number', amount: 'amount', card: 'card ending', date: 'date', name: 'name',
    address: 'address', iban: 'IBAN', tracking: 'tracking number', number: 'number', time: 'time',
  },
  it: {
    email: 'indirizzo e-mail', phone: 'numero di telefono', url: 'link', domain: 'dominio', order: "numero d'ordine", ticket: 'numero del ticket',
    invoice: 'numero di fattura', certificate: 'numero del buono', amount: 'importo', card: 'ultime cifre della carta', date: 'data', name: 'nome',
    address: 'indirizzo', iban: 'IBAN', tracking: 'numero di tracciamento', number: 'numero', time: 'ora',
  },
  de: {
    email: 'E-Mail-Adresse', phone: 'Telefonnummer', url: 'Link', domain: 'Domain', order: 'Bestellnummer', ticket: 'Ticketnummer',
    invoice: 'Rechnungsnummer', certificate: 'Gutscheinnummer', amount: 'Betrag', card: 'Kartenendziffern', date: 'Datum', name: 'Name',
    address: 'Adresse', iban: 'IBAN', tracking: 'Sendungsnummer', number: 'Zahl', time: 'Uhrzeit',
  },
  ru: {
    email: 'адрес электронной почты', phone: 'номер телефона', url: 'ссылка', domain: 'домен', order: 'номер заказа', ticket: 'номер обращения',
    invoice: 'номер счёта', certificate: 'номер сертификата', amount: 'сумма', card: 'последние цифры карты', date: 'дата', name: 'имя',
    address: 'адрес', iban: 'IBAN', tracking: 'трек-номер', number: 'число', time: 'время',
  },
};

/** "[order number]" in the customer's language (it, de, ru; English otherwise). */
export function placeholderLabel(kind: PlaceholderKind, language?: string): string {
  const labels = LABELS[primaryLanguage(language)] ?? LABELS.en!;
  return `[${labels[kind]}]`;
}

// ── Salutations and sign-offs ───────────────────────────────────────────────

const GREETING = String.raw`hi|hello|hey|dear|good\s+(?:morning|afternoon|evening)|greetings|ciao|salve|gentil[ei]|gentilissim[oa]|buongiorno|buonasera|car[oa]|hallo|guten\s+(?:tag|morgen|abend)|liebe[rs]?|sehr\s+geehrte[rs]?|moin|servus|здравствуйте|добрый\s+(?:день|вечер)|доброе\s+утро|привет|уважаем\p{L}*`;
const TITLE = String.raw`(?:mr|mrs|ms|miss|mx|dr|herr|frau|sig|sig\.ra|signora?|dott|dott\.ssa|г-н|г-жа|господин|госпожа)\.?\s+`;
const NAME = String.raw`\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,2}`;
/** Words after a greeting that are not anyone's name. */
const NOT_A_NAME = words('there|all|team|customer|friend|friends|cliente|kunde|kundin|kundinnen|клиент|друзья|everyone|folks');
// "Hi Maria," "Dear Mr Jones," "Hallo Herr Müller," "Здравствуйте, Анна!" at the very start.
const SALUTATION = new RegExp(String.raw`^\s*(?:${GREETING})(?![\p{L}])(?:,?\s+(?:${TITLE})?(${NAME}))?\s*(?:[,!:]|(?=\n)|$)[ \t]*\n?`, 'iu');
// The same without a name ("Hi there,", "Hey folks!"), for when what follows the greeting is not a capitalised name.
const SALUTATION_BARE = new RegExp(String.raw`^\s*(?:${GREETING})(?![\p{L}])(?:\s+\p{L}+)?\s*(?:[,!:]|(?=\n)|$)[ \t]*\n?`, 'iu');
/** Patterns are case-insensitive (greetings start sentences), so a name's capitals are checked apart. */
const isCapitalised = (name: string) => name.split(/\s+/).every((word) => /^\p{Lu}/u.test(word));
// "Buongiorno e grazie per averci scritto." — a greeting that is one short sentence of thanks.
const THANKS = String.raw`thanks|thank\s+you|grazie|danke|vielen\s+dank|спасибо|благодарим`;
const GREETING_SENTENCE = new RegExp(String.raw`^\s*(?:${GREETING})(?![\p{L}])[^.!?\n]{0,20}?(?:and|e|und|и)\s+(?:${THANKS})[^.!?\n]{0,60}[.!]\s*`, 'iu');
const SIGN_OFF = new RegExp(
  String.raw`^(?:(?:best|kind|warm|warmest|many)\s+(?:regards|wishes)|regards|best|cheers|sincerely|yours(?:\s+sincerely|\s+truly)?|all\s+the\s+best|talk\s+soon|thanks(?:\s+again)?|thank\s+you|many\s+thanks|cordiali\s+saluti|distinti\s+saluti|un\s+(?:caro\s+)?saluto|saluti|a\s+presto|grazie(?:\s+ancora|\s+mille)?|mit\s+freundlichen\s+grüßen|(?:viele|beste|freundliche|liebe|herzliche)\s+grüße|grüße|danke|с\s+уважением|всего\s+(?:доброго|хорошего)|хорошего\s+дня|спасибо)(?![\p{L}])\s*[,!.]?\s*(${NAME})?\s*$`,
  'iu',
);

const SIGNATURE = new RegExp(String.raw`^(${NAME})(?:\s*[,|–—-]\s*.*|\s+(?:from|at|da|di|von|vom|из)\s.*)?$`, 'u');
const TEAM = words(String.raw`team|support|service|servizio|assistenza|kundenservice|kundendienst|\p{L}*-team|служба|команда|поддержк\p{L}*`);

interface Framed {
  body: string;
  /** Names found in the salutation (the other customer) and the sign-off (that agent). */
  customerNames: string[];
  otherNames: string[];
}

/** The resolution without its salutation and sign-off: the draft adds its own. */
function unframe(text: string): Framed {
  let body = text;
  const customerNames: string[] = [];
  const otherNames: string[] = [];
  let salutation = SALUTATION.exec(body);
  if (salutation?.[1] && (!isCapitalised(salutation[1]) || NOT_A_NAME.test(salutation[1]))) salutation = SALUTATION_BARE.exec(body);
  if (salutation) {
    if (salutation[1]) customerNames.push(salutation[1]);
    body = body.slice(salutation[0].length);
  } else {
    const sentence = GREETING_SENTENCE.exec(body);
    if (sentence) body = body.slice(sentence[0].length);
  }
  body = body.replace(/^\s+/, '').replace(/^\p{Ll}/u, (c) => c.toUpperCase());

  // A sign-off is a short line near the end ("Best regards,", "Cheers, Tom"), with at most two short lines (a name, a team) after it.
  const lines = body.split('\n');
  for (let i = Math.max(0, lines.length - 3); i < lines.length; i++) {
    const match = SIGN_OFF.exec(lines[i]!.trim());
    const after = lines.slice(i + 1).filter((line) => line.trim() !== '');
    if (!match || after.length > 2 || after.some((line) => line.trim().split(/\s+/).length > 4)) continue;
    if (match[1] && !isCapitalised(match[1])) continue; // "Thanks again for your patience" is a sentence, not a sign-off
    if (match[1]) otherNames.push(match[1]);
    for (const line of after) {
      // "Anna", "Anna – Brightcart", "Tom from Hostwell"; not "Il team di assistenza" nor "Ihr Brightcart-Team".
      const name = SIGNATURE.exec(line.trim());
      if (name && !TEAM.test(line)) otherNames.push(name[1]!);
    }
    body = lines.slice(0, i).join('\n').trimEnd();
    break;
  }
  return { body: body.trim(), customerNames, otherNames };
}

// ── Details ─────────────────────────────────────────────────────────────────

interface Detail extends Span {
  kind: PlaceholderKind;
  /** A name of the other customer (from the salutation): replaced by the current customer's name. */
  isCustomer?: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The host an e-mail address, link or domain entity names, lowercased, without a final dot. Pure. */
export function entityHost(entity: Entity): string | undefined {
  const raw = entity.kind === 'email' ? entity.value.split('@')[1] : entity.kind === 'url' || entity.kind === 'domain' ? entity.value.replace(/^[a-z]+:\/\//i, '').split(/[/?#:]/)[0] : undefined;
  return raw?.toLowerCase().replace(/\.$/, '');
}

/** A person's name as written: capitalised words ("Maria", "John Smith"), not an acronym ("UC Davis") nor a common noun ("grace period"). */
const PROPER_NAME = /^(?:\p{Lu}[\p{Ll}'’-]+|\p{Lu}\.)(?:\s+(?:\p{Lu}[\p{Ll}'’-]+|\p{Lu}\.))*$/u;

/**
 * Names in English text found by compromise: its lexicon and grammar rules know first names and
 * surnames, where a capitalised-word rule would take every product and place. It reads English only.
 */
function englishNames(text: string, parsed: ReturnType<typeof nlp>): Span[] {
  const found: Span[] = [];
  for (const person of parsed.people().json({ offset: true }) as Array<{ text: string; offset: { start: number; length: number } }>) {
    let { start, length } = person.offset;
    let name = text.slice(start, start + length);
    // compromise includes trailing punctuation ("Maria,") and titles ("Mr Jones"): keep the name only.
    const trailing = /[\s.,;:!?)]+$/u.exec(name);
    if (trailing && !/\p{Lu}\.$/u.test(name)) {
      name = name.slice(0, trailing.index);
      length = name.length;
    }
    const title = new RegExp(`^${TITLE}`, 'iu').exec(name);
    if (title) {
      start += title[0].length;
      name = name.slice(title[0].length);
      length = name.length;
    }
    if (PROPER_NAME.test(name)) found.push({ start, end: start + length });
  }
  return found;
}

/** Places compromise names in English text ("Columbus"); a place starting with a house number is a street address. */
function englishPlaces(text: string, parsed: ReturnType<typeof nlp>): Array<Span & { street: boolean }> {
  return (parsed.places().json({ offset: true }) as Array<{ offset: { start: number; length: number } }>)
    .map(({ offset }) => {
      // compromise sometimes runs on past a full stop ("210 Elm St. They'll"): a place ends with its sentence.
      const raw = text
        .slice(offset.start, offset.start + offset.length)
        .replace(/[.!?]\s.*$/su, '')
        .replace(/[\s.,;:!?]+$/u, '');
      return { start: offset.start, end: offset.start + raw.length, street: /^\d+\s+\p{Lu}/u.test(raw), raw };
    })
    .filter((place) => /^[\p{Lu}\d]/u.test(place.raw))
    .map(({ raw: _raw, ...place }) => place);
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** Bump when what is found changes: details kept in a store by an older version are found again. */
export const RESOLUTION_DETAILS_VERSION = 1;

type Found = Pick<ResolutionDetails, 'details' | 'places'>;

/** Every detail of the resolution's body, in the order they are weighed, the company's own addresses included. */
function detectDetails(body: string, framed: Framed, language: string | undefined): Found {
  const details: ResolutionDetails['details'] = [];
  for (const entity of extractEntities(body, { language })) {
    const host = entityHost(entity);
    details.push({ kind: entity.kind, start: entity.start, end: entity.end, ...(host !== undefined ? { host } : {}) });
  }
  // The salutation's name is the other customer's; a sign-off's is that agent's. Both may recur in the text.
  const named = (names: readonly string[], isCustomer: boolean) => {
    for (const name of names) {
      const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`, 'gu');
      for (const match of body.matchAll(pattern)) details.push({ kind: 'name', start: match.index, end: match.index + name.length, isCustomer });
    }
  };
  named(framed.customerNames, true);
  named(framed.otherNames, false);
  const places: Span[] = [];
  if ((primaryLanguage(language) || 'en') === 'en') {
    const customerFirstNames = new Set(framed.customerNames.map((name) => name.split(/\s+/)[0]!));
    // One parse for both: compromise's parse is most of the cost of adapting a resolution.
    const parsed = nlp(body);
    for (const span of englishNames(body, parsed)) {
      const firstName = body.slice(span.start, span.end).split(/\s+/)[0]!;
      details.push({ kind: 'name', ...span, isCustomer: customerFirstNames.has(firstName) });
    }
    for (const place of englishPlaces(body, parsed)) {
      if (place.street) details.push({ kind: 'address', start: place.start, end: place.end });
      else places.push({ start: place.start, end: place.end });
    }
  }
  return { details, places };
}

/** The details to replace: the company's own addresses stay, and of two that overlap the first weighed wins. */
function chooseDetails(found: Found, ownDomains: readonly string[]): { details: Detail[]; places: Span[] } {
  const own = ownDomains.map((domain) => domain.toLowerCase().replace(/^\.|\.$/g, ''));
  const details: Detail[] = [];
  for (const { host, ...detail } of found.details) {
    if (host !== undefined && own.some((domain) => host === domain || host.endsWith(`.${domain}`))) continue;
    if (detail.end > detail.start && !details.some((other) => overlaps(other, detail))) details.push(detail);
  }
  details.sort((a, b) => a.start - b.start);
  return { details, places: found.places };
}

// ── Numbers of that case ────────────────────────────────────────────────────

// A number as written: "1,240", "1.9", "11:28", "6.2.0". Its neighbours are checked apart (a word's digits, "ns2", are no number).
const NUMBER = /\d+(?:[.,:]\d+)*/g;
const THOUSANDS = /^\d{1,3}(?:[.,\u00a0]\d{3})+$/;
const CLOCK = /^(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$/;
const VERSION_WORD = /(?<!\p{L})(?:version|versione|versión|версия|версии|release|php|python|node|mysql|mariadb|ubuntu|debian|android|ios|windows|macos|v)\s*$/iu;

/** How a number is compared with the knowledge base's: as written, and by its digits alone ("1,240" and "1240"). */
function numberKeys(written: string): string[] {
  const digits = written.replace(/\D/g, '');
  return digits === written ? [written] : [written, digits];
}

/**
 * The numbers a knowledge base states, from its published texts (articles and templates), for
 * `adaptResolution`'s `statedNumbers`: what it says to every customer. Pure.
 */
export function statedNumbers(texts: Iterable<string>): Set<string> {
  const stated = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(NUMBER)) for (const key of numberKeys(match[0])) stated.add(key);
  return stated;
}

/**
 * A resolution's numbers the knowledge base never states, outside its recognised details: that customer's
 * quantities and clock times. Small counts (up to 12: "2 of the 3 items"), years and version numbers
 * ("6.2.0", "PHP 8.4") say nothing about that customer and stay.
 */
function caseNumbers(body: string, details: readonly Detail[], stated: ReadonlySet<string>): Detail[] {
  const found: Detail[] = [];
  for (const match of body.matchAll(NUMBER)) {
    const written = match[0];
    const start = match.index;
    const end = start + written.length;
    if (/[\p{L}\p{N}_@#/\\-]/u.test(body[start - 1] ?? '') || /[\p{L}_]/u.test(body[end] ?? '')) continue;
    if (details.some((detail) => detail.start < end && detail.end > start)) continue;
    if (numberKeys(written).some((key) => stated.has(key))) continue;
    const clock = CLOCK.test(written);
    if (!clock) {
      if (written.includes(':')) continue;
      const grouped = THOUSANDS.test(written);
      if (!grouped && (written.match(/[.,]/g)?.length ?? 0) >= 2) continue;
      if (!grouped && VERSION_WORD.test(body.slice(Math.max(0, start - 12), start))) continue;
      if (/^\d+$/.test(written) && (Number(written) <= 12 || /^(?:19|20)\d\d$/.test(written))) continue;
    }
    found.push({ kind: clock ? 'time' : 'number', start, end });
  }
  return found;
}

/**
 * Where the details of a past ticket's resolution are, for `adaptResolution`'s `details`: finding them
 * (entity patterns and compromise's parse) is most of the cost of adapting, and depends only on the
 * resolution and its language, so a store keeps them with the ticket. Pure.
 */
export function resolutionDetails(resolution: string, options: { language?: string } = {}): ResolutionDetails {
  if (typeof resolution !== 'string') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'resolution', reason: 'must be a string' });
  const framed = unframe(resolution.replace(/\r\n?/g, '\n').trim());
  return { version: RESOLUTION_DETAILS_VERSION, language: options.language ?? '', fingerprint: fingerprint(resolution), ...detectDetails(framed.body, framed, options.language) };
}

/** FNV-1a (32 bits) of a text, in hex: cheap, and enough to tell a resolution from an edited one. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Whether kept details can be used for this resolution read in this language: found in it, by this version, in that language. */
export function detailsHold(details: ResolutionDetails | undefined, resolution: string, language: string | undefined): details is ResolutionDetails {
  return details !== undefined && details.version === RESOLUTION_DETAILS_VERSION && details.language === (language ?? '') && details.fingerprint === fingerprint(resolution);
}

/**
 * What replaces a detail: the current customer's own value of that kind when their message holds exactly one
 * and the resolution exactly one (`several`: the kinds it holds two or more different values of), else a
 * placeholder. "BC-4701994 and BC-4714350 now appear under My Orders" cannot tell which of the two the
 * customer's order stands for, and "refunded the $4.99 fee" must not become the customer's order total.
 */
function replacer(options: AdaptOptions, several: ReadonlySet<PlaceholderKind>): (detail: Detail) => string {
  const byKind = new Map<PlaceholderKind, Entity[]>();
  for (const entity of options.message) {
    const list = byKind.get(entity.kind) ?? [];
    if (!list.some((other) => other.value === entity.value)) list.push(entity);
    byKind.set(entity.kind, list);
  }
  const single = (kind: PlaceholderKind) => {
    const list = byKind.get(kind);
    return list?.length === 1 && !several.has(kind) ? list[0]!.text : undefined;
  };
  const customerName = options.customerName?.trim() || single('name');
  return (detail) => {
    // Only the other customer's name becomes this customer's; an employee or a third party is not them.
    if (detail.kind === 'name') return (detail.isCustomer ? customerName : undefined) ?? placeholderLabel('name', options.language);
    return single(detail.kind) ?? placeholderLabel(detail.kind, options.language);
  };
}

// ── What a sentence says ────────────────────────────────────────────────────

// "I've also…", "we've temporarily…": any -ly adverb may sit between the subject and the verb.
const EN_ADVERBS = String.raw`(?:\s+(?:also|just|already|now|then|since|today|both|gone\s+ahead\s+and|went\s+ahead\s+and|\p{L}+ly))*`;
const EN_PARTICIPLE = String.raw`\p{L}{2,}ed|sent|resent|made|put|set|reset|given|taken|done|redone|got|gotten|written|rewritten|spoken|told|found|paid|sold|bought|brought|held|kept|left|run|begun|shown|seen|built|rebuilt|spent|lent|caught|let|cut|shut|fed|led|met|gone|rung|chosen|frozen|hidden|forgotten`;
const EN_PAST = String.raw`\p{L}{2,}ed|sent|made|put|set|gave|took|did|got|wrote|spoke|told|found|paid|rang|left|kept|held|brought|bought|ran|began|caught|let|cut|went|came|heard|built|spent|fed|led|met|saw|froze|chose|sold|lost|won|rebuilt|redid|resent|undid`;
const IT_ADVERBS = String.raw`(?:\s+(?:anche|già|appena|subito|quindi|ora|oggi|pertanto|personalmente|infatti|poi|inoltre|noi|io|ieri|stamattina))*`;
const IT_PARTICIPLE = String.raw`\p{L}+(?:at|ut|it)[oaie]|messo|fatto|preso|scritto|detto|chiesto|risposto|aperto|offerto|emesso|concesso|visto|letto|richiesto|deciso|speso|trasmesso|proposto|sospeso|corretto|rimesso|aggiunto`;
const DE_PARTICIPLE = String.raw`\p{L}*ge\p{L}{2,}(?:t|en)|\p{L}+iert|(?:be|ver|er|ent|zer|über|emp|miss)\p{L}{2,}t`;
// Past-tense verbs end in -л/-ла/-ло/-ли; a few common nouns do too. "Был" (was) is no action.
const RU_PAST = String.raw`(?!был|недел|модел|отдел|цел)\p{L}{2,}[аеиоуыяё]л(?:а|о|и)?(?:сь|ся)?`;

/** First-person claims of something done or to be done for that customer. English "I" is always a capital (Italian "i" is an article). */
const ACTION = [
  // "I've refunded", "we have credited", "I had sent"
  words(String.raw`(?:I|[Ww]e)(?:'ve|’ve|\s+have|\s+had)${EN_ADVERBS}\s+(?:${EN_PARTICIPLE})`, 'u'),
  // "I'll resend it", "we will send", "I'm going to"
  words(String.raw`(?:I|[Ww]e)(?:'ll|’ll|\s+will|\s+shall|'m\s+going\s+to|’m\s+going\s+to|\s+am\s+going\s+to|'re\s+going\s+to|’re\s+going\s+to|\s+are\s+going\s+to)${EN_ADVERBS}\s+(?!be\s+(?:happy|glad|able)|need|have\s+to)\p{L}+`, 'u'),
  // "I'm escalating", "we're looking into it"
  words(String.raw`(?:I|[Ww]e)(?:'m|’m|\s+am|'re|’re|\s+are)${EN_ADVERBS}\s+(?!hoping|wondering|writing|sorry|afraid|glad)\p{L}+ing`, 'u'),
  // "I refunded", "we also sent"
  words(String.raw`(?:I|[Ww]e)${EN_ADVERBS}\s+(?:${EN_PAST})`, 'u'),
  // "ho rimborsato", "ti abbiamo anche inviato", "l'abbiamo spedito"
  words(String.raw`(?:(?:ti|vi|le|gli|ci|ve|te|glie)\s*(?:l[oaie]\s+|ne\s+)?|l['’])?(?:ho|abbiamo)${IT_ADVERBS}\s+(?:${IT_PARTICIPLE})`),
  // "invierò", "ti rimborseremo", "stiamo verificando"
  words(String.raw`(?!sar|potr|dovr|avr)\p{L}{2,}(?:erò|irò|arò|eremo|iremo|aremo)|(?:sto|stiamo)\s+\p{L}+(?:ando|endo)`),
  // "я вернул", "мы вместе изменили", "мы будем"
  words(String.raw`(?:я|мы)(?:\s+\p{L}+){0,2}?\s+(?:${RU_PAST}|буду|будем)`),
];
// German: "Ich habe … erstattet", "haben wir Ihnen … geschickt", "die ich Ihnen geschickt habe" — the
// perfect only with a participle in the sentence ("Wir haben leider keine Informationen" claims nothing);
// "wir werden" / "ich werde" is a promise.
const DE_PERFECT = words(String.raw`(?:ich|wir)\s+(?:habe|haben|hab|hatte|hatten)|(?:habe|haben|hatte|hatten)\s+(?:ich|wir)|(?:ich|wir)\s[^,.;:!?]{1,80}\s(?:habe|haben)`);
const DE_PARTICIPLE_WORD = words(DE_PARTICIPLE, 'u');
const DE_FUTURE = words(String.raw`(?:ich|wir)\s+(?:werde|werden)|(?:werde|werden)\s+(?:ich|wir)`);
// Russian drops the pronoun: "Также включил Force HTTPS." starts with a past-tense verb.
const RU_DROPPED_PRONOUN = new RegExp(String.raw`^(?:(?:также|ещё|еще|заодно|сразу|уже|сегодня|дополнительно|кроме\s+того,?)\s+)*(?!был|была|было)\p{L}{2,}[аеиоуыяё]ла?(?:сь|ся)?(?![\p{L}])`, 'iu');

// The same claims in the passive: "has been reserved for you", "è stato rimborsato", "wurde Ihnen gutgeschrieben".
const PASSIVE_DONE = [
  words(String.raw`(?:has|have|had|['’]s)${EN_ADVERBS}\s+been${EN_ADVERBS}\s+(?:${EN_PARTICIPLE})`, 'u'),
  words(String.raw`(?:è|sono)\s+(?:\p{L}+\s+)?stat[oaie]\s+(?:${IT_PARTICIPLE})`, 'u'),
  words(String.raw`(?:wurde|wurden)\s(?:[^,.;]*\s)?(?:${DE_PARTICIPLE})`, 'u'),
];

/**
 * A claim of something done for that customer, in the passive ("The L has been reserved for you",
 * "Your refund has been issued"): its main clause is a passive perfect and it speaks to the customer.
 * A subordinate clause is general advice ("Once your return has been received, we refund…").
 */
function isPassiveClaim(sentence: string): boolean {
  const main = mainClause(sentence);
  return PASSIVE_DONE.some((pattern) => pattern.test(main)) && SECOND_PERSON.some((pattern) => pattern.test(main));
}

/** A claim of something done or to be done for that customer: first person, or passive and addressed to them. */
export function isActionClaim(sentence: string): boolean {
  if (ACTION.some((pattern) => pattern.test(sentence)) || isPassiveClaim(sentence)) return true;
  if (DE_FUTURE.test(sentence) || (DE_PERFECT.test(sentence) && DE_PARTICIPLE_WORD.test(sentence))) return true;
  return RU_DROPPED_PRONOUN.test(sentence.trim());
}

const SECOND_PERSON = [
  words(String.raw`you|your|yours|you're|you’re|you've|you’ve|you'll|you’ll|you'd|you’d|yourself`),
  words(String.raw`ti|tu|tuo|tua|tuoi|tue|te|hai|sei|vostr[oaie]|vi`),
  // German formal "Sie"/"Ihr…" is told from "sie" (they) by its capital.
  words(String.raw`Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen|du|dein\p{L}*|dir|dich`, 'u'),
  words(String.raw`вы|ваш\p{L}*|вам|вас|вами|ты|тво\p{L}+|тебе|тебя`),
];

// A main clause that tells what happened to the customer or their thing: its subject ("You", "Your iPhone",
// "Ihre Bestellung") and then a verb in the past ("Your iPhone kept trying…", "You were charged twice",
// "Ihre Bestellung wurde storniert"). "You don't need to…", "Your order won't be cancelled…" and "You have
// 30 days…" are how things work, for this customer too. "-ed" not after an "e": "need" is no past.
const SUBJECT_WORD = String.raw`(?!(?:is|are|be|been|will|won't|won’t|can|can't|can’t|cannot|may|might|must|should|would|could|do|does|don't|don’t|doesn't|doesn’t|not|never|need|needs)(?![\p{L}'’]))[\p{L}\p{N}'’-]+`;
const ADDRESSED_PAST = [
  new RegExp(String.raw`^(?:(?:so|and|also|then|unfortunately)[,\s]+)*(?:you|your(?:\s+${SUBJECT_WORD}){1,4}?)\s+(?:(?:just|already|also|then)\s+)?(?:was|were|had|did|has\s+been|have\s+been|(?:\p{L}{2,}(?<!e)ed|sent|made|put|set|gave|took|got|wrote|told|found|paid|left|kept|held|brought|bought|ran|began|caught|went|came|spent|lost|missed|needed))(?![\p{L}])`, 'iu'),
  new RegExp(String.raw`^(?:(?:e|ma)[,\s]+)*(?:il\s+tuo|la\s+tua|i\s+tuoi|le\s+tue)(?:\s+\p{L}+){1,3}?\s+(?:è|sono)\s+stat[oaie](?![\p{L}])`, 'iu'),
  new RegExp(String.raw`^(?:(?:und|aber)[,\s]+)*(?:Ihr|Ihre)(?:\s+\p{L}+){1,3}?\s+(?:wurde|wurden|war|waren|hatte|hatten)(?![\p{L}])`, 'u'),
  new RegExp(String.raw`^(?:(?:и|но|а)[,\s]+)*(?:ваш|ваша|ваше|ваши)(?:\s+\p{L}+){1,3}?\s+(?:был|была|было|были)(?![\p{L}])`, 'iu'),
];

const PAST = [
  words(String.raw`was|were|had|did|(?:was|were|had|did|could)n['’]t|has\s+been|have\s+been|['’]s\s+been|(?<!(?:\bis|\bare|\bam|\bbe|\bbeing|'s|’s|'re|’re|\bget|\bgets)\s+(?:\p{L}+ly\s+)?)(?:${EN_PAST})`),
  words(String.raw`(?:è|sono|siamo|sei|ha|hanno|ho|hai|abbiamo|avete|era|erano)\s+(?:\p{L}+\s+)?(?:stat[oaie]\s+)?(?:${IT_PARTICIPLE})|\p{L}{2,}(?:ava|avano|eva|evano|iva|ivano)|era|erano|fu|furono`),
  words(String.raw`war|waren|wurde|wurden|hatte|hatten|lag|lagen|kam|kamen|ging|gingen|gab|konnte|konnten|(?:ist|sind|hat|haben|habe)\s(?:[^,.;]*\s)?(?:${DE_PARTICIPLE})`),
  words(String.raw`был|была|было|были|${RU_PAST}`),
];

// A sentence that opens with one of these is a subordinate clause; the main clause comes after its comma.
const SUBORDINATE = words(String.raw`if|when|as|since|because|once|after|before|while|although|though|se|quando|poiché|siccome|dopo|prima|mentre|wenn|als|weil|da|nachdem|sobald|falls|obwohl|если|когда|так\s+как|поскольку|после|пока|хотя`);

/**
 * The main clause: the first clause (up to a comma, semicolon, colon or dash) after a leading
 * interjection of at most 3 words ("No problem:", "Sure,") and a leading subordinate clause ("If …,").
 */
function mainClause(sentence: string): string {
  const clauses = sentence.split(/(?<!\d)[,;:]|[,;:](?!\d)|\s[–—-]\s/).filter((clause) => clause.trim() !== '');
  let at = 0;
  if (clauses.length > at + 1 && clauses[at]!.trim().split(/\s+/).length <= 3) at++;
  const starts = SUBORDINATE.exec(clauses[at]?.trimStart() ?? '');
  if (starts?.index === 0 && clauses.length > at + 1) at++;
  return clauses[at] ?? '';
}

// Words that place an event in that customer's here and now ("rescanned it this morning").
const HERE_AND_NOW = words(
  [
    String.raw`today|tonight|this\s+(?:morning|afternoon|evening)|yesterday|last\s+night|that\s+(?:morning|afternoon|evening|night|day)`,
    String.raw`oggi|stanotte|stamattina|stamani|ieri|stasera|quel(?:la)?\s+(?:mattina|sera|giorno|notte)`,
    String.raw`heute|gestern|an\s+diesem\s+(?:Tag|Morgen|Abend)`,
    String.raw`сегодня|вчера|утром|в\s+тот\s+(?:день|вечер)`,
    // A clock time: "at 10:52pm", "from 08:22".
    String.raw`\d{1,2}[:.]\d{2}(?:\s?[ap]m)?|\d{1,2}\s?[ap]m`,
  ].join('|'),
);

// The main clause tells what is going to happen: "UPS will deliver on…", "arriverà il…", "wird … geliefert", "будет доставлен".
const FUTURE = [
  words(String.raw`will|won['’]t|(?:is|are)\s+(?:going\s+to|due\s+to|scheduled\s+to)|\p{L}+['’]ll`),
  words(String.raw`\p{L}{3,}(?:rà|ranno)`),
  words(String.raw`wird|werden`),
  words(String.raw`будет|будут`),
];

/**
 * Case-specific narrative: what happened, or is going to happen, to that customer, not how things
 * work. Either the main clause is in the future tense and dated by a date or clock time that was
 * replaced ("UPS will deliver on [date]": that case's schedule), or it is in the past tense and
 * - its subject is the customer or their thing, the past verb right after it ("Your iPhone kept
 *   trying an old password", "You were charged twice", "Ihre Bestellung wurde storniert"), or
 * - it is addressed to the customer and holds a detail that was replaced or a named place ("Your
 *   parcel got caught in a backlog at the UPS hub in Columbus"), or
 * - it is dated: a date that was replaced, a clock time or a here-and-now word ("The courier
 *   missed the pickup on [date]", "It was collected this morning").
 * Each condition alone is common in general advice ("If you returned it, the refund is…",
 * "Refunds to cards take 3–5 days", "Your certificate is valid until [date]"); together they tell a story.
 */
function isCaseNarrative(sentence: string, found: { detail: boolean; place: boolean; date: boolean }): boolean {
  const main = mainClause(sentence);
  if (found.date && FUTURE.some((pattern) => pattern.test(main))) return true;
  if (!PAST.some((pattern) => pattern.test(main))) return false;
  if (found.date || HERE_AND_NOW.test(sentence)) return true;
  if (ADDRESSED_PAST.some((pattern) => pattern.test(main.trimStart()))) return true;
  return (found.detail || found.place) && SECOND_PERSON.some((pattern) => pattern.test(sentence));
}

// Thanks for what that customer sent ("Thanks for the photos, they clearly show the water damage"): a new customer sent nothing.
const THANKS_FOR_WHAT_THEY_SENT = [
  words(String.raw`(?:thanks|thank\s+you)(?:\s+(?:so|very)\s+much)?\s+for\s+(?:(?:sending|getting|attaching|sharing|forwarding)\s+(?:us\s+)?)?(?:the|your|those|these|that|this)?\s*(?:photos?|pictures?|screenshots?|images?|videos?|receipts?|documents?|scans?|proof)`),
  words(String.raw`grazie(?:\s+mille)?\s+(?:per|dell[ae'’]?|degli|dei)\s*(?:aver(?:ci)?\s+(?:inviato|mandato)\s+)?(?:le|la|il|i|gli|lo)?\s*(?:foto|immagin[ei]|screenshot|scontrin[oi]|ricevut[ae]|video|document[io])`),
  words(String.raw`danke(?:\s+schön)?\s+für\s+(?:das|die|den|Ihr\p{L}*|dein\p{L}*)?\s*(?:Fotos?|Bilder|Bild|Screenshots?|Belege?|Quittung|Kassenbon|Videos?|Dokumente?)`),
  words(String.raw`спасибо\s+за\s+(?:\p{L}+\s+)?(?:фото\p{L}*|скриншот\p{L}*|снимк\p{L}*|чек\p{L}*|видео|документ\p{L}*)`),
];

// An identifier no extractor recognised (a bank reference, an IP address, a code): 5 or more digits in one token.
const STRAY_IDENTIFIER = /(?<![\p{L}\p{N}])[\p{L}\p{N}]*(?:[-/. ]?\p{N}){5,}[\p{L}\p{N}]*(?![\p{L}\p{N}])/u;

const PLEASANTRY = new RegExp(
  String.raw`^(?:(?:i'm|i’m|i\s+am|we're|we’re|we\s+are)\s+(?:so\s+|very\s+|really\s+|truly\s+)?sorry|sorry|(?:many\s+)?thanks|thank\s+you|apologies|(?:i|we)\s+(?:do\s+)?apologi[sz]e|i\s+understand|no\s+problem|sure|of\s+course|happy\s+to\s+help|(?:ci|mi)\s+dispiace|scusa|scusaci|grazie|nessun\s+problema|certo|vielen\s+dank|danke|entschuldig|(?:es|das)\s+tut\s+(?:mir|uns)\s+(?:sehr\s+)?leid|kein\s+problem|спасибо|благодарим|извините|приносим\s+извинения|простите|без\s+проблем|конечно)(?![\p{L}])`,
  'iu',
);

/** An apology or thanks that says nothing about the question: alone, it is nothing to send. */
function isPleasantry(sentence: string): boolean {
  return PLEASANTRY.test(sentence.trim()) && sentence.trim().split(/\s+/).length <= 12;
}

const EN_CLAIM_SUBJECT = new RegExp(
  String.raw`^(?:(?:so|and|also|then|now|today|meanwhile|as\s+(?:discussed|promised|agreed))[,\s]+)*(?:i|we)(?:('ve|’ve|\s+have|\s+had)|('ll|’ll|\s+will)|('m|’m|\s+am|'re|’re|\s+are))?${EN_ADVERBS}\s+`,
  'iu',
);

/** "I've also refunded the [amount] fee" → "refunded the [amount] fee"; "I'll resend it" → "promised to resend it". Other sentences stay whole. */
function claimText(sentence: string): string {
  const match = EN_CLAIM_SUBJECT.exec(sentence);
  if (!match) return sentence;
  const rest = sentence.slice(match[0].length);
  if (match[2]) return `promised to ${rest}`;
  if (match[3]) return `was ${rest}`;
  return rest;
}

// ── Putting it together ─────────────────────────────────────────────────────

interface Block {
  start: number;
  text: string;
  /** The block ends its paragraph (a blank line follows). */
  paragraphEnd: boolean;
}

/** Paragraphs, and within one the lines of a list: what sentences are grouped in. */
function blocksOf(body: string): Block[] {
  const blocks: Block[] = [];
  for (const paragraph of body.matchAll(/[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*/g)) {
    if (paragraph[0].trim() === '') continue;
    const lines = [...paragraph[0].matchAll(/[^\n]+/g)].map((line) => ({ at: line.index, text: line[0] }));
    const isList = lines.some((line) => /^\s*(?:[-*•]|\d+[.)])\s/.test(line.text));
    const parts = isList ? lines : [{ at: 0, text: paragraph[0] }];
    parts.forEach((part, i) => blocks.push({ start: paragraph.index + part.at, text: part.text, paragraphEnd: i === parts.length - 1 }));
  }
  return blocks;
}

interface Rewritten {
  /** For the reply: details replaced by the current customer's values or placeholders. */
  text: string;
  /** For the agent's notes about that case: details always as placeholders, since the current customer's values there would read as if done for them. */
  labelled: string;
  /** Details removed: what is left must not identify anyone. */
  blanked: string;
  replaced: AdaptedReply['replaced'];
}

/** One sentence of the body with its details replaced. A detail is clipped to the sentence, so none is ever left half in place. */
function rewrite(body: string, sentence: Span, details: readonly Detail[], replace: (detail: Detail) => string, language: string | undefined): Rewritten {
  const out: Rewritten = { text: '', labelled: '', blanked: '', replaced: [] };
  let at = sentence.start;
  for (const detail of details) {
    const from = Math.max(detail.start, at);
    const to = Math.min(detail.end, sentence.end);
    if (to <= from) continue;
    const value = replace(detail);
    const before = body.slice(at, from);
    out.replaced.push({ kind: detail.kind, from: body.slice(from, to), to: value });
    out.text += before + value;
    out.labelled += before + placeholderLabel(detail.kind, language);
    out.blanked += `${before} `;
    at = to;
  }
  const rest = body.slice(at, sentence.end);
  const flat = (text: string) => text.replace(/\s*\n\s*/g, ' ');
  return { text: flat(out.text + rest), labelled: flat(out.labelled + rest), blanked: out.blanked + rest, replaced: out.replaced };
}

/**
 * Fewer words than this, and under this share of the resolution's, left after its own case was taken out, are
 * no answer: docs-content's 30 such leftovers have 3–11 words and at most 22% of their resolution's, and none
 * answers anything alone. "Refunds reach your card within 5 working days." left of a two-sentence resolution stays.
 */
const LEFTOVER_WORDS = 12;
const LEFTOVER_SHARE = 0.25;

const wordCount = (text: string) => text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;

/** The kinds of detail a resolution holds two or more different values of (names aside: the customer's is marked). */
function kindsWithSeveralValues(body: string, details: readonly Detail[]): Set<PlaceholderKind> {
  const values = new Map<PlaceholderKind, Set<string>>();
  for (const detail of details) {
    if (detail.kind === 'name') continue;
    const set = values.get(detail.kind) ?? new Set<string>();
    set.add(body.slice(detail.start, detail.end).toLowerCase().replace(/\s+/g, ''));
    values.set(detail.kind, set);
  }
  return new Set([...values].filter(([, set]) => set.size > 1).map(([kind]) => kind));
}

/**
 * A past resolution rewritten for the current customer, sentence by sentence:
 *
 * - the salutation and sign-off go (the draft adds its own);
 * - every detail of the other customer (what `extractEntities` finds, person names, street
 *   addresses) is replaced by the current customer's value of that kind when their message holds
 *   exactly one and the resolution one, else by a placeholder such as "[order number]" in the
 *   customer's language;
 * - a first-person claim of something done or promised ("I've refunded…", "ti abbiamo inviato…",
 *   "Ich habe … erstattet", "я вернул…") leaves the text and becomes a note for the agent, its
 *   details as placeholders (that case's, not this customer's);
 * - case-specific narrative (see `isCaseNarrative`), thanks for what that customer sent ("Thanks
 *   for the photos") and sentences still holding an unrecognised identifier leave the text too,
 *   listed in one note.
 *
 * `text` is '' when only greetings, thanks or apologies would remain, or a few words of a long
 * resolution that told its own case (see LEFTOVER_WORDS).
 */
export function adaptResolution(resolution: string, options: AdaptOptions): AdaptedReply {
  const language = options.resolutionLanguage ?? options.language;
  const framed = unframe(resolution.replace(/\r\n?/g, '\n').trim());
  const body = framed.body;
  let found: Found | undefined = detailsHold(options.details, resolution, language) ? options.details : undefined;
  const key = !found && options.cache ? `${language ?? ''}\u0000${resolution}` : undefined;
  found ??= key ? (options.cache!.get(key) as Found | undefined) : undefined;
  if (!found) {
    found = detectDetails(body, framed, language);
    if (key) options.cache!.set(key, found);
  }
  const chosen = chooseDetails(found, options.ownDomains ?? []);
  const places = chosen.places;
  const details = options.statedNumbers
    ? [...chosen.details, ...caseNumbers(body, chosen.details, options.statedNumbers)].sort((a, b) => a.start - b.start)
    : chosen.details;
  const replace = replacer(options, kindsWithSeveralValues(body, details));
  const replaced: AdaptedReply['replaced'] = [];
  const prefix = options.ticketId ? `In ticket ${options.ticketId}` : 'In that past case';
  const notes: string[] = [];
  const dropped: string[] = [];
  const paragraphs: string[][] = [[]];
  let substance = false;

  for (const block of blocksOf(body)) {
    const blockEnd = block.start + block.text.length;
    // A sentence never ends inside a detail ("Jan. 6", "Dr. Smith").
    const keepWhole = details
      .filter((d) => d.start < blockEnd && d.end > block.start)
      .map((d) => ({ start: d.start - block.start, end: d.end - block.start }));
    const kept: string[] = [];
    for (const span of sentenceSpans(block.text, language, keepWhole)) {
      const start = block.start + span.start;
      const end = block.start + span.end;
      const original = body.slice(start, end);
      const sentence = rewrite(body, { start, end }, details, replace, options.language);
      replaced.push(...sentence.replaced);
      const hasPlace = places.some((place) => place.start >= start && place.end <= end);

      if (isActionClaim(original)) notes.push(`${prefix}, the agent: ${claimText(sentence.labelled)}`);
      else if (
        isCaseNarrative(original, { detail: sentence.replaced.length > 0, place: hasPlace, date: sentence.replaced.some((r) => r.kind === 'date' || r.kind === 'time') }) ||
        THANKS_FOR_WHAT_THEY_SENT.some((pattern) => pattern.test(original)) ||
        STRAY_IDENTIFIER.test(sentence.blanked)
      ) {
        dropped.push(sentence.labelled);
      }
      else {
        kept.push(sentence.text);
        if (!isPleasantry(sentence.text)) substance = true;
      }
    }
    if (kept.length > 0) {
      const current = paragraphs[paragraphs.length - 1]!;
      current.push(kept.join(' '));
    }
    if (block.paragraphEnd && paragraphs[paragraphs.length - 1]!.length > 0) paragraphs.push([]);
  }
  if (dropped.length > 0) notes.push(`${prefix}, about that customer's case (left out of the reply): ${dropped.join(' ')}`);

  const kept = substance ? paragraphs.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n') : '';
  // What is left of a resolution that told its own case, when that is a few words ("The site is working again.",
  // "It should appear within 3–5 business days."), answers nothing for another customer.
  const keptWords = notes.length > 0 ? wordCount(kept) : Infinity;
  const text = keptWords < LEFTOVER_WORDS && keptWords < wordCount(resolution) * LEFTOVER_SHARE ? '' : kept;
  return { text, placeholders: placeholdersIn(text, options.language), notes, replaced };
}

/** The placeholders left in a text, in order, each once. */
function placeholdersIn(text: string, language: string | undefined): Placeholder[] {
  const labels = LABELS[primaryLanguage(language)] ?? LABELS.en!;
  const byLabel = new Map(Object.entries(labels).map(([kind, label]) => [`[${label}]`, kind as PlaceholderKind]));
  const out: Placeholder[] = [];
  for (const match of text.matchAll(/\[[^[\]\n]+\]/g)) {
    const kind = byLabel.get(match[0]);
    if (kind && !out.some((p) => p.label === match[0])) out.push({ kind, label: match[0] });
  }
  return out;
}
