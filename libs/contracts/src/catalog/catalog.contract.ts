import { Page } from '../shared/page';
import { EmptyPayload } from '../shared/empty-payload';
import { PingResponse } from '../system/ping.response';
import { CATALOG_EVENTS, ProductArchivedEvent, ProductChangedEvent, StockChangedEvent } from './catalog.events';
import { CATALOG_PATTERNS } from './catalog.patterns';
import { CreateProductRequest } from './create-product.request';
import { ListProductsQuery } from './list-products.request';
import { ProductIdRequest } from './product-id.request';
import { ArchivedProductResponse, ProductResponse } from './product.response';
import { ReservationResponse } from './reservation.response';
import { OrderIdRequest, ReserveStockRequest } from './reserve-stock.request';
import { UpdateProductCommand } from './update-product.request';

/** Every subject the catalog service answers: the payload it accepts and what it replies. */
export interface CatalogRpc {
  [CATALOG_PATTERNS.PING]: { request: EmptyPayload; response: PingResponse };
  [CATALOG_PATTERNS.CREATE_PRODUCT]: { request: CreateProductRequest; response: ProductResponse };
  [CATALOG_PATTERNS.GET_PRODUCT]: { request: ProductIdRequest; response: ProductResponse };
  [CATALOG_PATTERNS.LIST_PRODUCTS]: { request: ListProductsQuery; response: Page<ProductResponse> };
  [CATALOG_PATTERNS.UPDATE_PRODUCT]: { request: UpdateProductCommand; response: ProductResponse };
  [CATALOG_PATTERNS.ARCHIVE_PRODUCT]: { request: ProductIdRequest; response: ArchivedProductResponse };
  [CATALOG_PATTERNS.RESERVE_STOCK]: { request: ReserveStockRequest; response: ReservationResponse };
  [CATALOG_PATTERNS.RELEASE_STOCK]: { request: OrderIdRequest; response: ReservationResponse };
  [CATALOG_PATTERNS.GET_RESERVATION]: { request: OrderIdRequest; response: ReservationResponse };
}

/** Every event the catalog publishes: the `data` of its envelope. */
export interface CatalogEvents {
  [CATALOG_EVENTS.PRODUCT_CREATED]: ProductChangedEvent;
  [CATALOG_EVENTS.PRODUCT_UPDATED]: ProductChangedEvent;
  [CATALOG_EVENTS.PRODUCT_ARCHIVED]: ProductArchivedEvent;
  [CATALOG_EVENTS.STOCK_CHANGED]: StockChangedEvent;
}
