import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MutationVerdict } from './jest-outcome';
import { Mutation } from './mutation-model';

export interface MutantResult {
  mutation: Mutation;
  /** baseline-red: the selected tests already fail without the mutation (--baseline). */
  verdict: MutationVerdict | 'baseline-red';
  caughtBy: string[];
  seconds: number;
}

function gitSha(): string {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatReport(startedAt: Date, sha: string, results: MutantResult[]): string {
  const caught = results.filter((result) => result.verdict === 'caught').length;
  const total = results.reduce((sum, result) => sum + result.seconds, 0);
  const rows = results.map(({ mutation, verdict, caughtBy, seconds }) => {
    const shown = caughtBy.slice(0, 2).join('<br>') + (caughtBy.length > 2 ? `<br>(+${caughtBy.length - 2} more)` : '');
    return `| ${mutation.id} | ${cell(mutation.invariant)} | ${cell(mutation.removes)} | \`${mutation.file}\` | ${verdict === 'caught' ? 'caught' : `**${verdict}**`} | ${cell(shown) || '—'} | ${seconds} |`;
  });
  return [
    `# Protection-removal mutants (npm run test:mutants)`,
    '',
    `${startedAt.toISOString()} at ${sha}: **${caught} of ${results.length} caught**, ${total} s of test runs.`,
    '',
    '| id | invariant | protection removed | file | verdict | caught by | s |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** results/<stamp>-<sha>.{json,md}, plus latest.{md,json} when every mutation ran (not --only). */
export function writeReport(outDir: string, startedAt: Date, results: MutantResult[], partial: boolean): string[] {
  mkdirSync(outDir, { recursive: true });
  const sha = gitSha();
  const markdown = formatReport(startedAt, sha, results);
  const json = `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      gitSha: sha,
      results: results.map(({ mutation, ...rest }) => ({
        id: mutation.id,
        invariant: mutation.invariant,
        removes: mutation.removes,
        file: mutation.file,
        tests: mutation.tests,
        ...rest,
      })),
    },
    null,
    2,
  )}\n`;
  const base = partial ? 'last-partial' : 'latest';
  const written = [join(outDir, `${base}.md`), join(outDir, `${base}.json`)];
  writeFileSync(written[0], markdown);
  writeFileSync(written[1], json);
  return written;
}
