import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './kustomize';

/**
 * .dockerignore semantics (moby/patternmatcher): patterns in order, `!` re-includes, the last
 * match wins, and a pattern matching a parent directory matches everything beneath it.
 */
export function loadDockerignore(path = join(REPO_ROOT, '.dockerignore')): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function toRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/^\/+|\/+$/g, '')
    .split(/(\*\*\/?|\*|\?)/)
    .map((part) => {
      if (part === '**/' || part === '**') {
        return '(?:.*/)?';
      }
      if (part === '*') {
        return '[^/]*';
      }
      if (part === '?') {
        return '[^/]';
      }
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}$`);
}

export function isExcluded(path: string, patterns: string[]): boolean {
  const prefixes = path.split('/').map((_part, index, parts) => parts.slice(0, index + 1).join('/'));
  let excluded = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = toRegExp(negated ? raw.slice(1) : raw);
    if (prefixes.some((prefix) => pattern.test(prefix))) {
      excluded = !negated;
    }
  }
  return excluded;
}
