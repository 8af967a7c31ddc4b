/**
 * `npm run test:mutants`: removes each protection of tools/mutants/protections.ts in turn from the
 * working tree, runs the tests named for it, records which test went red, and puts the file back.
 * Exits 1 if any protection can go without a test noticing (or its find text no longer matches).
 *
 *   --list        print the mutations and exit
 *   --only <id>   run one mutation (repeatable, or comma-separated)
 *   --baseline    first run each selection unmutated and require it green (proves "caught" means something)
 *   --out <dir>   where the report goes (default tools/mutants/results: latest.{md,json}, committed)
 *
 * The original of the file under mutation is also written to tools/mutants/.in-flight.json before
 * the edit: a run killed with SIGKILL leaves the tree mutated, and the next run restores it first.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JestOutcome, outcomeOf } from './jest-outcome';
import { applyMutation, Mutation, TestSelection } from './mutation-model';
import { PROTECTIONS } from './protections';
import { MutantResult, writeReport } from './write-report';

const ROOT_DIR = resolve(__dirname, '..', '..');
const IN_FLIGHT = join(ROOT_DIR, 'tools', 'mutants', '.in-flight.json');
const say = (line: string): void => void process.stdout.write(`[mutants] ${line}\n`);

interface Options {
  list: boolean;
  only: string[];
  baseline: boolean;
  outDir: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    list: false,
    only: [],
    baseline: false,
    outDir: join(ROOT_DIR, 'tools', 'mutants', 'results'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--list') {
      options.list = true;
    } else if (arg === '--baseline') {
      options.baseline = true;
    } else if (arg === '--only' && argv[i + 1]) {
      options.only.push(...argv[++i].split(','));
    } else if (arg === '--out' && argv[i + 1]) {
      options.outDir = resolve(argv[++i]);
    } else if (arg.startsWith('--only=')) {
      options.only.push(...arg.slice('--only='.length).split(','));
    } else {
      throw new Error(`unknown option ${arg} (use --list, --only <id>, --baseline, --out <dir>)`);
    }
  }
  const unknown = options.only.filter((id) => !PROTECTIONS.some((mutation) => mutation.id === id));
  if (unknown.length > 0) {
    throw new Error(`no mutation named ${unknown.join(', ')} (npm run test:mutants -- --list)`);
  }
  return options;
}

interface InFlight {
  files: Array<{ file: string; original: string }>;
}

/** Puts back the files a previous, killed run left mutated. */
function restoreInFlight(): void {
  if (!existsSync(IN_FLIGHT)) {
    return;
  }
  const { files } = JSON.parse(readFileSync(IN_FLIGHT, 'utf8')) as InFlight;
  for (const { file, original } of files) {
    writeFileSync(join(ROOT_DIR, file), original);
    say(`restored ${file}, left mutated by an interrupted run`);
  }
  rmSync(IN_FLIGHT);
}

/**
 * The e2e tier runs the built apps: a mutation it judges is applied to the source and to every
 * app's compiled copy of that file in dist/ (tsc keeps the statements' text), so no rebuild is
 * needed. A compiled copy the find text doesn't match means dist/ is stale: npm run build.
 */
function compiledCopies(mutation: Mutation): string[] {
  if (mutation.tests.project !== 'e2e') {
    return [];
  }
  const js = mutation.file.replace(/\.ts$/, '.js');
  const apps = existsSync(join(ROOT_DIR, 'dist', 'apps')) ? readdirSync(join(ROOT_DIR, 'dist', 'apps')) : [];
  const copies = apps.map((app) => join('dist', 'apps', app, js)).filter((file) => existsSync(join(ROOT_DIR, file)));
  if (copies.length === 0) {
    throw new Error(
      `mutation "${mutation.id}" is judged by e2e tests, but no built copy of ${js} exists: npm run build`,
    );
  }
  return copies;
}

let running: ReturnType<typeof spawn> | undefined;
let restore: (() => void) | undefined;

function onSignal(signal: NodeJS.Signals): void {
  say(`${signal}: stopping jest and restoring the tree`);
  running?.kill('SIGTERM');
  restore?.();
  process.exit(130);
}

function runJest(selection: TestSelection, label: string): Promise<JestOutcome> {
  const outDir = mkdtempSync(join(tmpdir(), 'bazaar-mutants-'));
  const outputFile = join(outDir, 'jest.json');
  const args = [
    join(ROOT_DIR, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--selectProjects',
    selection.project,
    '--runInBand',
    '--ci',
    '--json',
    '--outputFile',
    outputFile,
    ...selection.paths.flatMap((pattern) => ['--testPathPatterns', pattern]),
    ...(selection.name ? ['-t', selection.name] : []),
  ];
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: ROOT_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
    running = child;
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    });
    child.on('close', () => {
      running = undefined;
      const report = existsSync(outputFile) ? JSON.parse(readFileSync(outputFile, 'utf8')) : undefined;
      rmSync(outDir, { recursive: true, force: true });
      const outcome = outcomeOf(report, ROOT_DIR);
      if (outcome.verdict === 'error' || outcome.verdict === 'no-tests') {
        say(`${label}: jest gave ${outcome.verdict}; its last output:\n${tail}`);
      }
      resolvePromise(outcome);
    });
  });
}

async function runMutation(mutation: Mutation, baseline: boolean): Promise<MutantResult> {
  const files = [mutation.file, ...compiledCopies(mutation)].map((file) => {
    const original = readFileSync(join(ROOT_DIR, file), 'utf8');
    return { file, original, mutated: applyMutation(original, { ...mutation, file }) };
  });
  const started = Date.now();
  if (baseline) {
    const unmutated = await runJest(mutation.tests, `${mutation.id} (baseline)`);
    if (unmutated.verdict !== 'survived') {
      return { mutation, verdict: 'baseline-red', caughtBy: unmutated.caughtBy, seconds: 0 };
    }
  }
  const inFlight: InFlight = { files: files.map(({ file, original }) => ({ file, original })) };
  writeFileSync(IN_FLIGHT, JSON.stringify(inFlight));
  restore = () => {
    files.forEach(({ file, original }) => writeFileSync(join(ROOT_DIR, file), original));
    rmSync(IN_FLIGHT, { force: true });
    restore = undefined;
  };
  try {
    files.forEach(({ file, mutated }) => writeFileSync(join(ROOT_DIR, file), mutated));
    const outcome = await runJest(mutation.tests, mutation.id);
    return {
      mutation,
      verdict: outcome.verdict,
      caughtBy: outcome.caughtBy,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    restore?.();
  }
}

async function main(): Promise<number> {
  restoreInFlight();
  const options = parseOptions(process.argv.slice(2));
  const selected = options.only.length
    ? PROTECTIONS.filter((mutation) => options.only.includes(mutation.id))
    : PROTECTIONS;
  if (options.list) {
    for (const m of selected) {
      say(`${m.id.padEnd(34)} ${m.invariant.padEnd(28)} ${m.file}`);
    }
    return 0;
  }
  // Every find text is checked before anything runs: a stale list fails in a second, not after an hour.
  for (const mutation of selected) {
    for (const file of [mutation.file, ...compiledCopies(mutation)]) {
      applyMutation(readFileSync(join(ROOT_DIR, file), 'utf8'), { ...mutation, file });
    }
  }
  (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).forEach((signal) => process.once(signal, onSignal));
  const startedAt = new Date();
  const results: MutantResult[] = [];
  for (const mutation of selected) {
    say(`${mutation.id}: removing "${mutation.removes}" from ${mutation.file}`);
    const result = await runMutation(mutation, options.baseline);
    results.push(result);
    say(
      `${mutation.id}: ${result.verdict} in ${result.seconds} s${result.caughtBy[0] ? ` by ${result.caughtBy[0]}` : ''}`,
    );
  }
  const written = writeReport(
    join(ROOT_DIR, 'tools', 'mutants', 'results'),
    startedAt,
    results,
    options.only.length > 0,
  );
  say(`written ${written.join(', ')}`);
  const uncaught = results.filter((result) => result.verdict !== 'caught');
  if (uncaught.length > 0) {
    say(`NOT CAUGHT: ${uncaught.map((result) => `${result.mutation.id} (${result.verdict})`).join(', ')}`);
    return 1;
  }
  say(`all ${results.length} protections caught`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    restore?.();
    process.stderr.write(`[mutants] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
