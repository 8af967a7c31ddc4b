import { StreamReading, TableReading } from './samplers';
import { growthClassOf } from './growth-classes';
import { FlatVerdict, judgeFlat, judgeRss, median, RssVerdict } from './verdict';

export interface MinuteRow {
  minute: number;
  rps: number;
  p99Ms: number;
  /** Socket errors and timeouts: requests that got no answer. */
  errors: number;
  status5xx: number;
  /** The machine's 1-minute load average at the minute's end: others' work shows here. */
  loadAverage: number;
  /** Confirmed orders so far (the bench's ledger). */
  ordersConfirmed: number;
  tables: TableReading[];
  streams: StreamReading[];
  /** Median RSS (MiB) of each process during this minute, from 5-second samples. */
  rssMib: Record<string, number>;
}

export interface SoakReport {
  meta: {
    startedAt: string;
    gitSha: string;
    node: string;
    cpus: number;
    minutes: number;
    rate: number;
    connections: number;
    catalogSize: number;
    users: number;
    retentionEnv: Record<string, string>;
    /** The server's `autovacuum` setting: with it off, deleted rows' space is never reused. */
    autovacuum: string;
    /** Bazaar's own processes, whose RSS is judged (NATS and the launcher are shown only). */
    judgedProcesses: string[];
    label?: string;
  };
  minutes: MinuteRow[];
  /** Every 5-second RSS sample (MiB) per process, per minute. */
  rssSamples: Record<string, number[][]>;
  verdicts: SoakVerdict[];
  problems: string[];
}

export interface SoakVerdict {
  what: string;
  judged: boolean;
  /** Why something isn't judged flat (business records, long-lived sessions). */
  why?: string;
  flat?: FlatVerdict;
  rss?: RssVerdict;
  ok: boolean;
}

const ROW_SLACK = 64;
const BYTE_SLACK = 256 * 1024;

/** One verdict per table (rows and bytes), stream (bytes) and process (RSS). */
export interface JudgeSettings {
  autovacuum: string;
  judgedProcesses: readonly string[];
}

export function judgeSoak(
  minutes: readonly MinuteRow[],
  rssSamples: Record<string, number[][]>,
  settings: JudgeSettings,
): SoakVerdict[] {
  const verdicts: SoakVerdict[] = [];
  const tables = [...new Set(minutes.flatMap((m) => m.tables.map((t) => t.table)))].sort();
  for (const table of tables) {
    const growth = growthClassOf(table);
    const series = (pick: (t: TableReading) => number): number[] =>
      minutes.map((m) => {
        const reading = m.tables.find((t) => t.table === table);
        return reading ? pick(reading) : 0;
      });
    if (growth.kind !== 'bounded') {
      verdicts.push({ what: `${table} rows`, judged: false, why: `${growth.kind}: ${growth.why}`, ok: true });
      continue;
    }
    for (const [unit, pick, slack] of [
      ['rows', (t: TableReading) => t.rows, ROW_SLACK],
      ['bytes', (t: TableReading) => t.bytes, BYTE_SLACK],
    ] as const) {
      if (unit === 'bytes' && settings.autovacuum !== 'on') {
        const why = 'autovacuum is off on this server: deleted rows are never reclaimed';
        verdicts.push({ what: `${table} ${unit}`, judged: false, why, ok: true });
        continue;
      }
      const flat = judgeFlat(series(pick), slack);
      verdicts.push({ what: `${table} ${unit}`, judged: flat !== undefined, flat, ok: flat?.flat ?? true });
    }
  }
  const streams = [...new Set(minutes.flatMap((m) => m.streams.map((s) => s.stream)))].sort();
  for (const stream of streams) {
    const flat = judgeFlat(
      minutes.map((m) => m.streams.find((s) => s.stream === stream)?.bytes ?? 0),
      BYTE_SLACK,
    );
    verdicts.push({ what: `stream ${stream} bytes`, judged: flat !== undefined, flat, ok: flat?.flat ?? true });
  }
  for (const [process, samples] of Object.entries(rssSamples).sort()) {
    if (!settings.judgedProcesses.includes(process)) {
      verdicts.push({ what: `${process} RSS`, judged: false, why: 'not a Bazaar process', ok: true });
      continue;
    }
    const rss = judgeRss(samples);
    verdicts.push({ what: `${process} RSS`, judged: rss !== undefined, rss, ok: rss?.ok ?? true });
  }
  return verdicts;
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(2);
const pct = (growth: number): string => `${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %`;

function verdictLine(v: SoakVerdict): string {
  if (!v.judged) {
    return `| ${v.what} | — | — | — | not judged (${v.why ?? 'run too short'}) |`;
  }
  if (v.rss) {
    return `| ${v.what} | minute 2: ${v.rss.minute2Mib.toFixed(1)} MiB | last minute: ${v.rss.lastMinuteMib.toFixed(1)} MiB | ${pct(v.rss.growth)} | ${v.ok ? 'ok' : '**grew**'} |`;
  }
  const f = v.flat!;
  const show = (n: number): string => (v.what.endsWith('bytes') ? `${mib(n)} MiB` : String(Math.round(n)));
  return `| ${v.what} | ${show(f.middleMedian)} | ${show(f.lastMedian)} | ${pct(f.growth)} | ${v.ok ? 'flat' : '**grew**'} |`;
}

export function formatSoak(report: SoakReport): string {
  const m = report.meta;
  const lastMinute = report.minutes.at(-1);
  const bounded = (row: MinuteRow, table: string): string =>
    String(row.tables.find((t) => t.table === table)?.rows ?? '—');
  const streamNames = [...new Set(report.minutes.flatMap((row) => row.streams.map((s) => s.stream)))].sort();
  const processes = Object.keys(report.rssSamples).sort();
  const lines = [
    `# Soak: ${m.minutes} minutes of the mixed load at ${m.rate} req/s`,
    '',
    `${m.startedAt}, commit ${m.gitSha}, Node ${m.node}, ${m.cpus} CPUs, ${m.connections} connections, ` +
      `${m.catalogSize} products, ${m.users} users${m.label ? `, ${m.label}` : ''}.`,
    `PostgreSQL autovacuum: ${m.autovacuum}. The read cache was warmed (every product read once) before minute 1.`,
    `Retention for the run: ${Object.entries(m.retentionEnv)
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(', ')}.`,
    '',
    '## Verdict',
    '',
    'Tables and streams: median of the middle third of the run against the last third (flat: at most +10 %).',
    "RSS: the last minute's median against minute 2's (at most +10 %).",
    '',
    '| what | middle third / minute 2 | last third / last minute | growth | verdict |',
    '| --- | --- | --- | --- | --- |',
    ...report.verdicts.map(verdictLine),
    '',
    report.problems.length === 0
      ? 'No errors, no crashed process.'
      : `Problems:\n${report.problems.map((p) => `- ${p}`).join('\n')}`,
    '',
    '## Per minute',
    '',
    `| min | load avg | req/s | p99 ms | errors + 5xx | orders | outbox rows (auth/catalog/orders) | idempotency keys | ${streamNames
      .map((s) => `${s} MiB`)
      .join(' | ')} | ${processes.map((p) => `${p} MiB`).join(' | ')} |`,
    `| ${Array.from({ length: 8 + streamNames.length + processes.length }, () => '---').join(' | ')} |`,
    ...report.minutes
      .map((row) =>
        [
          row.minute,
          row.loadAverage.toFixed(1),
          row.rps.toFixed(0),
          row.p99Ms.toFixed(1),
          row.errors + row.status5xx,
          row.ordersConfirmed,
          ['auth', 'catalog', 'orders'].map((s) => bounded(row, `${s}.outbox`)).join(' / '),
          bounded(row, 'orders.idempotency_keys'),
          ...streamNames.map((s) => mib(row.streams.find((r) => r.stream === s)?.bytes ?? 0)),
          ...processes.map((p) => (row.rssMib[p] === undefined ? '—' : row.rssMib[p].toFixed(0))),
        ].join(' | '),
      )
      .map((line) => `| ${line} |`),
    '',
  ];
  if (lastMinute && lastMinute.ordersConfirmed > 0) {
    lines.push(
      '## Business records at the end',
      '',
      '| table | rows | MiB | rows per 1,000 orders |',
      '| --- | --- | --- | --- |',
    );
    for (const t of lastMinute.tables.filter((t) => growthClassOf(t.table).kind !== 'bounded')) {
      lines.push(
        `| ${t.table} | ${t.rows} | ${mib(t.bytes)} | ${((t.rows / lastMinute.ordersConfirmed) * 1000).toFixed(0)} |`,
      );
    }
    lines.push('');
  }
  const p99s = report.minutes.map((row) => row.p99Ms);
  lines.push(
    `Median of the per-minute p99s: ${median(p99s).toFixed(1)} ms; worst minute: ${Math.max(...p99s).toFixed(1)} ms.`,
    '',
  );
  return lines.join('\n');
}
