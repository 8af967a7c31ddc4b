import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CatalogClient } from '@app/common/clients';
import { DomainError, fromWireError } from '@app/common/errors';
import { IDEMPOTENT_REPLAY_DETAIL, PlaceOrderCommand, PlaceOrderResult } from '@app/contracts';
import { OrdersEnv } from '../config/orders.env';
import { IdempotencyKeysRepository, KeyClaim, KeyRecord } from '../idempotency/idempotency-keys.repository';
import { requestFingerprint } from '../idempotency/request-fingerprint';
import { toPlacedOrderResponse } from './order.mapper';
import { OrderAdmission } from './order-admission.service';
import { OrderSettlement } from './order-settlement.service';
import { NewOrder, OrderRow } from './orders.repository';
import { clientErrorOfUnknown, outcomeOfReserveFailure, ReservationOutcome } from './reservation-outcome';

/**
 * `POST /v1/orders`: the saga orchestrated by orders, and the Idempotency-Key in front of it.
 *
 *   persist pending (with its key, within the customer's unit bounds: OrderAdmission) → reserve in
 *   catalog (idempotent by order id) → confirmed with the snapshotted lines, or rejected with
 *   catalog's error.
 *
 * When catalog does not answer in time the client gets 503/504 and the order stays pending: a
 * retry with the same key resumes it, and otherwise the recovery worker settles it (see
 * docs/orders-saga.md for both, and for what a retry is answered).
 */
@Injectable()
export class OrderPlacementService {
  private readonly log = new Logger(OrderPlacementService.name);

  constructor(
    private readonly admission: OrderAdmission,
    private readonly keys: IdempotencyKeysRepository,
    private readonly settlement: OrderSettlement,
    private readonly catalog: CatalogClient,
    private readonly config: OrdersEnv,
  ) {}

  async place(command: PlaceOrderCommand): Promise<PlaceOrderResult> {
    const order: NewOrder = {
      id: randomUUID(),
      userId: command.actor.userId.toLowerCase(),
      requested: command.items.map((line) => ({ productId: line.productId.toLowerCase(), quantity: line.quantity })),
      recoverAfterMs: this.config.PENDING_RECOVERY_AFTER_MS,
    };
    if (command.idempotencyKey === undefined) {
      return this.runSaga(await this.admission.admit(order, command.actor), undefined, false);
    }
    const claim: KeyClaim = {
      userId: order.userId,
      key: command.idempotencyKey,
      fingerprint: requestFingerprint(order.requested),
      leaseMs: this.config.idempotencyLeaseMs,
      ttlHours: this.config.IDEMPOTENCY_TTL_HOURS,
    };
    // Twice at most: a key that expires between the claim and the lookup is claimed again.
    for (let attempt = 0; attempt < 2; attempt++) {
      const created = await this.admission.admitUnderKey(order, command.actor, claim);
      if (created) {
        return this.runSaga(created, claim, false);
      }
      const record = await this.keys.find(claim.userId, claim.key);
      if (record) {
        return this.answerRepeat(record, claim);
      }
    }
    throw new DomainError('service-unavailable', 'Could not take the Idempotency-Key; retry');
  }

  /** A request whose key is already taken: replay, refuse, or finish what the first one left. */
  private async answerRepeat(record: KeyRecord, claim: KeyClaim): Promise<PlaceOrderResult> {
    if (record.fingerprint !== claim.fingerprint) {
      throw new DomainError('idempotency-key-reused', 'This Idempotency-Key was used with a different request body');
    }
    if (record.order.status !== 'pending') {
      return answerOf(record.order, true);
    }
    if (record.inFlight || !(await this.keys.takeLease(claim.userId, claim.key, record.order.id, claim.leaseMs))) {
      throw new DomainError('idempotency-key-in-use', 'A request with this Idempotency-Key is still being processed');
    }
    // The first request ended without settling its order (503/504, or its replica died): finish it.
    if (record.order.stockRelease === 'requested') {
      return this.guarded(claim, record.order.id, async () =>
        answerOf(await this.settlement.settle(record.order.id), true),
      );
    }
    return this.runSaga(record.order, claim, true);
  }

  private async runSaga(order: OrderRow, claim: KeyClaim | undefined, replayed: boolean): Promise<PlaceOrderResult> {
    return this.guarded(claim, order.id, async () => {
      let outcome: ReservationOutcome;
      try {
        const reservation = await this.catalog.reserveStock(
          { orderId: order.id, lines: order.requested },
          this.config.CATALOG_RPC_TIMEOUT_MS,
        );
        outcome = { kind: 'reserved', reservation };
      } catch (error) {
        outcome = outcomeOfReserveFailure(error);
      }
      if (outcome.kind === 'unknown') {
        throw outcome.error;
      }
      return answerOf(await this.settlement.apply(order, outcome), replayed);
    });
  }

  /**
   * Runs a step that may leave the order pending (catalog silent, or a database hiccup): the key is
   * then freed at once, so the client's retry resumes the order instead of waiting for the lease,
   * and the client hears 503/504, never a 500.
   */
  private async guarded(
    claim: KeyClaim | undefined,
    orderId: string,
    step: () => Promise<PlaceOrderResult>,
  ): Promise<PlaceOrderResult> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof DomainError && error.status < 500) {
        throw error;
      }
      this.log.warn({ err: error, orderId }, 'Order left pending for a retry or for recovery');
      if (claim) {
        await this.keys.releaseLease(claim.userId, claim.key, orderId).catch(() => undefined);
      }
      throw error instanceof DomainError ? clientErrorOfUnknown(error) : error;
    }
  }
}

/**
 * The client's answer for a settled order: 201 with the order as confirmed, or the rejection as it
 * was first answered. `replayed` marks an answer taken from an earlier request with the same key.
 */
function answerOf(order: OrderRow, replayed: boolean): PlaceOrderResult {
  switch (order.status) {
    case 'confirmed':
    case 'cancelled':
      return { order: toPlacedOrderResponse(order), replayed };
    case 'rejected': {
      const error = fromWireError(order.rejection!);
      throw replayed
        ? new DomainError(error.code, error.message, {
            errors: error.errors,
            details: { ...error.details, [IDEMPOTENT_REPLAY_DETAIL]: true },
          })
        : error;
    }
    case 'pending':
      throw new DomainError('service-unavailable', `Order ${order.id} is still being settled; retry`);
  }
}
