import { OrderActor } from '@app/contracts';
import { OrderRow } from './orders.repository';

/** Owners see their own orders, admins every order; for anyone else an order does not exist (404). */
export function canSee(actor: OrderActor, order: Pick<OrderRow, 'userId'>): boolean {
  return actor.role === 'admin' || order.userId === actor.userId.toLowerCase();
}

/** The owner an action is restricted to: the caller, or nobody (null) for an admin. */
export function ownerScope(actor: OrderActor): string | null {
  return actor.role === 'admin' ? null : actor.userId.toLowerCase();
}
