import { OUTBOX_RELAY_STATEMENTS } from '@app/common/outbox';
import { tableScansOfGenericPlans } from '@test/support/generic-plans';
import { catalogSchema } from '../src/database/catalog.schema';
import { RESERVE_AT_ONCE } from '../src/stock/reservations.repository';
import { LOCK_ANY } from '../src/stock/stock.repository';

/**
 * A batch of reserves and the outbox relay run their statements on generic plans
 * (`useGenericPlans`), made once per connection, perhaps while the tables are empty. Each must
 * then still be an index lookup, or it would scan a table that grows with every product or order.
 */
describe('catalog statements on generic plans', () => {
  it('stay index lookups when planned on empty tables', async () => {
    const statements = [RESERVE_AT_ONCE, LOCK_ANY, ...OUTBOX_RELAY_STATEMENTS];
    const scans = await tableScansOfGenericPlans('catalogplans', catalogSchema, statements);
    expect(scans).toEqual(statements.map(({ name }) => ({ name, scans: [] })));
  });
});
