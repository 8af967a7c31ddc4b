import { EnvInt, ServiceEnv } from '@app/common';

/** Environment of the orders service (see the configuration reference in the README). */
export class OrdersEnv extends ServiceEnv {
  @EnvInt(0, 65535) override OPS_PORT = 3003;
}
