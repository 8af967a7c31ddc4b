import { setTimeout as sleep } from 'node:timers/promises';
import { hostPort, isLocalHost } from './addresses';
import { Dependency, probeNats, probePostgres, ProbeResult } from './dependency-check';
import { howToGet, MissingDependency } from './dependency-help';
import { dockerEngineAnswers, startInDocker } from './docker-deps';
import { say, shout, warn } from './terminal';

export interface DependencyAddresses {
  adminDatabaseUrl: string;
  natsUrl: string;
  startDepsInDocker: boolean;
  signal: AbortSignal;
}

/** A container needs a few seconds (Postgres runs initdb) before it answers. */
const CONTAINER_START_TIMEOUT_MS = 60_000;

function probe(dependency: Dependency, addresses: DependencyAddresses): Promise<ProbeResult> {
  return dependency === 'postgres' ? probePostgres(addresses.adminDatabaseUrl) : probeNats(addresses.natsUrl);
}

function addressOf(dependency: Dependency, addresses: DependencyAddresses): MissingDependency['address'] {
  return dependency === 'postgres'
    ? hostPort(addresses.adminDatabaseUrl, 5432)
    : hostPort(addresses.natsUrl.split(',')[0], 4222);
}

async function startContainers(missing: MissingDependency[], addresses: DependencyAddresses): Promise<boolean> {
  for (const { probe: failed, address } of missing) {
    say(`Starting ${failed.dependency} in Docker on 127.0.0.1:${address.port}…`);
    await startInDocker(failed.dependency, address.port);
  }
  const deadline = Date.now() + CONTAINER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const again = await Promise.all(missing.map(({ probe: failed }) => probe(failed.dependency, addresses)));
    if (again.every((result) => result.ok)) {
      return true;
    }
    await sleep(1000, undefined, { signal: addresses.signal });
  }
  return false;
}

/**
 * Checks PostgreSQL and NATS before anything starts: a service that can't reach them would only
 * retry and log, and the developer would have to work out why from the noise.
 */
export async function ensureDependencies(addresses: DependencyAddresses): Promise<void> {
  const results = await Promise.all([probe('postgres', addresses), probe('nats', addresses)]);
  for (const result of results) {
    if (result.ok) {
      say(`${result.detail} is up`);
    }
    result.warnings.forEach(warn);
  }
  const missing = results
    .filter((result) => !result.ok)
    .map((result) => ({ probe: result, address: addressOf(result.dependency, addresses) }));
  if (missing.length === 0) {
    return;
  }
  const dockerAnswers = await dockerEngineAnswers();
  const startable = missing.every(({ address }) => isLocalHost(address.host));
  if (addresses.startDepsInDocker && dockerAnswers && startable && (await startContainers(missing, addresses))) {
    say('Dependencies started in Docker.');
    return;
  }
  if (addresses.startDepsInDocker && !dockerAnswers) {
    shout('--start-deps-in-docker: no Docker engine answers `docker info` on this machine.');
  }
  missing.forEach((entry) => shout(howToGet(entry, dockerAnswers).join('\n')));
  throw new Error(`Cannot start without ${missing.map(({ probe: failed }) => failed.dependency).join(' and ')}`);
}
