import type { ReadMessage } from '@answerdesk/message';
import { composeDraft, plainText, type DraftAnswer, type ReplyTemplate } from '@answerdesk/reply';
import type { MessageReading, QueryLanguage, QuestionAnswer, ReplyDraft, SimilarTicket, Suggestion } from '@answerdesk/types';
import type { RatedCandidate } from './answer-question.js';
import { languageNotes } from './translations.js';

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

/** Why an automatic reply gets no answer and no draft. */
const AUTO_REPLY_NOTE = 'No reply needed: this reads as an automatic reply (an out-of-office message or an auto-acknowledgement). Close it, or reply only if a person wrote more.';

/** Markdown that opens with a list item or a table row. */
const OPENS_WITH_LIST = /^\s*(?:[-*+]\s|\d{1,2}[.)]\s|\|)/u;

/** The suggestion for a message: one answer per question, the first on top, a reply draft and similar tickets. Pure. */
export function composeSuggestion(parts: SuggestionParts): Suggestion {
  const answers = parts.answered.map((entry) =>
    parts.explain
      ? { ...entry.answer, candidates: entry.rated.map((c) => ({ source: c.hit.doc.source, probability: Math.round(c.probability * 1000) / 1000, features: { ...c.features } })) }
      : entry.answer,
  );
  const lead = answers.find((a) => a.status === 'answered') ?? answers[0]!;
  const notes = [...languageNotes(parts.language, parts.encoderId, 'hybrid', answers.flatMap((a) => (a.gloss ? [a.gloss] : [])).join(' / ')), ...(lead.notes ?? [])];
  const answeredOnes = answers.filter((a) => a.status === 'answered');
  const draftAnswers: DraftAnswer[] = answeredOnes.map((a) => ({
    question: a.question,
    // A reply is plain text: lists stay lists, a table becomes aligned columns, markup goes.
    text: plainText(a.answer!),
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
  // An automatic reply asks nothing: replying would only start a loop of automatic replies.
  const draft: ReplyDraft = parts.reading.autoReply && !chosen
    ? { text: '', parts: [], placeholders: [], notes: [AUTO_REPLY_NOTE], language: parts.language.code, needsTranslation: false }
    : composeDraft({
    templates: parts.templates,
    language: parts.language.code,
    defaultLanguage: parts.defaultLanguage,
    ...(parts.brand ? { brand: parts.brand } : {}),
    ...(parts.channel ? { channel: parts.channel } : {}),
    ...(parts.reading.customerName ? { customerName: parts.reading.customerName } : {}),
    answers: drafted,
    ...(chosen ? { canned: chosen } : drafted.length === 0 ? { canned: 'looking-into-it' } : {}),
    notes: [
      ...(chosen ? [`The canned reply "${chosen}" instead of the answers, as chosen.`] : []),
      ...(!chosen && drafted.length === 0 ? ['No answer in the knowledge base: the draft only acknowledges the message. Pick another canned reply (off-topic, spam, need details) if one fits.'] : []),
      ...(drafted.length > 0 && unanswered.length > 0 ? unanswered.map((a) => `Not answered: "${a.question}". ${a.reason ?? ''}`.trim()) : []),
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
