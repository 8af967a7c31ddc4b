import { busEnvOf } from '../nats/local-nats-server';
import { spawnBackendReplica } from './backend-process';
import { BusAccess } from './bus-access';
import { LauncherOptions } from './cli-options';
import { forkGatewayWorker, GatewayWorker } from './gateway-cluster';
import { replicaOpsPort } from './ports';
import { describeExit, Replica } from './replica';
import { OutputSettings, pipeReplicaOutput } from './replica-output';
import { waitUntilReady } from './readiness';
import { BackendDefinition, BACKENDS, GATEWAY, ServiceContext, ServiceName } from './services';
import { say } from './terminal';
import { Supervisor } from './supervisor';

export interface StartSettings {
  options: LauncherOptions;
  /** Each replica connects as its service's identity on it. */
  bus: BusAccess;
  rootDir: string;
  localDir: string;
  supervisor: Supervisor;
  output: OutputSettings;
  signal: AbortSignal;
}

function contextFor(settings: StartSettings, databaseUrl?: string): ServiceContext {
  return {
    rootDir: settings.rootDir,
    localDir: settings.localDir,
    natsUrl: settings.bus.url,
    databaseUrl,
    say,
  };
}

function adopt(replica: Replica, settings: StartSettings): Replica {
  pipeReplicaOutput(replica, settings.output);
  settings.supervisor.add(replica);
  return replica;
}

async function markReady(replica: Replica, settings: StartSettings): Promise<void> {
  await waitUntilReady(replica, { timeoutMs: settings.options.readyTimeoutMs, signal: settings.signal });
  replica.state = 'ready';
  say(`${replica.id} is ready (pid ${replica.pid}, port ${replica.port})`);
}

/** Starts one more replica of a service (the next index, the same environment) and resolves once it is ready. */
type AddReplica = () => Promise<Replica>;

/** The running system: what `--control-stdin` may change once everything is up. */
export interface StartedSystem {
  addReplica(service: ServiceName): Promise<Replica>;
}

/**
 * The first replica runs the migrations (under the services' advisory lock) while the others
 * would only queue on that lock holding a connection each, so they start once it is ready.
 */
async function startBackend(
  definition: BackendDefinition,
  taken: Set<number>,
  settings: StartSettings,
): Promise<AddReplica> {
  const { options } = settings;
  const context = contextFor(settings, options.databaseUrls[definition.name]);
  const extraEnv = (await definition.prepareEnv?.(context)) ?? {};
  const spawnOne = async (index: number): Promise<Replica> => {
    const base = options.opsPorts[definition.name];
    const opsPort = index === 0 ? base : await replicaOpsPort(base, index, taken);
    settings.signal.throwIfAborted();
    const spec = {
      definition,
      index,
      opsPort,
      databaseUrl: context.databaseUrl!,
      busEnv: busEnvOf(settings.bus.url, settings.bus.credentials, definition.name),
      extraEnv,
      nodeArgs: options.nodeArgs,
    };
    return adopt(spawnBackendReplica(spec, settings.rootDir), settings);
  };
  await markReady(await spawnOne(0), settings);
  await definition.afterFirstReady?.(context);
  const others: Replica[] = [];
  for (let index = 1; index < options.scale[definition.name]; index++) {
    others.push(await spawnOne(index));
  }
  await Promise.all(others.map((replica) => markReady(replica, settings)));
  let next = options.scale[definition.name];
  return async () => {
    const replica = await spawnOne(next++);
    await markReady(replica, settings);
    return replica;
  };
}

/** Workers don't migrate anything: all start at once, each must reach `listening`. */
async function startGateway(settings: StartSettings): Promise<AddReplica> {
  const { options } = settings;
  const context = contextFor(settings);
  const extraEnv = (await GATEWAY.prepareEnv?.(context)) ?? {};
  const forkOne = (index: number): GatewayWorker => {
    settings.signal.throwIfAborted();
    const worker = forkGatewayWorker(
      {
        definition: GATEWAY,
        index,
        port: options.gatewayPort,
        busEnv: busEnvOf(settings.bus.url, settings.bus.credentials, 'gateway'),
        extraEnv,
        nodeArgs: options.nodeArgs,
      },
      settings.rootDir,
    );
    adopt(worker.replica, settings);
    return worker;
  };
  const workers = Array.from({ length: options.scale.gateway }, (_, index) => forkOne(index));
  await Promise.all(workers.map(untilListening));
  // Connections go to whichever worker accepts first; every one listening and one ready is the best
  // the shared port can tell. The launcher's NATS pings check the backends one by one.
  await Promise.all(workers.map(({ replica }) => markReady(replica, settings)));
  let next = options.scale.gateway;
  return async () => {
    const worker = forkOne(next++);
    await untilListening(worker);
    await markReady(worker.replica, settings);
    return worker.replica;
  };
}

function untilListening({ replica, listening }: GatewayWorker): Promise<void> {
  return Promise.race([
    listening,
    replica.exited.then((exit) => {
      throw new Error(`${replica.id} exited with ${describeExit(exit)} before it listened`);
    }),
  ]);
}

export async function startSystem(settings: StartSettings): Promise<StartedSystem> {
  const { options } = settings;
  const taken = new Set([options.gatewayPort, ...Object.values(options.opsPorts)]);
  const [gateway, ...backends] = await Promise.all([
    startGateway(settings),
    ...BACKENDS.map((definition) => startBackend(definition, taken, settings)),
  ]);
  const adders = new Map<ServiceName, AddReplica>([
    ['gateway', gateway],
    ...BACKENDS.map((definition, i) => [definition.name, backends[i]] as const),
  ]);
  return { addReplica: (service) => adders.get(service)!() };
}
