/** What one jest run under a mutation tells: read from jest's `--json --outputFile` report. */
export type MutationVerdict =
  /** At least one selected test failed: the protection is guarded. */
  | 'caught'
  /** Every selected test passed: the protection can go without a test noticing. */
  | 'survived'
  /** The selection ran no test at all (a renamed spec, a wrong -t): proves nothing. */
  | 'no-tests'
  /** Jest produced no readable report (it crashed, or was stopped). */
  | 'error';

export interface JestOutcome {
  verdict: MutationVerdict;
  passed: number;
  failed: number;
  /** Full names of the failed tests, or "<spec>: failed to run: …" for a suite that could not run. */
  caughtBy: string[];
}

interface JestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ fullName: string; status: string }>;
  }>;
}

export function outcomeOf(report: JestJsonReport | undefined, rootDir: string): JestOutcome {
  if (!report) {
    return { verdict: 'error', passed: 0, failed: 0, caughtBy: [] };
  }
  const caughtBy: string[] = [];
  for (const suite of report.testResults) {
    const spec = suite.name.startsWith(rootDir) ? suite.name.slice(rootDir.length + 1) : suite.name;
    const failedTests = suite.assertionResults.filter((test) => test.status === 'failed');
    caughtBy.push(...failedTests.map((test) => `${spec} › ${test.fullName}`));
    if (suite.status === 'failed' && failedTests.length === 0) {
      const firstLine = (suite.message ?? '').split('\n').find((line) => line.trim()) ?? 'no message';
      caughtBy.push(`${spec}: failed to run: ${firstLine.trim()}`);
    }
  }
  const passed = report.numPassedTests;
  const failed = report.numFailedTests;
  if (caughtBy.length > 0) {
    return { verdict: 'caught', passed, failed, caughtBy };
  }
  return { verdict: passed > 0 ? 'survived' : 'no-tests', passed, failed, caughtBy };
}
