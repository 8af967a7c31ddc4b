import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/common/http';
import { JwksResponse } from '@app/contracts';
import { ApiProblems } from '../docs/problem-responses';
import { AUTH_PROBLEMS, JwksView } from './auth.openapi';
import { JwksCache } from './jwks-cache';

@ApiTags('auth')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: JwksCache) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({
    operationId: 'getJwks',
    summary: 'The access-token signing keys (public parts)',
    description:
      'Tokens are signed by one of these keys, named by the `kid` header. Keys rotate: re-read on an unknown kid.',
  })
  @ApiOkResponse({ type: JwksView })
  @ApiProblems(AUTH_PROBLEMS)
  jwks(): Promise<JwksResponse> {
    return this.keys.publicJwks();
  }
}
