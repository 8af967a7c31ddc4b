import { pendingSchemaChanges } from '@test/support/pending-schema-changes';
import { authSchema } from '../src/database/auth.schema';

describe('the auth entities', () => {
  it('declare what the migrations create: migration:generate proposes nothing', async () => {
    expect(await pendingSchemaChanges('authschema', authSchema)).toEqual([]);
  });
});
