import { AutocannonRequest } from 'autocannon';
import { randomOrder, orderHeaders } from './order-place';
import { productGetPath } from './product-get';
import { productSearchPath } from './product-search';
import { pick, ProbeResult, Scenario, ScenarioContext, usersOf } from './scenario';
import { me } from './me';
import { orderPlace } from './order-place';
import { productGet } from './product-get';
import { productSearch } from './product-search';

/**
 * The 70 % reads / 20 % orders / 10 % auth calls. Reads split 55 % product-get and 15 %
 * product-search (most traffic of a shop is product pages); the auth calls are `me`, not logins,
 * which would turn the mix into an argon2 benchmark (login has its own scenario).
 */
const MIX = [
  { kind: 'product-get', share: 0.55 },
  { kind: 'product-search', share: 0.15 },
  { kind: 'order-place', share: 0.2 },
  { kind: 'me', share: 0.1 },
] as const;
type Kind = (typeof MIX)[number]['kind'];

function chooseKind(): Kind {
  let roll = Math.random();
  for (const { kind, share } of MIX) {
    roll -= share;
    if (roll < 0) {
      return kind;
    }
  }
  return MIX[0].kind;
}

let statusesByKind: Record<string, Record<string, number>> = {};

function setUp(request: AutocannonRequest, kind: Kind, context: ScenarioContext, units: Record<string, unknown>) {
  switch (kind) {
    case 'product-get':
    case 'product-search':
      request.method = 'GET';
      request.path = kind === 'product-get' ? productGetPath(context) : productSearchPath(context);
      request.headers = {};
      request.body = undefined;
      return;
    case 'order-place': {
      const order = randomOrder(context);
      request.method = 'POST';
      request.path = '/v1/orders';
      request.headers = orderHeaders(context);
      request.body = order.body;
      units.units = order.units;
      return;
    }
    case 'me':
      request.method = 'GET';
      request.path = '/v1/auth/me';
      request.headers = { authorization: `Bearer ${pick(usersOf(context)).accessToken}` };
      request.body = undefined;
      return;
  }
}

export const mixed: Scenario = {
  name: 'mixed',
  description: '55 % product-get, 15 % product-search, 20 % order-place, 10 % me, chosen per request',
  needsUsers: true,
  placesOrders: true,
  // The mix is only the mix with all four parts: it is unavailable while any of them is.
  probe: async (context): Promise<ProbeResult> => {
    for (const part of [productGet, productSearch, me, orderPlace]) {
      const result = await part.probe(context);
      if (result.kind !== 'ok') {
        return { ...result, reason: `${part.name}: ${result.reason}` };
      }
    }
    return { kind: 'ok' };
  },
  requests: (context): AutocannonRequest[] => [
    {
      setupRequest: (request, requestContext) => {
        const kind = chooseKind();
        requestContext.kind = kind;
        setUp(request, kind, context, requestContext);
        return request;
      },
      onResponse: (status, body, requestContext) => {
        const kind = requestContext.kind as Kind;
        const counts = (statusesByKind[kind] ??= {});
        counts[status] = (counts[status] ?? 0) + 1;
        if (kind === 'order-place') {
          context.ledger.record(status, body, requestContext.units as number);
        }
      },
    },
  ],
  beforeMeasure: () => {
    statusesByKind = {};
  },
  // A copy: the next round's warm-up writes into the same object until its own measured run resets it.
  extra: () => ({ statusesByKind: structuredClone(statusesByKind) }),
};
