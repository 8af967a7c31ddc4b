/**
 * `npm start`: the whole of Bazaar on this machine with one command. Checks PostgreSQL, starts its
 * own authenticated nats-server (or checks the bus it is given), saying how to get whatever is
 * missing; builds, creates the service databases, starts every replica in a migration-safe order,
 * proves the system answers, prints where everything is, and on Ctrl-C/SIGTERM stops it all
 * gracefully, the bus last. See tools/launcher/README.md.
 */
import { join, resolve } from 'node:path';
import { scrubBusSecrets } from './bus-options';
import { LauncherOptions, parseOptions, UsageError } from './cli-options';
import { launch } from './launch';
import { OwnNatsServer } from './own-nats';
import { Supervisor } from './supervisor';
import { print, say, shout, warn } from './terminal';
import { USAGE } from './usage';

const ROOT_DIR = resolve(__dirname, '..', '..');
/** Git-ignored: the JWT key, the admin password and the own NATS's credentials and store live here. */
const DEFAULT_STATE_DIR = join(ROOT_DIR, '.local');
/**
 * npm, tsx and `timeout` may relay a signal the process group already delivered: a repeat this
 * soon is the same request. A person's second Ctrl-C (later) means "stop waiting, kill".
 */
const DUPLICATE_SIGNAL_MS = 1000;

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
  // Read once: from here on each replica gets its own identity's password, and only that.
  scrubBusSecrets(process.env);
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;

  const shutdown = new AbortController();
  let finishing = false;
  // Every way out goes through here: stop the replicas (bounded), then the own bus they drained through, then exit.
  const finish = (code: number, afterGroupSignal: boolean): void => {
    if (finishing) {
      return;
    }
    finishing = true;
    shutdown.abort();
    supervisor
      .stop(afterGroupSignal)
      .then(() => ownNats?.stop())
      .then(() => process.exit(code))
      .catch((error: unknown) => {
        shout(`Stopping failed: ${String(error)}`);
        ownNats?.killNow();
        process.exit(1);
      });
  };
  const ownNats =
    options.bus.kind === 'own'
      ? new OwnNatsServer({
          stateDir,
          port: options.bus.port,
          onUnexpectedExit: (reason) => {
            shout(`${reason}: stopping`);
            finish(1, false);
          },
        })
      : undefined;
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
      ownNats?.killNow();
      process.exit(1);
    }
  };
  (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).forEach((signal) => process.on(signal, onSignal));
  // A launcher bug must not leave replicas running without their supervisor.
  process.on('uncaughtException', (error) => {
    shout(`Launcher error: ${error.stack ?? String(error)}`);
    finish(1, false);
  });

  const settings = { options, rootDir: ROOT_DIR, stateDir, supervisor, ownNats, signal: shutdown.signal };
  launch(settings).catch((error: unknown) => {
    if (shutdown.signal.aborted) {
      return; // Stopping on request: the start-up step it interrupted doesn't matter.
    }
    shout(error instanceof Error ? error.message : String(error));
    finish(1, false);
  });
}

run(process.argv.slice(2));
