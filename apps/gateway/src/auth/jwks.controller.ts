import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JwksResponse } from '@app/contracts';
import { Public } from '@app/common/http';
import { ApiProblems, JwksView } from './auth.openapi';
import { JwksCache } from './jwks-cache';

@ApiTags('auth')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: JwksCache) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({
    summary: 'The access-token signing keys (public parts)',
    description:
      'Tokens are signed by one of these keys, named by the `kid` header. Keys rotate: re-read on an unknown kid.',
  })
  @ApiOkResponse({ type: JwksView })
  @ApiProblems('service-unavailable')
  jwks(): Promise<JwksResponse> {
    return this.keys.publicJwks();
  }
}
