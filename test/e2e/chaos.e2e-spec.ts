import { Client } from 'pg';
import { join } from 'node:path';
import { formatReport } from '../../tools/chaos/format-report';
import { parseChaosOptions } from '../../tools/chaos/options';
import { ChaosReport } from '../../tools/chaos/report-model';
import { runChaos } from '../../tools/chaos/run-chaos';

/**
 * The CI-sized `npm run chaos`: the real launcher at scale 2 (compiled apps: `npm run build` has
 * run), a private NATS and databases of this test run, steady load, and a handful of faults, with
 * the same invariant checks. A correctness test, not a speed test: nothing here asserts a timing
 * beyond "answered within the gateway timeout", which the request check holds every answer to.
 *
 * The recovery bound is shortened (pending orders due after 4 s instead of 10 s) so settling after
 * the faults takes seconds, not the production 18 s.
 */

const ROOT_DIR = join(__dirname, '..', '..');
const FAULTS = [
  'kill-orders',
  // A frozen (not dead) orders replica holding recovery claims: another replica must take them over.
  'sigstop-orders',
  // Also the launcher's regression test: a killed gateway worker must not strand a connection.
  'kill-gateway',
  'sigterm-gateway',
  'sigterm-auth',
  'sigterm-catalog',
  'sigterm-orders',
  'nats-5s',
  'catalog-db-cut',
];

async function dropDatabases(adminUrl: string, prefix: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const backend of ['auth', 'catalog', 'orders']) {
      await client.query(`DROP DATABASE IF EXISTS "${prefix}_${backend}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/** `fault: invariant: violation` for everything that failed, so a red test says what broke. */
function failuresOf(report: ChaosReport): string[] {
  return [
    ...report.problems,
    ...report.faults.flatMap((fault) =>
      fault.invariants
        .filter((invariant) => !invariant.ok)
        .map((invariant) => `${fault.id}: ${invariant.name}: ${invariant.violations.join('; ')}`),
    ),
  ];
}

describe('npm run chaos, CI-sized (tools/chaos)', () => {
  const adminUrl = process.env.TEST_PG_ADMIN_URL!;
  const prefix = `bt_${process.env.TEST_RUN_ID ?? 'adhoc'}_chaos`;
  let report: ChaosReport;

  beforeAll(async () => {
    const options = parseChaosOptions(
      ['--quick', '--no-build', '--faults', FAULTS.join(','), '--duration', '2', '--clients', '6', '--users', '12'],
      { DATABASE_URL: adminUrl },
    );
    report = await runChaos({
      rootDir: ROOT_DIR,
      options,
      timings: { PENDING_RECOVERY_AFTER_MS: 4000, RECOVERY_INTERVAL_MS: 500 },
      databasePrefix: prefix,
      log: (message) => process.stderr.write(`chaos: ${message}\n`),
    });
    // ~90 s alone, 3 min beside benchmarks (load average 15): the bound only catches a stuck run.
  }, 900_000);

  afterAll(async () => {
    await dropDatabases(adminUrl, prefix);
  });

  it('runs every fault under real load, replacing the replicas it stops', () => {
    expect(report.faults.map((fault) => fault.id)).toEqual(FAULTS);
    expect(report.totals.ordersConfirmed).toBeGreaterThan(0);
    for (const fault of report.faults) {
      expect(fault.traffic.requests).toBeGreaterThan(0);
    }
    const replaced = report.faults.filter((fault) => fault.notes.some((note) => note.startsWith('replaced by')));
    expect(replaced.map((fault) => fault.id)).toEqual(FAULTS.filter((id) => /^(kill|sigterm)-/.test(id)));
  });

  it('holds every invariant after every fault: stock, 201s, idempotency, events, errors, recovery', () => {
    // The whole report on failure: which fault, which check, and the figures around it.
    expect({ failures: failuresOf(report), report: failuresOf(report).length ? formatReport(report) : '' }).toEqual({
      failures: [],
      report: '',
    });
  });

  it('lets no request fail while a replica stops gracefully', () => {
    const graceful = report.faults.filter((fault) => fault.graceful);

    expect(graceful.map((fault) => fault.id)).toEqual(FAULTS.filter((id) => id.startsWith('sigterm-')));
    graceful.forEach((fault) => expect({ [fault.id]: fault.traffic.errors }).toEqual({ [fault.id]: {} }));
  });
});
