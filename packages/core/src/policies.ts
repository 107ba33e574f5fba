// Yes/no policies: what an article says is or is not refundable, returnable, free…, and the yes or no a
// past ticket gave a customer who asked for it. English only: other languages give none. Pure.
import { analyze } from '@answerdesk/index';
import type { KnowledgeDoc } from '@answerdesk/types';
import { topicTerms } from './facts.js';

/** What a policy says can or cannot be done, as index terms ("refundable", "refunded" → `refund`). */
const PREDICATES = String.raw`refund(?:able|ed)?|return(?:able|ed)?|exchange(?:able|d)?|cancell?(?:able|ed)?|transfer(?:able|red)?|free(?:\s+of\s+charge)?|charged|included|allowed|available|covered|accepted|supported`;
const NEGATION = String.raw`not|never|non-?|no\s+longer|can['’]?t\s+be|cannot\s+be|won['’]t\s+be|isn['’]t|aren['’]t|wasn['’]t|weren['’]t`;
/** "**Not refundable:** domain registrations, renewals…": a label and the list it applies to. */
const LABELLED = new RegExp(String.raw`^\s*(?:[-*•]\s*)?(${NEGATION})?\s*(${PREDICATES})\s*:\s*(.+)$`, 'iu');
/** "Renewals of existing services aren't refundable", "Sale items can be returned". */
const CLAUSE = new RegExp(String.raw`^(.+?)\s+(?:is|are|can\s+be|will\s+be|(${NEGATION}))\s+(?:(${NEGATION})\s*)?(?:be\s+)?(${PREDICATES})(?![\p{L}])`, 'iu');
/** A condition makes a policy conditional ("After 30 days, fees aren't refunded", "free on orders over €50"): not a flat yes or no. */
const CONDITION = /(?<![\p{L}])(?:if|unless|after|before|within|once|when|until|except|only|provided|as\s+long\s+as|over|under|above|below|more\s+than|less\s+than|at\s+least)(?![\p{L}])/iu;

export interface PolicyStatement {
  polarity: 'yes' | 'no';
  /** The predicate's index term: `refund`, `return`, `free`… */
  predicate: string;
  /** What the policy is about, as index terms ("renewals of existing services" → renew, exist, servic). */
  subject: string[];
  /** As written. */
  text: string;
}

export interface TicketVerdict {
  polarity: 'yes' | 'no';
  /** Predicates the customer asked about (index terms of the subject and message). */
  asked: string[];
  /** What the customer's message is about. */
  question: string[];
  /** The sentence that says yes or no. */
  text: string;
}

export interface PolicyConflict {
  section: PolicyStatement;
  ticket: TicketVerdict;
  /** Words of the policy's subject the customer's message has too. */
  shared: string[];
}

const predicateTerm = (word: string) => analyze(word.replace(/\s+of\s+charge$/i, ''), 'en')[0] ?? word.toLowerCase();
const isEnglish = (language: string) => language.toLowerCase().split('-')[0] === 'en';

/**
 * The flat yes/no policies of an article section: "Not refundable: a; b; c" (one statement per item)
 * and "X is/are (not) refundable / can('t) be returned". Statements under a condition ("after 30
 * days", "if …") are left out: they are not a plain yes or no. English only. Pure.
 */
export function policyStatements(text: string, language = 'en'): PolicyStatement[] {
  if (!isEnglish(language)) return [];
  const out: PolicyStatement[] = [];
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  for (const raw of text.split('\n')) {
    // Emphasis is markup, not words ("**Not refundable:** …").
    const line = raw.replace(/\*{1,2}|_{2}/g, '');
    const labelled = LABELLED.exec(line);
    if (labelled) {
      for (const item of labelled[3]!.split(/;\s*/)) {
        const subject = topicTerms(item, 'en');
        if (subject.length && !CONDITION.test(item)) out.push({ polarity: labelled[1] ? 'no' : 'yes', predicate: predicateTerm(labelled[2]!), subject, text: item.trim().replace(/\.$/, '') });
      }
      continue;
    }
    for (const { segment } of segmenter.segment(line)) {
      const sentence = segment.trim();
      const match = CLAUSE.exec(sentence);
      if (!match || CONDITION.test(sentence)) continue;
      const subject = topicTerms(match[1]!, 'en');
      if (subject.length) out.push({ polarity: match[2] || match[3] ? 'no' : 'yes', predicate: predicateTerm(match[4]!), subject, text: sentence });
    }
  }
  return out;
}

const YES = /^\s*(?:yes|yep|sure|of\s+course|absolutely|good\s+news)(?:[,.!:]|\s+[-–—])/iu;
const NO = /^\s*(?:no[,.!:]|unfortunately|i['’]m\s+afraid|i\s+am\s+afraid|sadly)/iu;
const ASKED = new RegExp(String.raw`(?<![\p{L}])(?:${PREDICATES}|money\s+back)(?![\p{L}])`, 'giu');

/**
 * The yes or no a ticket's resolution opens with ("Yes. The renewal…", "Unfortunately, …") to a
 * customer who asked about a policy's predicate (a refund, a return…); undefined when it opens
 * otherwise or the customer asked about none. English only. Pure.
 */
export function ticketVerdict(ticket: Pick<KnowledgeDoc, 'text' | 'answer' | 'language'>): TicketVerdict | undefined {
  if (!isEnglish(ticket.language)) return undefined;
  const polarity = YES.test(ticket.answer) ? 'yes' : NO.test(ticket.answer) ? 'no' : undefined;
  if (!polarity) return undefined;
  const asked = [...new Set([...ticket.text.matchAll(ASKED)].map((match) => (/^money\s+back$/i.test(match[0]) ? 'refund' : predicateTerm(match[0]))))];
  if (asked.length === 0) return undefined;
  const first = [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment(ticket.answer)].map(({ segment }) => segment.trim()).filter(Boolean);
  // "Yes." alone says little: the sentence after it says what to.
  const text = first[0] && first[0].split(/\s+/).length <= 2 && first[1] ? `${first[0]} ${first[1]}` : (first[0] ?? '');
  return { polarity, asked, question: topicTerms(ticket.text, 'en'), text };
}

/**
 * The section's policies the ticket's verdict goes against: the other polarity, on a predicate the
 * customer asked about, for a subject their message names (at least one word of it beyond the
 * predicate). Pure.
 */
export function policyConflicts(statements: readonly PolicyStatement[], verdict: TicketVerdict): PolicyConflict[] {
  const question = new Set(verdict.question);
  const out: PolicyConflict[] = [];
  for (const statement of statements) {
    if (statement.polarity === verdict.polarity || !verdict.asked.includes(statement.predicate)) continue;
    const shared = statement.subject.filter((term) => term !== statement.predicate && question.has(term));
    if (shared.length > 0) out.push({ section: statement, ticket: verdict, shared });
  }
  return out;
}
