import { setTimeout as sleep } from 'node:timers/promises';
import { findNatsServerBinary } from '../nats/local-nats-server';
import { hostPort, isLocalHost } from './addresses';
import { externalBusAccess } from './bus-access';
import { BusOptions } from './bus-options';
import { probeNats, probePostgres } from './dependency-check';
import { externalNatsHelp, ownNatsServerMissing, postgresHelp } from './dependency-help';
import { dockerEngineAnswers, startPostgresInDocker } from './docker-deps';
import { say, shout, warn } from './terminal';

export interface DependencySettings {
  adminDatabaseUrl: string;
  bus: BusOptions;
  startDepsInDocker: boolean;
  signal: AbortSignal;
}

/** What can't be used, in a few words, and the lines that say what to do about it. */
interface Problem {
  what: string;
  help: string[];
}

/** A container needs a few seconds (Postgres runs initdb) before it answers. */
const CONTAINER_START_TIMEOUT_MS = 60_000;

async function startPostgresContainer(settings: DependencySettings, port: number): Promise<boolean> {
  say(`Starting PostgreSQL in Docker on 127.0.0.1:${port}…`);
  await startPostgresInDocker(port);
  const deadline = Date.now() + CONTAINER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if ((await probePostgres(settings.adminDatabaseUrl)).ok) {
      say('PostgreSQL started in Docker.');
      return true;
    }
    await sleep(1000, undefined, { signal: settings.signal });
  }
  return false;
}

async function checkPostgres(settings: DependencySettings): Promise<Problem | undefined> {
  const result = await probePostgres(settings.adminDatabaseUrl);
  if (result.ok) {
    say(`${result.detail} is up`);
    return undefined;
  }
  const address = hostPort(settings.adminDatabaseUrl, 5432);
  const dockerAnswers = await dockerEngineAnswers();
  if (settings.startDepsInDocker && !dockerAnswers) {
    shout('--start-deps-in-docker: no Docker engine answers `docker info` on this machine.');
  }
  if (settings.startDepsInDocker && dockerAnswers && isLocalHost(address.host)) {
    if (await startPostgresContainer(settings, address.port)) {
      return undefined;
    }
  }
  return { what: 'PostgreSQL is unreachable', help: postgresHelp(result, address, dockerAnswers) };
}

async function checkNats(bus: BusOptions): Promise<Problem | undefined> {
  if (bus.kind === 'own') {
    // Started later (own-nats.ts), once the ports are known to be free; only the binary is checked here.
    return findNatsServerBinary() ? undefined : { what: 'nats-server is not installed', help: ownNatsServerMissing() };
  }
  if (!bus.credentials) {
    warn(
      `Connecting to ${bus.url} without credentials: on an open bus anyone who reaches it can act as any ` +
        'service (tools/launcher/README.md, "An external bus").',
    );
  }
  const result = await probeNats(externalBusAccess(bus));
  if (result.ok) {
    say(`${result.detail} is up at ${bus.url}`);
    result.warnings.forEach(warn);
    return undefined;
  }
  const help = externalNatsHelp(result, hostPort(bus.url.split(',')[0], 4222), bus.credentials !== undefined);
  return { what: result.refused ? 'NATS refuses the credentials' : 'NATS is unreachable', help };
}

/**
 * Checks PostgreSQL and the bus before anything starts: a service that can't reach them would
 * only retry and log, and the developer would have to work out why from the noise.
 */
export async function ensureDependencies(settings: DependencySettings): Promise<void> {
  const results = await Promise.all([checkPostgres(settings), checkNats(settings.bus)]);
  const problems = results.filter((problem): problem is Problem => problem !== undefined);
  if (problems.length === 0) {
    return;
  }
  problems.forEach((problem) => shout(problem.help.join('\n')));
  throw new Error(`Cannot start: ${problems.map((problem) => problem.what).join('; ')}`);
}
