import { DomainError } from '@app/common/errors';
import { ReserveStockLine } from '@app/contracts';
import { StockMove, StockRow } from './stock.repository';

/**
 * The lines of a reserve in canonical form: lower-case ids (Postgres prints UUIDs lower-case),
 * sorted by id, only the two fields that matter. Two requests are the same iff these are equal.
 */
export function canonicalLines(lines: ReserveStockLine[]): StockMove[] {
  const moves = lines
    .map((line) => ({ productId: line.productId.toLowerCase(), quantity: line.quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  const repeated = moves.find((move, index) => index > 0 && moves[index - 1].productId === move.productId);
  if (repeated) {
    throw new DomainError('validation-error', 'The request is invalid', {
      errors: [{ field: 'lines', message: `lines must name distinct products (${repeated.productId} repeats)` }],
    });
  }
  return moves;
}

export function sameLines(a: StockMove[], b: StockMove[]): boolean {
  return (
    a.length === b.length &&
    a.every((move, index) => move.productId === b[index].productId && move.quantity === b[index].quantity)
  );
}

/**
 * Why a reserve can't be served by the locked rows, if it can't: a product missing or archived
 * (`unknown-product`), lines in several currencies (`mixed-currency`), or too little stock
 * (`insufficient-stock`, naming every short product). Checked in that order.
 */
export function rejectionOf(moves: StockMove[], products: StockRow[]): DomainError | undefined {
  const byId = new Map(products.map((product) => [product.id, product]));
  const unknown = moves.filter((move) => !byId.has(move.productId)).map((move) => move.productId);
  if (unknown.length > 0) {
    return new DomainError('unknown-product', `Unknown or archived product(s): ${unknown.join(', ')}`, {
      details: { productIds: unknown },
    });
  }
  const currencies = [...new Set(products.map((product) => product.currency))].sort();
  if (currencies.length > 1) {
    return new DomainError('mixed-currency', `The lines mix currencies: ${currencies.join(', ')}`, {
      details: { currencies },
    });
  }
  const short = moves.filter((move) => byId.get(move.productId)!.stock < move.quantity).map((move) => move.productId);
  if (short.length > 0) {
    return new DomainError('insufficient-stock', `Not enough stock for product(s): ${short.join(', ')}`, {
      details: { productIds: short },
    });
  }
  return undefined;
}
