import autocannon from 'autocannon';
import { ScenarioContext } from './scenarios/scenario';

/**
 * Reads every bench product once, so the `product-get (read cache)` line measures a warm cache:
 * the steady state of a gateway serving hot reads. Without it the line's uniformly random ids
 * over 10k products mostly miss for the first tens of seconds (each replica fills its own cache),
 * and the line would measure the cache filling, which the uncached line already prices.
 */
export function prewarmReadCache(context: ScenarioContext): Promise<{ non2xx: number; errors: number }> {
  const ids = context.catalog.productIds;
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: context.gatewayUrl,
        connections: 20,
        amount: ids.length,
        timeout: 10,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => {
              request.path = `/v1/products/${ids[next++ % ids.length]}`;
              return request;
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ non2xx: result.non2xx, errors: result.errors })),
    );
  });
}
