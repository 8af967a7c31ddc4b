import { pendingSchemaChanges } from '@test/support/pending-schema-changes';
import { ordersSchema } from '../src/database/orders.schema';

describe('the orders entities', () => {
  it('declare what the migrations create: migration:generate proposes nothing', async () => {
    expect(await pendingSchemaChanges('ordersschema', ordersSchema)).toEqual([]);
  });
});
