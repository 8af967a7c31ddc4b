import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AUTH_PATTERNS, JwksResponse } from '@app/contracts';
import { SigningKeyRing } from './signing-key-ring';

@Controller()
export class KeysController {
  constructor(private readonly keys: SigningKeyRing) {}

  @MessagePattern(AUTH_PATTERNS.GET_JWKS)
  jwks(): JwksResponse {
    return this.keys.jwks();
  }
}
