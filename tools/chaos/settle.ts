import { setTimeout as sleep } from 'node:timers/promises';
import { Backend, BACKENDS, query } from './chaos-databases';

/** What is still in motion: orders pending or owed a release, reservations mid-way, unpublished events. */
async function inMotion(urls: Record<Backend, string>): Promise<string[]> {
  const [[orders], [reservations], ...outboxes] = await Promise.all([
    query<{ pending: number; releases: number }>(
      urls.orders,
      `SELECT count(*) FILTER (WHERE "status" = 'pending')::int AS "pending",
              count(*) FILTER (WHERE "stock_release" = 'requested')::int AS "releases" FROM "orders"`,
    ),
    query<{ pending: number }>(
      urls.catalog,
      `SELECT count(*)::int AS "pending" FROM "reservations" WHERE "status" = 'pending'`,
    ),
    ...BACKENDS.map((backend) =>
      query<{ unpublished: number }>(
        urls[backend],
        `SELECT count(*)::int AS "unpublished" FROM "outbox" WHERE "published_at" IS NULL`,
      ),
    ),
  ]);
  const left = [
    orders.pending > 0 ? `${orders.pending} orders pending` : '',
    orders.releases > 0 ? `${orders.releases} stock releases owed` : '',
    reservations.pending > 0 ? `${reservations.pending} reservations pending` : '',
    ...BACKENDS.map((backend, i) =>
      outboxes[i][0].unpublished > 0 ? `${outboxes[i][0].unpublished} ${backend} events unpublished` : '',
    ),
  ];
  return left.filter(Boolean);
}

/**
 * Waits until nothing is in motion, or the deadline passes (then answers what is left): the
 * recovery worker settles what the faults left pending, the relays publish what they owe.
 */
export async function settle(
  urls: Record<Backend, string>,
  deadline: number,
): Promise<{ settled: boolean; left: string[]; at: number }> {
  for (;;) {
    const left = await inMotion(urls);
    if (left.length === 0 || Date.now() > deadline) {
      return { settled: left.length === 0, left, at: Date.now() };
    }
    await sleep(500);
  }
}
