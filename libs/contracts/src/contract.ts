import { AuthEvents, AuthRpc } from './auth/auth.contract';
import { CatalogEvents, CatalogRpc } from './catalog/catalog.contract';
import { OrdersEvents, OrdersRpc } from './orders/orders.contract';

/**
 * The whole wire contract in two maps: every NATS subject with its request and reply, every event
 * subject with its payload. `npm run contract:compat` reads these two names (and ERROR_CATALOG) to
 * compare the contract with the last release; a subject missing here fails that check.
 */
export interface BazaarRpc extends AuthRpc, CatalogRpc, OrdersRpc {}

export interface BazaarEvents extends AuthEvents, CatalogEvents, OrdersEvents {}
