import { errors } from '@nats-io/transport-node';
import { Client } from 'pg';
import { redactUrl } from './addresses';
import { BusAccess, connectToBus } from './bus-access';

export type Dependency = 'postgres' | 'nats';

export interface ProbeResult {
  dependency: Dependency;
  ok: boolean;
  /** What answered (server version), or why nothing did. */
  detail: string;
  /** Reachable, but something later features need is off. */
  warnings: string[];
  /** The server answered and turned the credentials away: nothing is missing, they are wrong. */
  refused?: boolean;
}

const CONNECT_TIMEOUT_MS = 3000;

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

export async function probePostgres(adminUrl: string): Promise<ProbeResult> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // Errors after the connection failed (socket closed) would otherwise be unhandled.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return { dependency: 'postgres', ok: true, detail: `PostgreSQL ${rows[0].server_version}`, warnings: [] };
  } catch (error) {
    return { dependency: 'postgres', ok: false, detail: `${redactUrl(adminUrl)}: ${reason(error)}`, warnings: [] };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function natsWarnings(
  bus: Pick<BusAccess, 'credentials'>,
  info: { jetstream?: boolean; auth_required?: boolean },
): string[] {
  const warnings: string[] = [];
  if (!info.jetstream) {
    warnings.push('JetStream is off on this server (start nats-server with -js): durable events will need it.');
  }
  if (bus.credentials && !info.auth_required) {
    warnings.push('This NATS server checks no credentials: anyone who reaches it can act as any service.');
  }
  return warnings;
}

/** Connects as the gateway, the way the gateway replicas will: proves the address and their credentials. */
export async function probeNats(bus: Pick<BusAccess, 'url' | 'credentials' | 'tls'>): Promise<ProbeResult> {
  try {
    const nc = await connectToBus(bus, 'gateway', {
      name: 'bazaar-launcher-probe',
      timeout: CONNECT_TIMEOUT_MS,
      reconnect: false,
    });
    const info = nc.info;
    await nc.close();
    const detail = `nats-server ${info?.version ?? '?'}`;
    return { dependency: 'nats', ok: true, detail, warnings: natsWarnings(bus, info ?? {}) };
  } catch (error) {
    if (error instanceof errors.AuthorizationError) {
      const refusal = bus.credentials
        ? `these credentials are refused (user ${bus.credentials.gateway.user}: ${error.message})`
        : `it requires credentials and none were given (${error.message})`;
      return {
        dependency: 'nats',
        ok: false,
        refused: true,
        detail: `${bus.url}: reachable, but ${refusal}`,
        warnings: [],
      };
    }
    return { dependency: 'nats', ok: false, detail: `${bus.url}: ${reason(error)}`, warnings: [] };
  }
}
