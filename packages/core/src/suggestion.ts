import type { ReadMessage } from '@answerdesk/message';
import { composeDraft, customerDomain, plainText, withCustomerDomain, type DraftAnswer, type ReplyTemplate } from '@answerdesk/reply';
import type { MessageReading, QueryLanguage, QuestionAnswer, ReplyDraft, SimilarTicket, Suggestion } from '@answerdesk/types';
import type { RatedCandidate } from './answer-question.js';
import { languageNotes } from './translations.js';
import { nothingToAnswer, type NothingToAnswer } from './nothing-to-answer.js';

/** Tickets shown beside the answer: the most probable ones, at most this many. */
const SIMILAR_TICKETS = 3;
/** A past ticket this unlikely to be about the same thing is not shown as similar. */
const SIMILAR_FLOOR = 0.2;

export interface SuggestionParts {
  query: string;
  reading: ReadMessage;
  language: QueryLanguage;
  answered: ReadonlyArray<{ answer: QuestionAnswer; rated: readonly RatedCandidate[] }>;
  templates: readonly ReplyTemplate[];
  encoderId: string;
  defaultLanguage: string;
  brand?: string;
  channel?: string;
  explain?: boolean;
  /** A canned reply drafted instead of the answers (the agent chose it). */
  canned?: string;
  /** The company's own domains (found in what it publishes): never taken for the customer's. */
  ownDomains?: readonly string[];
  /** The message was Russian written in Latin letters, read in Cyrillic. */
  fromLatinRussian?: boolean;
  tookMs: () => number;
}

/** What the agent sees of how the message was read. Pure. */
export function messageReading(reading: ReadMessage): MessageReading {
  const removed: MessageReading['removed'] = {};
  for (const part of ['greeting', 'signOff', 'signature', 'quoted', 'footer'] as const) {
    const value = reading[part];
    if (value) removed[part] = value;
  }
  return {
    text: reading.text,
    questions: reading.questions.map((q) => q.text),
    corrections: reading.corrections,
    capsFolded: reading.capsFolded,
    ...(reading.customerName ? { customerName: reading.customerName } : {}),
    entities: reading.entities,
    removed,
    ...(reading.autoReply ? { autoReply: true as const } : {}),
    ...(reading.thanksOnly ? { thanksOnly: true as const } : {}),
    ...(reading.followUp ? { followUp: true as const } : {}),
    ...(reading.nothingAsked ? { nothingAsked: true as const } : {}),
    ...(reading.unsolicited ? { unsolicited: true as const } : {}),
  };
}

/** Past tickets like the message, most probable first, each once. Pure. */
export function similarTickets(answered: SuggestionParts['answered']): SimilarTicket[] {
  const best = new Map<string, RatedCandidate>();
  for (const { rated } of answered) {
    for (const candidate of rated) {
      if (candidate.hit.doc.kind !== 'ticket' || candidate.probability < SIMILAR_FLOOR) continue;
      const seen = best.get(candidate.hit.doc.id);
      if (!seen || seen.probability < candidate.probability) best.set(candidate.hit.doc.id, candidate);
    }
  }
  return [...best.values()]
    .sort((a, b) => b.probability - a.probability)
    .slice(0, SIMILAR_TICKETS)
    .map(({ hit }) => ({
      id: hit.doc.id,
      subject: hit.doc.title,
      ...(hit.doc.category ? { category: hit.doc.category } : {}),
      ...(hit.doc.createdAt ? { createdAt: hit.doc.createdAt } : {}),
      resolution: hit.doc.answer,
      source: hit.doc.source,
      ...(hit.similarity !== undefined ? { similarity: hit.similarity } : {}),
    }));
}

/** Each question's reason for having no answer. */
export const NOTHING_TO_ANSWER: Readonly<Record<NothingToAnswer, string>> = {
  'auto-reply': 'An automatic reply (out of office): there is no question to answer.',
  thanks: 'The customer only thanks or says the matter is solved: there is no question to answer.',
  'follow-up': 'A follow-up on an earlier message: what it asks is in the ticket\'s earlier messages, not in these words.',
  'nothing-asked': 'Nothing asked yet: a greeting, an order number or a question mark alone.',
  spam: 'Spam or an unsolicited offer (a prize to claim, a sales pitch): there is no customer question to answer.',
};

/** The agent's note on the draft for each. */
const NOTHING_TO_ANSWER_NOTE: Readonly<Record<NothingToAnswer, string>> = {
  'auto-reply': 'No reply needed: this reads as an automatic reply (an out-of-office message or an auto-acknowledgement). Close it, or reply only if a person wrote more.',
  thanks: 'No reply needed: the customer only thanks you or says it is solved. Close the ticket, or send a short reply if you like.',
  'follow-up': "The customer is chasing an earlier message: answer what the ticket's earlier messages ask. Until then, the draft says you're looking into it.",
  'nothing-asked': 'The message asks nothing yet (a greeting, an order number or a question mark alone): the draft asks what the customer needs.',
  spam: 'This reads as spam or an unsolicited offer (a prize to claim, a sales pitch): mark it as spam. The draft is your spam reply, if you reply at all.',
};

/** Markdown that opens with a list item or a table row. */
const OPENS_WITH_LIST = /^\s*(?:[-*+]\s|\d{1,2}[.)]\s|\|)/u;

const LATIN_RUSSIAN_NOTE = 'The message is Russian written in Latin letters ("Zdravstvuyte, gde moy zakaz?"): it was read in Cyrillic, as shown.';

/** The suggestion for a message: one answer per question, the first on top, a reply draft and similar tickets. Pure. */
export function composeSuggestion(parts: SuggestionParts): Suggestion {
  const answers = parts.answered.map((entry) =>
    parts.explain
      ? { ...entry.answer, candidates: entry.rated.map((c) => ({ source: c.hit.doc.source, probability: Math.round(c.probability * 1000) / 1000, features: { ...c.features }, ...(c.notes.length ? { notes: [...c.notes] } : {}) })) }
      : entry.answer,
  );
  const lead = answers.find((a) => a.status === 'answered') ?? answers[0]!;
  const notes = [
    ...(parts.fromLatinRussian ? [LATIN_RUSSIAN_NOTE] : []),
    ...languageNotes(parts.language, parts.encoderId, 'hybrid', answers.flatMap((a) => (a.gloss ? [a.gloss] : [])).join(' / ')),
    ...(lead.notes ?? []),
  ];
  const answeredOnes = answers.filter((a) => a.status === 'answered');
  // "www.example.com" in an article is the customer's site: the domain the message names, where it names one.
  const domain = customerDomain(parts.reading.entities, parts.ownDomains ?? []);
  let domainWritten = false;
  const inReply = (a: QuestionAnswer): string => {
    const plain = plainText(a.answer!);
    if (!domain || a.source?.kind !== 'article') return plain;
    const written = withCustomerDomain(plain, domain);
    domainWritten ||= written.replaced > 0;
    return written.text;
  };
  const draftAnswers: DraftAnswer[] = answeredOnes.map((a) => ({
    question: a.question,
    // A reply is plain text: lists stay lists, a table becomes aligned columns, markup goes.
    text: inReply(a),
    ...(a.notes ? { notes: a.notes } : {}),
    ...(a.source ? { sourceId: a.source.id } : {}),
    language: a.language ?? parts.language.code,
    // A section that opens with a list or table has its heading as the lead-in: a reply must not start with a bare list.
    ...(a.source?.kind === 'article' && a.source.heading && OPENS_WITH_LIST.test(a.answer!) ? { heading: a.source.heading } : {}),
  }));
  const unanswered = answers.filter((a) => a.status === 'abstained');
  // The agent chose a canned reply: it replaces the answers in the draft (they stay in the suggestion).
  const chosen = parts.canned;
  const drafted = chosen ? [] : draftAnswers;
  const nothing = chosen ? undefined : nothingToAnswer(parts.reading);
  // An automatic reply or a closing thanks needs no reply (to an automatic one it would start a loop of them); a
  // follow-up gets the looking-into-it reply, and a message that asks nothing yet the one that asks what the customer needs.
  const draft: ReplyDraft = nothing === 'auto-reply' || nothing === 'thanks'
    ? { text: '', parts: [], placeholders: [], notes: [NOTHING_TO_ANSWER_NOTE[nothing]], language: parts.language.code, needsTranslation: false }
    : composeDraft({
    templates: parts.templates,
    language: parts.language.code,
    defaultLanguage: parts.defaultLanguage,
    ...(parts.brand ? { brand: parts.brand } : {}),
    ...(parts.channel ? { channel: parts.channel } : {}),
    ...(parts.reading.customerName ? { customerName: parts.reading.customerName } : {}),
    answers: drafted,
    ...(chosen ? { canned: chosen } : nothing === 'nothing-asked' ? { canned: 'need-details' } : nothing === 'spam' ? { canned: 'spam' } : drafted.length === 0 ? { canned: 'looking-into-it' } : {}),
    notes: [
      ...(chosen ? [`The canned reply "${chosen}" instead of the answers, as chosen.`] : []),
      ...(nothing ? [NOTHING_TO_ANSWER_NOTE[nothing]] : []),
      ...(!chosen && !nothing && drafted.length === 0 ? ['No answer in the knowledge base: the draft only acknowledges the message. Pick another canned reply (off-topic, spam, need details) if one fits.'] : []),
      ...(domainWritten && drafted.length > 0 ? [`"example.com" in the articles is written as ${domain}, the domain the customer named: check it is the one meant.`] : []),
      // Each question left unanswered, with the nearby articles its reason names: where the agent looks next, also when
      // nothing could be drafted and the draft only acknowledges the message.
      ...(!chosen && !nothing && unanswered.length > 0 ? unanswered.map((a) => `Not answered: "${a.question}". ${a.reason ?? ''}`.trim()) : []),
    ],
  });
  const common = {
    query: parts.query,
    queryLanguage: parts.language,
    message: messageReading(parts.reading),
    answers,
    draft: {
      text: draft.text,
      parts: draft.parts,
      placeholders: draft.placeholders,
      notes: draft.notes,
      language: draft.language,
      needsTranslation: draft.needsTranslation,
    },
    similarTickets: similarTickets(parts.answered),
  };
  if (lead.status === 'abstained') {
    return {
      ...common,
      status: 'abstained',
      confidence: lead.confidence,
      alternatives: [],
      reason: lead.reason ?? 'No answer.',
      ...(notes.length ? { notes } : {}),
      tookMs: parts.tookMs(),
    };
  }
  return {
    ...common,
    status: 'answered',
    answer: lead.answer!,
    source: lead.source!,
    confidence: lead.confidence,
    alternatives: lead.alternatives,
    language: lead.language!,
    needsTranslation: lead.needsTranslation ?? false,
    ...(notes.length ? { notes: [...new Set(notes)] } : {}),
    tookMs: parts.tookMs(),
  };
}
