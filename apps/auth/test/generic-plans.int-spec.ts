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
 * keep a statement's generic plan for the connection's life, replanned only by an ANALYZE of its
 * tables. Planned on tables never analyzed (a new deployment's, until autovacuum's first ANALYZE;
 * a database whose autovacuum is off), each must be an index lookup, or every `me` or login would
 * scan a table that grows with every registration. (On a small analyzed table a scan of its few
 * pages may be the cheaper plan; autovacuum's ANALYZE replans it as the table grows.)
 */
describe('auth statements on generic plans', () => {
  it('stay index lookups when planned on empty tables under the default settings', async () => {
    const statements = [PUBLIC_USERS_BY_IDS, PUBLIC_USER_BY_ID, USER_BY_ID, USER_BY_EMAIL, EMAIL_TAKEN];
    const scans = await tableScansOfGenericPlans('authplans', authSchema, statements, 'pool');
    expect(scans).toEqual(statements.map(({ name }) => ({ name, scans: [] })));
  });
});
