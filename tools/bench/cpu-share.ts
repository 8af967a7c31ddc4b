import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Client } from 'pg';

/**
 * How much of the machine's CPU went to *other* work while a line was measured: everything busy
 * on the machine (/proc/stat, steal included: time the hypervisor gave someone else) minus the
 * bench's own processes (load generator, stack, reference helper, nats-server) and the Postgres
 * backends serving the bench's databases. On a shared 2-core box this says whether a figure was
 * taken on a quiet machine or next to someone's test run: 0.1 is quiet, 1.0 is half the machine.
 */
export interface OtherCpu {
  /** Cores' worth of CPU used by others on average over the window (of `cores`). */
  otherCores: number;
  /** Cores' worth used by the bench and the stack (load generator included). */
  benchCores: number;
  cores: number;
  /** CPU ms each process the bench started (the stack, helpers) used in the window, by pid. */
  msByPid: Record<string, number>;
  /** CPU ms of the bench's own process: the load generator. */
  loadGeneratorMs: number;
  /** CPU ms of the Postgres backends serving the bench's databases, together. */
  postgresMs: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux whatever the kernel's HZ

function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return user + nice + system + irq + softirq + (steal ?? 0);
}

/** Fields after the command name (which may hold spaces or parentheses): index 0 is field 3 of the line. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function processTicks(pid: number): number {
  const fields = statFields(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) : 0; // utime + stime (fields 14, 15)
}

/** The bench and every process it started, however deep (launcher → replicas, helpers, nats-server). */
function benchProcesses(): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    const fields = Number.isInteger(pid) ? statFields(pid) : undefined;
    if (fields) {
      parents.set(pid, Number(fields[1])); // ppid (field 4)
    }
  }
  const ours = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!ours.has(pid) && ours.has(parent)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  return [...ours];
}

async function postgresBackends(adminUrl: string, databasePattern: string): Promise<number[]> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname LIKE $1 AND pid <> pg_backend_pid()',
      [databasePattern],
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

export interface CpuMeter {
  /** Starts a window; the returned function ends it (call it while the measured processes still run). */
  start(): Promise<() => Promise<OtherCpu>>;
}

/**
 * Linux only: elsewhere (no /proc) the meter is undefined and reports nothing rather than guess.
 * `databasePattern` (LIKE) names the databases whose Postgres backends count as the bench's.
 */
export function cpuMeter(adminUrl: string, databasePattern: string): CpuMeter | undefined {
  try {
    machineBusyTicks();
  } catch {
    return undefined;
  }
  const backends = () => postgresBackends(adminUrl, databasePattern);
  return {
    start: async () => {
      const backendsAtStart = await backends();
      const atStart = new Map([...benchProcesses(), ...backendsAtStart].map((pid) => [pid, processTicks(pid)]));
      const started = Date.now();
      const machineAtStart = machineBusyTicks();
      return async () => {
        const machine = machineBusyTicks() - machineAtStart;
        const seconds = (Date.now() - started) / 1000;
        const processes = benchProcesses();
        const postgres = new Set([...backendsAtStart, ...(await backends())]);
        // Processes started during the window (a reference helper) count from 0.
        const used = (pid: number) => Math.max(0, processTicks(pid) - (atStart.get(pid) ?? 0));
        const sum = (pids: Iterable<number>) => [...pids].reduce((total, pid) => total + used(pid), 0);
        const own = sum(new Set([...atStart.keys(), ...processes, ...postgres]));
        const perCore = TICKS_PER_SECOND * seconds;
        const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
        return {
          otherCores: Math.max(0, machine - own) / perCore,
          benchCores: own / perCore,
          cores: cpus().length,
          msByPid: Object.fromEntries(processes.map((pid) => [String(pid), ms(used(pid))])),
          loadGeneratorMs: ms(used(process.pid)),
          postgresMs: ms(sum(postgres)),
        };
      };
    },
  };
}
