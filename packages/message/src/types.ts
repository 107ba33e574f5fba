import type { Entity, EntityKind } from '@answerdesk/types';
import type { CountryCode } from 'libphonenumber-js';

// Entities travel into suggestions and reply drafts, so their shape lives in @answerdesk/types.
export type { CountryCode, Entity, EntityKind };

export interface ExtractEntitiesOptions {
  /** Language of the text (ISO 639-1, e.g. `de` or `de-AT`): street addresses are looked for in its patterns only. Default: every language's. Other words (order, Bestellung, заказ…) are known in all languages anyway. */
  language?: string;
  /** Country of phone numbers written without `+` (e.g. `GB`). Default: none, so only numbers written with `+` are phones. */
  defaultCountry?: CountryCode;
}

/** Spelling corrections against the knowledge base's own words. */
export interface Speller {
  /** The knowledge base (or, with `dictionary`, the language's dictionary) knows the word. */
  known(word: string): boolean;
  /** The knowledge-base word the customer most likely meant (the dictionary's where the knowledge base has none near), or `undefined` to leave the word as it is. */
  correct(word: string): string | undefined;
}

export interface SpellerOptions {
  /** Words of the knowledge base with their counts (after lowercasing), e.g. from `vocabularyOf`. */
  vocabulary: ReadonlyMap<string, number>;
  /** Language of the messages to correct (ISO 639-1, region ignored). */
  language: string;
  /** Default: true — a word a hunspell dictionary of `language` knows is never corrected (Hunspell). */
  dictionary?: boolean;
  /** Largest edit distance of a correction. Default: 0 for words ≤ 3 letters, 1 for 4–7, 2 for 8+. */
  maxDistance?: (word: string) => number;
}

export interface ReadMessageOptions {
  /** Language of the message (ISO 639-1). Default `en` for sentence splitting; cleaning knows en, it, de, ru, fr and es whatever it says. */
  language?: string;
  /** Corrects spelling against the knowledge base (`createSpeller`). Default: no corrections. */
  speller?: Speller;
  /** Default true: an ALL CAPS message (or sentence) is lowercased, ids and known acronyms kept. */
  foldCaps?: boolean;
  /** Default true: a message asking about several things gives one question per thing. */
  splitQuestions?: boolean;
  /** Country of phone numbers written without `+`. Default: none. */
  defaultCountry?: CountryCode;
  /** `html`: the message is HTML and is read as its text (`htmlToText`); `text`: never; `auto` (default): when it is an HTML body (`isHtmlBody`: it starts with markup, such as `<p>` or `<div>`). A plain message quoting markup ("my <div> won't center") is read as written. */
  format?: 'text' | 'html' | 'auto';
}

/** A question as splitQuestions finds it. */
export interface QuestionSpan {
  /** Cleaned text of this question with the context it needs. */
  text: string;
  /** Offsets in `ReadMessage.text` of the sentences this question was read from. */
  start: number;
  end: number;
}

export interface MessageQuestion extends QuestionSpan {
  /** What is matched against the knowledge base: `text` without the customer's identifiers (order numbers, e-mail addresses, their website…). */
  match: string;
}

export interface Correction {
  from: string;
  to: string;
}

export interface ReadMessage {
  /** The message as given; for an HTML body, its text (offsets of entities and names point into this). */
  original: string;
  /** The message was HTML and was read as its text. */
  fromHtml?: true;
  /** The message is an automatic reply (an out-of-office message, an auto-acknowledgement; see `isAutoReply`): nothing to answer. */
  autoReply?: true;
  /** The customer only thanks or says the matter is closed ("Thanks, that solved it!"; see `isThanksOnly`): no reply is needed. */
  thanksOnly?: true;
  /** The customer only chases an earlier message ("Any update on this?"; see `isFollowUp`): what it is about is in the ticket's history. */
  followUp?: true;
  /** Nothing to match: a greeting, an order number or a question mark alone (see `asksNothing`): the customer has to be asked what they need. */
  nothingAsked?: true;
  /** Spam or an unsolicited offer: a prize to claim, a sales pitch (see `isUnsolicited`): no question of a customer's. */
  unsolicited?: true;
  /** The cleaned body that is matched: greeting, sign-off, signature, quoted replies, legal footer and politeness removed; caps folded; spelling corrected. */
  text: string;
  /** At least one: the whole text when it asks one thing. */
  questions: MessageQuestion[];
  greeting?: string;
  signOff?: string;
  signature?: string;
  quoted?: string;
  footer?: string;
  /** From the sign-off or signature ("Thanks, Maria") or a self-introduction ("my name is Anna Rossi"). */
  customerName?: string;
  corrections: Correction[];
  capsFolded: boolean;
  /** Found in the original text, quoted part included; offsets in `original`. */
  entities: Entity[];
}
