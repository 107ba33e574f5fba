/**
 * Another company's service a customer says they hold something with: "my Netflix account", "our
 * Google Workspace login", "il mio account Spotify", "mein Netflix-Konto", "мой аккаунт в Steam". A
 * question about an account elsewhere is not the knowledge base's to answer, when the knowledge base
 * never mentions that service (the caller knows its words). Orders, parcels and cards are left out:
 * "my DHL parcel" may well be one of ours, sent with a carrier the articles never name.
 */
import { B, E } from './phrases.js';

export interface ServiceMention {
  /** The service as written ("Netflix", "Google Play"). */
  name: string;
  /** What the customer holds with it, as written ("account", "Konto"). */
  holding: string;
  /** The kind of that holding, whatever the language: a login, password or profile is an `account`. */
  kind: HoldingKind;
  start: number;
  end: number;
}

/** What is held with a service: its words' meaning, in every language the patterns read. */
export type HoldingKind = 'account' | 'subscription' | 'app' | 'storage';

const HOLDING_KINDS: ReadonlyArray<[HoldingKind, RegExp]> = [
  ['subscription', /^(?:subscription|membership|premium|prime|abbonamento|abo|подписк[ауи])$/iu],
  ['app', /^app$/iu],
  ['storage', /^(?:backup|storage)$/iu],
  // Accounts, and what opens one: a login, a password, a profile, an inbox, an id.
  ['account', /./u],
];

/** The kind of a holding word (see `HoldingKind`). Pure. */
export function holdingKind(holding: string): HoldingKind {
  return HOLDING_KINDS.find(([, pattern]) => pattern.test(holding))![0];
}

/** A name: a capitalised word, or one like "iCloud"; two at most ("Google Play"). */
const NAME = String.raw`(?:i?\p{Lu}[\p{L}\p{N}]*(?:[ \t]i?\p{Lu}[\p{L}\p{N}]*)?)`;
const HOLDING_EN = 'account|accounts|password|login|log-in|subscription|membership|inbox|profile|app|backup|storage|premium|prime|id';

/** One pattern per way of saying it; the name's group is `name`, what is held `holding`. Case-sensitive: the name's capital counts. */
const PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`${B}(?:[Mm]y|[Oo]ur)[ \t]+(?<name>${NAME})[ \t]+(?<holding>${HOLDING_EN})${E}`, 'gu'),
  new RegExp(
    String.raw`${B}(?:[Ii]l|[Dd]el|[Nn]el|[Ss]ul|[Aa]l|[Ll]a|[Dd]ella|[Nn]ella)[ \t]+(?:mio|mia|nostro|nostra)[ \t]+(?<holding>account|abbonamento|profilo|password)[ \t]+(?:(?:di|su)[ \t]+)?(?<name>${NAME})${E}`,
    'gu',
  ),
  new RegExp(String.raw`${B}(?:[Mm]ein(?:e|en|em)?|[Uu]nser(?:e|en|em)?)[ \t]+(?<name>${NAME})(?:-|[ \t]+)(?<holding>Konto|Account|Abo|Passwort|Profil|Login)${E}`, 'gu'),
  new RegExp(
    String.raw`${B}(?:[Мм]о[йяю]|[Мм]оего|[Нн]аш[аиу]?)[ \t]+(?<holding>аккаунт|профиль|пароль|подписк[ауи])[ \t]+(?:(?:в|на|от)[ \t]+)?(?<name>${NAME})${E}`,
    'gu',
  ),
];

/** The same ways of saying it without the owner: "your Brightcart account", "das Hostwell-Konto", "l'account PayPal". */
const SPOKEN_OF: readonly RegExp[] = [
  new RegExp(String.raw`${B}(?<name>${NAME})[ \t]+(?<holding>${HOLDING_EN})${E}`, 'gu'),
  new RegExp(String.raw`${B}(?<holding>account|abbonamento|profilo|password)[ \t]+(?:(?:di|su)[ \t]+)?(?<name>${NAME})${E}`, 'gu'),
  new RegExp(String.raw`${B}(?<name>${NAME})(?:-|[ \t]+)(?<holding>Konto|Account|Abo|Passwort|Profil|Login)${E}`, 'gu'),
  new RegExp(String.raw`${B}(?<holding>аккаунт|профиль|пароль|подписк[ауи])[ \t]+(?:(?:в|на|от)[ \t]+)?(?<name>${NAME})${E}`, 'gu'),
];

function mentions(text: string, patterns: readonly RegExp[]): ServiceMention[] {
  const found: ServiceMention[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const holding = match.groups!.holding!;
      found.push({ name: match.groups!.name!, holding, kind: holdingKind(holding), start: match.index, end: match.index + match[0].length });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Services a customer says they hold an account, password or subscription with, in the order written. Pure. */
export function servicesNamed(text: string): ServiceMention[] {
  return mentions(text, PATTERNS);
}

/**
 * Every service a text speaks of holding something with, whoever holds it ("sign in to your Brightcart account",
 * "pay from your PayPal account"): run over a knowledge base's articles, what it answers about. Pure.
 */
export function servicesSpokenOf(text: string): ServiceMention[] {
  return mentions(text, SPOKEN_OF);
}
