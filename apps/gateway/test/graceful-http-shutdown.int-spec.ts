import { TestTokenIssuer } from '@test/support/auth-tokens';
import { expectEventually } from '@test/support/expect-eventually';
import { InProcessGateway, startGatewayInProcess } from '@test/support/in-process';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { connect, Socket } from 'node:net';

/** A TCP connection the gateway has accepted, with nothing sent on it yet. */
function openConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Whatever comes back on the socket until the server closes it ('' if it closes without a word). */
function answerOn(socket: Socket, request: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
    socket.write(request);
  });
}

function refusesConnections(port: number): Promise<boolean> {
  return openConnection(port).then(
    (socket) => {
      socket.destroy();
      return false;
    },
    () => true,
  );
}

/**
 * Found by `npm run chaos` (SIGTERM of a gateway replica under load): Node's `server.close()` stops
 * accepting and, in the same instant, destroys every connection without a request in progress,
 * including one accepted a moment earlier whose request is still on the wire. That client got a
 * reset for a request the gateway never read. The gateway now stops accepting first, answers what
 * arrives on the connections it already holds (with `Connection: close`), and only then closes idle ones.
 */
describe('Gateway graceful HTTP shutdown', () => {
  let nats: PrivateNats;
  let tokens: TestTokenIssuer;
  let gateway: InProcessGateway;
  let port: number;

  beforeEach(async () => {
    nats = await startPrivateNats();
    tokens = await TestTokenIssuer.create();
    gateway = await startGatewayInProcess({ ...nats.env('gateway'), RATE_LIMIT_RPM: '0', ...tokens.gatewayEnv() });
    port = Number(new URL(gateway.url).port);
  });

  afterEach(async () => {
    await gateway.close();
    await nats.dispose();
  });

  it('answers a request on a connection it accepted just before closing, and asks the client to hang up', async () => {
    const socket = await openConnection(port);

    const closing = gateway.close();
    await expectEventually(async () => expect(await refusesConnections(port)).toBe(true), 5000, 10);
    const answer = await answerOn(socket, 'GET /health/live HTTP/1.1\r\nHost: gateway\r\n\r\n');
    await closing;

    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
  });

  it('still authenticates a request that arrives while it drains (a 503 from the absent auth service, not a 500)', async () => {
    const { token } = await tokens.customer();
    const socket = await openConnection(port);

    const closing = gateway.close();
    await expectEventually(async () => expect(await refusesConnections(port)).toBe(true), 5000, 10);
    const answer = await answerOn(
      socket,
      `GET /v1/auth/me HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    );
    await closing;

    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toContain('"code":"service-unavailable"');
  });
});
