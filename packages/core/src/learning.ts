import type { Feedback } from '@answerdesk/types';
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
  /** How close (cosine of the question vectors) an earlier question must be for its feedback to count. Default 0.8. */
  similarity?: number;
  /** The most feedback moves an answer, in log-odds of its probability of being right. Default 2. */
  weight?: number;
}

export const LEARNING_DEFAULTS = { enabled: true, similarity: 0.8, weight: 2 } as const;

/** How feedback moved one source for one question. */
export interface Learned {
  /** Added to the log-odds of the source's probability. */
  delta: number;
  /** Agents' helpful and not-helpful verdicts on it for similar questions. */
  helpful: number;
  unhelpful: number;
}

/** Feedback with the vector of the question it was given for. */
export interface LearnedFrom {
  feedback: Feedback;
  vector: Float32Array;
}

/** One agent's verdicts on one source never count for more than this many agents' (√count grows to it at 2–3 clicks). */
const ONE_AGENT_MOST = 1.5;

/**
 * How feedback on similar questions moves each source. Each agent's verdicts on a source count as
 * their mean sign, weighted 0.5–1 by closeness past the threshold (1 for the same question), times
 * √count up to ONE_AGENT_MOST; the sum E moves the log-odds by weight × tanh(E / 2): one close verdict
 * about half of the way, one agent at most about two thirds, three agents agreeing nearly all of it. Pure.
 */
export function learnedAdjustments(question: Float32Array, from: readonly LearnedFrom[], options: LearningOptions = {}): Map<string, Learned> {
  const threshold = options.similarity ?? LEARNING_DEFAULTS.similarity;
  const weight = options.weight ?? LEARNING_DEFAULTS.weight;
  const since = options.since;
  // source → agent → { sum of signed closeness, count }
  const votes = new Map<string, Map<string, { sum: number; count: number; helpful: number; unhelpful: number }>>();
  for (const { feedback, vector } of from) {
    if (since !== undefined && feedback.at < since) continue;
    const similarity = cosine(question, vector);
    if (!(similarity >= threshold)) continue;
    const closeness = threshold < 1 ? (similarity - threshold) / (1 - threshold) : 1;
    const agents = votes.get(feedback.sourceId) ?? new Map();
    const agent = agents.get(feedback.agent ?? '') ?? { sum: 0, count: 0, helpful: 0, unhelpful: 0 };
    agent.sum += (feedback.helpful ? 1 : -1) * (0.5 + 0.5 * closeness);
    agent.count++;
    if (feedback.helpful) agent.helpful++;
    else agent.unhelpful++;
    agents.set(feedback.agent ?? '', agent);
    votes.set(feedback.sourceId, agents);
  }
  const out = new Map<string, Learned>();
  for (const [sourceId, agents] of votes) {
    let evidence = 0;
    let helpful = 0;
    let unhelpful = 0;
    for (const agent of agents.values()) {
      evidence += (agent.sum / agent.count) * Math.min(Math.sqrt(agent.count), ONE_AGENT_MOST);
      helpful += agent.helpful;
      unhelpful += agent.unhelpful;
    }
    const delta = weight * Math.tanh(evidence / 2);
    if (Math.abs(delta) >= 0.01) out.set(sourceId, { delta, helpful, unhelpful });
  }
  return out;
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
 * The feedback of one knowledge base with its questions' vectors. What this process records counts
 * at once (`remember`); what other processes record, within 30 s: reading every entry again is a
 * synchronous scan on SQLite, so it is not done on every question. Each question is embedded once.
 */
export class FeedbackMemory {
  private readonly vectors = new Map<string, Float32Array>();
  private entries: Feedback[] = [];
  private readAt = -Infinity;
  private reading?: Promise<void>;

  constructor(
    private readonly read: () => Promise<Feedback[]>,
    private readonly embed: (texts: readonly string[]) => Promise<Float32Array[]>,
    private readonly options: LearningOptions = {},
  ) {}

  /** Feedback this process just recorded: it counts from the next question on. */
  remember(entry: Feedback): void {
    if (!this.entries.some((known) => known.id === entry.id)) this.entries = [...this.entries, entry];
  }

  /** Feedback with vectors, for `learnedAdjustments`. Embeds at most `budget` new questions per call so no suggest waits long. */
  async current(budget = 16): Promise<LearnedFrom[]> {
    if (this.options.enabled === false) return [];
    if (performance.now() - this.readAt > REREAD_MS) {
      this.reading ??= this.read()
        .then((entries) => {
          this.entries = entries.filter((entry) => entry && typeof entry.query === 'string' && typeof entry.sourceId === 'string');
          this.readAt = performance.now();
        })
        .finally(() => (this.reading = undefined));
      await this.reading;
    }
    const missing = this.entries.filter((entry) => !this.vectors.has(entry.id)).slice(0, budget);
    if (missing.length) {
      const vectors = await this.embed(missing.map((entry) => entry.query));
      missing.forEach((entry, i) => this.vectors.set(entry.id, vectors[i]!));
    }
    return this.entries.flatMap((feedback) => {
      const vector = this.vectors.get(feedback.id);
      return vector ? [{ feedback, vector }] : [];
    });
  }
}
