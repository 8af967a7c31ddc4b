import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, errors as natsErrors, NatsConnection } from '@nats-io/transport-node';
import { AUTH_PATTERNS, AUTH_STREAM, CATALOG_PATTERNS, ORDERS_PATTERNS, ORDERS_STREAM } from '@app/contracts';
import { BusIdentity } from '@app/common/messaging';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { containersInUse } from '@test/support/test-containers';

/**
 * The bus as an intruder inside the network finds it: a real nats-server running the shipped
 * configuration (deploy/nats/nats-server.conf + authorization.conf). Every refusal here is the
 * server's (a permissions or authorization violation), never the application's. It runs on the
 * machine's nats-server (2.9 here) and, where a container engine answers, on the image compose
 * runs (a current release): the configuration must hold on both.
 */
const SERVERS = containersInUse() ? (['process', 'container'] as const) : (['process'] as const);

describe.each(SERVERS)('NATS bus permissions (deploy/nats, shipped configuration, nats-server as a %s)', (via) => {
  let nats: PrivateNats;
  const connections = new Map<BusIdentity, NatsConnection>();
  const as = (identity: BusIdentity): NatsConnection => connections.get(identity)!;
  const packet = (data: unknown): string => JSON.stringify({ pattern: 'x', data, id: '1' });
  /** nats.js wraps what went wrong with a request in a RequestError: its cause says what. */
  const causeOf = (error: unknown): unknown =>
    error instanceof natsErrors.RequestError && error.cause !== undefined ? error.cause : error;
  /** The request's failure, unwrapped (or undefined if it got an answer). */
  const failureOf = (request: Promise<unknown>): Promise<unknown> =>
    request.then(
      () => undefined,
      (error: unknown) => causeOf(error),
    );

  /** A request the server refuses to carry: rejected with a publish PermissionViolationError. */
  const expectPublishRefused = async (identity: BusIdentity, subject: string): Promise<void> => {
    const refusal = await failureOf(as(identity).request(subject, packet({}), { timeout: 2000 }));
    expect(refusal).toBeInstanceOf(natsErrors.PermissionViolationError);
    expect(refusal).toMatchObject({ operation: 'publish', subject });
  };

  /**
   * A subscription the server refuses: its callback gets a subscription PermissionViolationError.
   * The server answers a SUB it refuses with -ERR before it answers the PING of a flush, so once the
   * flush is back the verdict is in: no timer decides it.
   */
  const subscriptionRefusal = async (identity: BusIdentity, subject: string, queue?: string): Promise<unknown> => {
    let outcome: unknown;
    as(identity).subscribe(subject, {
      queue,
      callback: (error) => {
        outcome ??= error ?? 'received a message';
      },
    });
    await as(identity).flush();
    return outcome ?? 'accepted';
  };

  const expectSubscriptionRefused = async (identity: BusIdentity, subject: string, queue?: string): Promise<void> => {
    const refusal = await subscriptionRefusal(identity, subject, queue);
    expect(refusal).toBeInstanceOf(natsErrors.PermissionViolationError);
    expect(refusal).toMatchObject({ operation: 'subscription', subject });
  };

  beforeAll(async () => {
    nats = await startPrivateNats({ via });
    for (const identity of ['gateway', 'auth', 'catalog', 'orders', 'events'] as const) {
      connections.set(identity, await nats.connect(identity));
    }
    // Each service's relay creates its stream; here the identities that own them do the same.
    await (await jetstreamManager(as('auth'))).streams.add({ name: AUTH_STREAM.name, subjects: AUTH_STREAM.subjects });
    const orders = await jetstreamManager(as('orders'));
    await orders.streams.add({ name: ORDERS_STREAM.name, subjects: ORDERS_STREAM.subjects });
    await jetstream(as('orders')).publish('orders.events.confirmed', JSON.stringify({ id: 'e1' }), { msgID: 'e1' });
  });

  afterAll(async () => {
    await Promise.all([...connections.values()].map((connection) => connection.close()));
    await nats?.dispose();
  });

  describe('a stranger', () => {
    it('is refused without credentials, with a wrong password, and with a service password under another name', async () => {
      const attempts = [
        {},
        { user: 'gateway', pass: 'not-the-password' },
        { user: 'admin', pass: nats.credentials!.gateway.pass },
      ];
      for (const credentials of attempts) {
        await expect(connect({ servers: nats.url, reconnect: false, ...credentials })).rejects.toBeInstanceOf(
          natsErrors.AuthorizationError,
        );
      }
    });
  });

  describe('the gateway', () => {
    it('requests the services’ public subjects (no responder here: the server carried the request)', async () => {
      for (const subject of [AUTH_PATTERNS.LOGIN, CATALOG_PATTERNS.GET_PRODUCT, ORDERS_PATTERNS.LIST_ORDERS]) {
        expect(await failureOf(as('gateway').request(subject, packet({}), { timeout: 2000 }))).toBeInstanceOf(
          natsErrors.NoRespondersError,
        );
      }
    });

    it('may not request catalog’s stock subjects (only orders may), nor publish an event', async () => {
      await expectPublishRefused('gateway', CATALOG_PATTERNS.RESERVE_STOCK);
      await expectPublishRefused('gateway', CATALOG_PATTERNS.RELEASE_STOCK);
      await expectPublishRefused('gateway', 'orders.events.confirmed');
    });

    it('may not read another identity’s replies, the default inbox, or the services’ requests', async () => {
      await expectSubscriptionRefused('gateway', '_INBOX.>');
      await expectSubscriptionRefused('gateway', '_INBOX_orders.>');
      await expectSubscriptionRefused('gateway', 'auth.>');
      await expectSubscriptionRefused('gateway', AUTH_PATTERNS.LOGIN);
    });

    it('may not join the auth queue group on the key set (to answer with a key of its own)', async () => {
      await expectSubscriptionRefused('gateway', AUTH_PATTERNS.GET_JWKS, 'auth');
    });

    it('may not use JetStream at all', async () => {
      await expectPublishRefused('gateway', '$JS.API.INFO');
      await expectPublishRefused('gateway', `$JS.API.STREAM.CREATE.${ORDERS_STREAM.name}`);
    });
  });

  describe('each service', () => {
    it('serves its own subjects only in its own queue group', async () => {
      as('auth').subscribe(AUTH_PATTERNS.GET_JWKS, {
        queue: 'auth',
        callback: (_error, msg) => void msg.respond('keys'),
      });
      await as('auth').flush();
      const answer = await as('gateway').request(AUTH_PATTERNS.GET_JWKS, packet({}), { timeout: 2000 });
      expect(answer.string()).toBe('keys');
      await expectSubscriptionRefused('auth', AUTH_PATTERNS.GET_JWKS);
      await expectSubscriptionRefused('auth', AUTH_PATTERNS.GET_JWKS, 'intruders');
    });

    it('may not serve, request or publish another service’s subjects', async () => {
      await expectSubscriptionRefused('auth', CATALOG_PATTERNS.RESERVE_STOCK, 'catalog');
      await expectSubscriptionRefused('orders', AUTH_PATTERNS.LOGIN, 'auth');
      await expectPublishRefused('orders', AUTH_PATTERNS.GET_USER);
      await expectPublishRefused('catalog', ORDERS_PATTERNS.LIST_ORDERS);
      await expectPublishRefused('catalog', 'orders.events.confirmed');
      await expectPublishRefused('auth', 'catalog.events.stock-changed');
    });

    it('lets orders request catalog’s stock subjects', async () => {
      expect(
        await failureOf(as('orders').request(CATALOG_PATTERNS.RESERVE_STOCK, packet({}), { timeout: 2000 })),
      ).toBeInstanceOf(natsErrors.NoRespondersError);
    });

    it('may not read the replies meant for the gateway', async () => {
      await expectSubscriptionRefused('orders', '_INBOX_gateway.>');
      await expectSubscriptionRefused('catalog', '_INBOX_gateway.>');
    });

    it('administers only its own stream', async () => {
      await expectPublishRefused('orders', `$JS.API.STREAM.UPDATE.${AUTH_STREAM.name}`);
      await expectPublishRefused('orders', `$JS.API.STREAM.DELETE.${ORDERS_STREAM.name}`);
      await expectPublishRefused('orders', `$JS.API.STREAM.PURGE.${ORDERS_STREAM.name}`);
      await expectPublishRefused('auth', '$JS.API.STREAM.CREATE.FORGED');
    });
  });

  describe('the events consumer', () => {
    it('reads a stream with an ordered consumer', async () => {
      const consumer = await jetstream(as('events')).consumers.get(ORDERS_STREAM.name);
      const message = await consumer.next({ expires: 2000 });
      expect(message?.json()).toEqual({ id: 'e1' });
    });

    it('reads a stream with a durable consumer of its own, and acknowledges', async () => {
      const manager = await jetstreamManager(as('events'));
      await manager.consumers.add(ORDERS_STREAM.name, { durable_name: 'team-x', ack_policy: AckPolicy.Explicit });
      const consumer = await jetstream(as('events')).consumers.get(ORDERS_STREAM.name, 'team-x');
      const message = await consumer.next({ expires: 2000 });
      expect(message?.json()).toEqual({ id: 'e1' });
      await message!.ackAck();
      expect((await manager.consumers.info(ORDERS_STREAM.name, 'team-x')).num_ack_pending).toBe(0);
    });

    it('may not publish into a stream, nor forge an event by core NATS', async () => {
      const refusal = await failureOf(
        jetstream(as('events')).publish('orders.events.confirmed', JSON.stringify({ id: 'forged' })),
      );
      expect(refusal).toBeInstanceOf(natsErrors.PermissionViolationError);
      const info = await (await jetstreamManager(as('events'))).streams.info(ORDERS_STREAM.name);
      expect(info.state.messages).toBe(1);
    });

    it('may not create, change, purge or delete streams, nor delete their messages', async () => {
      await expectPublishRefused('events', '$JS.API.STREAM.CREATE.FORGED');
      await expectPublishRefused('events', `$JS.API.STREAM.UPDATE.${ORDERS_STREAM.name}`);
      await expectPublishRefused('events', `$JS.API.STREAM.PURGE.${ORDERS_STREAM.name}`);
      await expectPublishRefused('events', `$JS.API.STREAM.DELETE.${ORDERS_STREAM.name}`);
      await expectPublishRefused('events', `$JS.API.STREAM.MSG.DELETE.${ORDERS_STREAM.name}`);
    });

    it('may not call any service, nor listen to their requests', async () => {
      await expectPublishRefused('events', ORDERS_PATTERNS.LIST_ORDERS);
      await expectPublishRefused('events', AUTH_PATTERNS.LOGIN);
      await expectSubscriptionRefused('events', 'auth.>');
      await expectSubscriptionRefused('events', '_INBOX_gateway.>');
    });
  });
});
