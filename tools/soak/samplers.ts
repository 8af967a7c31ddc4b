import { Client } from 'pg';

export interface TableReading {
  /** `service.table` */
  table: string;
  rows: number;
  /** pg_total_relation_size: heap, indexes and TOAST. Deleted rows' space is reused, not returned. */
  bytes: number;
}

/** Exact row counts and sizes of every table of one service's database. */
export async function readTables(service: string, databaseUrl: string): Promise<TableReading[]> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string; bytes: string }>(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY c.relname`,
    );
    const readings: TableReading[] = [];
    for (const table of tables) {
      // Exact, not pg_stat's estimate: the verdict is about rows that exist, and these tables are small.
      const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${table.name}"`);
      readings.push({ table: `${service}.${table.name}`, rows: Number(rows[0].n), bytes: Number(table.bytes) });
    }
    return readings;
  } finally {
    await client.end();
  }
}

export interface StreamReading {
  stream: string;
  messages: number;
  bytes: number;
}

interface JszAnswer {
  account_details?: Array<{ stream_detail?: Array<{ name: string; state?: { messages?: number; bytes?: number } }> }>;
}

/** Every JetStream stream's size, from the server's monitoring endpoint (no bus identity needed). */
export async function readStreams(monitorUrl: string): Promise<StreamReading[]> {
  const response = await fetch(`${monitorUrl}/jsz?accounts=true&streams=true`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) {
    throw new Error(`${monitorUrl}/jsz answered ${response.status}`);
  }
  const answer = (await response.json()) as JszAnswer;
  return (answer.account_details ?? [])
    .flatMap((account) => account.stream_detail ?? [])
    .map((stream) => ({ stream: stream.name, messages: stream.state?.messages ?? 0, bytes: stream.state?.bytes ?? 0 }))
    .sort((a, b) => a.stream.localeCompare(b.stream));
}
