import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatReport } from './format-report';
import { BenchReport } from './report-model';

/**
 * bench/results/<date>-<time>-<sha>[-quick|-cpuprof].{json,md}, plus latest.md for full runs,
 * latest-quick.md for --quick and latest-cpuprof.md for --cpu-prof: a CI smoke run or a profiled
 * (slower) run never replaces the committed headline figures.
 */
export function writeResults(outDir: string, report: BenchReport): { json: string; markdown: string; latest: string } {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.meta.startedAt
    .replace(/:\d\d\.\d+Z$/, '')
    .replace('T', '-')
    .replace(':', '');
  const kind = report.meta.quick ? '-quick' : report.profiles ? '-cpuprof' : '';
  const base = `${stamp}-${report.meta.gitSha}${kind}`;
  const markdown = `${formatReport(report)}\n`;
  const paths = {
    json: join(outDir, `${base}.json`),
    markdown: join(outDir, `${base}.md`),
    latest: join(outDir, `latest${kind}.md`),
  };
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(paths.markdown, markdown);
  writeFileSync(paths.latest, markdown);
  return paths;
}
