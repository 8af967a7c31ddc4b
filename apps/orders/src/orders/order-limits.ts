import { DomainError } from '@app/common/errors';
import { OrderActor } from '@app/contracts';
import { OrdersEnv } from '../config/orders.env';
import { RequestedLine } from './order.entity';

/** The bounds on reserved units (issue #12, OWASP API6: stock hoarding), from the validated config. */
export interface OrderLimits {
  maxUnitsPerOrder: number;
  maxUnitsPerCustomer: number;
  windowMinutes: number;
}

export function orderLimitsOf(config: OrdersEnv): OrderLimits {
  return {
    maxUnitsPerOrder: config.MAX_UNITS_PER_ORDER,
    maxUnitsPerCustomer: config.MAX_UNITS_PER_CUSTOMER,
    windowMinutes: config.CUSTOMER_UNITS_WINDOW_MINUTES,
  };
}

/** Units an order reserves: the sum of its lines' quantities. */
export function unitsOf(lines: readonly RequestedLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}

/**
 * Whether the bounds apply to this caller. Admins are exempt: they can already set any product's
 * stock or archive it, so a bound on their orders would protect no stock from them, and would only
 * get in the way of staff placing a large order for a customer.
 */
export function isBounded(actor: OrderActor): boolean {
  return actor.role !== 'admin';
}

/**
 * The refusal, if any, of a new order of `units` when the customer's live orders of the window,
 * this one included, hold `heldUnits`. A too-large order is refused as such whatever the budget.
 */
export function limitBreach(units: number, heldUnits: number, limits: OrderLimits): DomainError | undefined {
  if (units > limits.maxUnitsPerOrder) {
    return new DomainError(
      'order-too-large',
      `An order may reserve at most ${limits.maxUnitsPerOrder} units; this one asks for ${units}`,
      { details: { maxUnitsPerOrder: limits.maxUnitsPerOrder, units } },
    );
  }
  if (heldUnits > limits.maxUnitsPerCustomer) {
    const alreadyHeld = heldUnits - units;
    return new DomainError(
      'unit-quota-exceeded',
      `Your orders of the last ${limits.windowMinutes} minutes already hold ${alreadyHeld} units; with this ` +
        `order's ${units} they would exceed the ${limits.maxUnitsPerCustomer} allowed. Cancel an order or wait.`,
      {
        details: {
          maxUnitsPerCustomer: limits.maxUnitsPerCustomer,
          windowMinutes: limits.windowMinutes,
          heldUnits: alreadyHeld,
          units,
        },
      },
    );
  }
  return undefined;
}
