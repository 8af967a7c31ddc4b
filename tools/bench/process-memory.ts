import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** Resident set size now, in MiB (VmRSS). */
  rssMib: number;
  /** Peak resident set size since the process started, in MiB (VmHWM). */
  peakMib: number;
}

function field(status: string, name: string): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
}

/**
 * Read from /proc/<pid>/status rather than `process.memoryUsage()` inside the process: it needs no
 * cooperation from the app, and it is what the kernel (and a container limit) counts.
 * Undefined when the process is gone or /proc isn't there (not Linux).
 */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = field(status, 'VmRSS');
    const peak = field(status, 'VmHWM');
    return rss === undefined || peak === undefined ? undefined : { rssMib: rss, peakMib: peak };
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
