import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One throwaway compose project, driven through whichever Compose the machine has: v2
 * (`docker compose`, what users have) or Debian's `docker-compose` 1.29 (what CI machines have).
 * Its secrets are random, in an env file of its own (as an operator's `.env`), and an override
 * publishes NATS on loopback so the test can read the streams as the events consumer.
 */

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { timeoutMs?: number; input?: string } = {}) {
  return new Promise<CommandResult>((resolve) => {
    const child = execFile(
      command,
      args,
      { timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) {
      child.stdin?.end(options.input);
    }
  });
}

/** Runs a long command with its output streamed to ours, prefixed; rejects on a non-zero exit. */
export function stream(command: string, args: string[], prefix: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        process.stdout.write(`${prefix} ${line}\n`);
      }
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
  });
}

async function composeCommand(): Promise<string[]> {
  if ((await run('docker', ['compose', 'version'], { timeoutMs: 10_000 })).code === 0) {
    return ['docker', 'compose'];
  }
  if ((await run('docker-compose', ['version'], { timeoutMs: 10_000 })).code === 0) {
    return ['docker-compose'];
  }
  throw new Error('Neither `docker compose` (v2) nor `docker-compose` (1.29) is installed');
}

const secret = (bytes = 24): string => randomBytes(bytes).toString('base64url');

export interface ComposeSettings {
  httpPort: number;
  natsPort: number;
  adminEmail: string;
  adminPassword: string;
}

export class ComposeProject {
  readonly name = `bazaar-ct-${randomBytes(3).toString('hex')}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'bazaar-compose-test-'));

  private constructor(
    private readonly cli: string[],
    private readonly rootDir: string,
    readonly settings: ComposeSettings,
  ) {
    writeFileSync(join(this.dir, 'test.env'), this.envFile());
    writeFileSync(join(this.dir, 'override.yml'), this.override());
  }

  static async create(
    rootDir: string,
    settings: Omit<ComposeSettings, 'adminEmail' | 'adminPassword'>,
  ): Promise<ComposeProject> {
    return new ComposeProject(await composeCommand(), rootDir, {
      ...settings,
      adminEmail: 'ops@compose-test.example.com',
      adminPassword: secret(),
    });
  }

  get cliName(): string {
    return this.cli.join(' ');
  }

  /** An operator's .env: every secret set, none of the published defaults. */
  private envFile(): string {
    const values: Record<string, string> = {
      ADMIN_EMAIL: this.settings.adminEmail,
      ADMIN_PASSWORD: this.settings.adminPassword,
      AUTH_DB_PASSWORD: secret(),
      CATALOG_DB_PASSWORD: secret(),
      ORDERS_DB_PASSWORD: secret(),
      CATALOG_CURSOR_SECRET: secret(32),
      ORDERS_CURSOR_SECRET: secret(32),
      BAZAAR_HTTP_ADDR: `127.0.0.1:${this.settings.httpPort}`,
      // Every request of the test comes from one address.
      RATE_LIMIT_RPM: '0',
    };
    return `${Object.entries(values)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n')}\n`;
  }

  private override(): string {
    return [
      '# The compose test reads the streams as the events consumer: NATS on loopback only.',
      'services:',
      '  nats:',
      '    ports:',
      `      - 127.0.0.1:${this.settings.natsPort}:4222`,
      '',
    ].join('\n');
  }

  private args(rest: string[]): string[] {
    const files = ['-f', join(this.rootDir, 'docker-compose.yml'), '-f', join(this.dir, 'override.yml')];
    return [
      ...this.cli.slice(1),
      '-p',
      this.name,
      '--project-directory',
      this.rootDir,
      '--env-file',
      join(this.dir, 'test.env'),
      ...files,
      ...rest,
    ];
  }

  compose(rest: string[], timeoutMs = 600_000): Promise<CommandResult> {
    return run(this.cli[0], this.args(rest), { timeoutMs });
  }

  streamCompose(rest: string[], prefix: string): Promise<void> {
    return stream(this.cli[0], this.args(rest), prefix);
  }

  /** Ids of the project's containers of one compose service (running ones unless `all`). */
  async containers(service: string, all = false): Promise<string[]> {
    const filters = [
      '--filter',
      `label=com.docker.compose.project=${this.name}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
    ];
    const result = await run('docker', ['ps', ...(all ? ['-a'] : []), '-q', ...filters]);
    return result.stdout.split('\n').filter(Boolean);
  }

  async exec(service: string, command: string[]): Promise<string> {
    const result = await this.compose(['exec', '-T', service, ...command], 60_000);
    if (result.code !== 0) {
      throw new Error(`exec ${service} ${command.join(' ')} failed: ${result.stderr}`);
    }
    return result.stdout;
  }

  /** What is left of the project once it is down: containers, networks, volumes (should be none). */
  async leftovers(): Promise<string[]> {
    const label = `label=com.docker.compose.project=${this.name}`;
    const listings = await Promise.all([
      run('docker', ['ps', '-a', '-q', '--filter', label]),
      run('docker', ['network', 'ls', '-q', '--filter', label]),
      run('docker', ['volume', 'ls', '-q', '--filter', label]),
    ]);
    return listings.flatMap((listing, i) =>
      listing.stdout
        .split('\n')
        .filter(Boolean)
        .map((id) => `${['container', 'network', 'volume'][i]} ${id}`),
    );
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
