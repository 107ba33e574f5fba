/**
 * bench/gaps: do knowledge gaps (`kb.gaps()`) find what the knowledge base is missing? bench/answers'
 * 22 uncovered questions, each asked again by two other customers in their own words
 * (paraphrases.jsonl), are mixed into ordinary traffic (every bench/answers message: answerable,
 * off-topic, uncovered) over 30 days. Each message is suggested and logged as the service does
 * (`recordQuestion`, via 'suggest'); simulated agents reject every shown answer bench/answers' judge
 * calls wrong (a labeled source not shown; any answer to an off-topic or uncovered message). Then
 * the gaps are read at the defaults and over a small sweep, and each reported topic is traced back to
 * the messages its questions came from. See README.md beside this file.
 *
 *   pnpm bench:gaps
 *
 * Works on a copy of bench/results/answers-store (the log and the feedback stay out of bench/answers),
 * prints tables and writes bench/results/gaps.json.
 */
import { rng, shuffled } from '../retrieval/random.js';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  backupStoreFolder,
  DATABASE_FILE,
  GAP_DEFAULTS,
  groupTopics,
  knowledgeGaps,
  openStoreFolder,
  questionOutcomes,
  type GapOptions,
  type KnowledgeGap,
  type QuestionOutcome,
  type QuestionWithOutcome,
  type StoreKnowledgeBase,
} from '@answerdesk/core';
import { extractEntities } from '@answerdesk/message';
import { readJsonl } from '../common/jsonl.js';
import { machineInfo } from '../common/machine.js';
import { progress, progressDone } from '../common/progress.js';
import { pct, table } from '../common/table.js';
import { judge, type LabeledMessage, type MessageKind } from '../answers/judge.js';
import { answersStore, judgeContext, openAnswersStore, readMessages, repoRoot } from '../answers/setup.js';

const loadAtStart = os.loadavg()[0]!;
const here = path.dirname(fileURLToPath(import.meta.url));

/** The traffic: 30 days from this time, in an order fixed by this seed. */
const START = Date.parse('2026-11-02T00:00:00Z');
const DAYS = 30;
const SEED = 18;
const AGENTS = ['agent-1', 'agent-2', 'agent-3'];

type TrafficKind = MessageKind | 'paraphrase';

interface Paraphrase {
  gap: string;
  text: string;
}

/** One customer message of the simulated traffic. */
interface Sent {
  key: string;
  kind: TrafficKind;
  /** The uncovered message whose missing topic it asks about (uncovered messages and paraphrases). */
  gap?: string;
  text: string;
  /** The bench/answers message (labels), or an unlabeled uncovered one for a paraphrase. */
  message: LabeledMessage;
  at: string;
  suggestionId?: string;
  questions?: number;
  abstained?: number;
  shown?: number;
  rejected?: number;
}

/** Where a failed question came from. */
interface Origin {
  key: string;
  kind: TrafficKind;
  gap?: string;
  outcome: QuestionOutcome;
  /** Articles the message's labels list (answerable messages). */
  articles: string[];
  /** The source shown (and rejected), if any. */
  shown?: string;
  at: string;
}

type TopicClass = 'gap' | 'gaps merged' | 'answerable' | 'off-topic' | 'mixed';

interface TopicReport {
  title: string;
  count: number;
  outcomes: KnowledgeGap['outcomes'];
  keywords: string[];
  nearest: string[];
  examples: string[];
  firstAt: string;
  lastAt: string;
  class: TopicClass;
  /** The real gap most of its questions come from (class 'gap'). */
  gap?: string;
  /** Answerable-majority topics: the article most of its answerable questions are labeled with, if one is shared by more than half. */
  sharedArticle?: string;
  members: Array<{ text: string; from: string; kind: TrafficKind; gap?: string; outcome: QuestionOutcome; shown?: string }>;
}

interface Row {
  label: string;
  options: GapOptions;
  topics: number;
  gapsFound: string[];
  gapsSplit: string[];
  gapMessagesInTopics: number;
  gapQuestionsInTopics: number;
  byClass: Record<TopicClass, number>;
  noise: number;
  matched: boolean;
  report: TopicReport[];
}

const RealDate = Date;

/**
 * Runs `fn` with the clock at `iso`: `recordQuestion` and `recordFeedback` stamp entries with the
 * time they are called, and the traffic is spread over 30 days. Nothing else runs meanwhile.
 */
async function atTime<T>(iso: string, fn: () => Promise<T>): Promise<T> {
  const fixed = RealDate.parse(iso);
  class FixedDate extends RealDate {
    constructor(...args: unknown[]) {
      super(...((args.length ? args : [fixed]) as [number]));
    }
    static override now(): number {
      return fixed;
    }
  }
  globalThis.Date = FixedDate as DateConstructor;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

const articleOf = (id: string) => id.split('#')[0]!;

function buildTraffic(messages: readonly LabeledMessage[], paraphrases: readonly Paraphrase[]): Sent[] {
  const uncovered = new Map(messages.filter((m) => m.kind === 'uncovered').map((m) => [m.id, m]));
  const items: Sent[] = messages.map((m) => ({ key: m.id, kind: m.kind, ...(m.kind === 'uncovered' ? { gap: m.id } : {}), text: m.text, message: m, at: '' }));
  const counts = new Map<string, number>();
  for (const p of paraphrases) {
    const original = uncovered.get(p.gap);
    if (!original) throw new Error(`paraphrases.jsonl: ${p.gap} is not an uncovered message of bench/answers`);
    const n = (counts.get(p.gap) ?? 0) + 1;
    counts.set(p.gap, n);
    const key = `${p.gap}-p${n}`;
    items.push({ key, kind: 'paraphrase', gap: p.gap, text: p.text, message: { ...original, id: key, text: p.text, traits: [] }, at: '' });
  }
  const next = rng(SEED);
  const order = shuffled(items, next);
  const times = order.map(() => START + next() * DAYS * 86_400_000).sort((a, b) => a - b);
  order.forEach((item, i) => (item.at = new RealDate(Math.round(times[i]!)).toISOString()));
  return order;
}

/** Suggest, log and (as an agent) reject every wrong answer shown, message by message in time order. */
async function replay(kb: StoreKnowledgeBase, traffic: Sent[], context: Awaited<ReturnType<typeof judgeContext>>): Promise<number> {
  let feedback = 0;
  for (const [i, item] of traffic.entries()) {
    progress('suggesting and logging', i, traffic.length);
    const suggestion = await kb.suggest(item.text);
    const id = randomUUID();
    item.suggestionId = id;
    const logged = await atTime(item.at, () => kb.recordQuestion(suggestion, { id, via: 'suggest' }));
    const verdict = judge(item.message, suggestion, context.toOriginal, context.options);
    item.questions = logged.questions.length;
    item.abstained = logged.answers.filter((a) => a.status !== 'answered').length + Math.max(0, logged.questions.length - logged.answers.length);
    item.shown = verdict.shown.length;
    item.rejected = 0;
    // The agent reads the draft a few minutes later and rejects what does not answer the customer.
    const reviewedAt = new RealDate(RealDate.parse(item.at) + 5 * 60_000).toISOString();
    for (const shown of verdict.shown.filter((s) => !s.right)) {
      await atTime(reviewedAt, () => kb.recordFeedback({ query: item.text, sourceId: shown.sourceId, helpful: false, suggestionId: id, action: 'rejected', agent: AGENTS[i % AGENTS.length]! }));
      item.rejected++;
      feedback++;
    }
  }
  progressDone();
  return feedback;
}

/** The failed questions as `kb.gaps` embeds them (the same for every setting), and its grouping of them. */
interface Grouped {
  reported: KnowledgeGap[];
  /** Each reported topic's questions (undefined when it could not be traced). */
  members: Array<string[] | undefined>;
  matched: boolean;
  texts: readonly string[];
  vectors: Float32Array[];
}

/** The topics `kb.gaps` reports, each with every question it holds (the library's own grouping, run again on the same vectors). */
async function topicsWithMembers(kb: StoreKnowledgeBase, outcomes: readonly QuestionWithOutcome[], options: GapOptions): Promise<Grouped> {
  const reported = await kb.gaps(options);
  let texts: readonly string[] = [];
  let vectors: Float32Array[] = [];
  const again = await knowledgeGaps(
    outcomes,
    {
      embed: async (t) => {
        texts = t;
        vectors = await kb.encoder.embedQueries(t);
        return vectors;
      },
      nearest: async () => [],
    },
    options,
  );
  const groups = groupTopics(vectors, options.similarity ?? GAP_DEFAULTS.similarity).map((g) => g.map((i) => texts[i]!));
  const members = reported.map((gap) => groups.find((g) => g.length === gap.count && gap.examples.every((e) => g.includes(e))));
  const same = again.length === reported.length && again.every((g, i) => g.title === reported[i]!.title && g.count === reported[i]!.count);
  return { reported, members, matched: same && members.every((m) => m !== undefined), texts, vectors };
}

function classify(members: readonly Origin[]): { class: TopicClass; gap?: string; sharedArticle?: string } {
  const half = members.length / 2;
  const count = (pred: (o: Origin) => boolean) => members.filter(pred).length;
  const byGap = new Map<string, number>();
  for (const o of members) if (o.gap) byGap.set(o.gap, (byGap.get(o.gap) ?? 0) + 1);
  const top = [...byGap].sort((a, b) => b[1] - a[1])[0];
  if (top && top[1] > half) return { class: 'gap', gap: top[0] };
  if (count((o) => o.gap !== undefined) > half) return { class: 'gaps merged' };
  if (count((o) => o.kind === 'answerable') > half) {
    const answerable = members.filter((o) => o.kind === 'answerable');
    const byArticle = new Map<string, number>();
    for (const o of answerable) for (const a of new Set(o.articles)) byArticle.set(a, (byArticle.get(a) ?? 0) + 1);
    const shared = [...byArticle].sort((a, b) => b[1] - a[1])[0];
    return { class: 'answerable', ...(shared && shared[1] > answerable.length / 2 ? { sharedArticle: shared[0] } : {}) };
  }
  if (count((o) => o.kind === 'offtopic') > half) return { class: 'off-topic' };
  return { class: 'mixed' };
}

const memberOf = (text: string, o: Origin): TopicReport['members'][number] => ({ text, from: o.key, kind: o.kind, ...(o.gap ? { gap: o.gap } : {}), outcome: o.outcome, ...(o.shown ? { shown: o.shown } : {}) });

/** The library's topics, each traced back to the messages its questions came from. */
function libraryTopics(grouped: Grouped, originOf: (text: string) => Origin): TopicReport[] {
  return grouped.reported.map((gap, t) => {
    const members = (grouped.members[t] ?? gap.examples).map((text) => memberOf(text, originOf(text)));
    return {
      title: gap.title,
      count: gap.count,
      outcomes: gap.outcomes,
      keywords: gap.keywords,
      nearest: gap.nearest.map((s) => s.id),
      examples: gap.examples,
      firstAt: gap.firstAt,
      lastAt: gap.lastAt,
      ...classify(members.map((m) => originOf(m.text))),
      members,
    };
  });
}

/** What a list of topics finds of the real gaps, and how much of it is noise. */
function score(label: string, options: GapOptions, report: TopicReport[], matched: boolean, gapIds: readonly string[], gapMessages: readonly Sent[]): Row {
  const found = new Set(report.flatMap((r) => (r.gap ? [r.gap] : [])));
  const topicsOfGap = new Map<string, Set<number>>();
  const keysInTopics = new Set<string>();
  let gapQuestionsInTopics = 0;
  report.forEach((r, t) => {
    for (const m of r.members) {
      keysInTopics.add(m.from);
      if (!m.gap) continue;
      gapQuestionsInTopics++;
      topicsOfGap.set(m.gap, (topicsOfGap.get(m.gap) ?? new Set()).add(t));
    }
  });
  const byClass: Record<TopicClass, number> = { gap: 0, 'gaps merged': 0, answerable: 0, 'off-topic': 0, mixed: 0 };
  for (const r of report) byClass[r.class]++;
  return {
    label,
    options,
    topics: report.length,
    gapsFound: gapIds.filter((g) => found.has(g)),
    gapsSplit: gapIds.filter((g) => (topicsOfGap.get(g)?.size ?? 0) >= 2),
    gapMessagesInTopics: gapMessages.filter((m) => keysInTopics.has(m.key)).length,
    gapQuestionsInTopics,
    byClass,
    noise: byClass.answerable + byClass['off-topic'] + byClass.mixed,
    matched,
    report,
  };
}

/** Details of the customers' messages (order numbers, e-mails, domains…) still readable in the log. */
function unmasked(traffic: readonly Sent[], logged: ReadonlyMap<string, string[]>): Array<{ from: string; kind: string; text: string }> {
  const out: Array<{ from: string; kind: string; text: string }> = [];
  for (const item of traffic) {
    const questions = (logged.get(item.suggestionId!) ?? []).join('\n');
    for (const entity of extractEntities(item.text)) {
      if (entity.text.length >= 4 && questions.includes(entity.text)) out.push({ from: item.key, kind: entity.kind, text: entity.text });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const messages = await readMessages();
  const paraphrases = await readJsonl<Paraphrase>(path.join(here, 'paraphrases.jsonl'));
  const traffic = buildTraffic(messages, paraphrases);
  const gapIds = messages.filter((m) => m.kind === 'uncovered').map((m) => m.id);
  const gapMessages = traffic.filter((t) => t.gap !== undefined);

  await (await openAnswersStore()).close();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-gaps-'));
  try {
    await backupStoreFolder({ store: answersStore, file: path.join(dir, DATABASE_FILE) });
    const kb = await openStoreFolder({ store: dir });
    const context = await judgeContext();
    const started = performance.now();
    const feedback = await replay(kb, traffic, context);
    const replaySeconds = (performance.now() - started) / 1000;

    // Which message each logged question came from, and what became of it.
    const asked = await kb.askedQuestions();
    const outcomes = questionOutcomes(asked, await kb.feedback());
    const bySuggestion = new Map(traffic.map((t) => [t.suggestionId!, t]));
    const origins: Array<{ text: string; origin: Origin }> = [];
    let k = 0;
    for (const record of asked) {
      const item = bySuggestion.get(record.id);
      if (!item) throw new Error(`a logged question (${record.id}) that this run did not ask`);
      record.questions.forEach((_q, i) => {
        const o = outcomes[k++]!;
        const articles = item.kind === 'answerable' ? item.message.questions.flatMap((q) => q.answers.map((a) => articleOf(context.toOriginal(a)))) : [];
        origins.push({ text: o.text, origin: { key: item.key, kind: item.kind, ...(item.gap ? { gap: item.gap } : {}), outcome: o.outcome, at: record.at, articles, ...(record.answers[i]?.sourceId ? { shown: record.answers[i]!.sourceId! } : {}) } });
      });
    }
    const originOf = (text: string): Origin => {
      const hit = origins.find((o) => o.origin.outcome !== 'answered' && o.text === text) ?? origins.find((o) => o.text === text);
      if (!hit) throw new Error(`no logged question reads ${JSON.stringify(text)}`);
      return hit.origin;
    };

    const settings: Array<[string, GapOptions]> = [['kb.gaps() (defaults: minCount 2, similarity 0.6, limit 20)', {}]];
    for (const minCount of [2, 1]) for (const similarity of minCount === 2 ? [0.5, 0.6, 0.7] : [0.6]) settings.push([`minCount ${minCount}, similarity ${similarity}`, { minCount, similarity, limit: 1000 }]);
    const rows: Row[] = [];
    for (const [i, [label, options]] of settings.entries()) {
      progress('gaps', i, settings.length);
      const grouped = await topicsWithMembers(kb, outcomes, options);
      rows.push(score(label, options, libraryTopics(grouped, originOf), grouped.matched, gapIds, gapMessages));
    }
    progressDone();
    const leftInLog = unmasked(traffic, new Map(asked.map((a) => [a.id, a.questions])));
    await kb.close();

    // ---------------------------------------------------------------- report
    const kinds: TrafficKind[] = ['answerable', 'offtopic', 'uncovered', 'paraphrase'];
    const failedByKind = (kind: TrafficKind) => origins.filter((o) => o.origin.kind === kind && o.origin.outcome !== 'answered');
    console.log(`## bench/gaps: ${traffic.length} messages over ${DAYS} days (${traffic[0]!.at.slice(0, 10)} to ${traffic.at(-1)!.at.slice(0, 10)}), ${feedback} rejections by agents`);
    console.log(
      table(
        ['messages', 'count', 'questions logged', 'abstained', 'shown', 'shown and rejected', 'failed questions'],
        kinds.map((kind) => {
          const items = traffic.filter((t) => t.kind === kind);
          const sum = (f: (t: Sent) => number) => items.reduce((a, t) => a + f(t), 0);
          return [kind, items.length, sum((t) => t.questions!), sum((t) => t.abstained!), sum((t) => t.shown!), sum((t) => t.rejected!), failedByKind(kind).length];
        }),
      ),
    );
    const sweep = (list: readonly Row[]) =>
      table(
        ['setting', 'topics', 'real gaps found', 'gaps split over 2+ topics', 'gap messages in a topic', 'noise topics', 'of which answerable / off-topic / mixed', 'gaps merged'],
        list.map((r) => [
          r.label + (r.matched ? '' : ' (!)'),
          r.topics,
          `${r.gapsFound.length}/${gapIds.length} (${pct(r.gapsFound.length, gapIds.length)})`,
          r.gapsSplit.length,
          `${r.gapMessagesInTopics}/${gapMessages.length} (${pct(r.gapMessagesInTopics, gapMessages.length)})`,
          `${r.noise} (${pct(r.noise, r.topics)})`,
          `${r.byClass.answerable} / ${r.byClass['off-topic']} / ${r.byClass.mixed}`,
          r.byClass['gaps merged'],
        ]),
      );
    const topics = (row: Row) =>
      table(
        ['#', 'title', 'questions', 'left open / rejected', 'is', 'from'],
        row.report.map((r, i) => [
          i + 1,
          r.title.replace(/\s+/g, ' ').length > 70 ? `${r.title.replace(/\s+/g, ' ').slice(0, 69)}…` : r.title.replace(/\s+/g, ' '),
          r.count,
          `${r.outcomes.abstained ?? 0} / ${r.outcomes.rejected ?? 0}`,
          r.class === 'gap' ? `gap ${r.gap}` : r.class === 'answerable' && r.sharedArticle ? `answerable (${r.sharedArticle})` : r.class,
          [...new Set(r.members.map((m) => m.gap ?? m.kind))].map((g) => `${g}×${r.members.filter((m) => (m.gap ?? m.kind) === g).length}`).join(' '),
        ]),
      );
    const notFound = (row: Row) => gapIds.filter((g) => !row.gapsFound.includes(g)).join(', ') || 'none';
    console.log(`\n## Gaps found by kb.gaps() (${gapIds.length} real gaps: an uncovered message + its 2 paraphrases; ${gapMessages.length} messages)`);
    console.log(sweep(rows));
    if (rows.some((r) => !r.matched)) console.log('(!) the topics could not all be traced back to their questions: counted from their examples only');
    console.log(`\n## Topics of kb.gaps() at the defaults (${rows[0]!.topics})`);
    console.log(topics(rows[0]!));
    console.log(`\nReal gaps not found at the defaults: ${notFound(rows[0]!)}`);
    console.log(`Details still readable in the logged questions: ${leftInLog.length ? leftInLog.map((d) => `${d.from} ${d.kind} "${d.text}"`).join('; ') : 'none'}`);
    console.log(`Replay: ${replaySeconds.toFixed(0)} s for ${traffic.length} messages`);

    const file = path.join(repoRoot, 'bench', 'results', 'gaps.json');
    await writeFile(
      file,
      JSON.stringify(
        {
          machine: machineInfo(loadAtStart),
          traffic: { messages: traffic.length, days: DAYS, start: new RealDate(START).toISOString(), seed: SEED, rejections: feedback, replaySeconds: Math.round(replaySeconds) },
          messages: traffic.map((t) => ({ key: t.key, kind: t.kind, ...(t.gap ? { gap: t.gap } : {}), at: t.at, questions: t.questions, abstained: t.abstained, shown: t.shown, rejected: t.rejected })),
          failedQuestions: Object.fromEntries(kinds.map((kind) => [kind, failedByKind(kind).length])),
          detailsLeftInLog: leftInLog,
          rows: rows.map((r) => ({ ...r, missed: gapIds.filter((g) => !r.gapsFound.includes(g)) })),
        },
        null,
        2,
      ) + '\n',
    );
    console.log(`\nWritten to ${path.relative(repoRoot, file)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
