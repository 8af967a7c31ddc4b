import type { FastifyReply } from 'fastify';
import { DomainError } from '@app/common/errors';
import { IDEMPOTENT_REPLAY_DETAIL, IDEMPOTENT_REPLAYED_HEADER, ORDER_RULES, PlaceOrderResult } from '@app/contracts';

/** The `Idempotency-Key` header, checked (1–255 printable characters), or undefined when absent. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) {
    return undefined;
  }
  if (typeof header !== 'string' || !ORDER_RULES.IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new DomainError('validation-error', 'The request is invalid', {
      errors: [{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1-255 printable ASCII characters' }],
    });
  }
  return header;
}

/**
 * Sets `Idempotent-Replayed: true` when the orders service answered from the record of an earlier
 * request with the same key, for a success (the flag in the result) and for an error alike (the
 * flag in the error's details, removed here so the replayed problem body is the original one); the
 * problem filter keeps headers already set on the reply.
 */
export async function withReplayHeader(
  reply: FastifyReply,
  placing: Promise<PlaceOrderResult>,
): Promise<PlaceOrderResult['order']> {
  try {
    const result = await placing;
    if (result.replayed) {
      void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    }
    return result.order;
  } catch (error) {
    if (error instanceof DomainError && error.details?.[IDEMPOTENT_REPLAY_DETAIL] === true) {
      void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
      const { [IDEMPOTENT_REPLAY_DETAIL]: _flag, ...details } = error.details;
      throw new DomainError(error.code, error.message, {
        cause: error,
        errors: error.errors,
        retryAfterSeconds: error.retryAfterSeconds,
        details: Object.keys(details).length > 0 ? details : undefined,
      });
    }
    throw error;
  }
}
