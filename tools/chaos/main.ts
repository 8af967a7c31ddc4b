/**
 * `npm run chaos`: Bazaar at scale 2 under a steady mixed load, one fault at a time (replicas
 * killed, frozen, stopped and rolled; NATS restarted; the catalog database cut and slowed), with
 * the invariants checked after each. Prints a table and writes chaos/results/. See tools/chaos/README.md.
 */
import { resolve } from 'node:path';
import { formatReport } from './format-report';
import { CHAOS_USAGE, ChaosOptions, ChaosUsageError, parseChaosOptions } from './options';
import { runChaos } from './run-chaos';
import { writeResults } from './write-results';

const ROOT_DIR = resolve(__dirname, '..', '..');

function say(message: string): void {
  process.stderr.write(`chaos: ${message}\n`);
}

async function main(): Promise<number> {
  let options: ChaosOptions;
  try {
    options = parseChaosOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ChaosUsageError) {
      say(`${error.message} (npm run chaos -- --help)`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(CHAOS_USAGE);
    return 0;
  }
  const selected = process.argv.slice(2).some((arg) => arg.startsWith('--faults'));
  const report = await runChaos({ rootDir: ROOT_DIR, options, log: say });
  process.stdout.write(`\n${formatReport(report)}\n`);
  const written = writeResults(resolve(ROOT_DIR, options.outDir), report, selected);
  say(`written ${written.join(', ')}`);
  if (!report.passed) {
    say('FAILED: see the ✗ lines above');
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
