import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectEventually } from './expect-eventually';
import { freePort } from './free-port';

export type AppName = 'gateway' | 'auth' | 'catalog' | 'orders';

const ROOT = join(__dirname, '..', '..');

export function appMain(app: AppName): string {
  const main = join(ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
  if (!existsSync(main)) {
    throw new Error(`${main} is missing: run \`npm run build\` before the e2e tests`);
  }
  return main;
}

/** One real app process, as production runs it, with its output kept for assertions. */
export class AppProcess {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly raw: string[] = [];
  private child?: ChildProcess;
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly app: AppName,
    readonly env: Record<string, string>,
    readonly httpPort: number,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  start(): this {
    const child = spawn(process.execPath, [appMain(this.app)], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let buffered = '';
    const collect = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts.filter((l) => l.trim())) {
        this.raw.push(line);
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // non-JSON output (e.g. a Node warning) stays in `raw` only
        }
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    return this;
  }

  async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    await expectEventually(
      async () => {
        const response = await fetch(`${this.baseUrl}/health/ready`);
        if (response.status !== 200) {
          throw new Error(`${this.app} not ready: ${response.status} ${await response.text()}`);
        }
      },
      timeoutMs,
      100,
    );
  }

  /** Started and not exited (a crash shows here). */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** SIGTERM (or another signal) and the exit that followed. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) {
      return this.exited();
    }
    this.child.kill(signal);
    return this.exited();
  }

  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exit ?? Promise.resolve({ code: null, signal: null });
  }
}

/** Ports and env for one process of each app, pointing at the suite's own NATS and databases. */
export async function appProcess(app: AppName, env: Record<string, string>, replica = `${app}-1`): Promise<AppProcess> {
  const port = await freePort();
  const portVar: Record<string, string> =
    app === 'gateway' ? { PORT: String(port), HOST: '127.0.0.1' } : { OPS_PORT: String(port) };
  return new AppProcess(app, { REPLICA_ID: replica, SHUTDOWN_GRACE_MS: '10000', ...portVar, ...env }, port);
}
