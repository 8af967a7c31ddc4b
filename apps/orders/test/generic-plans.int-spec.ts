import { OUTBOX_RELAY_STATEMENTS } from '@app/common/outbox';
import { tableScansOfGenericPlans } from '@test/support/generic-plans';
import { ordersSchema } from '../src/database/orders.schema';
import { ADMISSION_BATCH_STATEMENTS } from '../src/orders/admission-batch.repository';

/**
 * The admission batch and the outbox relay run their statements on generic plans
 * (`useGenericPlans`), made once per connection, perhaps while the tables are empty. Each must
 * then still be an index lookup, or it would scan a table that grows with every order.
 */
describe('orders statements on generic plans', () => {
  it('stay index lookups when planned on empty tables', async () => {
    const statements = [...ADMISSION_BATCH_STATEMENTS, ...OUTBOX_RELAY_STATEMENTS];
    const scans = await tableScansOfGenericPlans('ordersplans', ordersSchema, statements);
    expect(scans).toEqual(statements.map(({ name }) => ({ name, scans: [] })));
  });
});
