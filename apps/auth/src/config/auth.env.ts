import { EnvInt, ServiceEnv } from '@app/common';

/** Environment of the auth service (see the configuration reference in the README). */
export class AuthEnv extends ServiceEnv {
  @EnvInt(0, 65535) override OPS_PORT = 3001;
}
