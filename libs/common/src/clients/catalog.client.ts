import { DomainError } from '../errors/domain-error';
import { RpcClient } from '../messaging/rpc-client';
import {
  ArchivedProductResponse,
  CATALOG_PATTERNS,
  CreateProductRequest,
  ListProductsQuery,
  Page,
  PingResponse,
  ProductResponse,
  ReservationResponse,
  ReserveStockRequest,
  UpdateProductCommand,
  CatalogRpc,
} from '@app/contracts';

/** The reply a subject declares in the contract (CatalogRpc): each method below returns exactly that. */
type Reply<S extends keyof CatalogRpc> = CatalogRpc[S]['response'];

/**
 * Typed calls to the catalog service. Every failure is a DomainError: the catalog's own
 * (`not-found`, `conflict`, `insufficient-stock`, `unknown-product`, `mixed-currency`,
 * `validation-error`) or the transport's (`service-unavailable`, `upstream-timeout`).
 */
export class CatalogClient extends RpcClient {
  ping(): Promise<PingResponse> {
    return this.call<Reply<typeof CATALOG_PATTERNS.PING>>(CATALOG_PATTERNS.PING, {});
  }

  createProduct(request: CreateProductRequest): Promise<ProductResponse> {
    return this.call<Reply<typeof CATALOG_PATTERNS.CREATE_PRODUCT>>(CATALOG_PATTERNS.CREATE_PRODUCT, request);
  }

  getProduct(id: string): Promise<ProductResponse> {
    return this.call<Reply<typeof CATALOG_PATTERNS.GET_PRODUCT>>(CATALOG_PATTERNS.GET_PRODUCT, { id });
  }

  listProducts(query: ListProductsQuery): Promise<Page<ProductResponse>> {
    return this.call<Reply<typeof CATALOG_PATTERNS.LIST_PRODUCTS>>(CATALOG_PATTERNS.LIST_PRODUCTS, query);
  }

  updateProduct(command: UpdateProductCommand): Promise<ProductResponse> {
    return this.call<Reply<typeof CATALOG_PATTERNS.UPDATE_PRODUCT>>(CATALOG_PATTERNS.UPDATE_PRODUCT, command);
  }

  archiveProduct(id: string): Promise<ArchivedProductResponse> {
    return this.call<Reply<typeof CATALOG_PATTERNS.ARCHIVE_PRODUCT>>(CATALOG_PATTERNS.ARCHIVE_PRODUCT, { id });
  }

  /** All lines or none; repeating it with the same orderId returns the first outcome. */
  reserveStock(request: ReserveStockRequest, timeoutMs?: number): Promise<ReservationResponse> {
    return this.call<Reply<typeof CATALOG_PATTERNS.RESERVE_STOCK>>(CATALOG_PATTERNS.RESERVE_STOCK, request, timeoutMs);
  }

  /** Returns the stock exactly once; also fences off a reserve that never arrived. Safe to retry. */
  releaseStock(orderId: string, timeoutMs?: number): Promise<ReservationResponse> {
    return this.call<Reply<typeof CATALOG_PATTERNS.RELEASE_STOCK>>(
      CATALOG_PATTERNS.RELEASE_STOCK,
      { orderId },
      timeoutMs,
    );
  }

  /** The reservation of an order; `not-found` when no reserve or release for it ever committed. */
  getReservation(orderId: string, timeoutMs?: number): Promise<ReservationResponse> {
    return this.call<Reply<typeof CATALOG_PATTERNS.GET_RESERVATION>>(
      CATALOG_PATTERNS.GET_RESERVATION,
      { orderId },
      timeoutMs,
    );
  }

  /** Like getReservation, with "never happened" as null instead of an error (for recovery). */
  async findReservation(orderId: string, timeoutMs?: number): Promise<ReservationResponse | null> {
    try {
      return await this.getReservation(orderId, timeoutMs);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not-found') {
        return null;
      }
      throw error;
    }
  }
}
