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

/** True when a person is watching: a TTY on stderr and not CI. */
export function interactive(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.CI;
}

/** A progress bar per phase on a terminal; silent otherwise (logs and CI stay clean). */
export function progressReporter(enabled: boolean): { onProgress?: (p: Progress) => void; stop: () => void } {
  if (!enabled) return { stop: () => undefined };
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
        bar = new cliProgress.SingleBar(
          { format: `${LABELS[p.phase].padEnd(13)} {bar} {value}/{total} {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
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
