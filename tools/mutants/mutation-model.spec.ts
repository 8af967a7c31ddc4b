import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyMutation, Mutation, StaleMutationError } from './mutation-model';
import { outcomeOf } from './jest-outcome';
import { PROTECTIONS } from './protections';

const mutation = (find: string | RegExp, replace: string): Mutation => ({
  id: 'drop-lock',
  invariant: 'no oversell',
  removes: 'a lock',
  file: 'apps/x/src/x.repository.ts',
  find,
  replace,
  tests: { project: 'int', paths: ['x.int-spec.ts'] },
});

describe(applyMutation.name, () => {
  it('replaces the one occurrence of an exact find text, $ signs in the replacement taken literally', () => {
    expect(applyMutation('SELECT 1 FOR UPDATE; -- $1', mutation('FOR UPDATE', '$1'))).toBe('SELECT 1 $1; -- $1');
  });

  it('applies a regular expression with its capture groups', () => {
    expect(applyMutation('ORDER BY "id" FOR UPDATE\n  ), "judged"', mutation(/ FOR UPDATE(\s*\))/, '$1'))).toBe(
      'ORDER BY "id"\n  ), "judged"',
    );
  });

  it.each([
    ['no longer occurs', 'SELECT 1', 0],
    ['occurs twice', 'FOR UPDATE; FOR UPDATE', 2],
  ])('refuses, naming the mutation and its file, a find text that %s', (_case, source, matches) => {
    const stale = () => applyMutation(source, mutation('FOR UPDATE', ''));

    expect(stale).toThrow(StaleMutationError);
    expect(stale).toThrow(
      `mutation "drop-lock" (no oversell): its find text occurs ${matches} times in apps/x/src/x.repository.ts`,
    );
  });

  // The list breaks in the unit tier, not only in a mutants run, when a refactor moves a protection.
  it.each(PROTECTIONS.map((protection) => [protection.id, protection]))(
    'finds the protection of %s exactly once in its file today',
    (_id, protection) => {
      const source = readFileSync(join(__dirname, '..', '..', protection.file), 'utf8');

      expect(applyMutation(source, protection)).not.toBe(source);
    },
  );

  it('keeps every protection id unique and kebab-case', () => {
    const ids = PROTECTIONS.map((protection) => protection.id);

    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id))).toEqual([]);
  });
});

describe(outcomeOf.name, () => {
  const report = (tests: Array<{ fullName: string; status: string }>, suite = { status: 'passed', message: '' }) => ({
    numPassedTests: tests.filter((test) => test.status === 'passed').length,
    numFailedTests: tests.filter((test) => test.status === 'failed').length,
    testResults: [{ name: '/repo/apps/x/test/x.int-spec.ts', ...suite, assertionResults: tests }],
  });

  it('calls a mutation caught by the tests that failed, named with their spec', () => {
    const outcome = outcomeOf(
      report([
        { fullName: 'x holds', status: 'passed' },
        { fullName: 'x refuses', status: 'failed' },
      ]),
      '/repo',
    );

    expect(outcome).toEqual({
      verdict: 'caught',
      passed: 1,
      failed: 1,
      caughtBy: ['apps/x/test/x.int-spec.ts › x refuses'],
    });
  });

  it('calls it survived when every selected test passed, and no-tests when none ran', () => {
    expect(outcomeOf(report([{ fullName: 'x holds', status: 'passed' }]), '/repo').verdict).toBe('survived');
    expect(outcomeOf(report([{ fullName: 'x holds', status: 'pending' }]), '/repo').verdict).toBe('no-tests');
  });

  it('counts a suite that could not run as caught, with its first line of error, and no report as an error', () => {
    const crashed = outcomeOf(report([], { status: 'failed', message: '\n  SyntaxError: oops\n  at x' }), '/repo');

    expect(crashed.caughtBy).toEqual(['apps/x/test/x.int-spec.ts: failed to run: SyntaxError: oops']);
    expect(outcomeOf(undefined, '/repo').verdict).toBe('error');
  });
});
