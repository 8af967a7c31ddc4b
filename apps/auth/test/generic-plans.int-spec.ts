import { tableScansOfGenericPlans } from '@test/support/generic-plans';
import { authSchema } from '../src/database/auth.schema';
import {
  EMAIL_TAKEN,
  PUBLIC_USER_BY_ID,
  PUBLIC_USERS_BY_IDS,
  USER_BY_EMAIL,
  USER_BY_ID,
} from '../src/users/users.service';

/**
 * Auth's look-ups run as named statements straight on the pool. After five executions Postgres may
 * keep a statement's generic plan for the connection's life, made perhaps while the users table
 * was nearly empty: each must then still be an index lookup, or every `me` or login would scan a
 * table that grows with every registration.
 */
describe('auth statements on generic plans', () => {
  it('stay index lookups when planned on empty tables under the default settings', async () => {
    const statements = [PUBLIC_USERS_BY_IDS, PUBLIC_USER_BY_ID, USER_BY_ID, USER_BY_EMAIL, EMAIL_TAKEN];
    const scans = await tableScansOfGenericPlans('authplans', authSchema, statements, 'pool');
    expect(scans).toEqual(statements.map(({ name }) => ({ name, scans: [] })));
  });
});
