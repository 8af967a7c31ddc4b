import { Controller, Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { defaultReplicaId } from '../logging/create-logger';
import { PingResponse } from '@app/contracts';

/** The `<service>.system.ping` handler every service mounts: proves the NATS path end to end. */
export function pingControllerFor(service: string, subject: string, replica = defaultReplicaId()): Type {
  @Controller()
  class PingController {
    @MessagePattern(subject)
    ping(): PingResponse {
      return { service, replica, pid: process.pid, time: new Date().toISOString() };
    }
  }
  return PingController;
}
