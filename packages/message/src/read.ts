/**
 * Reading a customer's message before it is matched: clean it, fold shouting, correct typos
 * against the knowledge base, split it into questions, and note its details (entities).
 */
import { AnswerdeskError, type Entity } from '@answerdesk/types';
import { foldCaps, sentenceCase } from './caps.js';
import { withSpokenPunctuation } from './dictation.js';
import { decodeEntities, hasCharacterReferences, htmlToText, isHtmlBody } from './html.js';
import { cleanMessage, isAutoReply } from './clean.js';
import { findEntities } from './entities.js';
import { asksNothing, isFollowUp, isThanksOnly } from './nothing-asked.js';
import { identifiersRemoved, withoutIdentifiers, withoutPictographs } from './identifiers.js';
import { splitQuestions } from './questions.js';
import { isUnsolicited } from './unsolicited.js';
import { correctText } from './spelling.js';
import { capitalizeFirst, type Span } from './text.js';
import type { ReadMessage, ReadMessageOptions } from './types.js';

/** Entities whose letters are as the customer wrote them: never case-folded. */
const KEEP_CASE = new Set<Entity['kind']>(['email', 'url', 'domain', 'iban', 'order', 'ticket', 'invoice', 'certificate', 'tracking', 'card', 'phone']);

/** Where entities lie in the cleaned text, from where each of its characters came from in the original. */
function spansIn(origin: Int32Array, entities: readonly Entity[]): Span[] {
  const spans: Span[] = [];
  let open: Span | undefined;
  for (let i = 0; i < origin.length; i++) {
    const at = origin[i]!;
    const inside = at >= 0 && entities.some((entity) => at >= entity.start && at < entity.end);
    if (inside) {
      if (open && open.end === i) open.end = i + 1;
      else spans.push((open = { start: i, end: i + 1 }));
    }
  }
  return spans;
}

function checkOptions(options: ReadMessageOptions): void {
  const invalid = (option: string, reason: string) => new AnswerdeskError('ADK_OPTION_INVALID', { option, reason });
  if (options.language !== undefined && typeof options.language !== 'string') throw invalid('language', 'must be a language code such as "en"');
  if (options.format !== undefined && !['text', 'html', 'auto'].includes(options.format)) throw invalid('format', 'must be "text", "html" or "auto"');
  if (options.speller !== undefined && (typeof options.speller?.correct !== 'function' || typeof options.speller?.known !== 'function')) {
    throw invalid('speller', 'must have known(word) and correct(word) (see createSpeller)');
  }
}

/** Reads a customer's message: what to match, its questions, its parts and its details. */
export function readMessage(given: string, options: ReadMessageOptions = {}): ReadMessage {
  if (typeof given !== 'string') {
    throw new AnswerdeskError('ADK_MESSAGE_INVALID', { id: '(text)', reason: `the text to read must be a string, got ${given === null ? 'null' : typeof given}` });
  }
  checkOptions(options);
  // A body sent as HTML ("<p>Hi,</p><p>where is…") is read as the text a mail client shows: its lines are what the reader knows.
  const format = options.format ?? 'auto';
  const fromHtml = format === 'html' || (format === 'auto' && isHtmlBody(given));
  // Character references left in plain text ("it&#39;s") would be read, and spelled, as words ("nbsp" → "tbsp").
  const typed = fromHtml ? htmlToText(given) : format === 'auto' && hasCharacterReferences(given) ? decodeEntities(given).replace(/\u00a0/gu, ' ') : given;
  const text = withSpokenPunctuation(typed);
  const { language, defaultCountry } = options;
  const cleaned = cleanMessage(text, language);
  // The greeting's name is the agent's; the customer's names are the sign-off's, the signature's and self-introductions.
  const customerNames = cleaned.names.filter((name) => name.role === 'customer');
  const writer = customerNames[0];
  const entities = findEntities(text, { ...(language ? { language } : {}), ...(defaultCountry ? { defaultCountry } : {}) }, { names: customerNames });

  // "Hi, my order…" and "Buongiorno,\nho reso…" read as sentences once the greeting is gone.
  let body = cleaned.greetingRemoved && !cleaned.keptOriginal ? capitalizeFirst(cleaned.text) : cleaned.text;
  let capsFolded = false;
  if (options.foldCaps !== false) {
    const keep = spansIn(
      cleaned.origin,
      entities.filter((entity) => KEEP_CASE.has(entity.kind)),
    );
    const folded = foldCaps(body, { keep, ...(language ? { language } : {}) });
    body = folded.folded ? folded.text : sentenceCase(body, language, keep).text;
    capsFolded = folded.folded;
  }
  let corrections: ReadMessage['corrections'] = [];
  if (options.speller) {
    // Folding kept every offset, so entity spans still hold here.
    const corrected = correctText(body, options.speller, spansIn(cleaned.origin, entities));
    body = corrected.text;
    corrections = corrected.corrections;
  }
  const found = options.splitQuestions === false ? [{ text: body, start: 0, end: body.length }] : splitQuestions(body, language ? { language } : {});
  const questions = found.map((question) => ({ ...question, match: withoutPictographs(withoutIdentifiers(question.text, entities)) }));
  const autoReply = isAutoReply(text);
  // What the customer wrote, before politeness went: "Thanks, that solved it!" is all thanks.
  const thanksOnly = !autoReply && isThanksOnly(cleaned.text, language);
  const followUp = !autoReply && !thanksOnly && isFollowUp(cleaned.text, language);
  const nothingAsked = !autoReply && !thanksOnly && !followUp && asksNothing(questions.map((question) => identifiersRemoved(question.text, entities)), language);
  // What the writer wrote, salutation and signature included (a pitch signs as "Sales Manager"); quoted replies may be the shop's own offers.
  const unsolicited = !autoReply && isUnsolicited([cleaned.greeting, cleaned.text, cleaned.signOff, cleaned.signature].filter(Boolean).join('\n'));

  return {
    original: text,
    ...(fromHtml ? { fromHtml: true as const } : {}),
    ...(autoReply ? { autoReply: true as const } : {}),
    ...(thanksOnly ? { thanksOnly: true as const } : {}),
    ...(followUp ? { followUp: true as const } : {}),
    ...(nothingAsked ? { nothingAsked: true as const } : {}),
    ...(unsolicited ? { unsolicited: true as const } : {}),
    text: body,
    questions,
    ...(cleaned.greeting !== undefined ? { greeting: cleaned.greeting } : {}),
    ...(cleaned.signOff !== undefined ? { signOff: cleaned.signOff } : {}),
    ...(cleaned.signature !== undefined ? { signature: cleaned.signature } : {}),
    ...(cleaned.quoted !== undefined ? { quoted: cleaned.quoted } : {}),
    ...(cleaned.footer !== undefined ? { footer: cleaned.footer } : {}),
    ...(writer ? { customerName: writer.name } : {}),
    corrections,
    capsFolded,
    entities,
  };
}
