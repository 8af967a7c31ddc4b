import { assertBuilt, runBuild } from './build-step';
import { BusAccess, externalBusAccess } from './bus-access';
import { LauncherOptions } from './cli-options';
import { ensureServiceDatabases } from './databases';
import { probeNats } from './dependency-check';
import { ensureDependencies } from './ensure-dependencies';
import { listenForControl } from './control';
import { OwnNatsServer } from './own-nats';
import { assertPortsFree } from './ports';
import { buildReadyPayload, printReady } from './ready-report';
import { BACKENDS, envPrefix, GATEWAY, SERVICE_NAMES } from './services';
import { startSystem } from './start-system';
import { Supervisor } from './supervisor';
import { say, warn } from './terminal';
import { verifySystem } from './verify-system';

export interface LaunchSettings {
  options: LauncherOptions;
  rootDir: string;
  /** Where generated secrets and the own NATS's files are kept (.local/ by default). */
  stateDir: string;
  supervisor: Supervisor;
  /** Set unless the bus is external (--nats-url / NATS_URL). */
  ownNats: OwnNatsServer | undefined;
  signal: AbortSignal;
}

function prefixWidth(options: LauncherOptions): number {
  return Math.max(...SERVICE_NAMES.map((name) => `${name}-${options.scale[name] - 1}`.length));
}

function portsToCheck(options: LauncherOptions): Array<{ port: number; what: string; setting: string }> {
  return [
    { port: options.gatewayPort, what: 'gateway', setting: '--port or PORT' },
    ...BACKENDS.map(({ name }) => ({
      port: options.opsPorts[name],
      what: `${name} ops`,
      setting: `--ops-port ${name}=PORT or ${envPrefix(name)}_OPS_PORT`,
    })),
    ...(options.bus.kind === 'own'
      ? [{ port: options.bus.port, what: 'own nats-server', setting: '--nats-port or LAUNCHER_NATS_PORT' }]
      : []),
  ];
}

/** The own server, started and proven to accept the gateway's credentials; or the external bus as given. */
async function openBus(settings: LaunchSettings): Promise<BusAccess> {
  const { options, ownNats } = settings;
  if (options.bus.kind === 'external') {
    return externalBusAccess(options.bus);
  }
  const bus = await ownNats!.start();
  const probe = await probeNats(bus);
  if (!probe.ok) {
    throw new Error(`The own nats-server does not accept the launcher: ${probe.detail} (log: ${ownNats!.files.log})`);
  }
  say(`${probe.detail} started on ${bus.url} (pid ${bus.own!.pid}, every identity authenticates)`);
  return bus;
}

/**
 * The steps of `npm start`, in order: dependencies, ports, the bus, build, databases, replicas,
 * verification, the ready report. Stopping is main.ts's (signals, crashes, exit codes).
 */
export async function launch(settings: LaunchSettings): Promise<void> {
  const { options, supervisor, signal } = settings;
  const started = Date.now();
  await ensureDependencies({ ...options, signal });
  // A server left behind by a launcher killed with SIGKILL still holds the port: stop it first.
  await settings.ownNats?.clearStale();
  await assertPortsFree(portsToCheck(options));
  const bus = await openBus(settings);
  // After the quick checks: nobody should wait out a 40 s build to learn that NATS is down.
  if (options.build) {
    await runBuild(settings.rootDir, signal);
  }
  assertBuilt(settings.rootDir, [GATEWAY.main, ...BACKENDS.map((definition) => definition.main)]);
  await ensureServiceDatabases(options.databaseUrls);
  say(`Starting ${SERVICE_NAMES.map((name) => `${name}×${options.scale[name]}`).join(', ')}…`);
  const system = await startSystem({
    options,
    bus,
    rootDir: settings.rootDir,
    localDir: settings.stateDir,
    supervisor,
    output: { raw: options.rawLogs, prefixWidth: prefixWidth(options) },
    signal,
  });
  say('Every replica is ready; checking each one answers over NATS…');
  const report = await verifySystem({
    bus,
    targets: BACKENDS.map((definition) => ({
      service: definition.name,
      subject: definition.pingSubject,
      replicaIds: supervisor.all.filter((r) => r.service === definition.name).map((r) => r.id),
    })),
    gatewayReadyUrl: `http://127.0.0.1:${options.gatewayPort}/health/ready`,
    signal,
  });
  const dead = supervisor.all.filter((replica) => !replica.alive);
  if (dead.length > 0) {
    throw new Error(`Died during start-up: ${dead.map((replica) => replica.id).join(', ')} (see their logs above)`);
  }
  supervisor.markLaunched();
  if (report.silent.length > 0) {
    warn(`Ready over HTTP but silent over NATS so far: ${report.silent.join(', ')}`);
  }
  printReady(buildReadyPayload(supervisor.all, options.gatewayPort, bus, Date.now() - started), report.silent);
  if (options.controlStdin) {
    listenForControl(process.stdin, system);
  }
}
