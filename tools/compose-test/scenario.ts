import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { Api } from './api';
import { ComposeProject, run } from './compose-cli';

/** What a first user does through nginx, and what the stack must show for it. */

export interface Shopper {
  token: string;
  productId: string;
  initialStock: number;
  adminToken: string;
}

function check(condition: boolean, message: string): void {
  if (!condition) {
    throw new Error(message);
  }
}

export async function createShopper(api: Api, project: ComposeProject, stock: number): Promise<Shopper> {
  const adminToken = await api.login(project.settings.adminEmail, project.settings.adminPassword);
  const sku = `CT-${randomUUID().slice(0, 8)}`;
  const product = await api.expect<{ id: string }>(201, 'POST', '/v1/products', {
    token: adminToken,
    body: { sku, name: 'Compose test mug', priceCents: 1200, stock },
  });
  const email = `shopper-${randomUUID()}@compose-test.example.com`;
  const password = 'a-long-enough-password-1';
  await api.expect(201, 'POST', '/v1/auth/register', { body: { email, password } });
  const token = await api.login(email, password);
  return { token, productId: product.id, initialStock: stock, adminToken };
}

/** Register, log in, browse, order, cancel; the docs are served (the traced image carries their assets). */
export async function firstUserFlow(api: Api, shopper: Shopper): Promise<string> {
  const me = await api.expect<{ email: string }>(200, 'GET', '/v1/auth/me', { token: shopper.token });
  check(me.email.includes('@compose-test.example.com'), `me answered ${JSON.stringify(me)}`);
  const page = await api.expect<{ items: Array<{ id: string }> }>(200, 'GET', '/v1/products?limit=100');
  check(
    page.items.some((item) => item.id === shopper.productId),
    'the new product is not listed',
  );
  await api.expect(200, 'GET', `/v1/products/${shopper.productId}`);
  const order = await api.expect<{ id: string; status: string }>(201, 'POST', '/v1/orders', {
    token: shopper.token,
    body: { items: [{ productId: shopper.productId, quantity: 2 }] },
    headers: { 'idempotency-key': randomUUID() },
  });
  check(order.status === 'confirmed', `order is ${order.status}`);
  const cancelled = await api.expect<{ status: string }>(200, 'POST', `/v1/orders/${order.id}/cancel`, {
    token: shopper.token,
  });
  check(cancelled.status === 'cancelled', `cancel answered ${cancelled.status}`);
  const product = await api.expect<{ stock: number }>(200, 'GET', `/v1/products/${shopper.productId}`);
  check(
    product.stock === shopper.initialStock,
    `stock is ${product.stock} after order and cancel, not ${shopper.initialStock}`,
  );
  await api.expect(200, 'GET', '/docs');
  await api.expect(200, 'GET', '/docs/openapi.json');
  return order.id;
}

/**
 * The order's events, read from the ORDERS stream as the read-only events consumer (its password
 * from the server's volume); and a stranger without credentials is refused by the bus.
 */
export async function orderEvents(project: ComposeProject, orderId: string): Promise<string[]> {
  const servers = `nats://127.0.0.1:${project.settings.natsPort}`;
  const stranger = await connect({ servers, reconnect: false }).then(
    (connection) => connection.close().then(() => 'connected'),
    (error: unknown) => String(error),
  );
  check(/Authorization Violation/i.test(stranger), `a client without credentials got: ${stranger}`);
  const pass = (await project.exec('nats', ['cat', '/run/bazaar/nats/events-password'])).trim();
  const connection = await connect({ servers, user: 'events', pass, reconnect: false });
  try {
    const manager = await jetstreamManager(connection);
    const { state } = await manager.streams.info('ORDERS');
    const subjects: string[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const message = await manager.streams.getMessage('ORDERS', { seq });
      if (message && message.json<{ data: { id: string } }>().data.id === orderId) {
        subjects.push(message.subject);
      }
    }
    return subjects;
  } finally {
    await connection.close();
  }
}

/** Requests per gateway replica, from each one's own /metrics (only reachable inside its container). */
export async function requestsPerGateway(project: ComposeProject): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const script = "fetch('http://127.0.0.1:3000/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))";
  for (const id of await project.containers('gateway')) {
    const metrics = (await run('docker', ['exec', id, 'node', '-e', script])).stdout;
    const total = metrics
      .split('\n')
      .filter((line) => line.startsWith('bazaar_http_requests_total{'))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    counts.set(id.slice(0, 12), total);
  }
  return counts;
}
