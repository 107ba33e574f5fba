/**
 * Admission of the CPU-heavy reads (suggest, search, triage, categorize).
 * Their work runs on the event loop, so starting more of them at once only
 * makes each slower: past a few in flight, and a short queue, a request is
 * refused at once with 503 ADK_OVERLOADED and Retry-After, instead of waiting
 * until the client gives up. The request's deadline counts from its arrival,
 * so time spent queued is part of it.
 */
import { AnswerdeskError } from '@answerdesk/core';

export interface AdmissionOptions {
  /** Heavy requests worked on at once. Default 1. */
  maxInFlight: number;
  /** Heavy requests waiting for a turn; one more is refused at once. Default 1. */
  maxQueue: number;
}

export interface AdmissionEvents {
  /** A request waited `seconds` for its turn. */
  queued(seconds: number): void;
  /** A request was refused: `queue` (the queue was full) or `deadline` (its deadline passed while it waited). */
  shed(reason: 'queue' | 'deadline'): void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: AnswerdeskError) => void;
  timer: NodeJS.Timeout;
}

export class Admission {
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly options: AdmissionOptions,
    private readonly events: AdmissionEvents,
    /** Seconds a refused client is told to wait. */
    private readonly retryAfter: number,
  ) {}

  /** Requests being worked on and waiting, for metrics. */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.inFlight, queued: this.waiting.length };
  }

  /**
   * Run `work` once a turn is free. `deadline` (a `performance.now()` time) is
   * when the request times out: queued past it, it is refused without running.
   * `limit` wraps the running work (the request timeout); the turn is held
   * until the work itself settles, even after a timeout answered the client,
   * because the work still uses the CPU until then.
   */
  async run<T>(deadline: number, work: () => Promise<T>, limit: (running: Promise<T>) => Promise<T> = (running) => running): Promise<T> {
    const arrived = performance.now();
    if (this.inFlight < this.options.maxInFlight) this.inFlight++;
    else {
      if (this.waiting.length >= this.options.maxQueue) {
        this.events.shed('queue');
        throw this.overloaded(`${this.inFlight} requests in progress and ${this.waiting.length} waiting`);
      }
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          timer: setTimeout(() => {
            this.waiting.splice(this.waiting.indexOf(waiter), 1);
            this.events.shed('deadline');
            reject(this.overloaded('the request waited past its deadline'));
          }, Math.max(0, deadline - arrived)),
        };
        this.waiting.push(waiter);
      });
      // The finishing request handed its turn over: inFlight already counts this one.
    }
    // Let the event loop read the sockets before this work takes the thread: requests that arrived meanwhile are
    // then queued or refused at once, instead of waiting unseen in their sockets behind it.
    await new Promise((resolve) => setImmediate(resolve));
    this.events.queued((performance.now() - arrived) / 1000);
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      this.release();
      throw error;
    }
    running.then(
      () => this.release(),
      () => this.release(),
    );
    return limit(running);
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve();
    } else this.inFlight--;
  }

  private overloaded(reason: string): AnswerdeskError {
    return new AnswerdeskError('ADK_OVERLOADED', { reason, retryAfter: this.retryAfter });
  }
}
