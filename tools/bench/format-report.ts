import { BenchReport, ScenarioOutcome, TargetVerdict } from './report-model';
import { OtherCpu } from './cpu-share';
import { LoadFigures } from './run-load';

/**
 * The report as Markdown whose tables are also aligned plain text: the terminal shows exactly what
 * bench/results/*.md holds.
 */

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (cell ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const n0 = (value: number) => Math.round(value).toLocaleString('en-US');
const n1 = (value: number) => value.toFixed(1);

const otherCpu = (cpu: OtherCpu | undefined): string => (cpu ? `${cpu.otherCores.toFixed(2)} / ${cpu.cores}` : '');

function loadCells(f: LoadFigures): string[] {
  return [n0(f.rps), n1(f.p50Ms), n1(f.p99Ms), n1(f.maxMs), String(f.errors), String(f.non2xx), otherCpu(f.cpu)];
}

function verdictMark(verdict: TargetVerdict | undefined): string {
  switch (verdict?.verdict) {
    case 'met':
      return 'yes';
    case 'missed':
      return 'NO';
    case 'n/a':
    case undefined:
      return '–';
  }
}

function scenarioRow(outcome: ScenarioOutcome, targets: TargetVerdict[]): string[] {
  if (outcome.status !== 'measured' || !outcome.figures) {
    const label = outcome.status === 'failed' ? 'FAILED' : 'not available';
    return [outcome.name, `${label}: ${outcome.reason ?? ''}`, '', '', '', '', '', '', '', '', ''];
  }
  const primary = targets.find((target) => target.scenario === outcome.name && target.verdict !== 'n/a');
  const ratio = outcome.ratio ? `${outcome.ratio.value.toFixed(2)} × ${outcome.ratio.to}` : '';
  const slice = outcome.nestSliceRatio === undefined ? '' : `${outcome.nestSliceRatio.toFixed(2)} × nest-slice`;
  const confirmed = outcome.confirmedPerSecond === undefined ? '' : `${n0(outcome.confirmedPerSecond)} confirmed/s`;
  return [
    outcome.name,
    ...loadCells(outcome.figures),
    [ratio, slice, confirmed].filter(Boolean).join(', '),
    primary?.target ?? '',
    verdictMark(primary),
  ];
}

function mainTable(report: BenchReport): string {
  const { floor, nestSlice, natsRoundtrip, argon2 } = report.references;
  const rows: string[][] = [];
  if (floor) {
    rows.push([`floor (node:http + pg, pool ${floor.poolSize})`, ...loadCells(floor), 'reference', '', '']);
  }
  if (nestSlice) {
    rows.push([
      'nest-slice (Nest+Fastify → ClientNats → @MessagePattern → findOneBy)',
      ...loadCells(nestSlice),
      'reference',
      '',
      '',
    ]);
  }
  if (natsRoundtrip) {
    rows.push(['nats-roundtrip (node:http + 1 NATS req/reply)', ...loadCells(natsRoundtrip), 'reference', '', '']);
  }
  if (argon2) {
    const p = argon2.params;
    rows.push([
      `argon2id hashes (m=${p.memoryCost} KiB, t=${p.timeCost}, p=${p.parallelism}, ${p.concurrency} threads)`,
      n0(argon2.perSecond),
      n1(argon2.p50Ms),
      '',
      '',
      '',
      '',
      otherCpu(argon2.cpu),
      'reference',
      '',
      '',
    ]);
  }
  rows.push(...report.scenarios.map((outcome) => scenarioRow(outcome, report.targets)));
  return table(
    [
      'measurement',
      'req/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      'errors',
      'non-2xx',
      "others' CPU",
      'vs reference',
      'target',
      'met',
    ],
    rows,
  );
}

function memoryTable(report: BenchReport): string {
  const mib = (value: number | undefined) => (value === undefined ? '' : n0(value));
  return table(
    [
      'process',
      'pid',
      'idle RSS MiB',
      'warm RSS MiB',
      'first-minute median',
      'last-minute median',
      'end RSS MiB',
      'peak RSS MiB',
    ],
    report.memory.map((row) => [
      row.bazaar ? row.id : `${row.id} (tooling)`,
      String(row.pid),
      mib(row.idleMib),
      mib(row.warmMib),
      mib(row.firstMinuteMib),
      mib(row.lastMinuteMib),
      mib(row.endMib),
      mib(row.peakMib),
    ]),
  );
}

/** CPU time per answered request of each process, per scenario: robust to others' load, unlike req/s. */
function cpuPerRequestTable(report: BenchReport): string | undefined {
  const measured = report.scenarios.filter((outcome) => outcome.figures?.cpu && outcome.figures.requests > 0);
  if (measured.length === 0 || report.memory.length === 0) {
    return undefined;
  }
  const perRequest = (outcome: ScenarioOutcome, ms: (cpu: OtherCpu) => number | undefined): string => {
    const value = ms(outcome.figures!.cpu!);
    return value === undefined ? '' : (value / outcome.figures!.requests).toFixed(3);
  };
  // The memory table's order (Bazaar's processes first), the ids of replaced pids added to theirs.
  const pidsById = new Map<string, string[]>(report.memory.map((row) => [row.id, []]));
  const ids = report.processIds ?? Object.fromEntries(report.memory.map((row) => [String(row.pid), row.id]));
  for (const [pid, id] of Object.entries(ids)) {
    pidsById.set(id, [...(pidsById.get(id) ?? []), pid]);
  }
  // A process id's CPU in a window is its pid's of that time (the stack may have restarted between lines).
  const msOf = (pids: string[]) => (cpu: OtherCpu) =>
    pids.map((pid) => cpu.msByPid[pid]).find((ms) => ms !== undefined);
  const rows = [
    ...[...pidsById].map(([id, pids]) => ({ label: id, ms: msOf(pids) })),
    { label: 'Postgres backends', ms: (cpu: OtherCpu) => cpu.postgresMs },
    { label: 'bench (load generator)', ms: (cpu: OtherCpu) => cpu.loadGeneratorMs },
  ];
  return table(
    ['process', ...measured.map((outcome) => outcome.name)],
    rows.map((row) => [row.label, ...measured.map((outcome) => perRequest(outcome, row.ms))]),
  );
}

function stockLines(report: BenchReport): string[] {
  const stock = report.stock;
  if (!stock) {
    return [];
  }
  const service =
    'unavailable' in stock.ordersService
      ? `orders service: not readable (${stock.ordersService.unavailable})`
      : `orders service: ${stock.ordersService.orders} confirmed orders, ${stock.ordersService.units} units`;
  const verdict = stock.exact === undefined ? 'NOT VERIFIABLE' : stock.exact ? 'EXACT' : 'MISMATCH';
  return [
    '## Stock accounting (order-place, mixed)',
    '',
    `- catalog database: initial ${stock.initial} − current ${stock.current} = ${stock.taken} units taken`,
    `- ${service}`,
    `- bench saw ${stock.benchConfirmedOrders} orders confirmed (${stock.benchConfirmedUnits} units; requests cut off when a run's time is up may be confirmed without the bench seeing it)`,
    `- **${verdict}**`,
    '',
  ];
}

const rounds = (rps: number[] | undefined): string =>
  rps && rps.length > 1 ? `; req/s of each round ${rps.map(n0).join(' / ')} (median reported)` : '';

function detailLines(report: BenchReport): string[] {
  const { floor, nestSlice, natsRoundtrip, argon2 } = report.references;
  const lines: string[] = [];
  if (floor) {
    lines.push(
      `- **floor**: references/floor-server.ts, node:http + pg pool of ${floor.poolSize} (the catalog's), the catalog's query by random id${rounds(floor.roundsRps)}`,
    );
  }
  if (nestSlice) {
    lines.push(
      `- **nest-slice**: references/nest-slice/, a Nest+Fastify gateway doing ClientProxy.send over the stock NATS transport to a Nest NATS microservice reading the row with TypeORM findOneBy (no auth, validation, logging or metrics), same ids and database as the floor${rounds(nestSlice.roundsRps)}`,
    );
  }
  if (natsRoundtrip) {
    lines.push(
      `- **nats-roundtrip**: references/nats-echo-reference.ts, node:http + one NATS request/reply to a bare responder process${rounds(natsRoundtrip.roundsRps)}`,
    );
  }
  if (argon2) {
    lines.push(
      `- **argon2**: references/argon2-rate.ts, @node-rs/argon2 hash with auth's parameters on ${argon2.params.concurrency} threads${rounds(argon2.roundsRps)}`,
    );
  }
  for (const outcome of report.scenarios) {
    lines.push(
      `- **${outcome.name}**: ${outcome.description}; load average ${outcome.loadAverage.toFixed(2)}${rounds(outcome.roundsRps)}`,
    );
    if (outcome.figures) {
      const statuses = Object.entries(outcome.figures.statusCounts)
        .map(([status, count]) => `${status}×${count}`)
        .join(', ');
      lines.push(
        `  - statuses: ${statuses || 'none'}; timeouts ${outcome.figures.timeouts}; p90 ${n1(outcome.figures.p90Ms)} ms`,
      );
    }
    if (outcome.extra) {
      lines.push(`  - ${JSON.stringify(outcome.extra)}`);
    }
  }
  return lines;
}

function profileLines(report: BenchReport): string[] {
  if (!report.profiles?.length) {
    return [];
  }
  const measured = report.scenarios.filter((outcome) => outcome.figures).map((outcome) => outcome.name);
  const lines = [
    `## CPU profiles (node --cpu-prof; self time within the measured runs of ${measured.join(', ')}; idle excluded)`,
    '',
    "Profiling slows every process a little: compare these runs' req/s only with each other.",
    '',
  ];
  for (const profile of report.profiles) {
    lines.push(`### ${profile.process} — ${n0(profile.busyMs)} ms busy`, '');
    lines.push(
      table(
        ['origin', 'self ms', 'share'],
        profile.origins.slice(0, 12).map((o) => [o.origin, n0(o.selfMs), `${(o.share * 100).toFixed(1)} %`]),
      ),
      '',
      table(
        ['function', 'self ms', 'share'],
        profile.functions.map((f) => [f.name, n0(f.selfMs), `${(f.share * 100).toFixed(1)} %`]),
      ),
      '',
    );
  }
  return lines;
}

export function formatReport(report: BenchReport): string {
  const m = report.meta;
  const cpuTable = cpuPerRequestTable(report);
  const scale = Object.entries(m.scale)
    .map(([service, count]) => `${service}=${count}`)
    .join(' ');
  return [
    `# Bazaar bench ${m.startedAt} (${m.gitSha}${m.gitDirty ? ', uncommitted changes in apps/ or libs/' : ''})${m.quick ? ' — quick' : ''}`,
    '',
    `${m.mode}, scale ${scale || '(running stack)'}, ${m.connections} connections, ${m.durationS} s measured after ${m.warmupS} s warm-up per line` +
      `${m.repeat > 1 ? ` (median of ${m.repeat} rounds)` : ''}, ` +
      `${m.catalogSize} products, ${m.users} users; node ${m.node}, ${m.cpus} × ${m.cpuModel}, load average at start ${m.loadAverageAtStart.toFixed(2)}` +
      (m.label ? `; ${m.label}` : ''),
    '',
    mainTable(report),
    '',
    "*others' CPU*: cores' worth of CPU used by processes other than the bench, the stack and their Postgres backends " +
      'while the line was measured (steal included); near 0 is a quiet machine.',
    '',
    '## Targets (issue 7)',
    '',
    table(
      ['scenario', 'target', 'measured', 'verdict'],
      report.targets.map((t) => [t.scenario, t.target, t.measured, t.verdict]),
    ),
    '',
    ...stockLines(report),
    "## RSS (/proc/<pid>/status: VmRSS idle after seeding, warm at the last measured run's start, the medians of its first and last minute sampled every 5 s (runs of 2 minutes or more), and at the end; VmHWM peak)",
    '',
    report.memory.length > 0
      ? memoryTable(report)
      : "Not measured: the processes of a --url stack are not the bench's to read.",
    '',
    ...(cpuTable
      ? [
          '## CPU ms per request (/proc/<pid>/stat utime + stime over the measured run ÷ responses; 10 ms ticks)',
          '',
          cpuTable,
          '',
        ]
      : []),
    '## Details',
    '',
    ...detailLines(report),
    '',
    ...(report.problems.length ? ['## Problems', '', ...report.problems.map((p) => `- ${p}`), ''] : []),
    ...profileLines(report),
  ].join('\n');
}
