import cliProgress from 'cli-progress';
import type { IndexProgress, TrainProgress } from '@answerdesk/core';

/** Every phase any long command reports. */
type Phase = IndexProgress['phase'] | TrainProgress['phase'];
interface Progress {
  phase: Phase;
  done: number;
  total: number;
}

const LABELS: Record<Phase, string> = { read: 'Reading files', embed: 'Embedding', index: 'Indexing', train: 'Training', calibrate: 'Calibrating', save: 'Saving' };
/** Phases whose `done`/`total` count bytes, not items. */
const IN_BYTES = new Set<Phase>(['read']);

/** True when a person is watching: a TTY on stderr and not CI. */
export function interactive(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.CI;
}

export interface Reporter {
  onProgress?: (p: Progress) => void;
  stop: () => void;
}

/** Where plain progress lines go, and how often. */
export interface ProgressLines {
  write: (text: string) => void;
  /** Milliseconds between lines; the first comes after one interval, so quick commands print none. Default 5000. */
  intervalMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}

/**
 * Plain progress lines for logs, CI and pipes (no terminal to draw a bar on):
 * `Embedding: 1200/25000 (4.8%), 3 min so far, about 58 min left`, at most one every
 * few seconds, and one when a phase that was shown is over.
 */
export function progressLines(options: ProgressLines): Reporter {
  const interval = options.intervalMs ?? 5000;
  const now = options.now ?? Date.now;
  const started = now();
  let phase: Phase | undefined;
  let phaseStarted = started;
  let last = started;
  let shown = false;
  let latest: Progress | undefined;
  const line = (p: Progress, at: number) => {
    const share = p.total > 0 ? p.done / p.total : 0;
    const counts = IN_BYTES.has(p.phase) ? `${mib(p.done)} of ${mib(p.total)}` : `${p.done}/${p.total}`;
    const elapsed = at - phaseStarted;
    const left = share > 0.02 && share < 1 ? `, about ${seconds((elapsed * (1 - share)) / share)} left` : '';
    options.write(`${LABELS[p.phase]}: ${counts} (${(share * 100).toFixed(1)}%), ${seconds(elapsed)} so far${left}\n`);
    last = at;
    shown = true;
  };
  return {
    // Nothing to close: a command that failed mid-phase must not claim 100%.
    stop: () => undefined,
    onProgress: (p) => {
      const at = now();
      if (p.phase !== phase) {
        // The phase shown last is over: say so, so a log does not stop at "47%".
        if (shown && latest) line({ ...latest, done: latest.total }, at);
        shown = false;
        phase = p.phase;
        phaseStarted = at;
      }
      latest = p;
      if (at - last >= interval) line(p, at);
    },
  };
}

/**
 * Progress of a long command: a bar per phase for a person at a terminal (`enabled: true`),
 * plain lines every few seconds for logs and CI (`enabled: { write }`), or nothing (`false`).
 */
export function progressReporter(enabled: boolean | ProgressLines): Reporter {
  if (enabled === false) return { stop: () => undefined };
  if (enabled !== true) return progressLines(enabled);
  let bar: cliProgress.SingleBar | undefined;
  let phase: Phase | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    stop,
    onProgress: (p) => {
      if (p.phase !== phase) {
        stop();
        phase = p.phase;
        const value = IN_BYTES.has(p.phase) ? '{percentage}%' : '{value}/{total}';
        bar = new cliProgress.SingleBar(
          { format: `${LABELS[p.phase].padEnd(13)} {bar} ${value} {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, p.done);
      } else {
        bar?.setTotal(p.total);
        bar?.update(p.done);
      }
    },
  };
}
