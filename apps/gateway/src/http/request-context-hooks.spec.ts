import Fastify, { FastifyInstance } from 'fastify';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { currentRequestId } from '@app/common/context';
import { installRequestContextHooks } from './request-context-hooks';

/** A handler that, like the gateway's, reads the request id after awaiting something. */
async function requestIdAfterAwait(): Promise<{ requestId: string | undefined }> {
  await nextTurn();
  return { requestId: currentRequestId() };
}

describe(installRequestContextHooks.name, () => {
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    app = Fastify({ genReqId: (request) => String(request.headers['x-request-id'] ?? 'fresh') });
    installRequestContextHooks(app);
    app.get('/probe', requestIdAfterAwait);
    app.post('/probe', requestIdAfterAwait);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(() => app.close());

  it('runs a request without a body inside its request context', async () => {
    const response = await fetch(`${url}/probe`, { headers: { 'x-request-id': 'get-1' } });

    expect(await response.json()).toEqual({ requestId: 'get-1' });
  });

  it('runs a request with a body inside its request context, though its body arrives later', async () => {
    // Sent in pieces, so the body is parsed from later socket reads than the headers.
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"pad":"'));
        await new Promise((resolve) => setTimeout(resolve, 20));
        controller.enqueue(new TextEncoder().encode(`${'x'.repeat(64 * 1024)}"}`));
        controller.close();
      },
    });

    const response = await fetch(`${url}/probe`, {
      method: 'POST',
      headers: { 'x-request-id': 'post-1', 'content-type': 'application/json' },
      body,
      duplex: 'half',
    });

    expect(await response.json()).toEqual({ requestId: 'post-1' });
  });

  it('keeps concurrent requests apart', async () => {
    const ids = Array.from({ length: 20 }, (_, index) => `many-${index}`);

    const answers = await Promise.all(
      ids.map(async (id, index) => {
        const response = await fetch(`${url}/probe`, {
          method: index % 2 ? 'POST' : 'GET',
          headers: { 'x-request-id': id, ...(index % 2 ? { 'content-type': 'application/json' } : {}) },
          ...(index % 2 ? { body: JSON.stringify({ index }) } : {}),
        });
        return ((await response.json()) as { requestId: string }).requestId;
      }),
    );

    expect(answers).toEqual(ids);
  });
});
