import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where one process spent its CPU, from a V8 .cpuprofile (node --cpu-prof). */
export interface ProfileSummary {
  process: string;
  file: string;
  /** Sampled time not idle, in ms. */
  busyMs: number;
  /** Top functions by self time: `name (file:line)`, ms and share of busy time. */
  functions: Array<{ name: string; selfMs: number; share: number }>;
  /** Self time grouped by where the code lives: a package, node internals, GC, the app itself. */
  origins: Array<{ origin: string; selfMs: number; share: number }>;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** CLOCK_MONOTONIC µs, as V8 stamps the samples and run-load.ts stamps the measured runs. */
export interface TimeWindow {
  startUs: number;
  endUs: number;
}

const TOP = 20;

/** `@nestjs/core`, `pg`, `node:internal`, `app`, `(garbage collector)`… */
function originOf(url: string, functionName: string): string {
  if (!url) {
    return functionName.startsWith('(') ? functionName : '(native)';
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) {
    return modules[1];
  }
  if (url.startsWith('node:')) {
    return 'node (internals)';
  }
  const app = /dist\/apps\/[^/]+\/(apps\/[^/]+|libs\/common)/.exec(url);
  return app ? app[1] : url;
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/dist\/apps\/[^/]+\//, '');
}

/**
 * Self time per function and per origin, counting only the samples inside `windows` (the measured
 * runs): start-up (module loading and compiling dominate a whole-life profile), seeding, warm-ups
 * and shutdown are left out. Idle samples are never counted.
 */
export function summariseProfile(file: string, processName: string, windows: TimeWindow[]): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfUs = new Map<string, number>();
  const originUs = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    const frame = byId.get(nodeId);
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (!frame || frame.functionName === '(idle)' || !windows.some((w) => at >= w.startUs && at <= w.endUs)) {
      return;
    }
    busyUs += delta;
    const name = `${frame.functionName || '(anonymous)'}${frame.url ? ` (${shortUrl(frame.url)}:${frame.lineNumber + 1})` : ''}`;
    selfUs.set(name, (selfUs.get(name) ?? 0) + delta);
    const origin = originOf(frame.url, frame.functionName);
    originUs.set(origin, (originUs.get(origin) ?? 0) + delta);
  });
  const rank = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([key, us]) => ({ key, selfMs: us / 1000, share: busyUs === 0 ? 0 : us / busyUs }));
  return {
    process: processName,
    file,
    busyMs: busyUs / 1000,
    functions: rank(selfUs).map(({ key, selfMs, share }) => ({ name: key, selfMs, share })),
    origins: rank(originUs).map(({ key, selfMs, share }) => ({ origin: key, selfMs, share })),
  };
}

/** Every profile in `dir`, named by the replica whose pid is in the file name (CPU.<date>.<time>.<pid>.…). */
export function summariseProfiles(
  dir: string,
  processNames: Map<number, string>,
  windows: TimeWindow[],
): ProfileSummary[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile'))
    .map((file) => {
      const pid = Number(file.split('.')[3]);
      return summariseProfile(join(dir, file), processNames.get(pid) ?? `pid ${pid}`, windows);
    })
    .sort((a, b) => a.process.localeCompare(b.process));
}
