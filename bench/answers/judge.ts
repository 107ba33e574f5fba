/**
 * How bench/answers judges a suggestion against a labeled message: pure
 * functions, so the rules are read in one place. An answer is right when its
 * source is one the label lists (any language of that section) and the shown
 * text holds one of the label's facts.
 */
import type { ConfidenceLevel, Entity, QuestionAnswer, Suggestion } from '@answerdesk/core';

export type MessageKind = 'answerable' | 'offtopic' | 'uncovered';

export interface LabeledQuestion {
  question: string;
  /** English section ids and ticket ids that answer it. */
  answers: string[];
  /** Phrases one of which the shown text must hold (from the English section or the ticket). */
  facts: string[];
  /** The same, from the translated section in the message's language. */
  facts_local?: string[];
}

export interface LabeledMessage {
  id: string;
  split: 'tune' | 'test';
  /** 2 for the messages written at stop 31 (DATA.md); absent for the first 234. */
  batch?: number;
  kind: MessageKind;
  language: string;
  text: string;
  traits: string[];
  questions: LabeledQuestion[];
}

/** Maps any language's section id to its family's English section id (tickets map to themselves). */
export type ToOriginal = (id: string) => string;

export interface QuestionVerdict {
  /** Some answer shows a labeled source. */
  sourceRight: boolean;
  /** …and its text holds a labeled fact: what an agent needs. */
  right: boolean;
  /** A labeled source is among the first three of some answer (answer and alternatives). */
  rightAt3: boolean;
  /** Answered in the message's language (when a translation exists). */
  inLanguage: boolean;
  /** A labeled section has a translation in the message's language: the Done-when's it/de/ru measure counts these. */
  translated: boolean;
}

export interface MessageVerdict {
  id: string;
  kind: MessageKind;
  language: string;
  traits: string[];
  questions: QuestionVerdict[];
  /** Every question abstained. */
  abstained: boolean;
  /** Answers shown, with whether each is right and its level. */
  shown: Array<{ right: boolean; level: ConfidenceLevel; score: number; ticket: boolean; leadIn: boolean; sourceId: string }>;
  /** Another customer's details found in the draft. */
  leaks: string[];
}

const normalize = (text: string) => text.toLowerCase().replace(/[*_`]/g, '').replace(/[‘’]/g, "'").replace(/[–—]/g, '-').replace(/\s+/g, ' ');

/** Does the shown text hold one of the facts? */
export function holdsFact(shown: string, facts: readonly string[]): boolean {
  const text = normalize(shown);
  return facts.some((fact) => text.includes(normalize(fact)));
}

/**
 * A passage that only introduces what follows ("go through the checks below:") or points elsewhere, shown
 * without what it introduces. Judged on the text alone, independently of how the product picks passages.
 */
export function isLeadIn(markdown: string): boolean {
  const text = markdown.trim();
  if (text === '') return false;
  const hasBody = /^\s*([-*+]|\d+[.)])\s+/m.test(text) || /^\s*\|/m.test(text);
  if (hasBody) return false;
  if (/:\s*$/.test(text)) return true;
  const short = text.length < 260;
  return short && /\b(see (?:below|our article|the article)|the following|these steps|as follows|(?:checks|steps|options|table) below|this article (?:explains|covers|describes))\b/i.test(text);
}

function answersOf(suggestion: Suggestion): QuestionAnswer[] {
  return suggestion.answers ?? [];
}

/** Judge one suggestion. `details`: other customers' details (value as written → where it came from). */
export function judge(message: LabeledMessage, suggestion: Suggestion, toOriginal: ToOriginal, options: { details: ReadonlyMap<string, string>; hasTranslation: (id: string, language: string) => boolean; languageOfSource: (id: string) => string | undefined }): MessageVerdict {
  const answers = answersOf(suggestion);
  const answered = answers.filter((a) => a.status === 'answered' && a.source);
  const labeled = new Set(message.questions.flatMap((q) => q.answers));
  const questions: QuestionVerdict[] = message.questions.map((q) => {
    const wanted = new Set(q.answers);
    const facts = [...q.facts, ...(q.facts_local ?? [])];
    const matching = answered.filter((a) => wanted.has(toOriginal(a.source!.id)));
    const sourceRight = matching.length > 0;
    const right = matching.some((a) => facts.length === 0 || holdsFact(a.answer ?? '', facts));
    const rightAt3 = answers.some((a) => [a.source, ...a.alternatives.map((alt) => alt.source)].slice(0, 3).some((s) => s && wanted.has(toOriginal(s.id))));
    const translated = q.answers.some((id) => options.hasTranslation(id, message.language));
    const inLanguage = !translated || matching.some((a) => (options.languageOfSource(a.source!.id) ?? 'en') === message.language);
    return { sourceRight, right, rightAt3, inLanguage, translated };
  });
  const shown = answered.map((a) => ({
    right: message.kind === 'answerable' && labeled.has(toOriginal(a.source!.id)),
    level: a.confidence.level,
    score: a.confidence.score,
    ticket: a.source!.kind === 'ticket',
    leadIn: isLeadIn(a.answer ?? ''),
    sourceId: a.source!.id,
  }));
  const draft = normalize(suggestion.draft?.text ?? '');
  const own = normalize(message.text);
  const leaks = [...options.details.keys()].filter((detail) => {
    const d = normalize(detail);
    return d.length >= 4 && draft.includes(d) && !own.includes(d);
  });
  return { id: message.id, kind: message.kind, language: message.language, traits: message.traits, questions, abstained: answered.length === 0, shown, leaks };
}

/** Other customers' details: what tickets say that articles and templates never do. */
export function otherCustomersDetails(tickets: ReadonlyArray<{ id: string; text: string }>, published: readonly string[], extract: (text: string) => Entity[]): Map<string, string> {
  const publishedText = normalize(published.join('\n'));
  const kinds = new Set(['email', 'phone', 'order', 'ticket', 'invoice', 'certificate', 'amount', 'card', 'address', 'domain', 'iban', 'tracking', 'name', 'date']);
  const details = new Map<string, string>();
  for (const ticket of tickets) {
    for (const entity of extract(ticket.text)) {
      if (!kinds.has(entity.kind)) continue;
      if (publishedText.includes(normalize(entity.text))) continue;
      details.set(entity.text, `${ticket.id} (${entity.kind})`);
    }
    // Quantities and clock times of that case ("1,240 loyalty points", "1.9 kg", "at 11:28"), with the word after
    // them so that a number alone never matches by chance; years and version numbers ("6.2.0") say nothing about anyone.
    for (const match of ticket.text.matchAll(/(?<![\p{L}\p{N}.,:-])(\d+(?:[.,:]\d+)*)\s+(\p{L}+)/gu)) {
      const number = match[1]!;
      const version = (number.match(/[.,]/g)?.length ?? 0) >= 2 && !/^\d{1,3}(?:[.,]\d{3})+$/.test(number);
      if (version || /^(?:19|20)\d\d$/.test(number) || (/^\d+$/.test(number) && number.length < 3)) continue;
      if (new RegExp(`(?<![\\d.,:])${number.replace(/[.]/g, '\\.')}(?![\\d])`).test(publishedText)) continue;
      details.set(match[0], `${ticket.id} (quantity)`);
    }
  }
  return details;
}

/** bench/answers' counts over a set of judged messages. */
export interface Metrics {
  messages: number;
  answerableQuestions: number;
  rightAt1: number;
  sourceRightAt1: number;
  rightAt3: number;
  answerableMessagesRight: number;
  answerableMessages: number;
  shown: number;
  shownWrong: number;
  high: number;
  highRight: number;
  /** Mean squared gap between the shown answers' probability and whether they were right (0 is perfect; lower is better). */
  brier: number;
  /** Mean probability of the shown answers (compare with their share right). */
  meanScore: number;
  byLevel: Record<string, { shown: number; right: number }>;
  offtopic: number;
  offtopicAbstained: number;
  offtopicHigh: number;
  uncovered: number;
  uncoveredAbstained: number;
  answerableAbstained: number;
  abstained: number;
  abstainedRightly: number;
  leakingDrafts: number;
  leadIns: number;
  ticketAnswers: number;
  byLanguage: Record<string, { questions: number; right: number; translated: number; translatedRight: number }>;
  byTrait: Record<string, { questions: number; right: number }>;
}

/** The counts of judged messages, as bench/answers reports them. Pure. */
export function metrics(verdicts: readonly MessageVerdict[]): Metrics {
  const m: Metrics = {
    messages: verdicts.length, answerableQuestions: 0, rightAt1: 0, sourceRightAt1: 0, rightAt3: 0, answerableMessagesRight: 0, answerableMessages: 0,
    shown: 0, shownWrong: 0, high: 0, highRight: 0, brier: 0, meanScore: 0, byLevel: {}, offtopic: 0, offtopicAbstained: 0, offtopicHigh: 0, uncovered: 0, uncoveredAbstained: 0,
    answerableAbstained: 0, abstained: 0, abstainedRightly: 0, leakingDrafts: 0, leadIns: 0, ticketAnswers: 0, byLanguage: {}, byTrait: {},
  };
  for (const v of verdicts) {
    for (const s of v.shown) {
      m.shown++;
      if (!s.right) m.shownWrong++;
      m.brier += (s.score - (s.right ? 1 : 0)) ** 2;
      m.meanScore += s.score;
      if (s.level === 'high') {
        m.high++;
        if (s.right) m.highRight++;
      }
      const level = (m.byLevel[s.level] ??= { shown: 0, right: 0 });
      level.shown++;
      if (s.right) level.right++;
      if (s.leadIn) m.leadIns++;
      if (s.ticket) m.ticketAnswers++;
    }
    if (v.leaks.length) m.leakingDrafts++;
    if (v.abstained) {
      m.abstained++;
      if (v.kind !== 'answerable') m.abstainedRightly++;
    }
    if (v.kind === 'offtopic') {
      m.offtopic++;
      if (v.abstained) m.offtopicAbstained++;
      if (v.shown.some((s) => s.level === 'high')) m.offtopicHigh++;
    } else if (v.kind === 'uncovered') {
      m.uncovered++;
      if (v.abstained) m.uncoveredAbstained++;
    } else {
      m.answerableMessages++;
      if (v.abstained) m.answerableAbstained++;
      if (v.questions.every((q) => q.right && q.inLanguage)) m.answerableMessagesRight++;
      const language = (m.byLanguage[v.language] ??= { questions: 0, right: 0, translated: 0, translatedRight: 0 });
      for (const q of v.questions) {
        m.answerableQuestions++;
        const right = q.right && q.inLanguage;
        if (right) m.rightAt1++;
        if (q.sourceRight) m.sourceRightAt1++;
        if (q.rightAt3) m.rightAt3++;
        language.questions++;
        if (right) language.right++;
        if (q.translated) {
          language.translated++;
          if (right) language.translatedRight++;
        }
        for (const trait of v.traits) {
          const t = (m.byTrait[trait] ??= { questions: 0, right: 0 });
          t.questions++;
          if (right) t.right++;
        }
      }
    }
  }
  if (m.shown) {
    m.brier /= m.shown;
    m.meanScore /= m.shown;
  }
  return m;
}
