import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { IS_PUBLIC_KEY } from '@app/common/http';
import { AuthStack, call, ISSUER, AUDIENCE } from './support/auth-stack';
import { forgedTokens, goodClaims, signWith } from './support/forged-tokens';

interface GatewayRoute {
  method: string;
  path: string;
  isPublic: boolean;
}

/** Every route the gateway's controllers declare, read from Nest's metadata (nothing hard-coded). */
function gatewayRoutes(container: ModulesContainer): GatewayRoute[] {
  const routes: GatewayRoute[] = [];
  for (const module of container.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new () => object) | null;
      if (!controller) {
        continue;
      }
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') {
          continue;
        }
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (method === undefined || path === undefined) {
          continue;
        }
        const isPublic = Boolean(
          Reflect.getMetadata(IS_PUBLIC_KEY, handler) ?? Reflect.getMetadata(IS_PUBLIC_KEY, controller),
        );
        const full = `/${[base, path]
          .map((part) => part.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        routes.push({ method: RequestMethod[method], path: full, isPublic });
      }
    }
  }
  return routes;
}

const concrete = (path: string): string => path.replace(/:[A-Za-z]+/g, randomUUID());

describe('access tokens at the gateway', () => {
  let stack: AuthStack;
  let protectedRoutes: GatewayRoute[];

  beforeAll(async () => {
    stack = await new AuthStack('forgery').start();
    const routes = gatewayRoutes(stack.gateway.app.get(ModulesContainer));
    protectedRoutes = routes.filter((route) => !route.isPublic);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('finds the protected routes, GET /v1/auth/me among them, and keeps ops routes public', () => {
    expect(protectedRoutes).toContainEqual({ method: 'GET', path: '/v1/auth/me', isPublic: false });
    expect(protectedRoutes.map((route) => route.path)).not.toContain('/health/ready');
  });

  it('refuses every forged token with 401 unauthorized on every protected route', async () => {
    const forgeries = await forgedTokens(stack.key, ISSUER, AUDIENCE);
    const failures: string[] = [];
    for (const route of protectedRoutes) {
      for (const [label, token] of forgeries) {
        const response = await call(`${stack.url}${concrete(route.path)}`, {
          method: route.method,
          token,
          ...(['POST', 'PATCH', 'PUT'].includes(route.method) ? { body: {} } : {}),
        });
        if (response.status !== 401 || response.body?.code !== 'unauthorized') {
          failures.push(
            `${route.method} ${route.path} with ${label}: ${response.status} ${response.text.slice(0, 120)}`,
          );
        }
      }
    }

    expect(failures).toEqual([]);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty bearer', 'Bearer '],
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
    ['a token without the scheme', 'eyJhbGciOiJFUzI1NiJ9.e30.sig'],
  ])('answers 401 problem+json for %s', async (_label, authorization) => {
    const sut = await call(`${stack.url}/v1/auth/me`, { headers: authorization ? { authorization } : {} });

    expect(sut.status).toBe(401);
    expect(sut.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(sut.body).toMatchObject({ code: 'unauthorized', status: 401, title: 'Unauthorized' });
  });

  it('accepts a correctly signed token (the control for the cases above)', async () => {
    const registered = await call(`${stack.url}/v1/auth/register`, {
      body: { email: `control-${randomUUID()}@example.com`, password: 'long enough password' },
    });
    const token = await signWith(
      stack.key,
      goodClaims(ISSUER, AUDIENCE, { sub: registered.body.id, role: 'customer' }),
    );

    const sut = await call(`${stack.url}/v1/auth/me`, { token });

    expect(sut.status).toBe(200);
    expect(sut.body.id).toBe(registered.body.id);
  });

  it('accepts the bearer scheme in any case', async () => {
    const registered = await call(`${stack.url}/v1/auth/register`, {
      body: { email: `scheme-${randomUUID()}@example.com`, password: 'long enough password' },
    });
    const token = await signWith(
      stack.key,
      goodClaims(ISSUER, AUDIENCE, { sub: registered.body.id, role: 'customer' }),
    );

    const sut = await call(`${stack.url}/v1/auth/me`, { headers: { authorization: `bearer ${token}` } });

    expect(sut.status).toBe(200);
  });
});
