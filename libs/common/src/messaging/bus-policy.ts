import {
  AUTH_PATTERNS,
  AUTH_STREAM,
  CATALOG_FEED_HEARTBEAT,
  CATALOG_PATTERNS,
  CATALOG_STREAM,
  ORDERS_PATTERNS,
  ORDERS_STREAM,
} from '@app/contracts';

/**
 * Who may be on the bus, and what each may do there: the one statement of Bazaar's NATS trust
 * model (docs/security.md). `tools/nats` renders it into the server's authorization block
 * (deploy/nats/authorization.conf, the k8s ConfigMap), the services check callers against it, and
 * the bus-permissions integration suite proves each refusal against a real nats-server.
 *
 * Each Bazaar process connects as the identity named after its service; `events` is the read-only
 * identity handed to other teams that consume Bazaar's streams.
 */
export const BUS_IDENTITIES = ['gateway', 'auth', 'catalog', 'orders', 'events'] as const;
export type BusIdentity = (typeof BUS_IDENTITIES)[number];

/** The read-only identity for other teams' event consumers. */
export const EVENTS_CONSUMER_IDENTITY = 'events' satisfies BusIdentity;

export interface BusGrant {
  /** Request subjects it answers, in a queue group named after the identity (and only that one). */
  serves: readonly string[];
  /** Request subjects it may send to (and read the replies of, on its private inbox). */
  requests: readonly string[];
  /** Subjects it may publish on: its own events and signals. */
  publishes: readonly string[];
  /** Subjects it may listen to with plain subscriptions. */
  listens: readonly string[];
  /** The JetStream stream it creates and keeps configured (its outbox's). */
  managesStream?: string;
  /** Streams it may read through ordered or durable consumers. */
  readsStreams: readonly string[];
}

const values = <T extends Record<string, string>>(patterns: T): string[] => Object.values(patterns);

/** Catalog subjects only orders may call: reserving and releasing stock is part of its saga. */
const CATALOG_STOCK_SUBJECTS: readonly string[] = [
  CATALOG_PATTERNS.RESERVE_STOCK,
  CATALOG_PATTERNS.RELEASE_STOCK,
  CATALOG_PATTERNS.GET_RESERVATION,
];
const CATALOG_PUBLIC_SUBJECTS = values(CATALOG_PATTERNS).filter((subject) => !CATALOG_STOCK_SUBJECTS.includes(subject));

const NOTHING = [] as const;

export const BUS_POLICY: Readonly<Record<BusIdentity, BusGrant>> = {
  gateway: {
    serves: NOTHING,
    requests: [...values(AUTH_PATTERNS), ...CATALOG_PUBLIC_SUBJECTS, ...values(ORDERS_PATTERNS)],
    publishes: NOTHING,
    // The read cache's change feed: catalog events and the catalog relays' heartbeats.
    listens: [...CATALOG_STREAM.subjects, CATALOG_FEED_HEARTBEAT],
    readsStreams: NOTHING,
  },
  auth: {
    serves: values(AUTH_PATTERNS),
    requests: NOTHING,
    publishes: AUTH_STREAM.subjects,
    listens: NOTHING,
    managesStream: AUTH_STREAM.name,
    readsStreams: NOTHING,
  },
  catalog: {
    serves: values(CATALOG_PATTERNS),
    requests: NOTHING,
    publishes: [...CATALOG_STREAM.subjects, CATALOG_FEED_HEARTBEAT],
    listens: NOTHING,
    managesStream: CATALOG_STREAM.name,
    readsStreams: NOTHING,
  },
  orders: {
    serves: values(ORDERS_PATTERNS),
    requests: CATALOG_STOCK_SUBJECTS,
    publishes: ORDERS_STREAM.subjects,
    listens: NOTHING,
    managesStream: ORDERS_STREAM.name,
    readsStreams: NOTHING,
  },
  events: {
    serves: NOTHING,
    requests: NOTHING,
    publishes: NOTHING,
    listens: NOTHING,
    readsStreams: [AUTH_STREAM.name, CATALOG_STREAM.name, ORDERS_STREAM.name],
  },
};

/**
 * The prefix of an identity's reply subjects. Only that identity may subscribe below it, so no one
 * reads another's replies; and a service can tell who asked from where the answer is to go. The
 * events consumer keeps NATS's default, so any client library works for other teams unchanged
 * (no Bazaar identity uses `_INBOX`).
 */
export function inboxPrefixOf(identity: string): string {
  return identity === EVENTS_CONSUMER_IDENTITY ? '_INBOX' : `_INBOX_${identity}`;
}

/** Identities allowed to send requests to `subject`. */
export function callersOf(subject: string): BusIdentity[] {
  return BUS_IDENTITIES.filter((identity) => BUS_POLICY[identity].requests.includes(subject));
}

/** Whether this identity appears in the policy (a test probe or a foreign client does not). */
export function isBusIdentity(name: string): name is BusIdentity {
  return (BUS_IDENTITIES as readonly string[]).includes(name);
}
