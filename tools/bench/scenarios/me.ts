import { AutocannonRequest } from 'autocannon';
import { answerOf, benchApi } from '../http-json';
import { classify, pick, Scenario, usersOf } from './scenario';

/** Authentication cost: a valid token of a random user, verified by the gateway, then auth's lookup. */
export const me: Scenario = {
  name: 'me',
  description: 'GET /v1/auth/me, bearer token of a random bench user',
  needsUsers: true,
  placesOrders: false,
  probe: async (context) =>
    classify(
      await answerOf(
        benchApi(context.gatewayUrl).GET('/v1/auth/me', {
          headers: { authorization: `Bearer ${usersOf(context)[0].accessToken}` },
        }),
      ),
      200,
      'GET /v1/auth/me',
    ),
  requests: (context): AutocannonRequest[] => {
    const users = usersOf(context);
    return [
      {
        method: 'GET',
        path: '/v1/auth/me',
        setupRequest: (request) => {
          request.headers = { authorization: `Bearer ${pick(users).accessToken}` };
          return request;
        },
      },
    ];
  },
};
