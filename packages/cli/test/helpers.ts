// Shared by the CLI tests: run the command line in-process and read what it printed.
import type { Io } from '@answerdesk/cli';

/** An Io that keeps stdout and stderr, with a stop signal for `serve`. */
export function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const io: Io = { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), env, tty: false, stop: stop.signal };
  return { io, stop, out: () => out.join(''), err: () => err.join('') };
}

/** Poll until `check` gives a value (a server came up, a file appeared), or fail after `ms`. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
