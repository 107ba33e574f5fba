/**
 * Messages that ask nothing: a customer closing a matter ("Thanks, that solved it!") needs no reply,
 * one chasing an earlier message ("Any update on this?") needs that message's answer, and one that
 * only greets or gives an order number ("Hello", "BC-4412345", "?") needs to be asked what they
 * need. Searching any of them for an answer only finds a wrong one.
 */
import { alternation, allPhrases, E, pattern } from './phrases.js';
import { PICTOGRAPH, sentencesOf } from './text.js';

/** Between the parts of one sentence: punctuation, and an "and" in the reader's languages. */
const JOIN = String.raw`[\s,;:!.…()\-–—]*(?:(?:and|so|und|e|и|et|y)\s+)?`;
const UNIT = `(?:${alternation(allPhrases, 'acknowledgements')}|${alternation(allPhrases, 'signOffs')}|${alternation(allPhrases, 'politeness')}|${alternation(allPhrases, 'greetings')})`;
/** A sentence made only of thanks, greetings and "it works now" parts. */
const ACKNOWLEDGEMENT = pattern(String.raw`^${JOIN}${UNIT}${E}(?:${JOIN}${UNIT}${E})*${JOIN}$`);
const FOLLOW_UP = alternation(allPhrases, 'followUps');
/** A sentence that chases an earlier message and says nothing new ("Hi, any update on this?"). */
const FOLLOW_UP_ONLY = pattern(String.raw`^${JOIN}(?:${UNIT}${E}${JOIN})*${FOLLOW_UP}${E}(?:${JOIN}(?:${UNIT}|${FOLLOW_UP})${E})*[\s?¿!.…]*$`);
/** A sentence that only greets ("Hello there!"). */
const GREETING_ONLY = pattern(
  String.raw`^${JOIN}${alternation(allPhrases, 'greetings')}${E}(?:${JOIN}(?:${alternation(allPhrases, 'greetings')}|${alternation(allPhrases, 'addressees')})${E})*${JOIN}$`,
);
/** "Yes", "OK", "Sure": the answer to something the agent asked, which the agent has to act on. */
const REPLY_WORDS = String.raw`(?:yes|yeah|yep|sure|ok(?:ay)?|fine|no|sì|si|ja|nein|да|нет|oui|non|sí)`;
const REPLY_ONLY = pattern(String.raw`^${JOIN}${REPLY_WORDS}${E}(?:${JOIN}${REPLY_WORDS}${E})*${JOIN}$`);
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
  if (sentences.length === 0 || !sentences.every((sentence) => ACKNOWLEDGEMENT.test(sentence))) return false;
  // "Hello" alone thanks for nothing: it asks nothing yet (see asksNothing). "Yes" alone answers the agent.
  return !sentences.every((sentence) => GREETING_ONLY.test(sentence)) && !sentences.every((sentence) => REPLY_ONLY.test(sentence));
}

/**
 * What the customer wrote only chases an earlier message: "Any update on this?", "Hi, still waiting
 * for an answer.", "Gibt es Neuigkeiten?". What it is about is in the ticket's earlier messages, not
 * in these words. Pure.
 */
export function isFollowUp(written: string, language?: string): boolean {
  const sentences = wordSentences(written, language);
  return sentences.length > 0 && sentences.some((sentence) => FOLLOW_UP_ONLY.test(sentence)) && sentences.every((sentence) => FOLLOW_UP_ONLY.test(sentence) || ACKNOWLEDGEMENT.test(sentence));
}

/**
 * The questions found hold nothing to match: a greeting alone, an order number alone (matched texts
 * come without the customer's identifiers), punctuation. Pure.
 */
export function asksNothing(matched: readonly string[], language?: string): boolean {
  return matched.every((text) => wordSentences(text, language).every((sentence) => GREETING_ONLY.test(sentence)));
}
