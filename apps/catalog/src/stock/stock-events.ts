import { StockChangedEvent, StockChangeReason } from '@app/contracts';
import { StockMove } from './stock.repository';

/** What a `stock-changed` event says that only the statement changing the stock knows. */
export type StockChangeKnownByStatement = Pick<StockChangedEvent, 'sku' | 'stock'>;

/** What a `stock-changed` event says that its move, reason and order already tell. */
export type StockChangeOfMove = Omit<StockChangedEvent, keyof StockChangeKnownByStatement>;

/**
 * The data of a move's `stock-changed` event but for the changed row's sku and stock, which the
 * transactional path adds from the UPDATE's answer and the one-statement reserve in its SQL
 * (`completedEnvelopeSql`). Both wrap it with the shared `eventEnvelope`.
 */
export function stockChangeOfMove(move: StockMove, reason: StockChangeReason, orderId: string): StockChangeOfMove {
  const sign = reason === 'reserved' ? -1 : 1;
  return { productId: move.productId, delta: sign * move.quantity, reason, orderId };
}
