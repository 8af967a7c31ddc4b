/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are asserted on by the tests, not trusted */
import {
  InProcessGateway,
  InProcessService,
  startGatewayInProcess,
  startServiceInProcess,
} from '@test/support/in-process';
import { expectEventually } from '@test/support/expect-eventually';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { generateTestSigningKey, TestSigningKey } from '@test/support/auth-tokens';
import { AuthModule, AUTH_SERVICE } from '../../src/auth.module';
import { AuthEnv } from '../../src/config/auth.env';

export const ISSUER = 'bazaar-auth-test';
export const AUDIENCE = 'bazaar-api-test';

/**
 * A private NATS, a fresh auth database, N auth replicas and one gateway, all in this process.
 * Replicas and the gateway can be restarted with other settings (key rotation, limits).
 */
export class AuthStack {
  nats: PrivateNats;
  database: TestDatabase;
  key: TestSigningKey;
  replicas: InProcessService[] = [];
  gateway: InProcessGateway;

  constructor(
    private readonly label: string,
    private readonly authEnv: Record<string, string> = {},
    private readonly gatewayEnv: Record<string, string> = {},
  ) {}

  async start(replicaCount = 1): Promise<this> {
    this.nats = await startPrivateNats();
    this.database = await createTestDatabase(this.label);
    this.key = await generateTestSigningKey('ES256');
    for (let i = 0; i < replicaCount; i++) {
      this.replicas.push(await this.startReplica(`auth-${i + 1}`));
    }
    this.gateway = await this.startGateway();
    return this;
  }

  get url(): string {
    return this.gateway.url;
  }

  startReplica(name: string, env: Record<string, string> = {}): Promise<InProcessService> {
    return startServiceInProcess({
      service: AUTH_SERVICE,
      envClass: AuthEnv,
      module: (config) => AuthModule.forRoot(config),
      env: {
        ...this.nats.env('auth'),
        DATABASE_URL: this.database.url,
        DB_POOL_SIZE: '4',
        REPLICA_ID: name,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        JWT_SIGNING_KEYS: this.key.privatePem,
        LOG_LEVEL: 'debug',
        ...this.authEnv,
        ...env,
      },
    });
  }

  async startGateway(
    env: Record<string, string> = {},
    extraModules: Parameters<typeof startGatewayInProcess>[1] = [],
  ): Promise<InProcessGateway> {
    const gateway = await startGatewayInProcess(
      {
        ...this.nats.env('gateway'),
        RATE_LIMIT_RPM: '0',
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        JWKS_REFETCH_INTERVAL_MS: '100',
        LOG_LEVEL: 'debug',
        ...this.gatewayEnv,
        ...env,
      },
      extraModules,
    );
    await expectEventually(async () => expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200));
    return gateway;
  }

  /** Every log line every app of this stack wrote (Nest's static logger is shared in one process). */
  allLogText(): string {
    return [...this.replicas, this.gateway].map((app) => app.logs.text()).join('\n');
  }

  async stop(): Promise<void> {
    await this.gateway?.close();
    for (const replica of this.replicas) {
      await replica.close();
    }
    await this.nats?.dispose();
    await this.database?.drop();
  }
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = any>(
  url: string,
  options: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (options.token !== undefined) {
    headers.authorization = `Bearer ${options.token}`;
  }
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body, text };
}
