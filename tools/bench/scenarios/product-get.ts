import { AutocannonRequest } from 'autocannon';
import { callJson } from '../http-json';
import { classify, pick, Scenario, ScenarioContext } from './scenario';

export const productGetPath = (context: ScenarioContext): string => `/v1/products/${pick(context.catalog.productIds)}`;

/** Public read by id over random seeded ids: every request misses any per-id cache locality. */
export const productGet: Scenario = {
  name: 'product-get',
  description: 'GET /v1/products/:id, uniformly random id of the bench catalog',
  needsUsers: false,
  placesOrders: false,
  probe: async (context) =>
    classify(await callJson(context.gatewayUrl, 'GET', productGetPath(context)), 200, 'GET /v1/products/:id'),
  requests: (context): AutocannonRequest[] => [
    {
      method: 'GET',
      setupRequest: (request) => {
        request.path = productGetPath(context);
        return request;
      },
    },
  ],
};
