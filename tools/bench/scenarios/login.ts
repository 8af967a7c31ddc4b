import { AutocannonRequest } from 'autocannon';
import type { Schemas } from '@app/api-client';
import { answerOf, benchApi } from '../http-json';
import { classify, pick, Scenario, usersOf } from './scenario';

/** Successful logins of random bench users: one argon2id verification each, by design. */
export const login: Scenario = {
  name: 'login',
  description: 'POST /v1/auth/login, correct credentials of a random bench user',
  needsUsers: true,
  placesOrders: false,
  probe: async (context) => {
    const { email, password } = usersOf(context)[0];
    const answer = await answerOf(benchApi(context.gatewayUrl).POST('/v1/auth/login', { body: { email, password } }));
    return classify(answer, 200, 'POST /v1/auth/login');
  },
  requests: (context): AutocannonRequest[] => {
    const users = usersOf(context);
    return [
      {
        method: 'POST',
        path: '/v1/auth/login',
        setupRequest: (request) => {
          const { email, password } = pick(users);
          request.headers = { 'content-type': 'application/json' };
          request.body = JSON.stringify({ email, password } satisfies Schemas['LoginRequest']);
          return request;
        },
      },
    ];
  },
};
