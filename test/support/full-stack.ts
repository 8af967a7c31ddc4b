import { AppName, AppProcess, appProcess } from './process-stack';
import { TestTokenIssuer } from './auth-tokens';
import { PrivateNats, startPrivateNats } from './nats-server';
import { createTestDatabase, TestDatabase } from './test-database';

export const BACKENDS = ['auth', 'catalog', 'orders'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface FullStackOptions {
  /** Replicas per backend (default 1 each). */
  replicas?: Partial<Record<Backend, number>>;
  /** Extra environment per app. */
  env?: Partial<Record<AppName, Record<string, string>>>;
}

/**
 * The whole system as real processes (built `dist/`), on a private NATS and fresh databases, with
 * the auth service signing with a test key that the suite can also mint tokens with.
 */
export class FullStack {
  readonly processes: AppProcess[] = [];
  readonly databases = new Map<Backend, TestDatabase>();
  gateway!: AppProcess;
  nats!: PrivateNats;
  tokens!: TestTokenIssuer;

  static async start(label: string, options: FullStackOptions = {}): Promise<FullStack> {
    const stack = new FullStack();
    await stack.boot(label, options);
    return stack;
  }

  get url(): string {
    return this.gateway.baseUrl;
  }

  databaseUrl(backend: Backend): string {
    return this.databases.get(backend)!.url;
  }

  replicasOf(app: AppName): AppProcess[] {
    return this.processes.filter((p) => p.app === app);
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop('SIGKILL')));
    await this.nats?.dispose();
    await Promise.all([...this.databases.values()].map((d) => d.drop()));
  }

  private async boot(label: string, options: FullStackOptions): Promise<void> {
    this.nats = await startPrivateNats();
    this.tokens = await TestTokenIssuer.create();
    const common = { DB_POOL_SIZE: '5', LOG_LEVEL: 'warn' };
    for (const backend of BACKENDS) {
      const database = await createTestDatabase(`${label}${backend}`);
      this.databases.set(backend, database);
      const env = {
        ...common,
        ...this.nats.env(backend),
        DATABASE_URL: database.url,
        ...(backend === 'auth' ? this.tokens.authServiceEnv() : {}),
        ...options.env?.[backend],
      };
      const count = options.replicas?.[backend] ?? 1;
      for (let i = 1; i <= count; i++) {
        const replica = (await appProcess(backend, env, `${backend}-${i}`)).start();
        this.processes.push(replica);
        // The first replica migrates; the others then find nothing to do.
        if (i === 1) {
          await replica.waitUntilReady();
        }
      }
    }
    const gatewayEnv = {
      ...common,
      ...this.nats.env('gateway'),
      JWT_ISSUER: this.tokens.issuer,
      JWT_AUDIENCE: this.tokens.audience,
      RATE_LIMIT_RPM: '0',
      ...options.env?.gateway,
    };
    this.gateway = (await appProcess('gateway', gatewayEnv)).start();
    this.processes.push(this.gateway);
    await Promise.all(this.processes.map((p) => p.waitUntilReady()));
  }
}
