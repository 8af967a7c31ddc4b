import { AutocannonRequest } from 'autocannon';
import { callJson } from '../http-json';
import { classify, pick, Scenario, ScenarioContext } from './scenario';

/** A word of the product names and a category: ~50 matches of 10k, one page of 20 returned. */
export const productSearchPath = (context: ScenarioContext): string =>
  `/v1/products?q=${encodeURIComponent(pick(context.catalog.searchWords))}` +
  `&category=${encodeURIComponent(pick(context.catalog.categories))}&sort=price_asc&limit=20`;

export const productSearch: Scenario = {
  name: 'product-search',
  description: 'GET /v1/products?q=<word>&category=<cat>&sort=price_asc&limit=20, random word and category',
  needsUsers: false,
  placesOrders: false,
  probe: async (context) =>
    classify(await callJson(context.gatewayUrl, 'GET', productSearchPath(context)), 200, 'GET /v1/products?q=…'),
  requests: (context): AutocannonRequest[] => [
    {
      method: 'GET',
      setupRequest: (request) => {
        request.path = productSearchPath(context);
        return request;
      },
    },
  ],
};
