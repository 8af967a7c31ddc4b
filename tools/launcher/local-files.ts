import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';

/**
 * The launcher's state directory (.local/ by default) holds secrets generated once and kept: only
 * their owner may read them, and two launchers racing to create one must not both write it.
 */

/** Creates `dir` (and its parents) readable by its owner only; tightens it if it exists. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Writes `content` unless the file exists (`wx`: two launchers racing can't both write it). */
export function createOnce(path: string, content: () => string): boolean {
  if (existsSync(path)) {
    return false;
  }
  try {
    writeFileSync(path, content(), { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  }
}
