import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { BusCredentials, spawnNatsServer, waitForNatsServer } from '../nats/local-nats-server';
import { BusAccess } from './bus-access';
import { NatsStateFiles, loadOrCreateBusCredentials, natsStateFiles } from './nats-credentials';
import { stopStaleNatsServer } from './stale-nats';
import { say, warn } from './terminal';

export interface OwnNatsSettings {
  stateDir: string;
  port: number;
  /** The server died while the launcher still needed it: the replicas have no bus. */
  onUnexpectedExit(reason: string): void;
}

/** SIGTERM lets JetStream flush its store; a server that hasn't exited after this is killed. */
const STOP_BOUND_MS = 5000;
const LOG_TAIL_LINES = 12;

function logTail(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    return lines.slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    return '(no log written)';
  }
}

/**
 * The launcher's own nats-server (the default bus): the shipped configuration with authorization,
 * credentials and JetStream store kept in the state directory, listening on 127.0.0.1 only. It is
 * started before the replicas and stopped after the last of them has exited, so they drain through it.
 */
export class OwnNatsServer {
  readonly files: NatsStateFiles;
  private child: ChildProcess | undefined;
  private stopping = false;
  /** Until it listens, a failed start is reported by start() itself, with the log's last lines. */
  private listening = false;

  constructor(private readonly settings: OwnNatsSettings) {
    this.files = natsStateFiles(settings.stateDir);
  }

  /** Before the port checks: a server left by a SIGKILLed launcher would hold the port. */
  clearStale(): Promise<void> {
    return stopStaleNatsServer(this.files, STOP_BOUND_MS, say);
  }

  async start(): Promise<BusAccess> {
    const credentials = loadOrCreateBusCredentials(this.files, say);
    mkdirSync(this.files.jetstream, { recursive: true, mode: 0o700 });
    if (this.stopping) {
      throw new Error('Stopping: the own nats-server was not started');
    }
    const child = this.spawn(credentials);
    try {
      await waitForNatsServer(child, this.settings.port);
      this.listening = true;
    } catch (error) {
      const log = this.files.log;
      throw new Error(`${(error as Error).message}. Its log (${log}) ends with:\n${logTail(log)}`);
    }
    return {
      url: `nats://127.0.0.1:${this.settings.port}`,
      credentials,
      tls: undefined,
      own: { pid: child.pid!, credentialsFile: this.files.credentials, logFile: this.files.log },
    };
  }

  private spawn(credentials: BusCredentials): ChildProcess {
    // Its stdout and stderr go to the log too: a bad configuration is reported there, before `-l` takes effect.
    const output = openSync(this.files.log, 'a', 0o600);
    const child = spawnNatsServer({
      port: this.settings.port,
      storeDir: this.files.jetstream,
      credentials,
      logFile: this.files.log,
      detached: true,
      stdio: ['ignore', output, output],
    });
    closeSync(output);
    this.child = child;
    writeFileSync(this.files.pid, `${child.pid}\n`, { mode: 0o600 });
    child.once('exit', (code, signal) => {
      if (this.listening && !this.stopping) {
        const how = signal ?? `code ${code}`;
        this.settings.onUnexpectedExit(
          `The own nats-server (pid ${child.pid}) exited with ${how}; see ${this.files.log}`,
        );
      }
    });
    return child;
  }

  /** After every replica has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      rmSync(this.files.pid, { force: true });
      return;
    }
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    if (!(await Promise.race([exited.then(() => true), sleep(STOP_BOUND_MS, false)]))) {
      warn(`nats-server (pid ${child.pid}) still running ${STOP_BOUND_MS} ms after SIGTERM: killing it`);
      child.kill('SIGKILL');
      await Promise.race([exited, sleep(2000)]);
    }
    rmSync(this.files.pid, { force: true });
    say('The own nats-server has stopped.');
  }

  /** A second Ctrl-C: no waiting. The pid file stays, so the next launcher finishes the job if needed. */
  killNow(): void {
    this.stopping = true;
    this.child?.kill('SIGTERM');
  }
}
