import os from 'node:os';

/** What a benchmark ran on, recorded with its results. Load average at the start and the end: timings only compare between runs on an otherwise idle machine. */
export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage1m: { start: number; end: number };
}

/** The machine now, with the 1-minute load average taken when the run started. */
export function machineInfo(loadAtStart: number): Machine {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage1m: { start: loadAtStart, end: os.loadavg()[0]! },
  };
}
