import { pendingSchemaChanges } from '@test/support/pending-schema-changes';
import { catalogSchema } from '../src/database/catalog.schema';

describe('the catalog entities', () => {
  it('declare what the migrations create: migration:generate proposes nothing', async () => {
    // Nothing is tolerated: the extensions the migrations create (pg_trgm, btree_gin) are outside
    // what TypeORM's schema builder reads or proposes, and the expression, DESC and GIN indexes
    // are declared by name with synchronize: false (their existence is checked by the helper).
    expect(await pendingSchemaChanges('catalogschema', catalogSchema)).toEqual([]);
  });
});
