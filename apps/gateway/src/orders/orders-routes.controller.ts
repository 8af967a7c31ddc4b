import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import {
  IDEMPOTENCY_KEY_HEADER,
  ListOrdersQuery,
  OrderActor,
  OrderIdParam,
  OrderResponse,
  Page,
  PlaceOrderRequest,
} from '@app/contracts';
import { OrdersClient } from '@app/common/clients';
import { Principal } from '../auth/principal';
import { idempotencyKeyOf, withReplayHeader } from './idempotency-header';
import { NoBodyPipe } from './no-body.pipe';
import { ApiProblems } from '../docs/problem-responses';
import { ORDER_PROBLEMS, OrderPageSchema, OrderSchema } from './orders-openapi';

const ID_PARAM = { name: 'id', format: 'uuid', description: 'Order id' } as const;

const actorOf = (principal: Principal): OrderActor => ({ userId: principal.userId, role: principal.role });

const PLACE_DESCRIPTION = `Reserves stock for every line or for none, and answers \`201\` with the \`confirmed\` order,
its prices and names snapshotted; or an error, with nothing reserved.

**Idempotency-Key** (optional, 1–255 printable characters, scoped to the caller, remembered for at least 24 h):
a retry with the same key and body answers the original status and body with \`Idempotent-Replayed: true\` and
creates nothing; the same key with another body → \`422 idempotency-key-reused\` (the lines are compared as a set:
the same lines in another order are the same body); while the first request is in flight →
\`409 idempotency-key-in-use\`. Requests that fail validation (400) or authentication are not remembered.

**503 / 504**: catalog did not answer in time. The order was recorded \`pending\`; it is settled, within a bounded
time (about 18 s with the default settings), by whichever comes first: a retry with the same Idempotency-Key, which
resumes it at once, or the recovery worker, which confirms it if catalog did reserve its stock, and otherwise
cancels the reservation and rejects it. A retry with the same key then answers, with \`Idempotent-Replayed: true\`:
\`201\` with the order if it was confirmed; the catalog's error if catalog refused it (e.g. \`409
insufficient-stock\`); \`504 upstream-timeout\` if it was rejected because the reservation never completed (final:
nothing is reserved; place it again with a new key); or \`503\`/\`504\` again if catalog is still unreachable (keep
retrying with the same key). Without a key, look for the order in \`GET /v1/orders\`.

**Unit limits** (against stock hoarding; the orders service's settings, defaults in brackets): an order reserves at
most \`MAX_UNITS_PER_ORDER\` units, its quantities summed [2000] (\`422 order-too-large\`); a customer's pending and
confirmed orders placed within the last \`CUSTOMER_UNITS_WINDOW_MINUTES\` [1440] hold at most
\`MAX_UNITS_PER_CUSTOMER\` units together [5000] (\`409 unit-quota-exceeded\`; cancelled and rejected orders free
theirs). The problem's \`details\` carry the limit and the units counted. A refused order creates nothing and is not
remembered: a retry with the same key is judged again. A replay of an order that was accepted is answered as before,
never counted twice or refused. Admins are exempt.`;

/** `/v1/orders` (docs/api.md#order-routes): every route needs a token; what a caller sees is decided by the orders service. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1/orders')
export class OrdersRoutesController {
  constructor(private readonly orders: OrdersClient) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'placeOrder', summary: 'Place an order', description: PLACE_DESCRIPTION })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1–255 printable ASCII characters, unique per intended order (e.g. a UUID)',
    example: 'c0a8012e-7b1d-4f7e-9b0a-5d7c1e2f3a4b',
  })
  @ApiCreatedResponse({
    type: OrderSchema,
    description: 'The confirmed order',
    headers: {
      'Idempotent-Replayed': {
        description: '`true` when this is the answer of an earlier request with the same Idempotency-Key',
        schema: { type: 'string', enum: ['true'] },
      },
    },
  })
  @ApiProblems(
    ORDER_PROBLEMS,
    'validation-error',
    'unauthorized',
    'insufficient-stock',
    'idempotency-key-in-use',
    'payload-too-large',
    'unknown-product',
    'mixed-currency',
    'idempotency-key-reused',
    'order-too-large',
    'unit-quota-exceeded',
  )
  place(
    @Body() body: PlaceOrderRequest,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @CurrentUser() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const command = { items: body.items, actor: actorOf(principal), idempotencyKey: idempotencyKeyOf(idempotencyKey) };
    return withReplayHeader(reply, this.orders.placeOrder(command));
  }

  @Get()
  @ApiOperation({
    operationId: 'listOrders',
    summary: 'List orders',
    description:
      'Newest first, keyset-paginated (following `nextCursor` returns every order once, even while orders are ' +
      'placed). A customer sees its own orders; an admin sees every order, or one user’s with `userId`.',
  })
  @ApiOkResponse({ type: OrderPageSchema })
  @ApiProblems(ORDER_PROBLEMS, 'validation-error', 'unauthorized', 'forbidden')
  list(@Query() query: ListOrdersQuery, @CurrentUser() principal: Principal): Promise<Page<OrderResponse>> {
    return this.orders.listOrders({ ...query, actor: actorOf(principal) });
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getOrder',
    summary: 'Read an order',
    description:
      'The owner’s order, or any order for an admin; anyone else gets 404, as for an order that does not exist.',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: OrderSchema })
  @ApiProblems(ORDER_PROBLEMS, 'validation-error', 'unauthorized', 'not-found')
  get(@Param() params: OrderIdParam, @CurrentUser() principal: Principal): Promise<OrderResponse> {
    return this.orders.getOrder({ orderId: params.id, actor: actorOf(principal) });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'cancelOrder',
    summary: 'Cancel an order (owner or admin)',
    description:
      'Only a `confirmed` order can be cancelled; its stock is given back exactly once, however many cancels race. ' +
      'Cancelling a cancelled order answers 200 with it unchanged; any other status answers `409 conflict`. The ' +
      'cancel is recorded before catalog is asked for the stock: if catalog is unreachable at that moment the ' +
      'answer is still 200 and the stock comes back as soon as catalog is reachable again.',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: OrderSchema, description: 'The cancelled order' })
  @ApiProblems(ORDER_PROBLEMS, 'validation-error', 'unauthorized', 'not-found', 'conflict')
  cancel(
    @Param() params: OrderIdParam,
    @Body(NoBodyPipe) _body: undefined,
    @CurrentUser() principal: Principal,
  ): Promise<OrderResponse> {
    return this.orders.cancelOrder({ orderId: params.id, actor: actorOf(principal) });
  }
}
