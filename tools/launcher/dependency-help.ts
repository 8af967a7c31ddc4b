import { readdirSync } from 'node:fs';
import { BUS_IDENTITIES } from '../../libs/common/src/messaging/bus-policy';
import { HostPort, isLocalHost } from './addresses';
import { busVariablesOf } from './bus-options';
import { ProbeResult } from './dependency-check';
import { postgresDockerRunCommand } from './docker-deps';

/**
 * Says exactly what is missing or wrong and what to do, in commands that can be pasted: how to
 * start or install this machine's own servers (Debian packages) and, when a Docker engine answers,
 * how to run PostgreSQL in a container instead.
 */

const PASSWORD_VARIABLES = BUS_IDENTITIES.map((identity) => busVariablesOf(identity).password).join(', ');

function installedPostgresVersions(): string[] {
  try {
    return readdirSync('/etc/postgresql').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
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

export function postgresHelp(probe: ProbeResult, address: HostPort, dockerAnswers: boolean): string[] {
  const lines = [`PostgreSQL is not reachable at ${address.host}:${address.port} (${probe.detail})`];
  if (!isLocalHost(address.host)) {
    lines.push(
      '  That server is not on this machine: check it is up and reachable, or set DATABASE_URL or --database-url.',
    );
    return lines;
  }
  lines.push(...postgresLocalSteps().map((line) => `  ${line}`));
  lines.push(
    '  If it is running, check the user and password in the URL (tests and the launcher expect trust auth locally).',
  );
  if (dockerAnswers) {
    lines.push(`  Or in Docker: ${postgresDockerRunCommand(address.port)}`);
    lines.push('                (or re-run with --start-deps-in-docker to let the launcher do it)');
  }
  lines.push('  Elsewhere?    set DATABASE_URL or --database-url.');
  return lines;
}

/** An external bus (--nats-url) that doesn't answer, or refuses the credentials it was given. */
export function externalNatsHelp(probe: ProbeResult, address: HostPort, withCredentials: boolean): string[] {
  if (probe.refused) {
    return [
      `NATS ${probe.detail}`,
      withCredentials
        ? "  Check GATEWAY_NATS_USER / GATEWAY_NATS_PASSWORD (and the other identities') match the server's authorization."
        : `  That server requires credentials: set ${PASSWORD_VARIABLES} (and <IDENTITY>_NATS_USER where the user differs).`,
      '  Or leave out --nats-url / NATS_URL: npm start then runs a nats-server of its own.',
    ];
  }
  const lines = [`NATS is not reachable at ${address.host}:${address.port} (${probe.detail})`];
  lines.push(
    isLocalHost(address.host)
      ? '  Nothing answers there on this machine: start that server, or check the port.'
      : '  That server is not on this machine: check it is up and reachable.',
  );
  lines.push('  Or leave out --nats-url / NATS_URL: npm start then runs a nats-server of its own.');
  return lines;
}

/** The default path: the launcher runs nats-server itself, and there is none on this machine. */
export function ownNatsServerMissing(): string[] {
  return [
    'npm start runs a nats-server of its own (the same binary the tests need), and none is installed.',
    '  Install it:   apt-get install nats-server   (Debian/Ubuntu), or set NATS_SERVER_BIN to where it is',
    '  Or use yours: --nats-url nats://HOST:PORT (or NATS_URL), with <IDENTITY>_NATS_PASSWORD for gateway,',
    '                auth, catalog, orders and events if it checks credentials',
    '                (tools/launcher/README.md, "An external bus")',
  ];
}
