/**
 * What every measurement records besides its own numbers: wall time, resident
 * memory (sampled from a worker thread, so samples keep coming while the main
 * thread is busy in a long synchronous step such as the HNSW inserts), CPU
 * time of this process vs the whole machine (to tell whether something else
 * was running), load averages, and sizes on disk.
 */
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads');
const started = Date.now();
let peak = process.memoryUsage.rss();
let samples = 1;
const timeline = [[0, peak]];
let lastKept = 0;
const timer = setInterval(() => {
  const rss = process.memoryUsage.rss();
  samples++;
  if (rss > peak) peak = rss;
  const at = Date.now() - started;
  if (at - lastKept >= workerData.keepEveryMs) { timeline.push([at, rss]); lastKept = at; }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
  timeline.push([Date.now() - started, rss]);
  parentPort.postMessage({ peakBytes: peak, samples, timeline });
});
`;

export interface RssReport {
  /** Highest resident set size seen, bytes (whole process: main thread, workers, native memory). */
  peakBytes: number;
  samples: number;
  /** [ms since start, bytes], one kept every few seconds, for memory-growth plots. */
  timeline: Array<[number, number]>;
}

/** Samples `process.memoryUsage.rss()` every `everyMs` in a worker thread until `stop()`. */
export class RssSampler {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;

  constructor(everyMs = 250, keepEveryMs = 2000) {
    this.worker = new Worker(SAMPLER, { eval: true, workerData: { everyMs, keepEveryMs }, execArgv: [] });
    this.ready = new Promise((resolve) => this.worker.once('online', () => resolve()));
  }

  /** Resolves once the sampler runs (so the first samples are not lost to thread start-up). */
  started(): Promise<void> {
    return this.ready;
  }

  async stop(): Promise<RssReport> {
    const report = new Promise<RssReport>((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
    });
    this.worker.postMessage('stop');
    const result = await report;
    await this.worker.terminate();
    return result;
  }
}

/** Busy CPU milliseconds of the whole machine so far (all cores). */
function machineBusyMs(): number {
  let busy = 0;
  for (const cpu of os.cpus()) busy += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq;
  return busy;
}

export interface CpuReport {
  /** CPU seconds of this process (all its threads) during the measurement. */
  processS: number;
  /** CPU seconds of the whole machine during the measurement. */
  machineS: number;
  /** Average number of cores kept busy by other processes (machine − this process) / wall. */
  otherCores: number;
  /** 1-minute load average when the measurement started and ended. */
  loadStart: number;
  loadEnd: number;
}

/** Starts CPU accounting; call the returned function when the measurement ends. */
export function cpuWatch(): () => CpuReport {
  const wallStart = performance.now();
  const processStart = process.cpuUsage();
  const machineStart = machineBusyMs();
  const loadStart = os.loadavg()[0]!;
  return () => {
    const wallS = (performance.now() - wallStart) / 1000;
    const own = process.cpuUsage(processStart);
    const processS = (own.user + own.system) / 1e6;
    const machineS = (machineBusyMs() - machineStart) / 1000;
    return { processS, machineS, otherCores: Math.max(0, (machineS - processS) / Math.max(wallS, 1e-3)), loadStart, loadEnd: os.loadavg()[0]! };
  };
}

/** Sum of the sizes of every file under `dir`, bytes. */
export async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await dirSize(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

/** Sizes of the files of the store's current snapshot and its logs, by name (for the JSON). */
export async function storeFiles(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const walk = async (current: string, prefix: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full, `${prefix}${entry.name}/`);
      else if (entry.isFile()) out[`${prefix}${entry.name}`] = (await stat(full)).size;
    }
  };
  await walk(dir, '');
  return out;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage: { start: number[]; end?: number[] };
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()} ${os.release()}`,
    loadAverage: { start: os.loadavg().map((v) => +v.toFixed(2)) },
  };
}

/** Peak RSS of this process since it started, bytes (`process.resourceUsage().maxRSS` is in KiB). */
export const maxRssBytes = (): number => process.resourceUsage().maxRSS * 1024;

export const mib = (bytes: number): number => bytes / 2 ** 20;
