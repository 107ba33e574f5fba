import type { Encoder } from '@answerdesk/core';
import { interactive } from './progress.js';

/** Where a command reads and writes: the process's streams, or a test's. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Show progress bars (a person at a terminal). */
  tty: boolean;
  /** Stops `serve` when aborted (besides SIGINT/SIGTERM). */
  stop?: AbortSignal;
  /** Standard input, for `-` (default `process.stdin`). */
  stdin?: AsyncIterable<Buffer | string>;
  /** The encoder instead of the one `--model` names (tests use a HashingEncoder). */
  encoder?: (workerThreshold?: number) => Encoder;
  /** Milliseconds between plain progress lines off a terminal (default 5000). */
  progressIntervalMs?: number;
}

export const defaultIo = (): Io => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  tty: interactive(),
});
