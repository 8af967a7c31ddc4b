import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { say } from './terminal';

/**
 * Builds only when something the build reads changed since the launcher's last successful build
 * (a full `nest build --all` takes ~40 s on a 2-core machine). The stamp is written only after a
 * build succeeded, so a failed build is retried next time even if it emitted some files.
 */

const STAMP = 'dist/.launcher-build-stamp';
const SOURCE_DIRS = ['apps', 'libs'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

function newestMtime(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) {
    return 0;
  }
  if (!stats.isDirectory()) {
    return stats.mtimeMs;
  }
  return readdirSync(path)
    .filter((entry) => entry !== 'node_modules')
    .reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stats.mtimeMs);
}

export function buildIsCurrent(rootDir: string): boolean {
  const stamp = statSync(join(rootDir, STAMP), { throwIfNoEntry: false });
  if (!stamp) {
    return false;
  }
  const sources = [...SOURCE_DIRS, ...SOURCE_FILES].map((path) => newestMtime(join(rootDir, path)));
  return Math.max(...sources) < stamp.mtimeMs;
}

/** `npm run build`, its output shown as is: compiler errors must be readable. */
export async function runBuild(rootDir: string, signal: AbortSignal): Promise<void> {
  if (buildIsCurrent(rootDir)) {
    say('dist/ is up to date with the sources: not rebuilding');
    return;
  }
  say('Building (npm run build; --no-build skips this)…');
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { cwd: rootDir, stdio: 'inherit', signal });
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new Error(
      `The build failed (exit code ${code}); fix the errors above, or use --no-build to run the last build`,
    );
  }
  // Dated when the build started: a file saved while it ran is newer, so the next start rebuilds.
  writeFileSync(join(rootDir, STAMP), `${new Date(started).toISOString()}\n`);
  utimesSync(join(rootDir, STAMP), started / 1000, started / 1000);
  say(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** With --no-build, a missing entry point would otherwise surface as a cryptic child crash. */
export function assertBuilt(rootDir: string, mains: readonly string[]): void {
  const missing = mains.filter((main) => !existsSync(join(rootDir, main)));
  if (missing.length > 0) {
    throw new Error(`Not built: ${missing.join(', ')} missing. Run \`npm run build\` (or drop --no-build).`);
  }
}
