import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Replica } from './replica';
import { replicaNodeFlags } from './replica-node-flags';
import { BackendDefinition } from './services';

export interface BackendReplicaSpec {
  definition: BackendDefinition;
  index: number;
  opsPort: number;
  databaseUrl: string;
  /** NATS_URL, NATS_USER and NATS_PASSWORD of this service's identity on the bus. */
  busEnv: Record<string, string>;
  /** From the service's prepareEnv hook. */
  extraEnv: Record<string, string>;
  /** `node` flags before the entry point (--node-options). */
  nodeArgs: readonly string[];
}

/**
 * Starts one replica of a NATS service as a plain `node` child. Not through tsx (the launcher's
 * own runner) and not forked: it runs the compiled output exactly as a container would.
 */
export function spawnBackendReplica(spec: BackendReplicaSpec, rootDir: string): Replica {
  const { definition, index } = spec;
  const id = `${definition.name}-${index}`;
  const nodeArgs = [...replicaNodeFlags(definition.name), ...spec.nodeArgs, join(rootDir, definition.main)];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: rootDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...spec.extraEnv,
      DATABASE_URL: spec.databaseUrl,
      ...spec.busEnv,
      OPS_PORT: String(spec.opsPort),
      REPLICA_ID: id,
      // The launcher formats the lines itself (or passes them through with --raw-logs).
      LOG_FORMAT: 'json',
    },
  });
  return new Replica(id, definition.name, child, spec.opsPort);
}
