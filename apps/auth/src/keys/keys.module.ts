import { Module } from '@nestjs/common';
import { AuthEnv } from '../config/auth.env';
import { AccessTokenSigner } from './access-token.signer';
import { KeysController } from './keys.controller';
import { SigningKeyRing } from './signing-key-ring';

/** Signing keys, the access-token signer, and the JWKS the gateway verifies against. */
@Module({
  controllers: [KeysController],
  providers: [
    { provide: SigningKeyRing, inject: [AuthEnv], useFactory: (config: AuthEnv) => SigningKeyRing.fromConfig(config) },
    {
      provide: AccessTokenSigner,
      inject: [SigningKeyRing, AuthEnv],
      useFactory: (keys: SigningKeyRing, config: AuthEnv) =>
        new AccessTokenSigner(keys, {
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        }),
    },
  ],
  exports: [AccessTokenSigner, SigningKeyRing],
})
export class KeysModule {}
