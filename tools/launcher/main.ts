/**
 * `npm start`: the whole of Bazaar on this machine with one command. Builds, checks PostgreSQL and
 * NATS (saying how to get whichever is missing), creates the service databases, starts every
 * replica in a migration-safe order, proves the system answers, prints where everything is, and
 * on Ctrl-C/SIGTERM stops it all gracefully. See tools/launcher/README.md.
 */
import { join, resolve } from 'node:path';
import { assertBuilt, runBuild } from './build-step';
import { LauncherOptions, parseOptions, UsageError } from './cli-options';
import { ensureServiceDatabases } from './databases';
import { ensureDependencies } from './ensure-dependencies';
import { assertPortsFree } from './ports';
import { listenForControl } from './control';
import { buildReadyPayload, printReady } from './ready-report';
import { BACKENDS, envPrefix, GATEWAY, SERVICE_NAMES } from './services';
import { startSystem } from './start-system';
import { Supervisor } from './supervisor';
import { print, say, shout, warn } from './terminal';
import { USAGE } from './usage';
import { verifySystem } from './verify-system';

const ROOT_DIR = resolve(__dirname, '..', '..');
const LOCAL_DIR = join(ROOT_DIR, '.local');
/**
 * npm, tsx and `timeout` may relay a signal the process group already delivered: a repeat this
 * soon is the same request. A person's second Ctrl-C (later) means "stop waiting, kill".
 */
const DUPLICATE_SIGNAL_MS = 1000;

function prefixWidth(options: LauncherOptions): number {
  return Math.max(...SERVICE_NAMES.map((name) => `${name}-${options.scale[name] - 1}`.length));
}

async function launch(options: LauncherOptions, supervisor: Supervisor, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  await ensureDependencies({ ...options, signal });
  await assertPortsFree([
    { port: options.gatewayPort, what: 'gateway', setting: '--port or PORT' },
    ...BACKENDS.map(({ name }) => ({
      port: options.opsPorts[name],
      what: `${name} ops`,
      setting: `--ops-port ${name}=PORT or ${envPrefix(name)}_OPS_PORT`,
    })),
  ]);
  // After the quick checks: nobody should wait out a 40 s build to learn that NATS is down.
  if (options.build) {
    await runBuild(ROOT_DIR, signal);
  }
  assertBuilt(ROOT_DIR, [GATEWAY.main, ...BACKENDS.map((definition) => definition.main)]);
  await ensureServiceDatabases(options.databaseUrls);
  const counts = SERVICE_NAMES.map((name) => `${name}×${options.scale[name]}`).join(', ');
  say(`Starting ${counts}…`);
  const system = await startSystem({
    options,
    rootDir: ROOT_DIR,
    localDir: LOCAL_DIR,
    supervisor,
    output: { raw: options.rawLogs, prefixWidth: prefixWidth(options) },
    signal,
  });
  say('Every replica is ready; checking each one answers over NATS…');
  const report = await verifySystem({
    natsUrl: options.natsUrl,
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
  printReady(
    buildReadyPayload(supervisor.all, options.gatewayPort, options.natsUrl, Date.now() - started),
    report.silent,
  );
  if (options.controlStdin) {
    listenForControl(process.stdin, system);
  }
}

function run(argv: string[]): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    print(USAGE);
    return;
  }
  let options: LauncherOptions;
  try {
    options = parseOptions(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      shout(`${error.message} (see npm start -- --help)`);
      process.exit(2);
    }
    throw error;
  }

  const shutdown = new AbortController();
  let finishing = false;
  // Every way out goes through here: stop the replicas (bounded), then exit with `code`.
  const finish = (code: number, afterGroupSignal: boolean): void => {
    if (finishing) {
      return;
    }
    finishing = true;
    shutdown.abort();
    supervisor
      .stop(afterGroupSignal)
      .then(() => process.exit(code))
      .catch((error: unknown) => {
        shout(`Stopping failed: ${String(error)}`);
        process.exit(1);
      });
  };
  const supervisor = new Supervisor({
    shutdownGraceMs: options.shutdownGraceMs,
    exitOnCrash: options.exitOnCrash,
    onGiveUp: (reason) => {
      shout(`${reason}: stopping`);
      finish(1, false);
    },
  });

  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstSignalAt === 0) {
      firstSignalAt = Date.now();
      say(`${signal} received: stopping (replicas drain for up to ${options.shutdownGraceMs} ms)`);
      finish(0, true);
    } else if (Date.now() - firstSignalAt > DUPLICATE_SIGNAL_MS) {
      warn(`Second ${signal}: killing every replica now`);
      supervisor.killAll();
      process.exit(1);
    }
  };
  (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).forEach((signal) => process.on(signal, onSignal));
  // A launcher bug must not leave replicas running without their supervisor.
  process.on('uncaughtException', (error) => {
    shout(`Launcher error: ${error.stack ?? String(error)}`);
    finish(1, false);
  });

  launch(options, supervisor, shutdown.signal).catch((error: unknown) => {
    if (shutdown.signal.aborted) {
      return; // Stopping on request: the start-up step it interrupted doesn't matter.
    }
    shout(error instanceof Error ? error.message : String(error));
    finish(1, false);
  });
}

run(process.argv.slice(2));
