/**
 * npm run contract:compat — fails when the working tree's wire contract would break a peer built
 * against the base: the newest `v*` release tag by default (docs/contracts.md). Each team deploys
 * its service alone, so every release must still talk to the previous release of every other one.
 *
 *   CONTRACT_BASE=<ref>   compare with this ref instead
 *   --write               also rewrite libs/contracts/contract.json (the reviewed snapshot)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compareContracts } from './compare-contracts';
import { describeContract } from './describe-contract';

const ROOT = resolve(__dirname, '..', '..');
export const SNAPSHOT = 'libs/contracts/contract.json';

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function tryGit(...args: string[]): string | undefined {
  try {
    return git(...args) || undefined;
  } catch {
    return undefined;
  }
}

/** CONTRACT_BASE, else the newest release tag, else main's merge base, else the previous commit. */
function baseRef(): { ref: string; why: string } {
  if (process.env.CONTRACT_BASE) {
    return { ref: process.env.CONTRACT_BASE, why: 'CONTRACT_BASE' };
  }
  const tag = tryGit('tag', '--list', 'v*', '--sort=-v:refname')?.split('\n')[0];
  if (tag) {
    return { ref: tag, why: 'newest release tag' };
  }
  const mergeBase = tryGit('merge-base', 'HEAD', 'origin/main');
  if (mergeBase) {
    return { ref: mergeBase, why: 'merge base with origin/main' };
  }
  return { ref: 'HEAD~1', why: 'previous commit (no release tag, no origin/main)' };
}

/**
 * The base's contract files in a temporary directory (git archive), with this checkout's
 * node_modules linked in so their imports resolve; undefined when the base has no declared contract.
 */
function materialise(ref: string): string | undefined {
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  if (tryGit('cat-file', '-t', `${commit}:libs/contracts/src/contract.ts`) === undefined) {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bazaar-contract-base-'));
  const archive = execFileSync('git', ['archive', '--format=tar', commit, 'tsconfig.json', 'libs/contracts'], {
    cwd: ROOT,
    maxBuffer: 1 << 28,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function main(): number {
  const head = describeContract(ROOT);
  if (process.argv.includes('--write')) {
    writeFileSync(join(ROOT, SNAPSHOT), `${JSON.stringify(head, null, 2)}\n`);
    // Formatted as `npm run lint` (prettier --check) expects it.
    execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', SNAPSHOT], { cwd: ROOT });
    console.log(`wrote ${SNAPSHOT}`);
  }
  const { ref, why } = baseRef();
  let baseDir: string | undefined;
  try {
    baseDir = materialise(ref);
  } catch (error) {
    console.error(`contract:compat: cannot read the base ${ref} (${why}): ${(error as Error).message}`);
    return 2;
  }
  if (!baseDir) {
    console.log(`contract:compat: the base ${ref} (${why}) declares no contract maps; nothing to compare.`);
    return 0;
  }
  try {
    const changes = compareContracts(describeContract(baseDir), head);
    const counts = `${Object.keys(head.rpc).length} subjects, ${Object.keys(head.events).length} events, ${Object.keys(head.errorCodes).length} error codes`;
    if (changes.length === 0) {
      console.log(`contract:compat: compatible with ${ref} (${why}); ${counts}.`);
      return 0;
    }
    console.error(`contract:compat: ${changes.length} breaking change(s) against ${ref} (${why}):`);
    for (const change of changes) {
      console.error(`  BREAKING ${change.where}: ${change.problem}`);
    }
    console.error('Additive changes only within a major version: see docs/contracts.md for how to change safely.');
    return 1;
  } finally {
    rmSync(baseDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.exitCode = main();
}
