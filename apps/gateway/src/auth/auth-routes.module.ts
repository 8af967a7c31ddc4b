import { Module } from '@nestjs/common';

/** The gateway's HTTP routes for the auth service (API.md, Auth section). */
@Module({})
export class AuthRoutesModule {}
