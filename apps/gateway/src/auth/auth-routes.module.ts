import { DynamicModule, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthClient } from '@app/common/clients';
import { GatewayEnv } from '../config/gateway.env';
import { accessTokenGuard } from './access-token.guard';
import { accessTokenStrategy } from './access-token.strategy';
import { AccessTokenVerifier } from './access-token.verifier';
import { AuthController } from './auth.controller';
import { JwksCache } from './jwks-cache';
import { JwksController } from './jwks.controller';

/** Warms the key cache at start, without delaying it (auth may come up after the gateway). */
@Injectable()
class JwksWarmUp implements OnApplicationBootstrap {
  constructor(private readonly keys: JwksCache) {}

  onApplicationBootstrap(): void {
    void this.keys.refreshIfAllowed();
  }
}

let instances = 0;

function trustedKeysOf(config: GatewayEnv): unknown[] {
  const trusted = config.JWT_TRUSTED_KEYS ? (JSON.parse(config.JWT_TRUSTED_KEYS) as { keys?: unknown }) : undefined;
  if (trusted !== undefined && !Array.isArray(trusted.keys)) {
    throw new Error('JWT_TRUSTED_KEYS must be a JWK set: {"keys": [...]}');
  }
  return (trusted?.keys as unknown[] | undefined) ?? [];
}

/**
 * The gateway's HTTP routes for the auth service (docs/api.md#auth-routes) and request
 * authentication for every route: a global guard (APP_GUARD) backed by a passport strategy that
 * verifies access tokens locally against the JWK set fetched from auth.
 */
@Module({})
export class AuthRoutesModule {
  static forRoot(): DynamicModule {
    const strategyName = `bazaar-access-token-${++instances}`;
    return {
      module: AuthRoutesModule,
      controllers: [AuthController, JwksController],
      providers: [
        {
          provide: JwksCache,
          inject: [AuthClient, GatewayEnv],
          useFactory: (auth: AuthClient, config: GatewayEnv) =>
            new JwksCache(auth, {
              ttlMs: config.JWKS_CACHE_TTL_SECONDS * 1000,
              refetchIntervalMs: config.JWKS_REFETCH_INTERVAL_MS,
              trusted: trustedKeysOf(config),
            }),
        },
        {
          provide: AccessTokenVerifier,
          inject: [JwksCache, GatewayEnv],
          useFactory: (keys: JwksCache, config: GatewayEnv) =>
            new AccessTokenVerifier(keys, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
        },
        accessTokenStrategy(strategyName),
        { provide: APP_GUARD, useClass: accessTokenGuard(strategyName) },
        JwksWarmUp,
      ],
    };
  }
}
