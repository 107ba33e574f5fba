import cliProgress from 'cli-progress';
import type { IndexProgress } from '@answerdesk/core';

const LABELS: Record<IndexProgress['phase'], string> = { read: 'Reading files', embed: 'Embedding', index: 'Indexing', save: 'Saving' };

/** True when a person is watching: a TTY on stderr and not CI. */
export function interactive(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.CI;
}

/** A progress bar per phase on a terminal; silent otherwise (logs and CI stay clean). */
export function progressReporter(enabled: boolean): { onProgress?: (p: IndexProgress) => void; stop: () => void } {
  if (!enabled) return { stop: () => undefined };
  let bar: cliProgress.SingleBar | undefined;
  let phase: IndexProgress['phase'] | undefined;
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
