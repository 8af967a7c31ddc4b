import { ChaosReport, FaultResult } from './report-model';

const seconds = (ms: number | null): string => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

function errorsCell(errors: Record<string, number>, resent = 0): string {
  const entries = Object.entries(errors).sort(([a], [b]) => a.localeCompare(b));
  const text = entries.length === 0 ? '0' : entries.map(([label, count]) => `${label}×${count}`).join(', ');
  return resent > 0 ? `${text} (+${resent} resent¹)` : text;
}

function invariantsCell(fault: FaultResult): string {
  const failed = fault.invariants.filter((invariant) => !invariant.ok);
  return failed.length === 0 ? `✓ all ${fault.invariants.length}` : `✗ ${failed.map((i) => i.name).join('; ')}`;
}

function row(fault: FaultResult): string {
  const cells = [
    `\`${fault.id}\``,
    String(fault.traffic.requests),
    errorsCell(fault.traffic.errors, fault.traffic.resentOnClosedConnection),
    `${fault.traffic.maxLatencyMs} ms`,
    seconds(fault.recovery.firstSuccessMs),
    seconds(fault.recovery.normalMs),
    seconds(fault.recovery.healthyMs),
    invariantsCell(fault),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The per-fault table, then what failed in detail, then every fault's notes and checks. */
export function formatReport(report: ChaosReport): string {
  const { meta } = report;
  const lines = [
    `# Chaos run ${meta.startedAt}${meta.quick ? ' (--quick)' : ''}: ${report.passed ? 'PASSED' : 'FAILED'}`,
    '',
    `git ${meta.gitSha}${meta.gitDirty ? ' (uncommitted changes in apps/ or libs/)' : ''}, node ${meta.node}, ` +
      `${meta.cpus} CPUs (load average ${meta.loadAverageAtStart.toFixed(1)} at start); every service at scale 2; ` +
      `${meta.clients} clients as ${meta.users} customers; ${meta.durationS} s of load before each fault and after recovery.`,
    `Answers must come within ${meta.answerBoundMs} ms (gateway timeout ${meta.gatewayTimeoutMs} ms + 1 s slack); ` +
      `nothing may stay pending longer than ${meta.pendingBoundMs} ms once the stack is healthy.`,
    '',
    '| fault | requests | errors by status | max latency | first success | normal error rate | all replicas ready | invariants |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |',
    ...report.faults.map(row),
    '',
    `Totals: ${report.totals.requests} requests (${report.totals.succeeded} 2xx), ${report.totals.ordersConfirmed} orders ` +
      `confirmed and ${report.totals.ordersCancelled} cancelled, ${report.totals.events} events committed.`,
    '',
    'Columns: _requests_ are every attempt (retries included) from the start of the fault’s load to its end; ' +
      '_errors_ are attempts that were neither a success nor a business answer (`409 insufficient-stock`, ' +
      '`409 idempotency-key-in-use`), by status, `connection` (reset/refused) or `timeout` (no answer: a hang); ' +
      'recovery times run from the end of the fault to the first success, to the last error, and to every replica ' +
      'ready and answering over NATS again.',
    '',
    '¹ _resent_: a request written on a kept-alive connection just as the server closed it while idle (a ' +
      'replica shutting down), which failed before any byte of an answer; the client resent it once, at once, on ' +
      'a new connection, as RFC 9112 §9.3.1 allows for requests known to be idempotent (GETs, logins, ' +
      'POSTs with an Idempotency-Key). Counted, not errors.',
  ];
  if (report.problems.length > 0) {
    lines.push('', '## Problems', '', ...report.problems.map((problem) => `- ${problem.split('\n')[0]}`));
  }
  lines.push('', '## Details');
  for (const fault of report.faults) {
    lines.push('', `### \`${fault.id}\`: ${fault.title}`, '');
    lines.push(...fault.notes.map((note) => `- ${note}`));
    lines.push(
      `- baseline before the fault: ${fault.baseline.requests} requests, errors ${errorsCell(fault.baseline.errors)}`,
    );
    for (const invariant of fault.invariants) {
      lines.push(`- ${invariant.ok ? '✓' : '✗'} ${invariant.name} (${invariant.checked} checked)`);
      lines.push(...invariant.violations.map((violation) => `  - ${violation}`));
    }
  }
  return lines.join('\n');
}
