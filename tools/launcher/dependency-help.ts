import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { HostPort, isLocalHost } from './addresses';
import { Dependency, ProbeResult } from './dependency-check';
import { dockerRunCommand } from './docker-deps';

/**
 * Says exactly what is missing and how to get it, in commands that can be pasted: the ones that
 * start this machine's own servers (Debian packages), how to install them, and, when a Docker
 * engine answers, how to run them in containers instead.
 */

export interface MissingDependency {
  probe: ProbeResult;
  address: HostPort;
}

const TITLES: Record<Dependency, string> = { postgres: 'PostgreSQL', nats: 'NATS' };
const SETTINGS: Record<Dependency, string> = {
  postgres: 'DATABASE_URL or --database-url',
  nats: 'NATS_URL or --nats-url',
};

function installedPostgresVersions(): string[] {
  try {
    return readdirSync('/etc/postgresql').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
}

function natsServerBinary(): string | undefined {
  const known = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'].find((p) =>
    existsSync(p),
  );
  if (known) {
    return known;
  }
  const which = spawnSync('which', ['nats-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

function postgresLocalSteps(): string[] {
  const versions = installedPostgresVersions();
  if (versions.length === 0) {
    return [
      'Install it:   apt-get install postgresql',
      'Start it:     pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    ];
  }
  return versions.map((version) => `Start it:     pg_ctlcluster --skip-systemctl-redirect ${version} main start`);
}

function natsLocalSteps(port: number): string[] {
  const binary = natsServerBinary();
  const start = (path: string): string =>
    `start-stop-daemon --start --oknodo --background --exec ${path} -- -a 127.0.0.1 -p ${port} -js ` +
    '-sd /var/lib/nats-server -l /var/log/nats-server.log';
  if (!binary) {
    return ['Install it:   apt-get install nats-server', `Start it:     ${start('/usr/sbin/nats-server')}`];
  }
  return [`Start it:     ${start(binary)}`];
}

export function howToGet(missing: MissingDependency, dockerAnswers: boolean): string[] {
  const { probe, address } = missing;
  const dependency = probe.dependency;
  const lines = [`${TITLES[dependency]} is not reachable at ${address.host}:${address.port} (${probe.detail})`];
  if (!isLocalHost(address.host)) {
    lines.push(`  That server is not on this machine: check it is up and reachable, or set ${SETTINGS[dependency]}.`);
    return lines;
  }
  const local = dependency === 'postgres' ? postgresLocalSteps() : natsLocalSteps(address.port);
  lines.push(...local.map((line) => `  ${line}`));
  if (dependency === 'postgres') {
    lines.push(
      '  If it is running, check the user and password in the URL (tests and the launcher expect trust auth locally).',
    );
  }
  if (dockerAnswers) {
    lines.push(`  Or in Docker: ${dockerRunCommand(dependency, address.port)}`);
    lines.push('                (or re-run with --start-deps-in-docker to let the launcher do it)');
  }
  lines.push(`  Elsewhere?    set ${SETTINGS[dependency]}.`);
  return lines;
}
