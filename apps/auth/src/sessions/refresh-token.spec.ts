import { hashRefreshToken, newRefreshToken } from './refresh-token';

describe(newRefreshToken.name, () => {
  it('carries 256 random bits as 43 base64url characters', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newRefreshToken()));

    expect(tokens.size).toBe(1000);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });
});

describe(hashRefreshToken.name, () => {
  it('is a deterministic SHA-256 that does not contain the token', () => {
    const token = newRefreshToken();

    expect(hashRefreshToken(token)).toEqual(hashRefreshToken(token));
    expect(hashRefreshToken(token)).toHaveLength(32);
    expect(hashRefreshToken(token).toString('base64url')).not.toBe(token);
  });
});
