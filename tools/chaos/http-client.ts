import { Agent, request } from 'node:http';

/** What one HTTP request came back with, as a client sees it. */
export interface Answer {
  start: number;
  end: number;
  status?: number;
  /** The problem+json `code` of an error answer. */
  code?: string;
  body?: unknown;
  /** `Idempotent-Replayed: true`: the answer of an earlier request with the same key. */
  replayed: boolean;
  retryAfterS?: number;
  /** No HTTP answer: the connection failed (refused, reset) or nothing came back within the client's timeout. */
  failure?: 'connection' | 'timeout';
  /**
   * A connection failure as the client met it: the socket error code (ECONNRESET, ECONNREFUSED, …),
   * its message (`socket hang up`, `read ECONNRESET`, `aborted`), and whether the connection was new
   * or reused and whether the answer had begun: what tells a server's fault from a race of the client.
   */
  failureCode?: string;
  /**
   * The connection failed before any byte of an answer, on a kept-alive socket reused from the pool:
   * the server closed it while it was idle, as HTTP/1.1 lets it at any time (a replica shutting down
   * does), and the request crossed the close. RFC 9112 §9.3.1: a client may resend such a request
   * when it knows it to be idempotent (a GET, or a POST with an Idempotency-Key).
   */
  staleConnection?: boolean;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

function describeFailure(error: NodeJS.ErrnoException, reused: boolean, answered: boolean): string {
  const message = error.message === error.code ? '' : `${error.message}, `;
  return `${error.code ?? 'error'} (${message}${reused ? 'reused' : 'new'} connection${answered ? ', mid-answer' : ''})`;
}

/**
 * A keep-alive HTTP client, as real API clients are (so a replica's shutdown meets connections it
 * must close properly). Its timeout only detects hangs: it is far above the gateway's own bound.
 */
export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  /** For a resend: a connection of its own, never one from the pool the server may be closing. */
  private readonly freshAgent = new Agent({ keepAlive: false, maxSockets: 64 });
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.base = new URL(baseUrl);
  }

  send(method: string, path: string, options: RequestOptions = {}, newConnection = false): Promise<Answer> {
    const start = Date.now();
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise<Answer>((resolve) => {
      let settled = false;
      const finish = (answer: Omit<Answer, 'start' | 'end' | 'replayed'> & { replayed?: boolean }): void => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve({ replayed: false, ...answer, start, end: Date.now() });
        }
      };
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: newConnection ? this.freshAgent : this.agent,
          headers: {
            ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            ...options.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error: NodeJS.ErrnoException) =>
            finish({ failure: 'connection', failureCode: describeFailure(error, req.reusedSocket, true) }),
          );
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text
            }
            const retryAfter = Number(res.headers['retry-after']);
            finish({
              status: res.statusCode,
              code: (body as { code?: string } | undefined)?.code,
              body,
              replayed: res.headers['idempotent-replayed'] === 'true',
              retryAfterS: Number.isFinite(retryAfter) ? retryAfter : undefined,
            });
          });
        },
      );
      const timer = setTimeout(() => {
        finish({ failure: 'timeout' });
        req.destroy();
      }, this.timeoutMs);
      let answered = false;
      req.on('response', () => {
        answered = true;
      });
      req.on('error', (error: NodeJS.ErrnoException) =>
        finish({
          failure: 'connection',
          failureCode: describeFailure(error, req.reusedSocket, answered),
          staleConnection: req.reusedSocket && !answered,
        }),
      );
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
    this.freshAgent.destroy();
  }
}
