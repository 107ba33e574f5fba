import type { Feedback, QueryLanguage, RouteCorrection } from '@answerdesk/types';
import { wordVector } from './questions.js';
import { cosine } from './similarity.js';

/**
 * Learning from what agents do: feedback given on a suggestion for one question
 * moves the same sources up (helpful, or picked instead) or down (not helpful)
 * for similar questions later. Per knowledge base (its own feedback), explainable
 * (each answer says how many agents' verdicts moved it), reversible (`since`),
 * and bounded: one agent's many clicks count as the square root of their number, up
 * to a cap, and no amount of feedback moves an answer's log-odds more than `weight`.
 */

export interface LearningOptions {
  /** Use agents' feedback at all. Default true. */
  enabled?: boolean;
  /** Only feedback recorded at or after this ISO time counts: an admin's reset, undone by removing it. Default: all. */
  since?: string;
  /**
   * How close (`questionSimilarity`: the cosine of the question vectors, or of their words' vectors in a
   * language the encoder cannot read) an earlier question must be for its feedback on answers to count. Default 0.6:
   * feedback only reorders the sources the engine already found for this question, so a looser
   * neighbourhood carries agents' picks to other customers' wordings (bench/feedback).
   */
  similarity?: number;
  /**
   * How close an earlier message must be for an agent's route correction to move this one. Default 0.8:
   * a correction moves a whole message to another queue, and at 0.6 the corrections of a few dozen messages
   * moved most of the others too (bench/feedback routes).
   */
  routeSimilarity?: number;
  /** The most feedback moves an answer, in log-odds of its probability of being right. Default 2. */
  weight?: number;
  /**
   * Recalibrate confidence on agents' outcomes (see `fitRecalibration`). Default true. False keeps the
   * confidence model's own probabilities while feedback still moves sources for similar questions.
   */
  recalibrate?: boolean;
}

export const LEARNING_DEFAULTS = { enabled: true, similarity: 0.6, routeSimilarity: 0.8, weight: 2, recalibrate: true } as const;

/** How feedback moved one source for one question. */
export interface Learned {
  /** Added to the log-odds of the source's probability. */
  delta: number;
  /** Agents' helpful and not-helpful verdicts on it for similar questions. */
  helpful: number;
  unhelpful: number;
}

/**
 * A question (or a routed message) as learning compares it with others: the encoder's vector where it reads
 * the question's language, else a vector of its words (`wordVector`, as knowledge gaps group such questions).
 * An encoder that cannot read a language puts any two of its questions close together (USE-lite: every pair
 * of bench/answers' German questions at cosine 0.6 or more, 92% at 0.8), so feedback on one would move every other.
 */
export interface QuestionKey {
  vector: Float32Array;
  /** Where `vector` is from: '' (the default) the encoder; a language code, that language's words. */
  space?: string;
}

/** The cosine of two questions' vectors where both are in the same space (see QuestionKey), else 0. Pure. */
export function questionSimilarity(a: QuestionKey, b: QuestionKey): number {
  return (a.space ?? '') === (b.space ?? '') ? cosine(a.vector, b.vector) : 0;
}

/** A question as learning compares it: by the encoder's vector, or by its words where the encoder cannot read its language. Pure. */
export function questionKey(vector: Float32Array, text: string, language: Pick<QueryLanguage, 'code' | 'semantic'>): QuestionKey {
  return language.semantic ? { vector } : { vector: wordVector({ text, language: language.code }), space: language.code };
}

/** Feedback with the question it was given for. */
export interface LearnedFrom extends QuestionKey {
  feedback: Feedback;
}

/** One agent's verdicts on one source never count for more than this many agents' (√count grows to it at 2–3 clicks). */
const ONE_AGENT_MOST = 1.5;

/** One agent's verdict on one key (a source, a label) for a question, with that question. */
interface Vote {
  key: string;
  agent: string;
  /** +1: for it; −1: against it. */
  sign: number;
  at: string;
  question: QuestionKey;
}

/** A bare vector is a question in a language the encoder reads. */
const keyOf = (question: Float32Array | QuestionKey): QuestionKey => (question instanceof Float32Array ? { vector: question } : question);

/**
 * How verdicts on similar questions move each key. Each agent's verdicts on a key count as their
 * mean sign, weighted 0.5–1 by closeness past the threshold (1 for the same question), times √count
 * up to ONE_AGENT_MOST; the sum E moves the log-odds by weight × tanh(E / 2): one close verdict about
 * half of the way, one agent at most about two thirds, three agents agreeing nearly all of it. Pure.
 */
function tally(question: QuestionKey, votes: Iterable<Vote>, threshold: number, options: LearningOptions): Map<string, Learned> {
  const weight = options.weight ?? LEARNING_DEFAULTS.weight;
  const since = options.since;
  // key → agent → { sum of signed closeness, count, for, against }
  const byKey = new Map<string, Map<string, { sum: number; count: number; helpful: number; unhelpful: number }>>();
  for (const vote of votes) {
    if (since !== undefined && vote.at < since) continue;
    const similarity = questionSimilarity(question, vote.question);
    if (!(similarity >= threshold)) continue;
    const closeness = threshold < 1 ? (similarity - threshold) / (1 - threshold) : 1;
    const agents = byKey.get(vote.key) ?? new Map();
    const agent = agents.get(vote.agent) ?? { sum: 0, count: 0, helpful: 0, unhelpful: 0 };
    agent.sum += vote.sign * (0.5 + 0.5 * closeness);
    agent.count++;
    if (vote.sign > 0) agent.helpful++;
    else agent.unhelpful++;
    agents.set(vote.agent, agent);
    byKey.set(vote.key, agents);
  }
  const out = new Map<string, Learned>();
  for (const [key, agents] of byKey) {
    let evidence = 0;
    let helpful = 0;
    let unhelpful = 0;
    for (const agent of agents.values()) {
      evidence += (agent.sum / agent.count) * Math.min(Math.sqrt(agent.count), ONE_AGENT_MOST);
      helpful += agent.helpful;
      unhelpful += agent.unhelpful;
    }
    const delta = weight * Math.tanh(evidence / 2);
    if (Math.abs(delta) >= 0.01) out.set(key, { delta, helpful, unhelpful });
  }
  return out;
}

/** How feedback on similar questions moves each source (see `tally`). Pure. */
export function learnedAdjustments(question: Float32Array | QuestionKey, from: readonly LearnedFrom[], options: LearningOptions = {}): Map<string, Learned> {
  return tally(
    keyOf(question),
    from.map((entry) => ({ key: entry.feedback.sourceId, agent: entry.feedback.agent ?? '', sign: entry.feedback.helpful ? 1 : -1, at: entry.feedback.at, question: entry })),
    options.similarity ?? LEARNING_DEFAULTS.similarity,
    options,
  );
}

/** A route correction with the message it was given for. */
export interface CorrectedFrom extends QuestionKey {
  correction: RouteCorrection;
}

/**
 * How agents' corrections of similar messages move the labels of one field: the right label up, the
 * one triage gave down, bounded like answers' feedback (see `tally`). Pure.
 */
export function routeAdjustments(message: Float32Array | QuestionKey, field: string, from: readonly CorrectedFrom[], options: LearningOptions = {}): Map<string, Learned> {
  const votes: Vote[] = [];
  for (const entry of from) {
    const { correction } = entry;
    if (correction.field !== field) continue;
    const agent = correction.agent ?? '';
    votes.push({ key: correction.label, agent, sign: 1, at: correction.at, question: entry });
    if (correction.was && correction.was !== correction.label) votes.push({ key: correction.was, agent, sign: -1, at: correction.at, question: entry });
  }
  return tally(keyOf(message), votes, options.routeSimilarity ?? LEARNING_DEFAULTS.routeSimilarity, options);
}

/**
 * Probabilities over `labels` moved by `learned` (log-odds against the others), renormalized; and
 * what an agent reads about it. Labels the categorizer does not know yet wait for its retraining. Pure.
 */
export function movedProbabilities(labels: readonly string[], p: ArrayLike<number>, learned: ReadonlyMap<string, Learned>): { p: Float64Array; note?: string } {
  const out = Float64Array.from(labels, (_label, i) => Math.max(p[i]!, 1e-9));
  const up: string[] = [];
  const down: string[] = [];
  const times = (n: number) => (n === 1 ? 'one similar message' : `${n} similar messages`);
  labels.forEach((label, i) => {
    const moved = learned.get(label);
    if (!moved) return;
    out[i] = out[i]! * Math.exp(moved.delta);
    if (moved.delta > 0) up.push(`up "${label}" (agents moved ${times(moved.helpful)} to it)`);
    else down.push(`down "${label}" (agents moved ${times(moved.unhelpful)} away from it)`);
  });
  const notes = [...up, ...down];
  const sum = out.reduce((a, b) => a + b, 0);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return { p: out, ...(notes.length ? { note: `Moved by agents' corrections: ${notes.join('; ')}.` } : {}) };
}

/** What an agent reads about a moved answer. Pure. */
export function learnedNote(learned: Learned): string {
  const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
  if (learned.delta > 0) {
    return `Ranked up by feedback: agents marked it helpful ${times(learned.helpful)} for similar questions${learned.unhelpful ? ` (not helpful ${times(learned.unhelpful)})` : ''}.`;
  }
  return `Ranked down by feedback: agents marked it not helpful ${times(learned.unhelpful)} for similar questions${learned.helpful ? ` (helpful ${times(learned.helpful)})` : ''}.`;
}

/** How often feedback is read again from the store, for what other processes recorded. */
const REREAD_MS = 30_000;

/**
 * Confidence recalibrated on agents' outcomes: p → σ(a · logit p + b), then corrected range by
 * range where that range's own outcomes disagree with the line (`knots`).
 */
export interface Recalibration {
  a: number;
  b: number;
  /**
   * [logit of the engine's probability, recalibrated logit] at the mean of each probability range
   * (a tenth wide) that had outcomes, ascending in both; linear between them, and beyond the first
   * and last the line shifted by their correction.
   */
  knots: Array<[number, number]>;
  /** Outcomes it was fitted on. */
  outcomes: number;
}

/** Fewer outcomes than this leave confidence as the model gives it. */
export const MIN_OUTCOMES = 30;
/** From this many outcomes on, the slope is fitted too. */
const SLOPE_OUTCOMES = 200;
/** Pull toward no change (a 1, b 0), as strong as this many outcomes: a few dozen verdicts bend confidence, never flip it. */
const PRIOR_STRENGTH = 20;
/**
 * A range's own outcomes pull its probability away from the line as if the line were this many
 * outcomes: the line's slope is a compromise over all ranges (on bench/answers the engine is
 * over-confident at 70–90% and right about as often as it says at 40–50%), and a range with
 * many outcomes should say what it saw.
 */
const RANGE_PRIOR = 40;
/** The flattest a recalibrated stretch may get: a more probable answer stays more probable. */
const MIN_SLOPE = 0.25;

const logit = (p: number) => {
  const q = Math.min(Math.max(p, 1e-4), 1 - 1e-4);
  return Math.log(q / (1 - q));
};
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Platt scaling of the shown probability on what agents did with shown answers (sent: right;
 * rejected, marked not helpful or heavily edited: wrong), by Newton's method with a Gaussian prior
 * toward no change, then corrected range by range (rangeKnots). Undefined below MIN_OUTCOMES or
 * when every outcome is the same. Pure.
 */
export function fitRecalibration(outcomes: ReadonlyArray<{ probability: number; right: boolean }>): Recalibration | undefined {
  if (outcomes.length < MIN_OUTCOMES) return undefined;
  const rights = outcomes.filter((o) => o.right).length;
  if (rights === 0 || rights === outcomes.length) return undefined;
  const xs = outcomes.map((o) => logit(o.probability));
  const ys = outcomes.map((o) => (o.right ? 1 : 0));
  // The prior's (λ/2)((a−1)² + b²); 0.25 is the most one outcome adds to the curvature.
  const lambda = PRIOR_STRENGTH * 0.25;
  const loss = (a: number, b: number) =>
    xs.reduce((sum, x, i) => {
      const z = a * x + b;
      // −log σ(z) for a right outcome, −log(1 − σ(z)) for a wrong one, without overflow.
      return sum + Math.max(z, 0) - ys[i]! * z + Math.log1p(Math.exp(-Math.abs(z)));
    }, 0) + (lambda / 2) * ((a - 1) ** 2 + b ** 2);
  // A few hundred outcomes only shift the log-odds (b); the slope (a) needs outcomes spread over many probabilities to be told apart from the shift.
  const shiftOnly = outcomes.length < SLOPE_OUTCOMES;
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let step = 0; step < 50; step++) {
    let ga = lambda * (a - 1);
    let gb = lambda * b;
    let haa = lambda;
    let hab = 0;
    let hbb = lambda;
    xs.forEach((x, i) => {
      const p = sigmoid(a * x + b);
      const r = p - ys[i]!;
      const w = p * (1 - p);
      ga += r * x;
      gb += r;
      haa += w * x * x;
      hab += w * x;
      hbb += w;
    });
    const det = haa * hbb - hab * hab;
    if (!(det > 1e-12)) break;
    const da = shiftOnly ? 0 : (hbb * ga - hab * gb) / det;
    const db = shiftOnly ? gb / hbb : (haa * gb - hab * ga) / det;
    // Newton's step overshoots far from the optimum (logistic curvature shrinks there): halve it until the loss falls.
    let t = 1;
    let next = loss(a - da, b - db);
    while (next > current && t > 1e-4) {
      t /= 2;
      next = loss(a - t * da, b - t * db);
    }
    if (next > current) break;
    a -= t * da;
    b -= t * db;
    const gain = current - next;
    current = next;
    if (gain < 1e-9) break;
  }
  // Never reversed or flattened out: a more probable answer stays more probable.
  a = Math.min(Math.max(a, MIN_SLOPE), 4);
  return { a, b, knots: rangeKnots(xs, ys, a, b), outcomes: outcomes.length };
}

/**
 * Each tenth of the engine's probability that had outcomes, at its mean logit: the line's
 * probability there moved toward the share right, by a Beta posterior with the line as a prior
 * worth RANGE_PRIOR outcomes; then made to rise at least MIN_SLOPE from knot to knot. Pure.
 */
function rangeKnots(xs: readonly number[], ys: readonly number[], a: number, b: number): Array<[number, number]> {
  const ranges = Array.from({ length: 10 }, () => ({ n: 0, right: 0, logits: 0 }));
  xs.forEach((x, i) => {
    const range = ranges[Math.min(Math.floor(sigmoid(x) * 10), 9)]!;
    range.n += 1;
    range.right += ys[i]!;
    range.logits += x;
  });
  const knots: Array<[number, number]> = [];
  for (const { n, right, logits } of ranges) {
    if (n === 0) continue;
    const x = logits / n;
    const share = (RANGE_PRIOR * sigmoid(a * x + b) + right) / (RANGE_PRIOR + n);
    const previous = knots.at(-1);
    const y = previous ? Math.max(logit(share), previous[1] + MIN_SLOPE * (x - previous[0])) : logit(share);
    knots.push([x, y]);
  }
  return knots;
}

/** A probability after recalibration. Pure. */
export function recalibrated(recalibration: Recalibration, probability: number): number {
  const { a, b, knots } = recalibration;
  const x = logit(probability);
  const first = knots[0];
  const last = knots.at(-1);
  if (!first || !last) return sigmoid(a * x + b);
  if (x <= first[0]) return sigmoid(a * x + b + first[1] - (a * first[0] + b));
  if (x >= last[0]) return sigmoid(a * x + b + last[1] - (a * last[0] + b));
  const i = knots.findIndex(([kx]) => kx >= x);
  const [x0, y0] = knots[i - 1]!;
  const [x1, y1] = knots[i]!;
  return sigmoid(x1 > x0 ? y0 + ((x - x0) / (x1 - x0)) * (y1 - y0) : y1);
}

/**
 * The outcomes of the engine's own choices in agents' feedback: verdicts that came with the engine's
 * probability (an answer shown; after an abstention, its best candidate, picked or passed over). Pure.
 */
export function shownOutcomes(feedback: Iterable<Feedback>, since?: string): Array<{ probability: number; right: boolean }> {
  const out: Array<{ probability: number; right: boolean }> = [];
  for (const f of feedback) {
    if (typeof f.confidence !== 'number' || (since !== undefined && f.at < since)) continue;
    out.push({ probability: f.confidence, right: f.helpful });
  }
  return out;
}

/** What agents recorded: verdicts on answers and corrections of routes, kept in one log. */
export type AgentRecord = Feedback | RouteCorrection;

/** A route correction, told apart from answer feedback in the one log. */
export function isRouteCorrection(entry: AgentRecord): entry is RouteCorrection {
  return (entry as RouteCorrection).kind === 'route';
}

/** The text an entry is compared by: the question answered, or the message routed. */
function textOf(entry: AgentRecord): string | undefined {
  if (isRouteCorrection(entry)) return typeof entry.text === 'string' && typeof entry.label === 'string' ? entry.text : undefined;
  if (typeof entry.query !== 'string' || typeof entry.sourceId !== 'string') return undefined;
  // The question the verdict is on, where the page said which: the rest of the message asked something else.
  return typeof entry.question === 'string' && entry.question.trim() !== '' ? entry.question : entry.query;
}

/**
 * The feedback and route corrections of one knowledge base with their messages (see QuestionKey). What this
 * process records counts at once (`remember`); what other processes record, within 30 s: reading
 * every entry again is a synchronous scan on SQLite, so it is not done on every question. Each
 * message is read and embedded once.
 */
export class FeedbackMemory {
  private readonly keys = new Map<string, QuestionKey>();
  private entries: AgentRecord[] = [];
  private readAt = -Infinity;
  private reading?: Promise<void>;
  /** Fitted again when the entries change. */
  private recalibration?: { fitted: Recalibration | undefined };

  constructor(
    private readonly read: () => Promise<AgentRecord[]>,
    private readonly describe: (texts: readonly string[]) => Promise<QuestionKey[]>,
    private readonly options: LearningOptions = {},
  ) {}

  /** An entry this process just recorded: it counts from the next question on. */
  remember(entry: AgentRecord): void {
    if (!this.entries.some((known) => known.id === entry.id)) this.entries = [...this.entries, entry];
    this.recalibration = undefined;
  }

  /** Entries with their messages, for `learnedAdjustments` and `routeAdjustments`. Reads at most `budget` new messages per call so no suggest waits long. */
  async current(budget = 16): Promise<{ answers: LearnedFrom[]; routes: CorrectedFrom[]; recalibration?: Recalibration }> {
    if (this.options.enabled === false) return { answers: [], routes: [] };
    if (performance.now() - this.readAt > REREAD_MS) {
      this.reading ??= this.read()
        .then((entries) => {
          this.entries = entries.filter((entry) => entry && textOf(entry) !== undefined);
          this.recalibration = undefined;
          this.readAt = performance.now();
        })
        .finally(() => (this.reading = undefined));
      await this.reading;
    }
    const missing = this.entries.filter((entry) => !this.keys.has(entry.id)).slice(0, budget);
    if (missing.length) {
      const keys = await this.describe(missing.map((entry) => textOf(entry)!));
      missing.forEach((entry, i) => this.keys.set(entry.id, keys[i]!));
    }
    const answers: LearnedFrom[] = [];
    const routes: CorrectedFrom[] = [];
    for (const entry of this.entries) {
      const key = this.keys.get(entry.id);
      if (!key) continue;
      if (isRouteCorrection(entry)) routes.push({ ...key, correction: entry });
      else answers.push({ ...key, feedback: entry });
    }
    // Every outcome counts, embedded yet or not: recalibration needs no vectors.
    this.recalibration ??= { fitted: this.options.recalibrate === false ? undefined : fitRecalibration(shownOutcomes(this.entries.filter((entry): entry is Feedback => !isRouteCorrection(entry)), this.options.since)) };
    return { answers, routes, ...(this.recalibration.fitted ? { recalibration: this.recalibration.fitted } : {}) };
  }
}
