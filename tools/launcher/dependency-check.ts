import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { redactUrl } from './addresses';

export type Dependency = 'postgres' | 'nats';

export interface ProbeResult {
  dependency: Dependency;
  ok: boolean;
  /** What answered (server version), or why nothing did. */
  detail: string;
  /** Reachable, but something later features need is off. */
  warnings: string[];
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

export async function probeNats(natsUrl: string): Promise<ProbeResult> {
  try {
    const nc = await connect({
      servers: natsUrl.split(','),
      name: 'bazaar-launcher-probe',
      timeout: CONNECT_TIMEOUT_MS,
      reconnect: false,
    });
    const info = nc.info;
    await nc.close();
    const warnings = info?.jetstream
      ? []
      : ['JetStream is off on this server (start nats-server with -js): durable events will need it.'];
    return { dependency: 'nats', ok: true, detail: `nats-server ${info?.version ?? '?'}`, warnings };
  } catch (error) {
    return { dependency: 'nats', ok: false, detail: `${natsUrl}: ${reason(error)}`, warnings: [] };
  }
}
