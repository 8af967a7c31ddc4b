import { setTimeout as sleep } from 'node:timers/promises';

/** The API through nginx, as a client sees it. */

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export class Api {
  constructor(private readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) {
      headers.authorization = `Bearer ${options.token}`;
    }
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(40_000),
    });
    const text = await response.text();
    const json = /json/.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      body: (json && text ? JSON.parse(text) : { text }) as T,
      headers: response.headers,
    };
  }

  /** The call must answer `status`; anything else fails the run with what it got. */
  async expect<T = Record<string, unknown>>(
    status: number,
    method: string,
    path: string,
    options: Parameters<Api['call']>[2] = {},
  ): Promise<T> {
    const answer = await this.call<T>(method, path, options);
    if (answer.status !== status) {
      throw new Error(`${method} ${path}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }

  /** A read, retried as a client would while replicas die (502/503/504, a dropped connection). */
  async read<T = Record<string, unknown>>(path: string, token?: string): Promise<T> {
    const answer = await withRetries(() => this.call<T>('GET', path, { token }), { count: 0 });
    if (answer.status !== 200) {
      throw new Error(`GET ${path}: expected 200 after retries, got ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }

  async login(email: string, password: string): Promise<string> {
    const tokens = await this.expect<{ accessToken: string }>(200, 'POST', '/v1/auth/login', {
      body: { email, password },
    });
    return tokens.accessToken;
  }
}

/** What a client does with a request it may repeat: retry on 502/503/504 or a dropped connection. */
export async function withRetries<T>(
  attempt: () => Promise<Answer<T>>,
  retries: { count: number },
  maxAttempts = 40,
): Promise<Answer<T>> {
  for (let tries = 1; ; tries++) {
    const answer = await attempt().catch((error: unknown) => ({
      status: 0,
      body: String(error) as T,
      headers: new Headers(),
    }));
    const transient = answer.status === 0 || answer.status === 502 || answer.status === 503 || answer.status === 504;
    const inUse = (answer.body as { code?: string } | undefined)?.code === 'idempotency-key-in-use';
    if ((!transient && !inUse) || tries >= maxAttempts) {
      return answer;
    }
    retries.count++;
    await sleep(Math.min(2000, 100 * 2 ** Math.min(tries, 4)) * (0.5 + Math.random()));
  }
}
