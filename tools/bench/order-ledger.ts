/**
 * The bench's own count of what it ordered: every `201` (docs/api.md#order-routes: only ever a confirmed order)
 * with the units its request asked for. Warm-ups and probes count too: they take stock like any
 * other order. Compared with the catalog's stock and the orders service's records afterwards.
 */
export class OrderLedger {
  orders = 0;
  units = 0;

  /** Whether the response was a confirmed order; records it if so. */
  record(status: number, body: string, units: number): boolean {
    if (status !== 201 || !body.includes('"confirmed"')) {
      return false;
    }
    this.orders++;
    this.units += units;
    return true;
  }
}
