/**
 * Messages that ask nothing: a customer closing a matter ("Thanks, that solved it!") needs no reply,
 * one chasing an earlier message ("Any update on this?") needs that message's answer, and one that
 * only greets or gives an order number ("Hello", "BC-4412345", "?") needs to be asked what they
 * need. Searching any of them for an answer only finds a wrong one.
 */
import { alternation, allPhrases, E, type LanguagePhrases } from './phrases.js';
import { PICTOGRAPH, sentencesOf } from './text.js';

/** Between the parts of one sentence: punctuation, and an "and" in the reader's languages. */
const JOIN = String.raw`[\s,;:!.…()\-–—?¿]*(?:(?:and|so|und|e|и|et|y)\s+)?`;

/**
 * A sticky matcher of one part at a position ("thanks", "that solved it", "any update on this"). A
 * sentence is read part by part, each the longest alternative that fits: one alternation per kind of
 * part, compiled once, where one pattern for the whole sentence took V8 a fifth of a second to compile.
 */
const part = (...fields: Array<keyof LanguagePhrases>) => new RegExp(`${JOIN}(?:${fields.map((field) => alternation(allPhrases, field)).join('|')})${E}`, 'iuy');
const COURTESY = part('acknowledgements', 'signOffs', 'politeness', 'greetings');
const FOLLOW_UP = part('followUps');
const GREETING = part('greetings');
const ADDRESSEE = part('greetings', 'addressees');
/** "Yes", "OK", "Sure": the answer to something the agent asked, which the agent has to act on. */
const REPLY = new RegExp(String.raw`${JOIN}(?:yes|yeah|yep|sure|ok(?:ay)?|fine|no|sì|si|ja|nein|да|нет|oui|non|sí)${E}`, 'iuy');
const END = new RegExp(`${JOIN}$`, 'uy');

/**
 * Whether `sentence` is made only of parts `next` accepts (it is given the parts read so far), read
 * left to right. Pure.
 */
function madeOf(sentence: string, next: (index: number) => readonly RegExp[]): RegExp[] | undefined {
  const read: RegExp[] = [];
  let at = 0;
  for (;;) {
    END.lastIndex = at;
    if (read.length > 0 && END.test(sentence)) return read;
    const matched = next(read.length).find((matcher) => {
      matcher.lastIndex = at;
      return matcher.test(sentence);
    });
    if (!matched || matched.lastIndex === at) return undefined;
    at = matched.lastIndex;
    read.push(matched);
  }
}

/** A sentence made only of thanks, greetings and "it works now" parts. */
const isAcknowledgement = (sentence: string) => madeOf(sentence, () => [COURTESY]) !== undefined;
/** A sentence that chases an earlier message and says nothing new ("Hi, any update on this?"). */
const isFollowUpSentence = (sentence: string) => madeOf(sentence, () => [FOLLOW_UP, COURTESY])?.includes(FOLLOW_UP) ?? false;
/** A sentence that only greets ("Hello there!"). */
const isGreeting = (sentence: string) => madeOf(sentence, (index) => (index === 0 ? [GREETING] : [ADDRESSEE])) !== undefined;
const isReply = (sentence: string) => madeOf(sentence, () => [REPLY]) !== undefined;
const PICTOGRAPHS = new RegExp(PICTOGRAPH, 'gu');
const WORDS = /[\p{L}\p{N}]/u;

/** Sentences with words, emoji left out. */
function wordSentences(text: string, language: string | undefined): string[] {
  return sentencesOf(text.replace(PICTOGRAPHS, ' '), language)
    .map((sentence) => sentence.text)
    .filter((sentence) => WORDS.test(sentence));
}

/**
 * What the customer wrote (greeting, quote and signature gone) only thanks or says the matter is
 * closed: "Thanks, that solved it!", "Great, it works now 👍", "Danke, hat geklappt", "Спасибо, всё
 * работает". Anything asked, or any other sentence ("Thanks, but it still doesn't work"), and it is
 * not. Pure.
 */
export function isThanksOnly(written: string, language?: string): boolean {
  if (/[?¿]/u.test(written)) return false;
  const sentences = wordSentences(written, language);
  if (sentences.length === 0 || !sentences.every(isAcknowledgement)) return false;
  // "Hello" alone thanks for nothing: it asks nothing yet (see asksNothing). "Yes" alone answers the agent.
  return !sentences.every(isGreeting) && !sentences.every(isReply);
}

/**
 * What the customer wrote only chases an earlier message: "Any update on this?", "Hi, still waiting
 * for an answer.", "Gibt es Neuigkeiten?". What it is about is in the ticket's earlier messages, not
 * in these words. Pure.
 */
export function isFollowUp(written: string, language?: string): boolean {
  const sentences = wordSentences(written, language);
  return sentences.length > 0 && sentences.some(isFollowUpSentence) && sentences.every((sentence) => isFollowUpSentence(sentence) || isAcknowledgement(sentence));
}

/**
 * The questions found hold nothing to match: a greeting alone, an order number alone (matched texts
 * come without the customer's identifiers), punctuation. Pure.
 */
export function asksNothing(matched: readonly string[], language?: string): boolean {
  return matched.every((text) => wordSentences(text, language).every(isGreeting));
}
