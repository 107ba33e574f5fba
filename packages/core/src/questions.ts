/**
 * The questions asked, for writers: each suggestion the service or the CLI gave is logged (details
 * masked) with its outcome; agents' feedback on it says whether the answer was sent, edited or
 * rejected. Knowledge gaps are the topics of what failed; performance is per article section.
 * Pure functions; the knowledge base reads and writes the log.
 */
import { randomUUID } from 'node:crypto';
import { analyze } from '@answerdesk/index';
import { extractEntities } from '@answerdesk/message';
import { placeholderLabel } from '@answerdesk/reply';
import { parseDuration } from '@answerdesk/routing';
import { AnswerdeskError, type AskedQuestion, type Feedback, type KnowledgeGap, type QuestionOutcome, type SectionPerformance, type Source, type Suggestion } from '@answerdesk/types';
import { cosine } from './similarity.js';
import { checkWholeNumber } from './checks.js';

/** Every detail a person could be found by (order numbers, e-mails, names, amounts…) as a visible placeholder. Pure. */
export function maskDetails(text: string, language?: string): string {
  const entities = [...extractEntities(text, language ? { language } : {})].sort((a, b) => b.start - a.start);
  let out = text;
  let before = Infinity;
  for (const entity of entities) {
    if (entity.end > before) continue; // overlaps one already masked
    out = out.slice(0, entity.start) + placeholderLabel(entity.kind, language) + out.slice(entity.end);
    before = entity.start;
  }
  return out;
}

/** The log entry of a suggestion. Pure but for the id and time, when not given. */
export function askedQuestion(suggestion: Suggestion, options: { id?: string; via: AskedQuestion['via']; at?: string }): AskedQuestion {
  const language = suggestion.queryLanguage?.code ?? 'und';
  const answers = suggestion.answers ?? [];
  const questions = answers.length ? answers.map((a) => a.question) : (suggestion.message?.questions ?? [suggestion.query]);
  return {
    id: options.id ?? randomUUID(),
    at: options.at ?? new Date().toISOString(),
    questions: questions.map((q) => maskDetails(q, language)),
    answers: answers.map((a) => ({
      status: a.status,
      ...(a.status === 'answered' && a.source ? { sourceId: a.source.id, ...(a.source.kind === 'article' ? { articleId: a.source.id.split('#')[0]! } : {}) } : {}),
      score: a.confidence.before ?? a.confidence.score,
      level: a.confidence.level,
    })),
    language,
    via: options.via,
  };
}

/** Agents' edits above this share of the draft's words make the answer a failure: it did not say what was needed. */
const HEAVY_EDIT = 0.5;

/** Placeholders ([order number]) are masking, not what a question is about. */
const withoutPlaceholders = (text: string) => text.replace(/\[[^\]]*\]/gu, ' ');

/** One logged question with what became of it. */
export interface QuestionWithOutcome {
  /** The log entry (one customer message) it came from. */
  askedId: string;
  text: string;
  at: string;
  language: string;
  outcome: QuestionOutcome;
  sourceId?: string;
}

/** What became of each logged question: its status, or what an agent did with its answer (feedback joined by suggestionId and source). Pure. */
export function questionOutcomes(asked: readonly AskedQuestion[], feedback: readonly Feedback[]): QuestionWithOutcome[] {
  const bySuggestion = new Map<string, Feedback[]>();
  for (const f of feedback) if (f.suggestionId) bySuggestion.set(f.suggestionId, [...(bySuggestion.get(f.suggestionId) ?? []), f]);
  const out: QuestionWithOutcome[] = [];
  for (const record of asked) {
    const verdicts = bySuggestion.get(record.id) ?? [];
    record.questions.forEach((text, i) => {
      const answer = record.answers[i];
      let outcome: QuestionOutcome = answer?.status === 'answered' ? 'answered' : 'abstained';
      if (answer?.sourceId) {
        const onIt = verdicts.filter((f) => f.sourceId === answer.sourceId);
        if (onIt.some((f) => f.action === 'edited' && (f.edited ?? 0) >= HEAVY_EDIT)) outcome = 'edited';
        // The agent rejected it, marked it not helpful, or picked another source for this question.
        if (onIt.some((f) => !f.helpful && f.action !== 'edited')) outcome = 'rejected';
      }
      out.push({ askedId: record.id, text, at: record.at, language: record.language, outcome, ...(answer?.sourceId ? { sourceId: answer.sourceId } : {}) });
    });
  }
  return out;
}

export interface GapOptions {
  /** Only questions asked at or after this ISO time. Default: all. */
  since?: string;
  /** Fewest questions that make a topic. Default 2: one question is not yet a pattern. */
  minCount?: number;
  /** How alike (mean cosine of their questions' centred vectors) two groups must be to join. Default 0.6: on bench/gaps with USE-lite, 0.5 found one more gap for twice the noise, 0.7 half the gaps. */
  similarity?: number;
  /** Most topics returned, most asked first. Default 20. */
  limit?: number;
}

export const GAP_DEFAULTS = { minCount: 2, similarity: 0.6, limit: 20 } as const;

/** `30d`, `12h`, `2w` back from now, or an ISO date, as the ISO time it means. Pure but for `now`. */
export function sinceTime(value: string, now = new Date()): string {
  const ms = parseDuration(value);
  if (ms !== undefined) return new Date(now.getTime() - ms).toISOString();
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(Date.parse(value)).toISOString();
  throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'since', reason: `must be a time back from now such as 30d, 12h or 2w, or a date such as 2026-11-01 (got ${JSON.stringify(value)})` });
}

/** Gap options as given, checked: a clear coded error names the one that is wrong. */
export function checkGapOptions(options: GapOptions): void {
  const fail = (option: string, reason: string) => new AnswerdeskError('ADK_OPTION_INVALID', { option, reason });
  if (options.since !== undefined && (typeof options.since !== 'string' || Number.isNaN(Date.parse(options.since)))) throw fail('since', 'must be an ISO time such as 2026-11-01T00:00:00Z');
  if (options.minCount !== undefined && !(Number.isInteger(options.minCount) && options.minCount >= 1)) throw fail('minCount', 'must be a whole number of questions, 1 or more');
  if (options.similarity !== undefined && !(options.similarity > 0 && options.similarity < 1)) throw fail('similarity', 'must be a cosine between 0 and 1, such as 0.6');
  if (options.limit !== undefined) checkWholeNumber('limit', options.limit, 1, 1000);
}

/** The failed questions this many at most are grouped (the most recent): the pairwise similarities take n² memory and time. */
export const MOST_GROUPED = 3000;

/** How many questions it takes for their mean to be taken away at half strength. */
const CENTRE_PRIOR = 30;

/**
 * Questions grouped into topics by average linkage: two groups join while the mean cosine between
 * their questions is at least `similarity`. The vectors are centred first (their mean taken away, in
 * full for a long log): support questions share one direction in USE-lite, which made every question
 * look like every other one (bench/gaps). Nearest-neighbour chains keep it at n² time. The same input gives the same
 * topics. Pure.
 */
export function groupTopics(vectors: readonly Float32Array[], similarity: number): number[][] {
  const n = vectors.length;
  if (n === 0) return [];
  const dim = vectors[0]!.length;
  // A few questions' mean is mostly themselves: it is shrunk toward none (n / (n + 30)), so a short log is grouped
  // on the vectors nearly as they are and a long one on its centred vectors.
  const mean = new Float64Array(dim);
  const shrink = n / (n + CENTRE_PRIOR);
  for (const v of vectors) for (let d = 0; d < dim; d++) mean[d]! += (v[d]! / n) * shrink;
  const centred = vectors.map((v) => {
    const c = new Float64Array(dim);
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      c[d] = v[d]! - mean[d]!;
      norm += c[d]! * c[d]!;
    }
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dim; d++) c[d]! /= norm;
    return c;
  });
  // Similarities between groups (average linkage); row i is group i while it is active.
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      const a = centred[i]!;
      const b = centred[j]!;
      for (let d = 0; d < dim; d++) dot += a[d]! * b[d]!;
      sim[i * n + j] = dot;
      sim[j * n + i] = dot;
    }
  }
  const size = new Array<number>(n).fill(1);
  const members: number[][] = vectors.map((_v, i) => [i]);
  const active = new Set<number>(Array.from({ length: n }, (_v, i) => i));
  const done: number[][] = [];
  const nearest = (i: number): [number, number] => {
    let best = -1;
    let bestSim = -Infinity;
    for (const j of active) {
      if (j === i) continue;
      const s = sim[i * n + j]!;
      // Ties go to the lower index, so the result does not depend on the Set's order.
      if (s > bestSim || (s === bestSim && j < best)) [best, bestSim] = [j, s];
    }
    return [best, bestSim];
  };
  const chain: number[] = [];
  while (active.size > 1) {
    if (chain.length === 0) chain.push(Math.min(...active));
    const top = chain[chain.length - 1]!;
    const [next, s] = nearest(top);
    if (chain.length >= 2 && next === chain[chain.length - 2]) {
      // Reciprocal nearest neighbours: they join if alike enough; if not, neither joins anything ever (a reducible linkage only lowers similarities), so both are final.
      chain.pop();
      chain.pop();
      if (s >= similarity) {
        const [a, b] = top < next ? [top, next] : [next, top];
        for (const k of active) {
          if (k === a || k === b) continue;
          const joined = (size[a]! * sim[a * n + k]! + size[b]! * sim[b * n + k]!) / (size[a]! + size[b]!);
          sim[a * n + k] = joined;
          sim[k * n + a] = joined;
        }
        size[a]! += size[b]!;
        members[a]!.push(...members[b]!);
        active.delete(b);
      } else {
        for (const k of [top, next]) {
          done.push(members[k]!);
          active.delete(k);
        }
        // Groups below may have had these as nearest: the chain starts again.
        chain.length = 0;
      }
      continue;
    }
    chain.push(next);
  }
  for (const k of active) done.push(members[k]!);
  return done.map((m) => m.sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
}

const WORD_DIMENSION = 1024;

/** A question's words (stems, stop words left out) hashed into a unit vector: how questions the model cannot read are compared. Pure. */
export function wordVector(q: Pick<QuestionWithOutcome, 'text' | 'language'>): Float32Array {
  const v = new Float32Array(WORD_DIMENSION);
  for (const stem of new Set(analyze(withoutPlaceholders(q.text), q.language))) {
    let h = 2166136261;
    for (let i = 0; i < stem.length; i++) h = Math.imul(h ^ stem.charCodeAt(i), 16777619);
    v[(h >>> 0) % WORD_DIMENSION]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** "can i run a cron job every minute on the basic plan?" → "Can I run a cron job every minute on the basic plan". Pure. */
export function gapTitle(question: string): string {
  let title = question.replace(/\s+/g, ' ').trim().replace(/[?!.…]+$/u, '');
  title = title.replace(/\bi\b/g, 'I');
  if (title.length > 90) title = `${title.slice(0, 90).replace(/\s+\S*$/u, '')}…`;
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** The words that set one topic's questions apart from all questions asked (shared by its questions, rare elsewhere), as written. Pure. */
export function topicKeywords(members: readonly QuestionWithOutcome[], all: readonly QuestionWithOutcome[], most = 5): string[] {
  const words = (q: QuestionWithOutcome) => withoutPlaceholders(q.text);
  const stemsOf = (q: QuestionWithOutcome) => new Set(analyze(words(q), q.language));
  const df = new Map<string, number>();
  for (const q of all) for (const stem of stemsOf(q)) df.set(stem, (df.get(stem) ?? 0) + 1);
  const inTopic = new Map<string, number>();
  const surface = new Map<string, Map<string, number>>();
  for (const q of members) {
    for (const stem of stemsOf(q)) inTopic.set(stem, (inTopic.get(stem) ?? 0) + 1);
    for (const word of words(q).toLowerCase().match(/\p{L}[\p{L}\p{N}'-]*/gu) ?? []) {
      for (const stem of analyze(word, q.language)) {
        const forms = surface.get(stem) ?? new Map<string, number>();
        forms.set(word, (forms.get(word) ?? 0) + 1);
        surface.set(stem, forms);
      }
    }
  }
  return [...inTopic]
    .filter(([stem]) => !stem.startsWith('[') && surface.has(stem))
    .map(([stem, n]) => ({ stem, score: (n / members.length) * Math.log((all.length + 1) / (df.get(stem) ?? 1)) }))
    .sort((a, b) => b.score - a.score || a.stem.localeCompare(b.stem))
    .slice(0, most)
    .map(({ stem }) => [...surface.get(stem)!].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0]);
}

/**
 * Knowledge gaps: the failed questions (left open, answer rejected or heavily edited) grouped into
 * topics, most asked first, each with its typical questions, keywords, a suggested title and the
 * nearest existing articles (`nearest`, from the knowledge base's search).
 */
export async function knowledgeGaps(
  questions: readonly QuestionWithOutcome[],
  deps: {
    embed: (texts: readonly string[]) => Promise<Float32Array[]>;
    nearest: (question: string) => Promise<Source[]>;
    /** Whether the model reads a language; questions in others are grouped by their words, one language at a time. Default: all. */
    reads?: (language: string) => boolean;
  },
  options: GapOptions = {},
): Promise<KnowledgeGap[]> {
  const minCount = options.minCount ?? GAP_DEFAULTS.minCount;
  const similarity = options.similarity ?? GAP_DEFAULTS.similarity;
  const limit = options.limit ?? GAP_DEFAULTS.limit;
  // The same question asked twice by one customer (a retry) counts once.
  const seen = new Set<string>();
  const failed = questions
    .filter((q) => {
      if (q.outcome === 'answered' || (options.since !== undefined && q.at < options.since)) return false;
      // "How much is it?" after a first question has lost its subject: no topic of its own.
      if (analyze(withoutPlaceholders(q.text), q.language).length < 2) return false;
      const key = q.text.toLowerCase().replace(/\W+/gu, ' ').trim();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(-MOST_GROUPED);
  if (failed.length === 0) return [];
  // The model's vectors where it reads the language; elsewhere a vector of the words (an English-only model puts
  // every German question near every other one, which made "German" a topic). Topics never mix the two kinds.
  const reads = deps.reads ?? (() => true);
  const spaces = new Map<string, number[]>();
  failed.forEach((q, i) => {
    const space = reads(q.language) ? '' : q.language;
    spaces.set(space, [...(spaces.get(space) ?? []), i]);
  });
  const read = spaces.get('') ?? [];
  const embedded = read.length ? await deps.embed(read.map((i) => failed[i]!.text)) : [];
  const vectors: Float32Array[] = new Array(failed.length);
  read.forEach((i, n) => (vectors[i] = embedded[n]!));
  for (const [space, members] of spaces) if (space) for (const i of members) vectors[i] = wordVector(failed[i]!);
  const groups = [...spaces.values()]
    .flatMap((members) => groupTopics(members.map((i) => vectors[i]!), similarity).map((group) => group.map((k) => members[k]!)))
    .filter((members) => members.length >= minCount);
  const gaps: KnowledgeGap[] = [];
  for (const members of groups) {
    // The most typical question first: the nearest to the others of its topic.
    const closeness = (i: number) => members.reduce((sum, j) => sum + cosine(vectors[i]!, vectors[j]!), 0);
    const typical = [...members].sort((a, b) => closeness(b) - closeness(a) || a - b);
    const topic = members.map((i) => failed[i]!);
    const outcomes: KnowledgeGap['outcomes'] = {};
    for (const q of topic) outcomes[q.outcome] = (outcomes[q.outcome] ?? 0) + 1;
    const first = failed[typical[0]!]!;
    gaps.push({
      title: gapTitle(first.text),
      count: new Set(topic.map((q) => q.askedId)).size,
      questions: members.length,
      outcomes,
      examples: typical.slice(0, 3).map((i) => failed[i]!.text),
      keywords: topicKeywords(topic, questions),
      nearest: await deps.nearest(first.text),
      firstAt: topic.reduce((a, q) => (q.at < a ? q.at : a), topic[0]!.at),
      lastAt: topic.reduce((a, q) => (q.at > a ? q.at : a), topic[0]!.at),
    });
  }
  return gaps.sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt)).slice(0, limit);
}

/** How each article section did: shown (from the log), and what agents did with it (from feedback). Pure. */
export function sectionPerformance(asked: readonly AskedQuestion[], feedback: readonly Feedback[], sourceOf: (id: string) => Source | undefined, since?: string): SectionPerformance[] {
  const rows = new Map<string, SectionPerformance>();
  const row = (id: string): SectionPerformance | undefined => {
    if (!rows.has(id)) {
      const source = sourceOf(id);
      if (!source || source.kind !== 'article') return undefined;
      rows.set(id, { sourceId: id, source, shown: 0, sent: 0, edited: 0, rejected: 0, picked: 0 });
    }
    return rows.get(id);
  };
  for (const record of asked) {
    if (since !== undefined && record.at < since) continue;
    for (const answer of record.answers) {
      const r = answer.sourceId ? row(answer.sourceId) : undefined;
      if (r) r.shown++;
    }
  }
  for (const f of feedback) {
    if (since !== undefined && f.at < since) continue;
    const r = row(f.sourceId);
    if (!r) continue;
    if (f.action === 'picked') r.picked++;
    else if (f.action === 'edited') r.edited++;
    else if (!f.helpful) r.rejected++;
    else if (f.action === 'sent') r.sent++;
  }
  return [...rows.values()]
    .map((r) => {
      const acted = r.sent + r.edited + r.rejected;
      return acted ? { ...r, sentShare: Math.round((r.sent / acted) * 1000) / 1000 } : r;
    })
    .sort((a, b) => b.shown - a.shown || a.sourceId.localeCompare(b.sourceId));
}
