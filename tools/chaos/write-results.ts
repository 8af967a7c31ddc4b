import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatReport } from './format-report';
import { ChaosReport } from './report-model';

/**
 * chaos/results/<date>-<time>-<sha>[-quick].{json,md}, plus latest.md for full runs and
 * latest-quick.md for --quick runs (a CI-sized run never replaces the headline results).
 * A run of selected faults (--faults) writes its dated files only.
 */
export function writeResults(outDir: string, report: ChaosReport, selected: boolean): string[] {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.meta.startedAt
    .replace(/:\d\d\.\d+Z$/, '')
    .replace('T', '-')
    .replace(':', '');
  const kind = report.meta.quick ? '-quick' : '';
  const base = join(outDir, `${stamp}-${report.meta.gitSha}${kind}${selected ? '-selected' : ''}`);
  const markdown = `${formatReport(report)}\n`;
  const written = [`${base}.json`, `${base}.md`];
  writeFileSync(written[0], `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(written[1], markdown);
  if (!selected) {
    const latest = join(outDir, `latest${kind}.md`);
    writeFileSync(latest, markdown);
    written.push(latest);
  }
  return written;
}
