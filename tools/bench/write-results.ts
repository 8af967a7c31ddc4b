import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatReport } from './format-report';
import { BenchReport } from './report-model';

/**
 * bench/results/<date>-<time>-<sha>[-quick|-cpuprof][-<label>].{json,md}, plus latest.md for full
 * runs, latest-quick.md for --quick and latest-cpuprof.md for --cpu-prof: a CI smoke run or a
 * profiled (slower) run never replaces the committed headline figures. A labelled run (one
 * scenario at another size or duration, say) is kept under its label and replaces no latest file.
 */
export function writeResults(outDir: string, report: BenchReport): { json: string; markdown: string; latest?: string } {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.meta.startedAt
    .replace(/:\d\d\.\d+Z$/, '')
    .replace('T', '-')
    .replace(':', '');
  const kind = report.meta.quick ? '-quick' : report.profiles ? '-cpuprof' : '';
  const label = report.meta.label?.replace(/[^A-Za-z0-9._-]+/g, '-');
  const base = `${stamp}-${report.meta.gitSha}${kind}${label ? `-${label}` : ''}`;
  const markdown = `${formatReport(report)}\n`;
  const paths = {
    json: join(outDir, `${base}.json`),
    markdown: join(outDir, `${base}.md`),
    latest: label ? undefined : join(outDir, `latest${kind}.md`),
  };
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(paths.markdown, markdown);
  if (paths.latest) {
    writeFileSync(paths.latest, markdown);
  }
  return paths;
}
