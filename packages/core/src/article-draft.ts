// `draft --from-tickets`: a help article drafted from past tickets that resolved one problem, for a
// writer to finish. Every other customer's details go, as they do from reply drafts.
import { extractEntities } from '@answerdesk/message';
import { adaptResolution, placeholderLabel } from '@answerdesk/reply';
import { AnswerdeskError, type EntityKind, type KnowledgeDoc, type KnowledgeStore } from '@answerdesk/types';
import { topicTerms } from './facts.js';

export interface DraftOptions {
  /** The article's title. Default: the subject of the ticket whose words the others share most. */
  title?: string;
  /** The language the article is written in: the knowledge base's default language. Default `en`. */
  language?: string;
  /** The helpdesk's own domains (brightcart.com): its links and addresses stay. Default none. */
  ownDomains?: readonly string[];
  /** Sentences of different tickets sharing at least this share of their words (Dice) are said once. Default 0.5. */
  mergeOverlap?: number;
}

export interface ArticleDraft {
  id: string;
  title: string;
  category?: string;
  tags: string[];
  language: string;
  /** The tickets it was drafted from, in the order given. */
  fromTickets: string[];
  /** The article: front matter with `draft: true`, title, steps and what else the resolutions say. */
  markdown: string;
  /** Numbered steps in it. */
  steps: number;
  /** Placeholders left in it ("[order number]"): a writer fills them in or rewrites the sentence. */
  placeholders: string[];
  /** For the writer (also in the article as a comment, never published): what agents did, tickets in another language. */
  notes: string[];
}

/** Headings of a draft, in the languages the reply templates speak; English otherwise. */
const HEADINGS: Record<string, { steps: string; more: string; asked: string }> = {
  en: { steps: 'What to do', more: 'Good to know', asked: 'Questions this answers' },
  it: { steps: 'Cosa fare', more: 'Buono a sapersi', asked: 'Domande a cui risponde' },
  de: { steps: 'So gehen Sie vor', more: 'Gut zu wissen', asked: 'Beantwortete Fragen' },
  ru: { steps: 'Что сделать', more: 'Полезно знать', asked: 'На какие вопросы отвечает' },
};

// Thanks and apologies were for that customer; an article has no one to thank.
const PLEASANTRY = /^\s*(?:thanks|thank\s+you|many\s+thanks|sorry|i['’]m\s+(?:so\s+|very\s+|really\s+)?sorry|we['’]re\s+sorry|apologies|no\s+problem|no\s+need\s+to\s+worry|no\s+harm\s+done|good\s+news|great|sure|of\s+course|yes|no|grazie|scusa\p{L}*|ci\s+dispiace|nessun\s+problema|certo|sì|danke|vielen\s+dank|entschuldig\p{L}*|es\s+tut\s+(?:mir|uns)\s+leid|kein\s+problem|ja|nein|спасибо|благодар\p{L}*|извините|сожалению|конечно|да|нет)(?![\p{L}])/iu;

// "Here are the manual settings." points at what followed in that reply; an article says it itself.
const POINTER = /^\s*(?:here\s+(?:is|are|['’]s)|ecco|hier\s+(?:ist|sind)|вот)(?![\p{L}])/iu;

// A step tells the reader what to do: an instruction ("Go to…", "On the iPhone, open…") or a request ("please", "make sure").
const STEP_START = /^\s*(?:(?:then|next|first|now|finally|afterwards)\s*,?\s+|[^,.;:]{1,60},\s*)?(?:please|go|open|click|choose|select|pick|change|check|add|enter|type|keep|send|make\s+sure|delete|remove|use|tick|untick|sign\s+in|log\s+in|set|reply|contact|drop|print|follow|wait|download|upload|restart|turn|switch|call|ask|take|bring|return|attach|save|copy|paste|install|update|verify|confirm|try|scan|show|apri|vai|clicca|scegli|seleziona|controlla|aggiungi|inserisci|invia|usa|spunta|gehen|öffnen|klicken|wählen|prüfen|geben|senden|nutzen|откройте|перейдите|нажмите|выберите|проверьте|добавьте|введите|отправьте|используйте)(?![\p{L}])/iu;
const REQUEST = /(?<![\p{L}])(?:please|make\s+sure|you\s+(?:need|have)\s+to|you\s+must|per\s+favore|bitte|пожалуйста)(?![\p{L}])/iu;

interface Sentence {
  text: string;
  ticket: string;
  /** Where in its resolution it stood, 0 (first) to 1 (last): steps keep the order agents gave them in. */
  position: number;
  step: boolean;
  terms: string[];
}

/** Dice coefficient of two term lists: 1 when they are the same words. */
function dice(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(b);
  return (2 * a.filter((term) => set.has(term)).length) / (a.length + b.length);
}

const sentencesOf = (text: string, language: string) =>
  text
    .split(/\n+/)
    .flatMap((line) => [...new Intl.Segmenter(language, { granularity: 'sentence' }).segment(line)].map(({ segment }) => segment.trim()))
    .filter(Boolean);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What a ticket says about its own customer beyond what `adaptResolution` recognises in the
 * resolution: the details of the customer's message (order numbers, e-mails, names…), the parts
 * of their domains and e-mail addresses ("holtarchitects"), and label values that are
 * identifiers (an account id, a domain). Each with the placeholder that replaces it.
 */
function caseDetails(ticket: KnowledgeDoc, language: string, ownDomains: readonly string[]): Array<{ text: string; placeholder: string }> {
  const out = new Map<string, string>();
  const own = (host: string) => ownDomains.some((domain) => host === domain || host.endsWith(`.${domain}`));
  const add = (text: string, placeholder: string) => {
    const value = text.trim();
    if (value.length >= 3 && !out.has(value.toLowerCase())) out.set(value.toLowerCase(), placeholder);
  };
  const label = (kind: EntityKind) => placeholderLabel(kind, language);
  const hostParts = (host: string) => {
    if (own(host)) return;
    // "holtarchitects.com" → also "holtarchitects", as people write it alone.
    const name = host.replace(/^www\./, '').split('.')[0]!;
    if (name.length >= 5) add(name, label('domain'));
  };
  for (const entity of extractEntities(ticket.text, { language: ticket.language })) {
    if ((entity.kind === 'email' || entity.kind === 'domain' || entity.kind === 'url') && own(hostOf(entity.value))) continue;
    add(entity.text, label(entity.kind));
    if (entity.value !== entity.text) add(entity.value, label(entity.kind));
    if (entity.kind === 'email' || entity.kind === 'domain' || entity.kind === 'url') hostParts(hostOf(entity.value));
  }
  for (const [field, raw] of Object.entries(ticket.labels ?? {})) {
    if (['category', 'priority', 'queue', 'language'].includes(field) || !/[\d@.]/.test(raw)) continue;
    const [entity] = extractEntities(raw);
    if (entity && entity.start === 0 && entity.end === raw.length) {
      if (entity.kind === 'domain' || entity.kind === 'email' || entity.kind === 'url') {
        if (own(hostOf(entity.value))) continue;
        hostParts(hostOf(entity.value));
      }
      add(raw, label(entity.kind));
    } else add(raw, `[${field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}]`);
  }
  // Longest first, so "anna@petrovdesign.com" goes before "petrovdesign".
  return [...out].map(([text, placeholder]) => ({ text, placeholder })).sort((a, b) => b.text.length - a.text.length);
}

function hostOf(value: string): string {
  const at = value.indexOf('@');
  return (at >= 0 ? value.slice(at + 1) : value.replace(/^[a-z]+:\/\//i, '').split(/[/?#:]/)[0]!).toLowerCase().replace(/\.$/, '');
}

/** `text` with every case detail replaced by its placeholder (whole words, any case). */
function scrub(text: string, details: ReadonlyArray<{ text: string; placeholder: string }>): string {
  let out = text;
  for (const { text: detail, placeholder } of details) out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escape(detail)}(?![\\p{L}\\p{N}])`, 'giu'), placeholder);
  return out;
}

/** Sentences said by several tickets once: the one with the fewest placeholders (then the fullest) stands for them. */
function merge(sentences: readonly Sentence[], overlap: number): Array<Sentence & { tickets: string[] }> {
  const groups: Array<{ members: Sentence[] }> = [];
  for (const sentence of sentences) {
    const group = groups.find(({ members }) => members.some((member) => member.ticket !== sentence.ticket && dice(member.terms, sentence.terms) >= overlap));
    if (group) group.members.push(sentence);
    else groups.push({ members: [sentence] });
  }
  const placeholders = (text: string) => (text.match(/\[[^\]]+\]/g) ?? []).length;
  return groups.map(({ members }) => {
    const best = [...members].sort((a, b) => placeholders(a.text) - placeholders(b.text) || b.text.length - a.text.length)[0]!;
    const position = members.reduce((sum, member) => sum + member.position, 0) / members.length;
    return { ...best, position, step: members.some((member) => member.step), tickets: [...new Set(members.map((member) => member.ticket))] };
  });
}

/** `Setting up Outlook` → `setting-up-outlook`: an article id from a title. */
export function slugOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return /^[a-z0-9]/.test(slug) && /^[A-Za-z0-9._-]+$/.test(slug) ? slug : `draft-${Date.now().toString(36)}`;
}

/** A YAML scalar: plain when that reads back as the same string, else double-quoted (JSON is valid YAML). */
function yamlScalar(value: string): string {
  return /^[\p{L}\p{N}][\p{L}\p{N} ._'’()&/-]*$/u.test(value) && !/^(?:true|false|yes|no|null|on|off|~)$/i.test(value) && !/^\d/.test(value) ? value : JSON.stringify(value);
}

const byCount = (values: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([value]) => value);
};

/** "T-1", "T-1 and T-2", "T-1, T-2 and T-3". */
const listed = (ids: readonly string[]) => (ids.length <= 1 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`);

/**
 * An article drafted from resolved tickets about one problem. Each resolution is adapted as for a
 * reply (`adaptResolution`: another customer's details become placeholders, first-person claims
 * and that customer's story leave the text), then anything of the ticket's own customer the
 * adaptation did not recognise is replaced too (see `caseDetails`). Thanks and apologies go.
 * Sentences several tickets say alike are said once; instructions become numbered steps in the
 * order agents gave them, the rest "Good to know". What agents did becomes a comment for the
 * writer. The front matter says `draft: true`, so nothing publishes it until a writer removes that. Pure.
 */
export function draftArticle(tickets: readonly KnowledgeDoc[], options: DraftOptions = {}): ArticleDraft {
  const language = options.language ?? 'en';
  const ownDomains = (options.ownDomains ?? []).map((domain) => domain.toLowerCase());
  if (tickets.length === 0) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'tickets', reason: 'must name at least one ticket to draft from' });
  const sentences: Sentence[] = [];
  const notes: string[] = [];
  const asked: string[] = [];
  for (const ticket of tickets) {
    const details = caseDetails(ticket, language, ownDomains);
    const adapt = (text: string) => adaptResolution(text, { message: [], language, resolutionLanguage: ticket.language, ownDomains });
    const adapted = adapt(ticket.answer);
    const kept = sentencesOf(scrub(adapted.text, details), ticket.language).filter((sentence) => !PLEASANTRY.test(sentence) && !POINTER.test(sentence));
    kept.forEach((text, i) => sentences.push({ text, ticket: ticket.id, position: kept.length > 1 ? i / (kept.length - 1) : 0, step: STEP_START.test(text) || REQUEST.test(text), terms: topicTerms(text, ticket.language) }));
    const done = 'In that past case, the agent: ';
    for (const note of adapted.notes) if (note.startsWith(done)) notes.push(`${ticket.id}: ${scrub(note.slice(done.length), details)}`);
    if (ticket.language !== language) notes.push(`${ticket.id} is in ${ticket.language}: translate what it gave into ${language}.`);
    const subject = keepCase(ticket.title, scrub(adapt(ticket.title).text, details).replace(/\s+/g, ' ').trim());
    if (subject) asked.push(subject);
  }
  const merged = merge(sentences, options.mergeOverlap ?? 0.5);
  const steps = merged.filter((s) => s.step).sort((a, b) => a.position - b.position);
  // What more tickets said comes first; what several said opens the article.
  const more = merged.filter((s) => !s.step).sort((a, b) => b.tickets.length - a.tickets.length || a.position - b.position);
  const lead = more[0] && more[0].tickets.length > 1 ? more.shift() : undefined;
  const title = (options.title?.trim() || defaultTitle(tickets, asked)).replace(/\s+/g, ' ');
  const ids = tickets.map((ticket) => ticket.id);
  const category = byCount(tickets.map((ticket) => ticket.category).filter((c): c is string => !!c))[0];
  const tags = byCount(tickets.flatMap((ticket) => ticket.tags)).slice(0, 8);
  const headings = HEADINGS[language.split('-')[0]!] ?? HEADINGS.en!;
  const id = slugOf(title);
  const front = [
    '---',
    `id: ${id}`,
    `title: ${yamlScalar(title)}`,
    ...(category ? [`category: ${yamlScalar(category)}`] : []),
    `language: ${language}`,
    `tags: [${tags.map(yamlScalar).join(', ')}]`,
    'draft: true',
    `from-tickets: [${ids.map(yamlScalar).join(', ')}]`,
    '---',
  ];
  const body = [
    `<!-- Drafted from tickets ${listed(ids)}. Check every sentence against the policy, fill in or rewrite each [placeholder], then remove "draft: true" so that publish takes the article. -->`,
    '',
    `# ${title}`,
    ...(lead ? ['', lead.text] : []),
    ...(steps.length ? ['', `## ${headings.steps}`, '', ...steps.map((step, i) => `${i + 1}. ${step.text}`)] : []),
    ...(more.length ? ['', `## ${headings.more}`, '', ...more.map((s) => `- ${s.text}`)] : []),
    ...(asked.length ? ['', `## ${headings.asked}`, '', ...[...new Set(asked)].map((q) => `- ${q}`)] : []),
    ...(notes.length ? ['', '<!-- For the writer: what agents did in these tickets (turn it into a step if it is what we always do):', ...notes.map((note) => `  - ${note.replace(/--/g, '–')}`), '-->'] : []),
  ];
  const markdown = `${[...front, '', ...body].join('\n')}\n`;
  const visible = body.filter((line) => !line.startsWith('<!--') && !line.startsWith('  - ') && line !== '-->').join('\n');
  return {
    id,
    title,
    ...(category ? { category } : {}),
    tags,
    language,
    fromTickets: ids,
    markdown,
    steps: steps.length,
    placeholders: [...new Set(visible.match(/\[[^\]\n]+\]/g) ?? [])],
    notes,
  };
}

/** The adaptation capitalises what it keeps; a subject starting "iPhone" keeps its own first letter. */
const keepCase = (original: string, adapted: string) => (/^\p{Ll}\p{Lu}/u.test(original.trim()) && adapted.charAt(0) === original.trim().charAt(0).toUpperCase() ? original.trim().charAt(0) + adapted.slice(1) : adapted);

/** The subject (adapted) of the ticket whose words the other tickets share most: the problem they have in common. */
function defaultTitle(tickets: readonly KnowledgeDoc[], subjects: readonly string[]): string {
  if (subjects.length === 0) return tickets[0]!.category ?? 'Draft';
  const terms = tickets.map((ticket) => new Set(topicTerms(`${ticket.text}\n${ticket.answer}`, ticket.language)));
  let best = subjects[0]!;
  let bestScore = -1;
  subjects.forEach((subject, i) => {
    const words = topicTerms(subject, tickets[i]?.language ?? 'en');
    const score = words.reduce((sum, word) => sum + terms.filter((set, j) => j !== i && set.has(word)).length, 0) / Math.max(1, words.length);
    if (score > bestScore) [best, bestScore] = [subject, score];
  });
  return /^\p{Ll}\p{Lu}/u.test(best) ? best : best.charAt(0).toUpperCase() + best.slice(1);
}

/** Domains the helpdesk's own published texts name (its site, its mail server): never a customer's. */
export function domainsIn(texts: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const entity of extractEntities(text)) {
      if (entity.kind === 'domain' || entity.kind === 'url' || entity.kind === 'email') found.add(hostOf(entity.value));
    }
  }
  return [...found].filter(Boolean).sort();
}

/**
 * `draftArticle` for tickets of a knowledge base, by id, in `language` (its default language), keeping
 * the domains its articles and templates name. Unknown ids (or ids of articles) are one
 * `ADK_TICKETS_NOT_FOUND` naming them all.
 */
export async function draftFromTickets(source: { store: KnowledgeStore }, ids: readonly string[], options: DraftOptions = {}): Promise<ArticleDraft> {
  const wanted = [...new Set(ids.map((id) => id.trim()).filter(Boolean))];
  if (wanted.length === 0) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'from-tickets', reason: 'must name at least one ticket id, e.g. T-10015,T-10077' });
  const found = await source.store.getDocuments(wanted);
  const missing = wanted.filter((id) => found.get(id)?.kind !== 'ticket');
  if (missing.length) throw new AnswerdeskError('ADK_TICKETS_NOT_FOUND', { ids: missing.join(', '), found: wanted.length - missing.length, given: wanted.length });
  const published: string[] = [];
  for (const kind of ['article', 'template'] as const) for await (const doc of source.store.documents({ kind })) published.push(doc.answer);
  return draftArticle(
    wanted.map((id) => found.get(id)!),
    { ...options, ownDomains: [...(options.ownDomains ?? []), ...domainsIn(published)] },
  );
}
