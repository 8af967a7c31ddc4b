import { compareContracts } from './compare-contracts';
import { ContractDescription, Field, Shape } from './contract-description';

const string: Shape = { type: 'string' };
const number: Shape = { type: 'number' };
const required = (shape: Shape): Field => ({ required: true, shape });
const optional = (shape: Shape): Field => ({ required: false, shape });
const status: Shape = { type: 'enum', values: ['confirmed', 'pending'] };

/** A small contract in the shape of the real one: a subject, an event, error codes. */
function baseContract(): ContractDescription {
  const order = (): Shape => ({
    type: 'object',
    fields: {
      id: required(string),
      status: required(status),
      totalCents: required({ type: 'number', nullable: true }),
      legacyTotal: { ...required(number), deprecated: true },
    },
  });
  return {
    rpc: {
      'orders.order.place': {
        request: {
          type: 'object',
          fields: {
            items: required({
              type: 'array',
              items: { type: 'object', fields: { productId: required(string), quantity: required(number) } },
            }),
            idempotencyKey: optional(string),
            sort: optional({ type: 'enum', values: ['name', 'newest'] }),
          },
        },
        response: order(),
      },
      'orders.order.legacy': { request: string, response: string, deprecated: true },
    },
    events: { 'orders.events.confirmed': { payload: order() } },
    errorCodes: { conflict: 409, 'not-found': 404 },
  };
}

type Edit = (contract: ContractDescription) => void;
const placeRequest = (c: ContractDescription): Extract<Shape, { type: 'object' }> =>
  c.rpc['orders.order.place'].request as Extract<Shape, { type: 'object' }>;
const placeResponse = (c: ContractDescription): Extract<Shape, { type: 'object' }> =>
  c.rpc['orders.order.place'].response as Extract<Shape, { type: 'object' }>;
const confirmedPayload = (c: ContractDescription): Extract<Shape, { type: 'object' }> =>
  c.events['orders.events.confirmed'].payload as Extract<Shape, { type: 'object' }>;

function changesAfter(edit: Edit): string[] {
  const head = baseContract();
  edit(head);
  return compareContracts(baseContract(), head).map((change) => `${change.where}: ${change.problem}`);
}

describe(compareContracts.name, () => {
  it('finds nothing between a contract and itself', () => {
    expect(compareContracts(baseContract(), baseContract())).toEqual([]);
  });

  describe('passes additive changes', () => {
    it.each<[string, Edit]>([
      ['a new subject', (c) => void (c.rpc['orders.order.audit'] = { request: string, response: string })],
      ['a new event', (c) => void (c.events['orders.events.shipped'] = { payload: string })],
      ['a new error code', (c) => void (c.errorCodes['gone'] = 410)],
      ['a new optional request field', (c) => void (placeRequest(c).fields.note = optional(string))],
      ['a new response field', (c) => void (placeResponse(c).fields.currency = required(string))],
      ['a new event payload field', (c) => void (confirmedPayload(c).fields.reason = required(string))],
      ['a request field made optional', (c) => void (placeRequest(c).fields.items.required = false)],
      [
        'a request enum that accepts one value more',
        (c) => void (placeRequest(c).fields.sort.shape = { type: 'enum', values: ['name', 'newest', 'price'] }),
      ],
      ['a field the base deprecated, removed', (c) => delete placeResponse(c).fields.legacyTotal],
      ['a subject the base deprecated, removed', (c) => delete c.rpc['orders.order.legacy']],
      ['a response field that is never null any more', (c) => void (placeResponse(c).fields.totalCents.shape = number)],
    ])('%s', (_name, edit) => {
      expect(changesAfter(edit)).toEqual([]);
    });
  });

  describe('fails breaking changes', () => {
    it.each<[string, Edit, string]>([
      ['a removed subject', (c) => delete c.rpc['orders.order.place'], 'rpc orders.order.place: subject removed'],
      [
        'a removed event',
        (c) => delete c.events['orders.events.confirmed'],
        'event orders.events.confirmed: event removed',
      ],
      ['a removed error code', (c) => delete c.errorCodes.conflict, 'error code conflict: error code removed'],
      [
        'an error code with another status',
        (c) => void (c.errorCodes.conflict = 422),
        'error code conflict: status changed from 409 to 422',
      ],
      [
        'a removed request field',
        (c) => delete placeRequest(c).fields.idempotencyKey,
        'request.idempotencyKey: field removed',
      ],
      [
        'a removed response field',
        (c) => delete placeResponse(c).fields.totalCents,
        'response.totalCents: field removed',
      ],
      [
        'a removed event field',
        (c) => delete confirmedPayload(c).fields.status,
        'event orders.events.confirmed payload.status: field removed',
      ],
      [
        'a removed nested field',
        (c) => {
          const items = placeRequest(c).fields.items.shape as Extract<Shape, { type: 'array' }>;
          delete (items.items as Extract<Shape, { type: 'object' }>).fields.quantity;
        },
        'request.items[].quantity: field removed',
      ],
      [
        'a new required request field',
        (c) => void (placeRequest(c).fields.channel = required(string)),
        'request.channel: new required field',
      ],
      [
        'an optional request field made required',
        (c) => void (placeRequest(c).fields.idempotencyKey.required = true),
        'request.idempotencyKey: optional became required',
      ],
      [
        'a response field made optional',
        (c) => void (placeResponse(c).fields.id.required = false),
        'response.id: required became optional',
      ],
      [
        'a narrowed type',
        (c) => void (placeRequest(c).fields.idempotencyKey.shape = { type: 'enum', values: ['a'] }),
        'request.idempotencyKey: type changed from string to enum("a")',
      ],
      [
        'a changed response type',
        (c) => void (placeResponse(c).fields.id.shape = number),
        'response.id: type changed from string to number',
      ],
      [
        'a narrowed request enum',
        (c) => void (placeRequest(c).fields.sort.shape = { type: 'enum', values: ['newest'] }),
        'request.sort: no longer accepts "name"',
      ],
      [
        'a response enum with a value consumers do not know',
        (c) =>
          void (placeResponse(c).fields.status.shape = { type: 'enum', values: ['cancelled', 'confirmed', 'pending'] }),
        'response.status: may now be "cancelled"',
      ],
      [
        'a response field that may now be null',
        (c) => void (placeResponse(c).fields.id.shape = { type: 'string', nullable: true }),
        'response.id: may now be null',
      ],
    ])('%s', (_name, edit, expected) => {
      const changes = changesAfter(edit);

      expect(changes).toHaveLength(1);
      expect(changes[0]).toContain(expected);
    });
  });
});
