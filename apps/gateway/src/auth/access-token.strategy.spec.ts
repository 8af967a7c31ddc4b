import { bearerTokenOf } from './access-token.strategy';

describe(bearerTokenOf.name, () => {
  const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

  it.each([
    [`Bearer ${token}`, token],
    [`bearer ${token}`, token],
    [`BEARER ${token}`, token],
    [`Bearer   ${token}`, undefined],
    [`Basic ${token}`, undefined],
    [token, undefined],
    ['Bearer ', undefined],
    [`Bearer ${token} extra`, undefined],
    [`Bearer ${token}\u0000`, undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(bearerTokenOf({ headers: { authorization: header } })).toBe(expected);
  });

  it('reads no token when there is no header', () => {
    expect(bearerTokenOf({ headers: {} })).toBeUndefined();
  });
});
