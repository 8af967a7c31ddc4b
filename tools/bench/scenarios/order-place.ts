import { AutocannonRequest } from 'autocannon';
import { randomUUID } from 'node:crypto';
import type { Schemas } from '@app/api-client';
import { answerOf, benchApi } from '../http-json';
import { classify, pick, Scenario, ScenarioContext, usersOf } from './scenario';

export interface OrderRequest {
  /** The JSON of a PlaceOrderRequest, as autocannon sends it. */
  body: string;
  items: Schemas['OrderLineRequest'][];
  units: number;
}

/** 1–3 distinct random products, 1–3 units each: multi-line reservations, rarely the same rows. */
export function randomOrder(context: ScenarioContext): OrderRequest {
  const lines = new Map<string, number>();
  const count = 1 + Math.floor(Math.random() * 3);
  while (lines.size < count) {
    lines.set(pick(context.catalog.productIds), 1 + Math.floor(Math.random() * 3));
  }
  const items: Schemas['OrderLineRequest'][] = [...lines].map(([productId, quantity]) => ({ productId, quantity }));
  const body: Schemas['PlaceOrderRequest'] = { items };
  return { body: JSON.stringify(body), items, units: items.reduce((sum, item) => sum + item.quantity, 0) };
}

/** Headers of one order: a random customer, and a key never used before (each request is a new order). */
export function orderHeaders(context: ScenarioContext): Record<string, string> {
  return {
    'content-type': 'application/json',
    authorization: `Bearer ${pick(usersOf(context)).accessToken}`,
    'idempotency-key': randomUUID(),
  };
}

export const orderPlace: Scenario = {
  name: 'order-place',
  description: 'POST /v1/orders by random bench users, unique Idempotency-Key, 1–3 lines × 1–3 units, stock plentiful',
  needsUsers: true,
  placesOrders: true,
  probe: async (context) => {
    const order = randomOrder(context);
    const answer = await answerOf(
      benchApi(context.gatewayUrl).POST('/v1/orders', { body: { items: order.items }, headers: orderHeaders(context) }),
    );
    context.ledger.record(answer.status, JSON.stringify(answer.body), order.units);
    return classify(answer, 201, 'POST /v1/orders');
  },
  requests: (context): AutocannonRequest[] => [
    {
      method: 'POST',
      path: '/v1/orders',
      setupRequest: (request, requestContext) => {
        const order = randomOrder(context);
        request.headers = orderHeaders(context);
        request.body = order.body;
        requestContext.units = order.units;
        return request;
      },
      onResponse: (status, body, requestContext) => {
        context.ledger.record(status, body, requestContext.units as number);
      },
    },
  ],
};
