/**
 * Details of a message an answer may depend on: e-mails, links and domains (linkifyjs), phone
 * numbers (libphonenumber-js), amounts, card endings, order/ticket/invoice/certificate/tracking
 * numbers, IBANs, dates, street addresses, and the names a greeting or sign-off gives. Each detector
 * proposes; overlaps are settled once, the more specific kind first (an e-mail's domain is not
 * also a domain, an amount's digits not also an order number).
 */
import { findPhoneNumbersInText } from 'libphonenumber-js';
import * as linkify from 'linkifyjs';
import type { Entity, EntityKind, ExtractEntitiesOptions } from './types.js';
import { namesIn, type NameSpan } from './clean.js';
import { primaryLanguage } from './phrases.js';
import { overlaps } from './text.js';

interface Candidate extends Entity {
  /** Lower wins an overlap. */
  rank: number;
}

/** Which kind wins an overlap: the more specific first. */
const RANK: Record<EntityKind, number> = {
  email: 1,
  url: 2,
  iban: 3,
  card: 4,
  amount: 5,
  tracking: 6,
  order: 6,
  ticket: 6,
  invoice: 6,
  certificate: 6,
  date: 7,
  phone: 8,
  address: 9,
  domain: 10,
  name: 11,
};

const NOT_BEFORE = String.raw`(?<![\p{L}\p{N}])`;
const NOT_AFTER = String.raw`(?![\p{L}\p{N}])`;

const candidate = (kind: EntityKind, text: string, start: number, end: number, value: string): Candidate => ({
  kind,
  text: text.slice(start, end),
  value,
  start,
  end,
  rank: RANK[kind],
});

// ── E-mails, links, domains ──────────────────────────────────────────────────

/** Top-level domains that are also file extensions: "readme.md" or "notes.zip" is a file, not a site. */
const FILE_EXTENSIONS = new Set(['zip', 'mov', 'md', 'py', 'rs', 'sh', 'pl', 'ps', 'cc', 'cs', 'js', 'ts', 'so', 'ai', 'cat', 'tar', 'gz', 'app', 'exe', 'dll', 'txt', 'log', 'ini', 'bak', 'tmp']);

/** Technology names written like domains. */
const TECHNOLOGIES = new Set(['asp.net', 'vb.net', 'ado.net']);

function links(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const token of linkify.find(text)) {
    if (token.type === 'email') {
      found.push(candidate('email', text, token.start, token.end, token.value.toLowerCase()));
      continue;
    }
    if (token.type !== 'url') continue;
    const value = token.value;
    const scheme = /^[a-z][a-z\d+.-]*:\/\//i.test(value);
    const host = value.replace(/^[a-z][a-z\d+.-]*:\/\//i, '').replace(/[/?#:].*$/s, '');
    const rest = value.slice(value.indexOf(host) + host.length);
    const labels = host.split('.');
    if (!scheme && !rest && !/^www\./i.test(host) && labels.length === 2 && FILE_EXTENSIONS.has(labels[1]!.toLowerCase())) continue;
    // "ASP.NET" is a framework, and ".co.uk" in "a .co.uk domain" a kind of domain, not anybody's site.
    if (!scheme && !rest && (TECHNOLOGIES.has(host.toLowerCase()) || text[token.start - 1] === '.')) continue;
    if (scheme || rest) found.push(candidate('url', text, token.start, token.end, token.href));
    else found.push(candidate('domain', text, token.start, token.end, host.toLowerCase().replace(/\.$/, '')));
  }
  return found;
}

// ── Phones ───────────────────────────────────────────────────────────────────

function phones(text: string, options: ExtractEntitiesOptions): Candidate[] {
  const found: Candidate[] = [];
  try {
    const numbers = options.defaultCountry ? findPhoneNumbersInText(text, { defaultCountry: options.defaultCountry }) : findPhoneNumbersInText(text);
    for (const match of numbers) found.push(candidate('phone', text, match.startsAt, match.endsAt, match.number.number));
  } catch {
    // An unknown default country: no phones rather than no entities.
  }
  return found;
}

// ── Amounts ──────────────────────────────────────────────────────────────────

const CURRENCY_CODES = 'EUR|USD|GBP|CHF|RUB|JPY|SEK|NOK|DKK|PLN|CZK|CAD|AUD|INR|TRY|UAH|BRL|CNY';

function currencyOf(written: string): string {
  const word = written.toLowerCase().replace(/\.$/, '');
  if (/^[a-z]{3}$/.test(word) && new RegExp(`^(?:${CURRENCY_CODES})$`, 'i').test(word)) return word.toUpperCase();
  const table: Array<[RegExp, string]> = [
    [/^(?:us\$|\$|dollars?|bucks|доллар\p{L}*|долл)$/u, 'USD'],
    [/^(?:ca\$|c\$)$/u, 'CAD'],
    [/^a\$|^au\$/u, 'AUD'],
    [/^r\$/u, 'BRL'],
    [/^(?:€|euros?|евро)$/u, 'EUR'],
    [/^(?:£|pounds?|quid|sterlin[ae]|фунт\p{L}*)$/u, 'GBP'],
    [/^(?:¥|yen)$/u, 'JPY'],
    [/^(?:₽|руб\p{L}*|р|rubles?|roubles?)$/u, 'RUB'],
    [/^(?:francs?|franken|франк\p{L}*)$/u, 'CHF'],
    [/^₹$/u, 'INR'],
    [/^₺$/u, 'TRY'],
    [/^₴$/u, 'UAH'],
  ];
  return table.find(([pattern]) => pattern.test(word))?.[1] ?? word.toUpperCase();
}

/** "1.299,00" → 1299, "1,299.00" → 1299, "12,50" → 12.5, "1 299" → 1299. */
export function parseAmount(written: string): number | undefined {
  let digits = written.replace(/[\s\u00a0\u202f'’]/gu, '');
  const dot = digits.lastIndexOf('.');
  const comma = digits.lastIndexOf(',');
  if (dot >= 0 && comma >= 0) {
    const decimal = dot > comma ? '.' : ',';
    digits = digits.split(decimal === '.' ? ',' : '.').join('').replace(decimal, '.');
  } else if (dot >= 0 || comma >= 0) {
    const separator = dot >= 0 ? '.' : ',';
    const count = digits.split(separator).length - 1;
    const after = digits.length - digits.lastIndexOf(separator) - 1;
    // One separator followed by three digits groups thousands ("1.299 €", "1,500 USD"); else it is the decimal point.
    digits = count > 1 || after === 3 ? digits.split(separator).join('') : digits.replace(separator, '.');
  }
  const value = Number(digits);
  return Number.isFinite(value) ? value : undefined;
}

const NUMBER = String.raw`\d{1,3}(?:[.,\u00a0\u202f' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const SYMBOL_BEFORE = String.raw`US\$|CA\$|AU\$|C\$|A\$|R\$|[$€£¥₽₹₺₴]|${CURRENCY_CODES}`;
const UNIT_AFTER = String.raw`[$€£¥₽₹₺₴]|(?:${CURRENCY_CODES}|euros?|dollars?|bucks|pounds?|quid|francs?|franken|sterlin[ae]|yen|rubles?|roubles?|руб(?:лей|ля|ль)?\.?|р\.|доллар(?:ов|а|ы)?|евро|фунт(?:ов|а)?|франк(?:ов|а)?)${NOT_AFTER}`;
const AMOUNT_BEFORE = new RegExp(String.raw`(?<![\p{L}\p{N}$€£¥₽])(${SYMBOL_BEFORE})\s?(${NUMBER})(?![\p{N}]|[.,]\d)`, 'giu');
const AMOUNT_AFTER = new RegExp(String.raw`(?<![\p{L}\p{N}.,$€£¥₽])(${NUMBER})\s?(${UNIT_AFTER})`, 'giu');

function amounts(text: string): Candidate[] {
  const found: Candidate[] = [];
  const add = (start: number, end: number, number: string, currency: string) => {
    const amount = parseAmount(number);
    if (amount === undefined) return;
    const code = currencyOf(currency);
    found.push(candidate('amount', text, start, end, `${amount.toFixed(code === 'JPY' ? 0 : 2)} ${code}`));
  };
  for (const match of text.matchAll(AMOUNT_BEFORE)) add(match.index, match.index + match[0].length, match[2]!, match[1]!);
  for (const match of text.matchAll(AMOUNT_AFTER)) {
    // A currency code written in lower case is a word ("12 try"), not a currency.
    if (/^[a-z]{3}$/.test(match[2]!) && new RegExp(`^(?:${CURRENCY_CODES})$`, 'i').test(match[2]!)) continue;
    add(match.index, match.index + match[0].length, match[1]!, match[2]!);
  }
  return found;
}

// ── Cards ────────────────────────────────────────────────────────────────────

const CARD_NAMES = String.raw`visa|master\s?card|amex|american\s+express|maestro|discover|diners(?:\s+club)?|jcb|мир`;
/** "Visa ending 2291", "card ending in 2291", "последние цифры 2291": the whole phrase names the card. */
const CARD_ENDING = new RegExp(
  String.raw`${NOT_BEFORE}(?:(?:(?:${CARD_NAMES})(?:\s+(?:credit|debit))?(?:\s+card)?|(?:credit\s+|debit\s+)?card|carta|karte|tarjeta|carte|карт\p{L}*)\s+)?(?:ending(?:\s+(?:in|with))?|ends\s+(?:in|with)|last\s+(?:4|four)\s+digits(?:\s+(?:are|of))?|che\s+termina\s+(?:con|in|per)|terminante\s+(?:con|in|per)|ultime\s+(?:4|quattro)\s+cifre|endet\s+(?:auf|mit)|endend\s+(?:auf|mit)|letzten?\s+(?:4|vier)\s+ziffern|последние\s+(?:4\s+|четыре\s+)?цифры|оканчивается\s+на|заканчивается\s+на|заканчивающ\p{L}*\s+на|se\s+termine\s+par|terminant\s+par|termina\s+en|terminada\s+en)\s*[:#]?\s*(?:[*xX•·]+[\s-]?)?(\d{4})(?![\p{N}]|[.,]\d)`,
  'giu',
);
const CARD_MASKED = /(?<![\p{L}\p{N}*])(?:[*xX•·]{2,}[\s-]?){1,3}(\d{4})(?![\p{N}]|[.,]\d)/gu;
const CARD_BRAND = new RegExp(
  String.raw`${NOT_BEFORE}(?:${CARD_NAMES})(?:\s+(?:credit|debit|card|karte|carta|карта|карты|card\s+no\.?))?\s*[:#]?\s*(\d{4})(?![\p{N}]|[.,]\d)`,
  'giu',
);
const CARD_NUMBER = /(?<![\p{N}])\d(?:[ -]?\d){12,18}(?![\p{N}])/gu;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function cards(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const pattern of [CARD_ENDING, CARD_BRAND, CARD_MASKED]) {
    for (const match of text.matchAll(pattern)) found.push(candidate('card', text, match.index, match.index + match[0].length, match[1]!));
  }
  for (const match of text.matchAll(CARD_NUMBER)) {
    const digits = match[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhn(digits)) found.push(candidate('card', text, match.index, match.index + match[0].length, digits.slice(-4)));
  }
  return found;
}

// ── IBANs ────────────────────────────────────────────────────────────────────

const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?:[ ]?[A-Z\d]{4}){2,7}(?:[ ]?[A-Z\d]{1,3})?(?![\p{L}\p{N}])/giu;

function validIban(compact: string): boolean {
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function ibans(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(IBAN)) {
    // The pattern may run into a following group ("… 00 1234"): drop groups from the end until it checks.
    let written = match[0];
    while (written.length >= 15) {
      const compact = written.replace(/\s/g, '').toUpperCase();
      if (validIban(compact)) {
        found.push(candidate('iban', text, match.index, match.index + written.length, compact));
        break;
      }
      const cut = written.lastIndexOf(' ');
      if (cut < 0) break;
      written = written.slice(0, cut);
    }
  }
  return found;
}

// ── Order, ticket, invoice, certificate and tracking numbers ────────────────

type IdKind = 'order' | 'ticket' | 'invoice' | 'certificate' | 'tracking';

/** Words that say what the number after them is. */
const ID_WORDS: Record<IdKind, string> = {
  order: String.raw`orders?|order\s+(?:id|no\.?|number|nr\.?)|bestellung(?:snummer)?|bestell-?nr\.?|auftrag(?:snummer)?|auftrags-?nr\.?|ordine|ordinazione|numero\s+d['’]ordine|заказ(?:а|у|ом|е)?|commande|pedido|orden`,
  ticket: String.raw`tickets?|case|request|support\s+request|anfrage|vorgang|ticketnummer|richiesta|pratica|segnalazione|обращени[еяю]|заявк[аиу]|тикет(?:а)?|demande|solicitud|caso`,
  invoice: String.raw`invoices?|bill|receipt|rechnung(?:snummer)?|rechnungs-?nr\.?|quittung|fattura|ricevuta|сч[её]т(?:а|у|ом|е)?|сч[её]т-фактур[аы]|квитанци[яи]|facture|factura|recibo`,
  certificate: String.raw`certificate|gift\s?cards?|gift\s+certificate|e-gift\s+card|(?:gift\s+)?voucher|coupon|gutschein(?:code)?|geschenkkarte|geschenkgutschein|buono(?:\s+regalo)?|carta\s+regalo|сертификат(?:а|у)?|подарочн\p{L}*\s+(?:карт\p{L}*|сертификат\p{L}*)|carte\s+cadeau|bon\s+d['’]achat|tarjeta\s+regalo|cheque\s+regalo`,
  tracking: String.raw`tracking(?:\s+(?:number|code|id|no\.?|nr\.?))?|tracking-?nummer|sendungsnummer|sendungsverfolgung|paketnummer|numero\s+di\s+(?:tracciamento|spedizione)|codice\s+di\s+tracciamento|tracciamento|трек(?:[- ]?(?:номер|код))?|номер\s+отслеживания|numéro\s+de\s+suivi|suivi|número\s+de\s+seguimiento|seguimiento|shipment|parcel|consignment`,
};
const FILLER = String.raw`(?:\s*(?:number|no\.?|nr\.?|num\.?|numero|n\.|n°|nº|#|№|id|code|codice|nummer|номер|:|is|was|ist|è|-))*\s*[:#№]?\s*`;
const ID_CONTEXT = Object.entries(ID_WORDS).map(([kind, words]) => [kind as IdKind, new RegExp(String.raw`${NOT_BEFORE}(?:${words})${FILLER}$`, 'iu')] as const);
const ID_TOKEN = /(?<![\p{L}\p{N}_@./#\\-])#?([A-Za-z\d]+(?:[-/][A-Za-z\d]+)*)(?![\p{L}\p{N}_@-]|[./][\p{L}\p{N}])/gu;
const DATE_SHAPE = /^\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?$/;

/** An id's kind from its own shape, when no word before it says: BC-4410273 is an order, INV-… an invoice. */
function kindByShape(token: string): IdKind | undefined {
  if (/^1Z[\dA-Z]{16}$/.test(token) || /^[A-Z]{2}\d{9}[A-Z]{2}$/.test(token) || /^JJD\d{10,}$/.test(token)) return 'tracking';
  if (/^[A-Z]{1,5}(?:-[A-Z]{1,5})*-\d{3,}(?:-\d+)*$/.test(token)) {
    const prefixes = token.split('-').filter((part) => /^[A-Z]+$/.test(part));
    if (prefixes.some((prefix) => /^(?:INV|RE|RG|RN|FT|FAT|FA|BILL|REC)$/.test(prefix))) return 'invoice';
    if (prefixes.some((prefix) => /^(?:T|TK|TKT|TCK|TIC|TICKET|CASE|SR|REQ|INC|SUP)$/.test(prefix))) return 'ticket';
    if (prefixes.some((prefix) => /^(?:GC|GV|GIFT|CERT|VOU|VCH|GS|BR)$/.test(prefix))) return 'certificate';
    if (prefixes.some((prefix) => /^(?:TRK|TRACK)$/.test(prefix))) return 'tracking';
    return 'order';
  }
  if (/^[A-Z]{2,4}\d{5,}$/.test(token)) return 'order';
  return undefined;
}

function ids(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(ID_TOKEN)) {
    const token = match[1]!;
    if (!/\d/.test(token) || DATE_SHAPE.test(token)) continue;
    const start = match.index + match[0].length - token.length;
    const before = text.slice(Math.max(0, match.index - 48), match.index);
    const said = ID_CONTEXT.find(([, pattern]) => pattern.test(before))?.[0];
    const digits = token.replace(/\D/g, '').length;
    const mixed = /[A-Za-z]/.test(token);
    let kind: IdKind | undefined;
    // A number after "order" is an order number when it is long enough not to be a quantity ("order 3 items").
    if (said && ((mixed && token.length >= 3) || (!mixed && digits >= 4))) kind = said;
    else kind = kindByShape(token);
    if (kind) found.push(candidate(kind, text, start, start + token.length, token.toUpperCase()));
  }
  return found;
}

// ── Dates ────────────────────────────────────────────────────────────────────

const MONTHS = [
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec',
  'januar|jänner|februar|märz|maerz|mai|juni|juli|oktober|dezember|mär|okt|dez',
  // Italian abbreviations (set, gen, ago…) are left out: they are English words too.
  'gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|dicembre',
  'января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь|янв|фев|апр|авг|сент|сен|окт|ноя|дек',
  'janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|décembre',
  'enero|febrero|abril|mayo|junio|julio|septiembre|octubre|noviembre|diciembre',
]
  .join('|')
  .split('|')
  .sort((a, b) => b.length - a.length)
  .join('|');
const ORDINAL = String.raw`(?:st|nd|rd|th|er|º|°)?`;
const YEAR = String.raw`(?:,?\s+(?:\d{4}|'\d{2})(?:\s*г(?:ода|\.)?)?)?`;
const DATE_PATTERNS = [
  // 2026-01-05, 2026-01-05T10:00
  String.raw`\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?`,
  // 03/01/2026, 3.1.26, 05-01-2026
  String.raw`\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})`,
  // 3 March, 3rd of March 2026, 3. März, 3 марта 2026 г., 3 de marzo
  String.raw`\d{1,2}${ORDINAL}\.?\s+(?:of\s+|de\s+)?(?:${MONTHS})\.?${YEAR}`,
  // March 3rd, January 13th, October 3rd, 2027
  String.raw`(?:${MONTHS})\.?\s+\d{1,2}${ORDINAL}${YEAR}`,
  // German day and month: "am 2.9."
  String.raw`(?<=(?:am|vom|bis|zum|seit|ab|dem|den)\s)\d{1,2}\.\d{1,2}\.`,
];
const DATE = new RegExp(`${NOT_BEFORE}(?:${DATE_PATTERNS.join('|')})(?![\\p{N}]|[./-]\\d)(?![\\p{L}])`, 'giu');

function validNumericDate(written: string): boolean {
  const parts = written.split(/[./-]/).filter(Boolean).map(Number);
  if (parts.length < 2) return true;
  const [a, b] = parts as [number, number];
  if (written.length >= 10 && /^\d{4}/.test(written)) return b >= 1 && b <= 12;
  // Day and month in either order (03/01/2026 is 3 January or March 1).
  return a >= 1 && b >= 1 && ((a <= 31 && b <= 12) || (a <= 12 && b <= 31));
}

function dates(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(DATE)) {
    const written = match[0];
    if (/^\d[\d./-]*$/.test(written) && !validNumericDate(written)) continue;
    // "May" is a month only next to a day: "you may 2…" is not a date.
    if (/^may\s/i.test(written) && !/^May/.test(written)) continue;
    const value = written
      .replace(/(\d)(?:st|nd|rd|th|er)\b/giu, '$1')
      .replace(/\s+of\s+/iu, ' ')
      .replace(/\s+/gu, ' ')
      .trim();
    found.push(candidate('date', text, match.index, match.index + written.length, value));
  }
  return found;
}

// ── Street addresses ─────────────────────────────────────────────────────────

/** "Street" also as "street": a pattern whose first letter matches either case. */
const eitherCase = (words: string[]) => words.map((word) => `[${word[0]!.toUpperCase()}${word[0]!.toLowerCase()}]${word.slice(1)}`).join('|');
const CAP = String.raw`\p{Lu}[\p{L}'’.-]*`;
/** A town's name: no full stop, which would take the end of a sentence along. */
const TOWN = String.raw`\p{Lu}[\p{L}'’-]*`;
/** Capitalised words that follow "via" or precede a postcode without being a street or a town. */
const NOT_PLACE = /^(?:PayPal|Paypal|Visa|Mastercard|Amazon|Apple|Google|E-?mail|Email|Mail|Whatsapp|WhatsApp|Telegram|SMS|DHL|UPS|GLS|DPD|FedEx|Thanks|Thank|Please|Euro|Euros|Dollar|Dollars|Order|Bestellung|Ordine|Items?|Stück|Pezzi)$/u;

const ADDRESS_PATTERNS: Record<string, string[]> = {
  en: [
    String.raw`\d{1,5}[A-Za-z]?,?\s+(?:${CAP}\s+){1,3}(?:${eitherCase(['street', 'st', 'road', 'rd', 'avenue', 'ave', 'lane', 'ln', 'drive', 'dr', 'boulevard', 'blvd', 'way', 'close', 'court', 'ct', 'place', 'pl', 'square', 'sq', 'terrace', 'crescent', 'gardens', 'parade', 'hill', 'row', 'walk', 'mews', 'grove', 'highway', 'hwy', 'parkway', 'pkwy'])})${NOT_AFTER}\.?`,
  ],
  de: [
    String.raw`(?:${CAP}\s)?\p{Lu}[\p{L}-]*?(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|pfad)\s*\d{1,4}\s?[a-zA-Z]?${NOT_AFTER}`,
    String.raw`${CAP}\s(?:Straße|Strasse|Str\.|Weg|Gasse|Allee|Platz|Ring|Damm)\s+\d{1,4}\s?[a-zA-Z]?${NOT_AFTER}`,
  ],
  it: [
    String.raw`(?:${eitherCase(['via', 'viale', 'piazza', 'piazzale', 'corso', 'largo', 'vicolo', 'strada'])}|[Pp]\.zza|[Vv]\.le|[Cc]\.so)\s+(?:(?:${CAP}|dei|del|della|delle|degli|di|da|dal|XX|IV)\s+){0,4}?(?:${CAP}|\d{1,2}\s+${CAP}),?\s+(?:n\.?\s*)?\d{1,4}(?:\s?[a-zA-Z](?![\p{L}]))?(?:\/[a-zA-Z\d]+)?${NOT_AFTER}`,
  ],
  fr: [
    String.raw`\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|allée|chemin|impasse|quai|route)\s+(?:(?:de|du|des|la|le|l['’]|d['’])\s*)*${CAP}(?:\s+${CAP}){0,3}`,
  ],
  es: [
    String.raw`(?:${eitherCase(['calle', 'avenida', 'avda', 'plaza', 'paseo', 'camino'])}|[Cc]/)\.?\s+(?:(?:de|del|la|los|las)\s+)*${CAP}(?:\s+${CAP}){0,3},?\s+(?:n[º°o]\.?\s*)?\d{1,4}${NOT_AFTER}`,
  ],
  ru: [
    String.raw`(?:ул\.|улица|пр\.|пр-т|просп\.|проспект|пер\.|переулок|бул\.|бульвар|наб\.|набережная|ш\.|шоссе|пл\.|площадь)\s*[\p{Lu}\d][\p{L}\d.-]*(?:\s+[\p{L}\d.-]+){0,2}?,?\s*(?:д\.|дом)\s*\d+\s?[а-яА-Я]?(?:,?\s*(?:корп\.|к\.|стр\.)\s*\d+)?(?:,?\s*(?:кв\.|квартира|офис|оф\.)\s*\d+)?`,
    String.raw`(?:ул\.|улица|пр\.|пр-т|просп\.|проспект|пер\.|переулок|бул\.|бульвар|наб\.|набережная|ш\.|шоссе)\s*\p{Lu}[\p{L}.-]*(?:\s+\p{Lu}[\p{L}.-]*)?,?\s+\d{1,4}[а-я]?${NOT_AFTER}`,
  ],
};
const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';
const POSTCODE_PATTERNS = [
  // UK: "London NW1 6XE", "SW1A 1AA"
  String.raw`(?:${TOWN},?\s+)?[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}`,
  // US: "Springfield, IL 62704"
  String.raw`${TOWN}(?:\s${TOWN})?,\s+(?:${US_STATES})\s+\d{5}(?:-\d{4})?`,
  // DE, IT, FR: "10115 Berlin", "00184 Roma (RM)", "D-10115 Berlin"
  String.raw`(?:[DI]-)?\d{5}\s+(${TOWN}(?:[\s-]${TOWN})?)(?:\s\([A-Z]{2}\))?`,
  // RU: "123456, г. Москва"
  String.raw`\d{6},?\s+(?:г\.\s*)?\p{Lu}\p{Ll}+`,
];

const STREETS = Object.fromEntries(Object.entries(ADDRESS_PATTERNS).map(([language, sources]) => [language, sources.map((source) => new RegExp(`${NOT_BEFORE}(?:${source})`, 'gu'))]));
const ALL_STREETS = Object.values(STREETS).flat();
const POSTCODES = POSTCODE_PATTERNS.map((source) => new RegExp(`${NOT_BEFORE}(?:${source})${NOT_AFTER}`, 'gu'));

function addresses(text: string, language: string | undefined): Candidate[] {
  const primary = primaryLanguage(language);
  const streets = (primary && STREETS[primary]) || ALL_STREETS;
  const spans: Array<{ start: number; end: number }> = [];
  for (const pattern of streets) {
    for (const match of text.matchAll(pattern)) {
      const words = match[0].match(/\p{Lu}[\p{L}'’-]*/gu) ?? [];
      if (words.some((word) => NOT_PLACE.test(word))) continue;
      spans.push({ start: match.index, end: match.index + match[0].replace(/[\s,]+$/u, '').length });
    }
  }
  for (const [i, pattern] of POSTCODES.entries()) {
    for (const match of text.matchAll(pattern)) {
      const end = match.index + match[0].length;
      if (i === 2) {
        // "10115 Berlin" ends its line or phrase; "10000 Punkte gesammelt" is a number and a noun.
        if (NOT_PLACE.test(match[1]!.split(/[\s-]/)[0]!) || !/^(?:[ \t]*(?:[,.;\n\r]|$)|[ \t]+\()/u.test(text.slice(end))) continue;
      }
      spans.push({ start: match.index, end });
    }
  }
  // One address from its parts: "12 Baker Street, London NW1 6XE", "Hauptstraße 5\n10115 Berlin".
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<{ start: number; end: number }> = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && (span.start <= last.end || /^[\s,]{0,3}$/u.test(text.slice(last.end, span.start)))) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged.map((span) => candidate('address', text, span.start, span.end, text.slice(span.start, span.end).replace(/\s*\n\s*/gu, ', ').replace(/\s+/gu, ' ')));
}

// ── Names ────────────────────────────────────────────────────────────────────

function names(text: string, found: readonly NameSpan[] = namesIn(text)): Candidate[] {
  return found.map((name) => candidate('name', text, name.start, name.end, name.name));
}

// ── All of them ──────────────────────────────────────────────────────────────

/** Keeps the best of overlapping candidates: the more specific kind, then the longer, then the earlier. */
function settle(candidates: Candidate[]): Entity[] {
  const sorted = [...candidates].sort((a, b) => a.rank - b.rank || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Candidate[] = [];
  for (const entity of sorted) if (entity.end > entity.start && !kept.some((other) => overlaps(other, entity))) kept.push(entity);
  return kept.sort((a, b) => a.start - b.start).map(({ rank: _rank, ...entity }) => entity);
}

export interface EntityDetectors {
  /** Default true: names from the text's greeting, sign-off or self-introduction. Or the names to report, found elsewhere. */
  names?: boolean | readonly NameSpan[];
}

/** Entities with `detectors` turned on or off (readMessage finds names in the cleaned frame instead). */
export function findEntities(text: string, options: ExtractEntitiesOptions = {}, detectors: EntityDetectors = {}): Entity[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const candidates = [...links(text), ...ibans(text), ...cards(text), ...amounts(text), ...ids(text), ...dates(text), ...phones(text, options), ...addresses(text, options.language)];
  if (detectors.names !== false) candidates.push(...names(text, detectors.names === true || detectors.names === undefined ? undefined : detectors.names));
  return settle(candidates);
}

/**
 * Entities of a text, in order, none overlapping, offsets in `text`. `value` is normalized:
 * e-mails lowercased, phones in E.164, amounts "12.50 EUR", cards their last four digits, ids upper case.
 */
export function extractEntities(text: string, options: ExtractEntitiesOptions = {}): Entity[] {
  return findEntities(text, options);
}
