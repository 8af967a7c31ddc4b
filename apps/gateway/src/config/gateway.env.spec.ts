import { ConfigValidationError, validateEnv } from '@app/common/config';
import { GatewayEnv } from './gateway.env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnv(GatewayEnv, env);
  } catch (error) {
    return (error as ConfigValidationError).problems;
  }
  return [];
}

describe(GatewayEnv.name, () => {
  describe('TRUST_PROXY', () => {
    it('defaults to false: the socket address is the client', () => {
      expect(validateEnv(GatewayEnv, {}).TRUST_PROXY).toBe('false');
    });

    it.each(['false', '1', '10.0.0.0/8,fd00::/8'])('accepts %s', (value) => {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([]);
    });

    it('refuses true at start, naming the variable and what to set instead', () => {
      expect(problemsOf({ TRUST_PROXY: 'true' })).toEqual([
        expect.stringMatching(/^TRUST_PROXY: true would believe any client's X-Forwarded-For.*hop count.*CIDRs/),
      ]);
    });

    it('refuses a range that trusts every address, and a malformed list', () => {
      expect(problemsOf({ TRUST_PROXY: '0.0.0.0/0' })).toEqual([
        expect.stringMatching(/^TRUST_PROXY: .*every address/),
      ]);
      expect(problemsOf({ TRUST_PROXY: '10.0.0.1;10.0.0.2' })).toEqual([
        expect.stringMatching(/^TRUST_PROXY: .*not an IPv4\/IPv6 address/),
      ]);
    });
  });
});
