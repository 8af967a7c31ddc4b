import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../bench/free-port';
import { startLauncher, RunningLauncher } from '../bench/launcher-process';
import { isAlive } from '../bench/process-memory';
import { externalBusEnv } from '../launcher/bus-options';
import { CONTROL_ERROR_MARKER, SPAWNED_MARKER } from '../launcher/control';
import { ReadyReplica } from '../launcher/ready-report';
import { BusCredentials, generateBusCredentials } from '../nats/local-nats-server';
import { NatsServerHandle, startNatsProcess } from '../nats/restartable-nats-server';
import { TcpProxy } from '../shared/tcp-proxy';
import { Backend, BACKENDS, holdChaosLock, recreateDatabases } from './chaos-databases';
import { ReplicaSet, ServiceName } from './replica-set';
import { StackSettings } from './stack-settings';

/** The run's NATS server: where it listens, every identity's password, and stop/start for faults. */
export interface ChaosNats extends NatsServerHandle {
  url: string;
  credentials: BusCredentials;
}

export interface ChaosStackOptions {
  rootDir: string;
  workDir: string;
  adminDatabaseUrl: string;
  build: boolean;
  settings: StackSettings;
  /** Prefix of the run's databases, and name of its advisory lock. */
  databasePrefix: string;
  log(message: string): void;
}

const SPAWN_TIMEOUT_MS = 120_000;

/**
 * Bazaar at scale 2 for the chaos run, started through the launcher exactly as `npm start` does
 * (reusing the bench's launcher runner), with everything a fault needs within reach:
 * - its own nats-server (tools/nats/restartable-nats-server.ts, the shipped authorization with fresh
 *   passwords), which can be stopped and started again on the same port with the same JetStream
 *   store; the launcher gets it as an external bus, every identity's credentials in its environment;
 * - every service's database behind a TCP proxy (tools/shared/tcp-proxy.ts) that can be cut or slowed;
 * - the launcher in `--control-stdin` mode, so a killed or stopped replica is replaced as an
 *   orchestrator would (`spawn SERVICE`; the launcher never restarts replicas itself).
 */
export class ChaosStack {
  readonly replicas = new ReplicaSet();
  private readonly waiting = new Map<ServiceName, Array<{ resolve(r: ReadyReplica): void; reject(e: Error): void }>>();
  private readonly cleanups: Array<() => Promise<void>> = [];
  private launcher?: RunningLauncher;

  gatewayUrl = '';
  nats!: ChaosNats;
  /** Direct database URLs (the checker's); the services reach theirs through `proxies`. */
  databaseUrls!: Record<Backend, string>;
  readonly proxies = new Map<Backend, TcpProxy>();
  launcherLog = '';

  private constructor(private readonly options: ChaosStackOptions) {}

  static async start(options: ChaosStackOptions): Promise<ChaosStack> {
    const stack = new ChaosStack(options);
    try {
      await stack.boot();
      return stack;
    } catch (error) {
      await stack.stop();
      throw error;
    }
  }

  get settings(): StackSettings {
    return this.options.settings;
  }

  proxy(backend: Backend): TcpProxy {
    return this.proxies.get(backend)!;
  }

  /** Starts one more replica of `service` through the launcher and resolves once it is ready. */
  spawn(service: ServiceName): Promise<ReadyReplica> {
    return new Promise<ReadyReplica>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`spawn ${service}: not ready in ${SPAWN_TIMEOUT_MS} ms`)),
        SPAWN_TIMEOUT_MS,
      );
      const queue = this.waiting.get(service) ?? [];
      queue.push({
        resolve: (replica) => {
          clearTimeout(timer);
          resolve(replica);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.waiting.set(service, queue);
      this.launcher!.send(`spawn ${service}`);
    });
  }

  async stop(): Promise<void> {
    const pids = this.replicas.everPids();
    for (const cleanup of this.cleanups.reverse()) {
      await cleanup().catch((error: unknown) => this.options.log(`cleanup failed: ${String(error)}`));
    }
    this.cleanups.length = 0;
    // Replacements are the launcher's children too, and it stops them; this is the safety net.
    pids.filter(isAlive).forEach((pid) => process.kill(pid, 'SIGKILL'));
  }

  private async boot(): Promise<void> {
    const { options } = this;
    const lock = await holdChaosLock(options.adminDatabaseUrl, options.databasePrefix);
    this.cleanups.push(() => lock.release());
    this.databaseUrls = await recreateDatabases(options.adminDatabaseUrl, options.databasePrefix);
    const natsPort = await freePort();
    const credentials = generateBusCredentials();
    this.nats = {
      url: `nats://127.0.0.1:${natsPort}`,
      credentials,
      ...(await startNatsProcess(natsPort, credentials)),
    };
    this.cleanups.push(() => this.nats.dispose());
    for (const backend of BACKENDS) {
      const target = new URL(this.databaseUrls[backend]);
      const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
      await proxy.start();
      this.proxies.set(backend, proxy);
      this.cleanups.push(() => proxy.stop());
    }
    mkdirSync(options.workDir, { recursive: true });
    this.launcherLog = join(options.workDir, 'launcher.log');
    const launcher = await startLauncher(
      options.rootDir,
      await this.launcherArgs(),
      { ...options.settings.env, ...externalBusEnv(this.nats.url, this.nats.credentials) },
      this.launcherLog,
      3 * SPAWN_TIMEOUT_MS,
      { onLine: (line) => this.onLauncherLine(line) },
    );
    this.launcher = launcher;
    this.cleanups.push(() => launcher.stop());
    this.gatewayUrl = launcher.ready.urls.api.replace(/\/v1$/, '');
    launcher.ready.replicas.forEach((replica) => this.replicas.add(replica));
  }

  private async launcherArgs(): Promise<string[]> {
    const proxied = (backend: Backend): string => {
      const url = new URL(this.databaseUrls[backend]);
      url.hostname = '127.0.0.1';
      url.port = String(this.proxy(backend).port);
      return url.toString();
    };
    const opsPorts = await Promise.all(BACKENDS.map(async (backend) => [backend, await freePort()] as const));
    return [
      '--port',
      String(await freePort()),
      ...opsPorts.flatMap(([backend, port]) => ['--ops-port', `${backend}=${port}`]),
      '--nats-url',
      this.nats.url,
      '--database-url',
      this.options.adminDatabaseUrl,
      ...BACKENDS.flatMap((backend) => ['--service-database-url', `${backend}=${proxied(backend)}`]),
      ...['gateway', ...BACKENDS].flatMap((service) => ['--scale', `${service}=2`]),
      '--raw-logs',
      '--control-stdin',
      // The run's own recovery bound, not the launcher's 60 s default: a replica starting while the
      // machine is loaded (the CI variant runs beside other suites) may take longer and is no failure.
      '--ready-timeout-ms',
      String(SPAWN_TIMEOUT_MS),
      ...(this.options.build ? [] : ['--no-build']),
    ];
  }

  private onLauncherLine(line: string): void {
    if (line.startsWith(`${SPAWNED_MARKER} `)) {
      const replica = JSON.parse(line.slice(SPAWNED_MARKER.length + 1)) as ReadyReplica;
      this.replicas.add(replica);
      this.waiting
        .get(replica.service as ServiceName)
        ?.shift()
        ?.resolve(replica);
    } else if (line.startsWith(`${CONTROL_ERROR_MARKER} `)) {
      const failure = JSON.parse(line.slice(CONTROL_ERROR_MARKER.length + 1)) as { command: string; error: string };
      const service = failure.command.split(/\s+/)[1] as ServiceName;
      this.waiting
        .get(service)
        ?.shift()
        ?.reject(new Error(`${failure.command}: ${failure.error}`));
    }
  }
}

export { BACKENDS };
