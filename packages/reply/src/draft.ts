// The reply draft an agent edits and sends: greeting, answers (or a canned reply), closing. Pure.
import { AnswerdeskError } from '@answerdesk/types';
import type { DraftInput, DraftPart, ReplyDraft, ReplyTemplate, TemplateKind } from './types.js';
import { fillName, pickTemplate } from './templates.js';
import { primaryLanguage, sentenceSpans } from './text.js';

/** The defaults of `DraftInput`, in one place. */
export const draftDefaults = {
  defaultLanguage: 'en',
  /** A draft is a written reply: e-mail templates unless the caller says chat. */
  channel: 'email',
} as const;

/**
 * What a draft quotes of a question: the sentences that ask it. A question read with the statements that give
 * it context ("I was at home all afternoon and nobody rang. … What should I do now?") is quoted by its
 * asking sentences alone; the customer knows their own story. Without a sentence that asks, all of it.
 */
function quotedQuestion(question: string, language?: string): string {
  const sentences = sentenceSpans(question, language).map((span) => question.slice(span.start, span.end).trim()).filter(Boolean);
  if (sentences.length < 2) return question;
  const asking = sentences.filter((sentence) => /[?？]\s*["'»”)\]]*$/u.test(sentence));
  return asking.length > 0 ? asking.join(' ') : question;
}

/** Blank lines and trailing space off a block; a first line's own indent stays (a table whose first header cell is empty). */
const trimBlock = (text: string) => text.replace(/^(?:[ \t]*\n)+/, '').trimEnd();

/** "it" → "Italian", for notes to the agent (who reads English notes). */
export function languageName(language: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(language) ?? language;
  } catch {
    return language;
  }
}

/**
 * The placeholders still to fill in a text: every "[label]", in order, each once. Markdown link
 * text ("[our article](…)", "[label][ref]"), task boxes ("[ ]", "[x]") and footnotes are not labels.
 */
export function placeholderLabels(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/(?<!!)\[([^[\]\n]{2,80})\](?![([:])/gu)) {
    if (!/\p{L}/u.test(match[1]!) || match[1]!.startsWith('^')) continue;
    if (!out.includes(match[0])) out.push(match[0]);
  }
  return out;
}

/** A heading as the line that introduces its list: "Photos we need:"; a heading that asks ("Ordered as a guest?") stays as it is. */
const leadInOf = (heading: string) => {
  const line = heading.trim().replace(/\s*\n\s*/g, ' ');
  return /[?？:：]$/u.test(line) ? line : `${line.replace(/[.。]$/u, '')}:`;
};

const list = (names: readonly string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/**
 * Greeting (with the customer's name) + each answer + closing, separated by blank lines; or
 * greeting + a canned reply + closing when `canned` names one.
 *
 * - Templates come in the customer's language when the knowledge base has them, else in
 *   `defaultLanguage` (default 'en') with `needsTranslation` and a note saying which to translate.
 *   Without any greeting or closing template the draft is just the answers.
 * - With two or more answers, each one that has its question is introduced by it, quoted
 *   ("> Can I return a gift?"), so the customer sees which answer is which; a single answer never is.
 * - An answer with a `heading` (a passage that opens with a list or a table) gets it as its lead-in line.
 * - An answer with no text is left out; an answer in another language than the customer's sets
 *   `needsTranslation` and adds a note.
 * - `placeholders` are the "[…]" labels left in the final text.
 *
 * When `canned` names a reply no template provides, the draft has no middle part and a note says so.
 * Throws `ADK_OPTION_INVALID` for an empty `language`.
 */
export function composeDraft(input: DraftInput): ReplyDraft {
  const language = input.language.trim().toLowerCase();
  if (language === '') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'language', reason: 'must be the customer\'s language code, such as en or it' });
  const defaultLanguage = (input.defaultLanguage ?? draftDefaults.defaultLanguage).toLowerCase();
  const notes: string[] = [...(input.notes ?? [])];
  let needsTranslation = false;
  const fallbacks: string[] = [];

  const find = (kind: TemplateKind, name?: string): ReplyTemplate | undefined => {
    const want = { kind, name, brand: input.brand, channel: input.channel ?? draftDefaults.channel };
    const own = pickTemplate(input.templates, { ...want, language });
    if (own || primaryLanguage(defaultLanguage) === primaryLanguage(language)) return own;
    const fallback = pickTemplate(input.templates, { ...want, language: defaultLanguage });
    if (fallback) fallbacks.push(kind === 'canned' ? 'canned reply' : kind);
    return fallback;
  };

  const parts: DraftPart[] = [];
  const templatePart = (kind: DraftPart['kind'], template: ReplyTemplate | undefined) => {
    if (template) parts.push({ kind, text: fillName(template.body, input.customerName).trim(), templateId: template.id });
  };

  templatePart('greeting', find('greeting'));
  if (input.canned !== undefined) {
    const canned = find('canned', input.canned);
    if (canned) templatePart('canned', canned);
    else {
      // A knowledge base without that canned reply still gets a draft (greeting and closing) and is told what is missing.
      const known = [...new Set(input.templates.filter((t) => t.kind === 'canned' && t.name).map((t) => t.name!))].sort();
      notes.push(`No canned reply "${input.canned}" in the reply templates (${known.length > 0 ? `there are: ${known.join(', ')}` : 'there are none'}): write the reply.`);
    }
  } else {
    // Two questions answered by the same passage get it once, under both questions.
    const answers: Array<DraftInput['answers'][number] & { questions: string[] }> = [];
    for (const answer of input.answers) {
      if (answer.text.trim() === '') continue;
      const question = answer.question?.trim().replace(/\s*\n\s*/g, ' ');
      const same = answers.find((earlier) => earlier.text.trim() === answer.text.trim());
      if (same) {
        // A question asked with the one before it as its context holds it: the longer one is quoted.
        const within = question ? same.questions.findIndex((earlier) => question.includes(earlier)) : -1;
        if (within >= 0) same.questions[within] = question!;
        else if (question && !same.questions.some((earlier) => earlier.includes(question))) same.questions.push(question);
      } else answers.push({ ...answer, questions: question ? [question] : [] });
    }
    const introduce = answers.length > 1;
    for (const answer of answers) {
      const quoted = introduce ? [...new Set(answer.questions.map((question) => quotedQuestion(question, language)))].map((question) => `> ${question}`).join('\n') : '';
      const body = answer.heading?.trim() ? `${leadInOf(answer.heading)}\n\n${trimBlock(answer.text)}` : trimBlock(answer.text);
      const text = quoted ? `${quoted}\n\n${body}` : body;
      const part: DraftPart = { kind: 'answer', text };
      if (answer.sourceId !== undefined) part.sourceId = answer.sourceId;
      parts.push(part);
      if (primaryLanguage(answer.language) !== primaryLanguage(language)) {
        needsTranslation = true;
        const from = answer.sourceId ? `The answer from ${answer.sourceId}` : 'An answer';
        notes.push(`${from} is in ${languageName(answer.language)}; translate it into ${languageName(language)}.`);
      }
      notes.push(...(answer.notes ?? []));
    }
    if (answers.length === 0) notes.push('No answer to include: write the reply, or use a canned reply.');
  }
  templatePart('closing', find('closing'));

  if (fallbacks.length > 0) {
    needsTranslation = true;
    const used = parts.filter((part) => part.templateId !== undefined).length;
    const [what, many, lang, fallback] = [list(fallbacks), fallbacks.length > 1, languageName(language), languageName(defaultLanguage)];
    notes.unshift(
      fallbacks.length === used
        ? `No ${lang} reply templates: the ${what} ${many ? 'are' : 'is'} in ${fallback}; translate ${many ? 'them' : 'it'}.`
        : `No ${lang} ${what} template${many ? 's' : ''}: ${many ? 'they are' : 'it is'} in ${fallback}; translate ${many ? 'them' : 'it'}.`,
    );
  }

  const text = parts.map((part) => part.text).filter(Boolean).join('\n\n');
  return { text, parts, placeholders: placeholderLabels(text), notes: [...new Set(notes)], language, needsTranslation };
}
