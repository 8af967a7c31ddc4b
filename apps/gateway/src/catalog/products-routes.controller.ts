import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CatalogClient } from '@app/common/clients';
import { Public } from '@app/common/http';
import {
  CreateProductRequest,
  ListProductsQuery,
  Page,
  ProductIdRequest,
  ProductResponse,
  UpdateProductRequest,
} from '@app/contracts';
import { Roles } from '../auth/roles.decorator';
import { ApiProblems } from '../docs/problem-responses';
import { CATALOG_PROBLEMS, ProductPageSchema, ProductSchema } from './catalog-openapi';
import { CatalogReads } from './read-cache/catalog-reads.service';
import { JsonText } from './read-cache/read-cache-keys';

/** The reads answer JSON text serialised once (CatalogReads): Fastify sends a string under this type as it is. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const ID_PARAM = { name: 'id', format: 'uuid', description: 'Product id' } as const;

/** `/v1/products` (docs/api.md#catalog-routes): reads are public, writes are for admins. */
@ApiTags('catalog')
@Controller('v1/products')
export class ProductsRoutesController {
  constructor(
    private readonly catalog: CatalogClient,
    private readonly reads: CatalogReads,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    operationId: 'listProducts',
    summary: 'List products',
    description:
      'Live (non-archived) products, filtered and sorted, one page at a time. Pages are keyset-paginated: ' +
      'following `nextCursor` returns every product exactly once even while products are added. ' +
      '`q` matches a case-insensitive substring of the name or the description.',
  })
  @ApiOkResponse({ type: ProductPageSchema })
  @ApiProblems(CATALOG_PROBLEMS, 'validation-error')
  @Header('content-type', JSON_CONTENT_TYPE)
  list(@Query() query: ListProductsQuery): Promise<JsonText<Page<ProductResponse>>> {
    return this.reads.listProducts(query);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ operationId: 'getProduct', summary: 'Read a product', description: 'Archived products answer 404.' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ProductSchema })
  @ApiProblems(CATALOG_PROBLEMS, 'validation-error', 'not-found')
  @Header('content-type', JSON_CONTENT_TYPE)
  get(@Param() params: ProductIdRequest): Promise<JsonText<ProductResponse>> {
    return this.reads.getProduct(params.id);
  }

  @Roles('admin')
  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'createProduct',
    summary: 'Create a product (admin)',
    description: '`currency` defaults to USD, `stock` to 0, `description` to "" and `category` to null.',
  })
  @ApiCreatedResponse({ type: ProductSchema })
  @ApiProblems(CATALOG_PROBLEMS, 'validation-error', 'unauthorized', 'forbidden', 'conflict', 'payload-too-large')
  async create(@Body() body: CreateProductRequest): Promise<ProductResponse> {
    const product = await this.catalog.createProduct(body);
    this.reads.wrote(product.id);
    return product;
  }

  @Roles('admin')
  @Patch(':id')
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'updateProduct',
    summary: 'Update a product (admin)',
    description:
      'Changes only the fields sent; `category: null` clears the category. `stock` sets the number of units ' +
      'available now (units held by order reservations are already subtracted and come back when an order is ' +
      'cancelled); it is applied under the same row lock as reservations, so neither overwrites the other.',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ProductSchema })
  @ApiProblems(
    CATALOG_PROBLEMS,
    'validation-error',
    'unauthorized',
    'forbidden',
    'not-found',
    'conflict',
    'payload-too-large',
  )
  async update(@Param() params: ProductIdRequest, @Body() body: UpdateProductRequest): Promise<ProductResponse> {
    const product = await this.catalog.updateProduct({ ...body, id: params.id });
    this.reads.wrote(product.id);
    return product;
  }

  @Roles('admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'archiveProduct',
    summary: 'Archive a product (admin)',
    description:
      'The product is no longer listed, readable or orderable; it stays in the database (its sku stays taken). ' +
      'Archiving an archived product answers 404.',
  })
  @ApiParam(ID_PARAM)
  @ApiNoContentResponse({ description: 'Archived' })
  @ApiProblems(CATALOG_PROBLEMS, 'validation-error', 'unauthorized', 'forbidden', 'not-found')
  async archive(@Param() params: ProductIdRequest): Promise<void> {
    await this.catalog.archiveProduct(params.id);
    this.reads.wrote(params.id);
  }
}
