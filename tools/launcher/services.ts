import { AUTH_PATTERNS } from '../../libs/contracts/src/auth/auth.patterns';
import { CATALOG_PATTERNS } from '../../libs/contracts/src/catalog/catalog.patterns';
import { ORDERS_PATTERNS } from '../../libs/contracts/src/orders/orders.patterns';
import { authServicePrepareEnv, gatewayPrepareEnv } from './auth-env';

/**
 * The one table of what the launcher starts. Later features plug in here rather than in the
 * launcher's flow: auth's signing key and bootstrap admin, the gateway's token settings and the
 * catalog's demo data are `prepareEnv` hooks.
 */

export const BACKEND_NAMES = ['auth', 'catalog', 'orders'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type ServiceName = 'gateway' | BackendName;
export const SERVICE_NAMES: readonly ServiceName[] = ['gateway', ...BACKEND_NAMES];

export interface ServiceContext {
  /** Repository root: every relative path is resolved against it. */
  rootDir: string;
  /** Git-ignored directory (.local/) for what is generated once and kept, such as local secrets. */
  localDir: string;
  natsUrl: string;
  /** This service's own database (backends only). */
  databaseUrl?: string;
  /** Prints a launcher line; for things the developer must see once, like a generated password. */
  say(message: string): void;
}

interface ServiceHooks {
  /**
   * Extra environment for every replica of the service, computed once before the first starts.
   * Runs before migrations: whatever needs the schema belongs in `afterFirstReady`.
   */
  prepareEnv?(context: ServiceContext): Promise<Record<string, string>>;
  /** Runs once the first replica is ready (so migrations have run) and before the others start. */
  afterFirstReady?(context: ServiceContext): Promise<void>;
}

export interface GatewayDefinition extends Pick<ServiceHooks, 'prepareEnv'> {
  name: 'gateway';
  /** Compiled entry point, relative to the repository root (see `npm run build`). */
  main: string;
  defaultPort: number;
}

export interface BackendDefinition extends ServiceHooks {
  name: BackendName;
  main: string;
  /** Port of the /health and /metrics server of replica 0; replica i gets base + 100 × i when free. */
  defaultOpsPort: number;
  /** Created on the admin server unless `<NAME>_DATABASE_URL` names another database. */
  defaultDatabase: string;
  /** Subject the launcher pings over NATS to prove each replica answers. */
  pingSubject: string;
}

const compiledMain = (name: ServiceName): string => `dist/apps/${name}/apps/${name}/src/main.js`;

export const GATEWAY: GatewayDefinition = {
  name: 'gateway',
  main: compiledMain('gateway'),
  defaultPort: 3000,
  prepareEnv: gatewayPrepareEnv,
};

export const BACKENDS: readonly BackendDefinition[] = [
  {
    name: 'auth',
    main: compiledMain('auth'),
    defaultOpsPort: 3001,
    defaultDatabase: 'bazaar_auth',
    pingSubject: AUTH_PATTERNS.PING,
    // Signing key generated once into .local/, and the bootstrap admin (password printed once).
    prepareEnv: authServicePrepareEnv,
  },
  {
    name: 'catalog',
    main: compiledMain('catalog'),
    defaultOpsPort: 3002,
    defaultDatabase: 'bazaar_catalog',
    pingSubject: CATALOG_PATTERNS.PING,
    // The demo catalog goes only into an empty database (the service checks), so this is safe on
    // every start; CATALOG_SEED_DEMO=false in the launcher's environment turns it off.
    prepareEnv: () => Promise.resolve({ CATALOG_SEED_DEMO: process.env.CATALOG_SEED_DEMO ?? 'true' }),
  },
  {
    name: 'orders',
    main: compiledMain('orders'),
    defaultOpsPort: 3003,
    defaultDatabase: 'bazaar_orders',
    pingSubject: ORDERS_PATTERNS.PING,
  },
];

/** Prefix of a backend's own environment variables: CATALOG_DATABASE_URL, CATALOG_OPS_PORT. */
export function envPrefix(name: BackendName): string {
  return name.toUpperCase();
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}
