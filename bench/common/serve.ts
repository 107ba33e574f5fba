/**
 * Child processes for the HTTP benchmarks: build a store with `answerdesk index` in a child, start
 * `answerdesk serve --port 0` in a child (its own event loop) and read the port from its
 * "listening on" line, poll `GET /v1/ready`, read the server's CPU time and memory, and stop
 * every child this process started: on cleanup, on Ctrl-C/SIGTERM (a second one kills at once)
 * and, as a last resort, on exit. Shared by bench/http and bench/overload.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress, progressDone } from './progress.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The CLI, run from the workspace sources (no build). */
export const cliBin = path.join(repoRoot, 'packages', 'cli', 'src', 'bin.ts');
export const nodeArgs = ['--conditions=answerdesk-source', '--import', 'tsx'];

/** The last `n` lines of a child's collected output, for error messages. */
export function tail(lines: readonly string[], n = 20): string {
  return lines.join('').split('\n').slice(-n).join('\n');
}

/**
 * The child's environment: no API keys (so reads are open unless `set` gives some), no stray
 * store or port; then the variables in `set`.
 */
export function childEnv(set: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ANSWERDESK_API_KEYS;
  delete env.ANSWERDESK_STORE;
  delete env.PORT;
  return { ...env, ...set };
}

// ---- the children this process started, and how to stop them ------------------------------------

const children = new Set<ChildProcess>();

function running(child: ChildProcess | undefined): boolean {
  return !!child && child.exitCode === null && child.signalCode === null;
}

function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** SIGTERM a child and wait for it to go (SIGKILL after 15 s). */
export async function terminate(child: ChildProcess | undefined): Promise<void> {
  if (!child || !running(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(force);
}

/** SIGTERM every child still running (server, indexer) and wait for them. */
export async function stopChildren(): Promise<void> {
  await Promise.all([...children].map((child) => terminate(child)));
}

function killChildren(): void {
  for (const child of children) if (running(child)) child.kill('SIGKILL');
}

let signalled = false;
/** Whether Ctrl-C or SIGTERM has been received (a run in progress then stops). */
export function interrupted(): boolean {
  return signalled;
}

/**
 * On SIGINT/SIGTERM: say what is being stopped (`describe`), run `cleanup` and exit 130/143; a
 * second signal kills the children at once. On exit in any other way, children still running are
 * killed: never leave a server behind. Call once, before starting children.
 */
export function handleSignals(cleanup: () => Promise<void>, describe: () => string = () => 'stopping the server'): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      progressDone();
      if (signalled) {
        // A second Ctrl-C: do not wait any more.
        killChildren();
        process.exit(130);
      }
      signalled = true;
      process.stderr.write(`${signal}: ${describe()}…\n`);
      void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  // Last resort if this process ends some other way.
  process.on('exit', killChildren);
}

// ---- steps -------------------------------------------------------------------------------------

export interface IndexReport {
  articles?: number;
  templates?: number;
  tickets?: number;
  errors?: unknown[];
}

export interface BuildOptions {
  /** Folders or files to index. Default: docs-content. */
  paths?: string[];
  /** Train the categorizers (the CLI's default fields) when tickets changed; false passes `--no-train`. Default false. */
  train?: boolean;
  /** What the progress line says. Default: "indexing docs-content". */
  label?: string;
}

/** `answerdesk --store <store> index <paths> --json` in a child; resolves with its time and JSON report. */
export async function buildStore(store: string, options: BuildOptions = {}): Promise<{ seconds: number; report?: IndexReport }> {
  const paths = options.paths ?? [path.join(repoRoot, 'docs-content')];
  const label = options.label ?? 'indexing docs-content';
  const started = performance.now();
  const ticker = setInterval(() => progress(`${label} (${((performance.now() - started) / 1000).toFixed(0)} s)`), 1000);
  progress(label);
  try {
    const child = spawn(process.execPath, [...nodeArgs, cliBin, '--store', store, 'index', ...paths, ...(options.train ? [] : ['--no-train']), '--json'], {
      cwd: repoRoot,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    const out: string[] = [];
    const err: string[] = [];
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) throw new Error(`answerdesk index exited with ${code}:\n${tail(err)}`);
    let report: IndexReport | undefined;
    try {
      report = JSON.parse(out.join('')) as IndexReport;
    } catch {
      report = undefined;
    }
    if (report?.errors?.length) process.stderr.write(`warning: indexing reported ${report.errors.length} errors\n`);
    return { seconds: (performance.now() - started) / 1000, ...(report ? { report } : {}) };
  } finally {
    clearInterval(ticker);
    progressDone();
  }
}

export interface ServeOptions {
  /** More `serve` options, e.g. `['--rate-limit', 'off']`. */
  args?: string[];
  /** The child's environment. Default: `childEnv()` (no API keys). */
  env?: NodeJS.ProcessEnv;
}

/** A running `answerdesk serve` child. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Its recent stdout and stderr. */
  log: string[];
}

/** Start `answerdesk --store <store> serve --port 0 --host 127.0.0.1 <args>` and resolve once it prints the port it listens on. */
export async function startServer(store: string, options: ServeOptions = {}): Promise<ServerProcess> {
  progress('starting the server');
  const child = spawn(process.execPath, [...nodeArgs, cliBin, '--store', store, 'serve', '--port', '0', '--host', '127.0.0.1', ...(options.args ?? [])], {
    cwd: repoRoot,
    env: options.env ?? childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const log: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the server did not print "listening on" within 120 s:\n${tail(log)}`)), 120_000);
    let listening = false;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log.push(chunk);
      if (log.length > 200) log.splice(0, log.length - 200);
      if (listening) return;
      seen += chunk;
      const match = /listening on https?:\/\/[^:\s]+:(\d+)/.exec(seen);
      if (match) {
        listening = true;
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // After a successful start this rejection is ignored; `serverAlive` reports it.
      reject(new Error(`the server exited (${signal ?? `code ${code}`}) before listening:\n${tail(log)}`));
    });
  });
  return { child, port, base: `http://127.0.0.1:${port}`, log };
}

/** Throws (with the server's last lines) if the server has exited. */
export function serverAlive(server: ServerProcess): void {
  if (!running(server.child)) {
    throw new Error(`the server is no longer running (${server.child.signalCode ?? `exit code ${server.child.exitCode}`}):\n${tail(server.log)}`);
  }
}

export interface Ready {
  ready: boolean;
  model: string;
  articles: number;
  sections: number;
  tickets: number;
  passages: number;
}

/** Poll `GET /v1/ready` until it answers 200 (up to 180 s); `headers` go with every poll. */
export async function waitReady(server: ServerProcess, headers: Record<string, string> = {}): Promise<{ ready: Ready; seconds: number }> {
  const started = performance.now();
  for (;;) {
    serverAlive(server);
    const seconds = (performance.now() - started) / 1000;
    progress(`loading the model and the index (${seconds.toFixed(0)} s)`);
    if (seconds > 180) throw new Error(`GET /v1/ready was not 200 after 180 s:\n${tail(server.log)}`);
    try {
      const response = await fetch(`${server.base}/v1/ready`, { headers });
      const body = await response.text();
      if (response.status === 200) {
        progressDone();
        return { ready: JSON.parse(body) as Ready, seconds };
      }
      if (response.status !== 503) throw new Error(`GET /v1/ready answered ${response.status}: ${body}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('GET /v1/ready')) throw error;
      // connection trouble while starting: try again
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The server's CPU time (s) and resident memory (MB) from /proc, where there is one. */
export async function serverUsage(server: ServerProcess | undefined): Promise<{ cpuSeconds: number; rssMb: number } | undefined> {
  const pid = server?.child.pid;
  if (!pid || process.platform !== 'linux') return undefined;
  try {
    const statLine = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15; clock ticks are 100/s on Linux.
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { cpuSeconds, rssMb: rssKb / 1024 };
  } catch {
    return undefined;
  }
}
