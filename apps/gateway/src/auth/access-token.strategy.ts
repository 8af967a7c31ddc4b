import { Injectable, OnApplicationShutdown, Type } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { Strategy } from 'passport-custom';
import { DomainError } from '@app/common/errors';
import { Principal } from './principal';
import { AccessTokenVerifier, INVALID_TOKEN } from './access-token.verifier';

/** `Bearer <token>`, scheme case-insensitive (RFC 7235), token in the JWS compact alphabet only. */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

export function bearerTokenOf(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' ? BEARER.exec(header.trim())?.[1] : undefined;
}

/**
 * The passport strategy of the gateway's guard, registered under `name`. Passport keeps one
 * global registry, so each gateway instance (tests start several in one process) gets its own name.
 */
export function accessTokenStrategy(name: string): Type<OnApplicationShutdown> {
  @Injectable()
  class AccessTokenStrategy extends PassportStrategy(Strategy, name) implements OnApplicationShutdown {
    constructor(private readonly verifier: AccessTokenVerifier) {
      super();
    }

    async validate(request: FastifyRequest): Promise<Principal> {
      const token = bearerTokenOf(request);
      if (!token) {
        throw new DomainError('unauthorized', INVALID_TOKEN);
      }
      return this.verifier.verify(token);
    }

    /** After the HTTP server has closed: requests it still answers while draining need the strategy. */
    onApplicationShutdown(): void {
      passport.unuse(name);
    }
  }
  return AccessTokenStrategy;
}
