import { setTimeout as sleep } from 'node:timers/promises';
import { ReadyReplica } from '../launcher/ready-report';
import type { ChaosStack } from './chaos-stack';
import { ServiceName, waitForExit } from './replica-set';

/** When the fault was injected and when it ended (the moment recovery is measured from). */
export interface FaultOutcome {
  injectedAt: number;
  endedAt: number;
  notes: string[];
}

export interface FaultContext {
  stack: ChaosStack;
  quick: boolean;
  log(message: string): void;
}

export interface Fault {
  id: string;
  title: string;
  /** SIGTERM and rolling restarts: the graceful path, where no request may fail at all. */
  graceful: boolean;
  /**
   * The process holding the clients' connections is killed (a gateway worker): their requests in
   * flight there get a reset connection, which no server can answer. Nowhere else is that allowed.
   */
  connectionFailuresExpected: boolean;
  /**
   * An orders replica may die or freeze holding recovery claims: docs/orders-saga.md allows one more
   * lease and round on top of the recovery bound for the orders it held.
   */
  claimantMayStall?: boolean;
  run(context: FaultContext): Promise<FaultOutcome>;
}

const DRAIN_BOUND_MARGIN_MS = 7000;

function oldest(stack: ChaosStack, service: ServiceName): ReadyReplica {
  const [replica] = stack.replicas.of(service);
  if (!replica) {
    throw new Error(`No live ${service} replica to inject a fault into`);
  }
  return replica;
}

/** SIGTERM, then wait for the drain to finish: the replica must exit on its own within its grace period. */
async function stopGracefully(context: FaultContext, replica: ReadyReplica, notes: string[]): Promise<void> {
  const started = Date.now();
  process.kill(replica.pid, 'SIGTERM');
  const bound = context.stack.settings.shutdownGraceMs + DRAIN_BOUND_MARGIN_MS;
  if (!(await waitForExit(replica.pid, bound))) {
    notes.push(`${replica.id} still running ${bound} ms after SIGTERM: killed`);
    process.kill(replica.pid, 'SIGKILL');
    await waitForExit(replica.pid, 5000);
  } else {
    notes.push(`${replica.id} drained and exited in ${Date.now() - started} ms`);
  }
  context.stack.replicas.forget(replica);
}

async function replace(context: FaultContext, service: ServiceName, notes: string[]): Promise<void> {
  const started = Date.now();
  const replacement = await context.stack.spawn(service);
  notes.push(`replaced by ${replacement.id} (ready in ${Date.now() - started} ms)`);
}

function kill(service: ServiceName): Fault {
  return {
    id: `kill-${service}`,
    title: `kill -9 one ${service} replica, then start a replacement`,
    graceful: false,
    connectionFailuresExpected: service === 'gateway',
    claimantMayStall: service === 'orders',
    async run(context) {
      const victim = oldest(context.stack, service);
      const notes = [`killed ${victim.id} (pid ${victim.pid})`];
      const injectedAt = Date.now();
      process.kill(victim.pid, 'SIGKILL');
      await waitForExit(victim.pid, 5000);
      context.stack.replicas.forget(victim);
      await replace(context, service, notes);
      return { injectedAt, endedAt: injectedAt, notes };
    },
  };
}

function terminate(service: ServiceName): Fault {
  return {
    id: `sigterm-${service}`,
    title: `SIGTERM one ${service} replica (graceful), then start a replacement`,
    graceful: true,
    connectionFailuresExpected: false,
    async run(context) {
      const victim = oldest(context.stack, service);
      const notes: string[] = [];
      const injectedAt = Date.now();
      await stopGracefully(context, victim, notes);
      const endedAt = Date.now();
      await replace(context, service, notes);
      return { injectedAt, endedAt, notes };
    },
  };
}

const freeze: Fault = {
  id: 'sigstop-orders',
  title: 'SIGSTOP one orders replica (frozen, not dead), then SIGCONT',
  graceful: false,
  connectionFailuresExpected: false,
  claimantMayStall: true,
  async run(context) {
    const victim = oldest(context.stack, 'orders');
    const frozenMs = context.quick ? 8000 : 15_000;
    const injectedAt = Date.now();
    process.kill(victim.pid, 'SIGSTOP');
    await sleep(frozenMs);
    process.kill(victim.pid, 'SIGCONT');
    return { injectedAt, endedAt: Date.now(), notes: [`froze ${victim.id} for ${frozenMs} ms`] };
  },
};

function natsOutage(seconds: number): Fault {
  return {
    id: `nats-${seconds}s`,
    title: `NATS stopped for ${seconds} s, then started again (same port, same JetStream store)`,
    graceful: false,
    connectionFailuresExpected: false,
    async run(context) {
      const injectedAt = Date.now();
      // An orderly stop (a restart, as an operator or a rollout does it): JetStream flushes its store.
      await context.stack.nats.stop('SIGTERM');
      await sleep(seconds * 1000);
      await context.stack.nats.start();
      return { injectedAt, endedAt: Date.now(), notes: [] };
    },
  };
}

const catalogDatabaseCut: Fault = {
  id: 'catalog-db-cut',
  title: 'catalog database unreachable (TCP proxy cut: connections dropped, new ones refused), then back',
  graceful: false,
  connectionFailuresExpected: false,
  async run(context) {
    const cutMs = context.quick ? 10_000 : 30_000;
    const proxy = context.stack.proxy('catalog');
    const injectedAt = Date.now();
    await proxy.cut();
    await sleep(cutMs);
    await proxy.restore();
    return { injectedAt, endedAt: Date.now(), notes: [`cut for ${cutMs} ms`] };
  },
};

function databaseLatency(backend: 'catalog' | 'orders'): Fault {
  return {
    id: `${backend}-db-latency`,
    title: `200 ms added to every round trip between ${backend} and its database (100 ms each way)`,
    graceful: false,
    connectionFailuresExpected: false,
    async run(context) {
      const slowMs = context.quick ? 8000 : 20_000;
      const proxy = context.stack.proxy(backend);
      const injectedAt = Date.now();
      proxy.setLatency(100);
      await sleep(slowMs);
      proxy.setLatency(0);
      return { injectedAt, endedAt: Date.now(), notes: [`slowed for ${slowMs} ms`] };
    },
  };
}

/** Every replica of every service, one at a time: a new one ready, then the old one SIGTERM (a rollout). */
const rollingRestart: Fault = {
  id: 'rolling-restart',
  title: 'rolling restart of every replica of every service (new one ready, then old one SIGTERM)',
  graceful: true,
  connectionFailuresExpected: false,
  async run(context) {
    const notes: string[] = [];
    const injectedAt = Date.now();
    for (const service of ['auth', 'catalog', 'orders', 'gateway'] as const) {
      for (const old of context.stack.replicas.of(service)) {
        await replace(context, service, notes);
        await stopGracefully(context, old, notes);
      }
    }
    return { injectedAt, endedAt: Date.now(), notes };
  },
};

export const FAULTS: readonly Fault[] = [
  ...(['gateway', 'auth', 'catalog', 'orders'] as const).map(kill),
  freeze,
  ...(['gateway', 'auth', 'catalog', 'orders'] as const).map(terminate),
  natsOutage(5),
  natsOutage(60),
  catalogDatabaseCut,
  databaseLatency('catalog'),
  databaseLatency('orders'),
  rollingRestart,
];

export const FAULT_IDS: readonly string[] = FAULTS.map((fault) => fault.id);
export const QUICK_FAULT_IDS: readonly string[] = FAULT_IDS.filter((id) => id !== 'nats-60s');

export function faultById(id: string): Fault {
  const fault = FAULTS.find((candidate) => candidate.id === id);
  if (!fault) {
    throw new Error(`Unknown fault ${id}`);
  }
  return fault;
}
