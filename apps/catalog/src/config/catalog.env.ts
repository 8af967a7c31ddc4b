import { EnvInt, ServiceEnv } from '@app/common';

/** Environment of the catalog service (see the configuration reference in the README). */
export class CatalogEnv extends ServiceEnv {
  @EnvInt(0, 65535) override OPS_PORT = 3002;
}
