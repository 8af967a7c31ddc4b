/**
 * A protection-removing mutation: one small edit that deletes one protection, and the tests that
 * must go red when it is gone. Written as find/replace rather than as a diff so that a protection
 * moving a few lines (or to another function of the same file) keeps its mutation valid, while a
 * protection that changes shape or leaves its file breaks the list loudly (see `applyMutation`).
 */
export interface Mutation {
  /** Short, stable, kebab-case: `npm run test:mutants -- --only <id>`. */
  id: string;
  /** The invariant the protection keeps (issue 15's list), e.g. "no oversell". */
  invariant: string;
  /** What the edit removes, in one sentence. */
  removes: string;
  /** Repository-relative path of the file the protection lives in. */
  file: string;
  /** Exact text (or a regular expression) that must occur exactly once in `file`. */
  find: string | RegExp;
  /** What `find` becomes; for a RegExp, `$1`-style references work as in String.replace. */
  replace: string;
  tests: TestSelection;
}

export interface TestSelection {
  /** A jest project of jest.config.js; for e2e the built copies in dist/ are mutated too (npm run build first). */
  project: 'unit' | 'int' | 'e2e';
  /** Jest `--testPathPatterns` (regular expressions over the spec path). */
  paths: string[];
  /** Jest `-t`: only the tests whose full name matches (a regular expression). */
  name?: string;
}

/** A mutation that can no longer be applied: its protection moved, changed or left the file. */
export class StaleMutationError extends Error {
  constructor(mutation: Mutation, matches: number) {
    super(
      `mutation "${mutation.id}" (${mutation.invariant}): its find text occurs ${matches} times in ${mutation.file}, ` +
        `expected exactly once. The protection moved or changed: update tools/mutants/protections.ts ` +
        `(find: ${JSON.stringify(String(mutation.find))})`,
    );
    this.name = 'StaleMutationError';
  }
}

function countMatches(source: string, find: string | RegExp): number {
  if (typeof find === 'string') {
    return find.length === 0 ? 0 : source.split(find).length - 1;
  }
  const global = new RegExp(find.source, find.flags.includes('g') ? find.flags : `${find.flags}g`);
  return [...source.matchAll(global)].length;
}

/** The mutated source; throws StaleMutationError unless `find` occurs exactly once. */
export function applyMutation(source: string, mutation: Mutation): string {
  const matches = countMatches(source, mutation.find);
  if (matches !== 1) {
    throw new StaleMutationError(mutation, matches);
  }
  const mutated =
    typeof mutation.find === 'string'
      ? source.replace(mutation.find, () => mutation.replace)
      : source.replace(mutation.find, mutation.replace);
  if (mutated === source) {
    throw new Error(`mutation "${mutation.id}": replacing its find text changed nothing in ${mutation.file}`);
  }
  return mutated;
}
