import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERTS_FILE, dashboardQueriesAsRules, RULE_TESTS_DIR, RULES_FILE_NAME, rulesFileOf } from './prometheus-rule';

/**
 * `npm run test:alerts`: unit tests of the alert rules with promtool (Prometheus' own evaluator).
 * The rules live in a PrometheusRule (k8s/components/monitoring/alerts.yaml); promtool reads plain
 * rules files, so their groups are extracted next to copies of the tests (tests/*.test.yaml), then
 * `promtool check rules` and `promtool test rules` run there. The Grafana dashboard's queries are
 * parsed the same way (as recording rules). PROMTOOL=/path overrides the binary.
 */
const promtool = process.env.PROMTOOL ?? 'promtool';

function requirePromtool(): void {
  const probe = spawnSync(promtool, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    process.stderr.write(
      `test:alerts needs promtool, and "${promtool}" ${probe.error ? `could not run (${probe.error.message})` : `exited ${probe.status}`}.\n` +
        'Install it (Debian/Ubuntu: apt-get install prometheus; or the prometheus-*.tar.gz of ' +
        'https://prometheus.io/download/, which ships promtool) or set PROMTOOL=/path/to/promtool.\n',
    );
    process.exit(2);
  }
}

function run(args: string[]): number {
  process.stdout.write(`$ promtool ${args.join(' ')}\n`);
  return spawnSync(promtool, args, { stdio: 'inherit' }).status ?? 1;
}

function main(): number {
  requirePromtool();
  const workDir = mkdtempSync(join(tmpdir(), 'bazaar-alert-rules-'));
  try {
    writeFileSync(join(workDir, RULES_FILE_NAME), rulesFileOf(ALERTS_FILE));
    writeFileSync(join(workDir, 'dashboard-queries.rules.yaml'), dashboardQueriesAsRules());
    const tests = readdirSync(RULE_TESTS_DIR).filter((name) => name.endsWith('.test.yaml'));
    if (tests.length === 0) {
      process.stderr.write(`No *.test.yaml in ${RULE_TESTS_DIR}\n`);
      return 1;
    }
    for (const test of tests) {
      copyFileSync(join(RULE_TESTS_DIR, test), join(workDir, test));
    }
    process.chdir(workDir);
    return run(['check', 'rules', RULES_FILE_NAME, 'dashboard-queries.rules.yaml']) || run(['test', 'rules', ...tests]);
  } finally {
    process.chdir(__dirname);
    rmSync(workDir, { recursive: true, force: true });
  }
}

process.exitCode = main();
