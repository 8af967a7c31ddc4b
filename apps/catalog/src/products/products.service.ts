import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '@app/common/database';
import { DomainError } from '@app/common/errors';
import { appendToOutbox, OutboxRelay } from '@app/common/outbox';
import {
  ArchivedProductResponse,
  CATALOG_EVENTS,
  CreateProductRequest,
  ListProductsQuery,
  Page,
  PAGE_RULES,
  ProductArchivedEvent,
  ProductResponse,
  StockChangedEvent,
  UpdateProductCommand,
  UpdateProductRequest,
} from '@app/contracts';
import { ProductCursorCodec } from './product-cursor';
import { toProductResponse } from './product.mapper';
import { ProductRow, ProductsRepository, UPDATABLE_COLUMNS } from './products.repository';

const SKU_CONSTRAINT = 'products_sku_unique';

function notFound(id: string): DomainError {
  return new DomainError('not-found', `No product ${id}`);
}

function skuTaken(sku: string | undefined, cause: unknown): DomainError {
  return new DomainError('conflict', `A product with sku ${JSON.stringify(sku)} already exists`, {
    cause,
    errors: [{ field: 'sku', message: 'sku is already taken' }],
  });
}

/** Products: create, read, list, update, archive. Every committed change emits its event. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly products: ProductsRepository,
    private readonly cursors: ProductCursorCodec,
    private readonly relay: OutboxRelay,
  ) {}

  async create(request: CreateProductRequest): Promise<ProductResponse> {
    const product = await this.inTransaction(async (manager) => {
      const row = await this.products.insert(manager, request);
      const response = toProductResponse(row);
      await appendToOutbox(manager, CATALOG_EVENTS.PRODUCT_CREATED, response);
      return response;
    }).catch((error: unknown) => {
      throw isUniqueViolation(error, SKU_CONSTRAINT) ? skuTaken(request.sku, error) : error;
    });
    return product;
  }

  async get(id: string): Promise<ProductResponse> {
    const row = await this.products.findLive(id);
    if (!row) {
      throw notFound(id);
    }
    return toProductResponse(row);
  }

  async list(query: ListProductsQuery): Promise<Page<ProductResponse>> {
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      throw new DomainError('validation-error', 'The request is invalid', {
        errors: [{ field: 'maxPrice', message: 'maxPrice must not be less than minPrice' }],
      });
    }
    const sort = query.sort ?? 'newest';
    const limit = query.limit ?? PAGE_RULES.LIMIT_DEFAULT;
    const after = query.cursor === undefined ? undefined : this.cursors.decode(query.cursor, query, sort);
    const rows = await this.products.listPage(query, sort, limit, after);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? this.cursors.encode(query, sort, {
            key: last.sortKey instanceof Date ? last.sortKey.toISOString() : last.sortKey,
            id: last.id,
          })
        : null;
    return { items: items.map(toProductResponse), nextCursor };
  }

  /**
   * Changes only the fields given, under the row lock that reservations also take, so a stock
   * set here and a reservation never interleave (see StockField). Emits `product-updated` when a
   * field other than stock changed and `stock-changed` when stock did; nothing when nothing did.
   */
  async update(command: UpdateProductCommand): Promise<ProductResponse> {
    const { id, ...patch } = command;
    return this.inTransaction(async (manager) => {
      const current = await this.products.lockLive(manager, id);
      if (!current) {
        throw notFound(id);
      }
      const changes = changedFields(current, patch);
      if (Object.keys(changes).length === 0) {
        return toProductResponse(current);
      }
      const row = await this.products.update(manager, id, changes);
      const response = toProductResponse(row);
      if (Object.keys(changes).some((field) => field !== 'stock')) {
        await appendToOutbox(manager, CATALOG_EVENTS.PRODUCT_UPDATED, response);
      }
      if (changes.stock !== undefined) {
        await appendToOutbox<StockChangedEvent>(manager, CATALOG_EVENTS.STOCK_CHANGED, {
          productId: id,
          sku: row.sku,
          stock: row.stock,
          delta: row.stock - current.stock,
          reason: 'adjusted',
          orderId: null,
        });
      }
      return response;
    }).catch((error: unknown) => {
      throw isUniqueViolation(error, SKU_CONSTRAINT) ? skuTaken(patch.sku, error) : error;
    });
  }

  async archive(id: string): Promise<ArchivedProductResponse> {
    return this.inTransaction(async (manager) => {
      const row = await this.products.archive(manager, id);
      if (!row?.archivedAt) {
        throw notFound(id);
      }
      const event: ProductArchivedEvent = { id, sku: row.sku, archivedAt: row.archivedAt.toISOString() };
      await appendToOutbox(manager, CATALOG_EVENTS.PRODUCT_ARCHIVED, event);
      return { id, archivedAt: event.archivedAt };
    });
  }

  /** Runs `work` in a transaction, then wakes the outbox relay for the events it appended. */
  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.relay.nudge();
    return result;
  }
}

/** The fields of `patch` that are present and differ from the current row. */
function changedFields(current: ProductRow, patch: UpdateProductRequest): Partial<UpdateProductRequest> {
  const changes: Partial<Record<keyof UpdateProductRequest, unknown>> = {};
  for (const field of Object.keys(UPDATABLE_COLUMNS) as Array<keyof UpdateProductRequest>) {
    const value = patch[field];
    if (value !== undefined && value !== current[field]) {
      changes[field] = value;
    }
  }
  return changes as Partial<UpdateProductRequest>;
}
