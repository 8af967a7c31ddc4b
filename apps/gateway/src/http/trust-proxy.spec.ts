import Fastify from 'fastify';
import { trustProxyProblem, trustProxySetting } from './trust-proxy';

const PROXY = '10.0.0.9';

/** The client address the gateway's Fastify sees for one request from `socket` carrying `forwardedFor`. */
async function clientIpSeen(trustProxy: string, forwardedFor: string | undefined, socket = PROXY): Promise<string> {
  const sut = Fastify({ trustProxy: trustProxySetting(trustProxy) });
  sut.get('/', (request) => ({ ip: request.ip }));
  try {
    const response = await sut.inject({
      url: '/',
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
      remoteAddress: socket,
    });
    return response.json<{ ip: string }>().ip;
  } finally {
    await sut.close();
  }
}

describe(trustProxyProblem.name, () => {
  it.each([
    'false',
    '0',
    '1',
    '3',
    '10.0.0.9',
    '10.0.0.0/8,172.16.0.0/12',
    '10.0.0.1, 10.0.0.2',
    '::1',
    'fd00::/8,2001:db8::/32',
    '10.0.0.0/8,fd00::/8',
    '::ffff:10.0.0.0/104',
  ])('accepts %s', (value) => {
    expect(trustProxyProblem(value)).toBeUndefined();
  });

  it.each(['true', 'TRUE', ' true'])('refuses %s, naming what to set instead', (value) => {
    expect(trustProxyProblem(value)).toMatch(/^true would believe any client's X-Forwarded-For.*hop count.*CIDR/);
  });

  it.each([
    ['0.0.0.0/0', /trusts every address/],
    ['10.0.0.0/8,::/0', /trusts every address/],
    ['10.0.0.0/33', /prefix length outside 0-32/],
    ['fd00::/129', /prefix length outside 0-128/],
    ['10.0.0.0/x', /prefix length/],
    ['10.0.0.0/8/1', /not an IPv4\/IPv6 address/],
    ['10.0.0.300', /not an IPv4\/IPv6 address/],
    ['1.2.3', /not an IPv4\/IPv6 address/],
    ['fe80::1%eth0', /not an IPv4\/IPv6 address/],
    ['loopback', /not an IPv4\/IPv6 address/],
    ['10.0.0.1,', /"" is not/],
    ['yes', /not an IPv4\/IPv6 address/],
    ['11', /hop count is at most 10/],
  ])('refuses %s', (value, reason) => {
    expect(trustProxyProblem(value)).toMatch(reason);
  });
});

describe(trustProxySetting.name, () => {
  it('refuses true, so no caller can turn it on by skipping validation', () => {
    expect(() => trustProxySetting('true')).toThrow(/^TRUST_PROXY: true would believe/);
  });

  describe('with proxies not trusted (false, 0)', () => {
    it.each(['false', '0'])('takes the socket address whatever X-Forwarded-For says (%s)', async (value) => {
      expect(await clientIpSeen(value, '203.0.113.7')).toBe(PROXY);
    });
  });

  describe('with a hop count', () => {
    it('takes the entry the one trusted proxy appended, not what the client wrote before it', async () => {
      expect(await clientIpSeen('1', '198.51.100.66, 192.0.2.1, 203.0.113.7')).toBe('203.0.113.7');
    });

    it('walks back as many hops as configured, no further', async () => {
      expect(await clientIpSeen('2', '198.51.100.66, 203.0.113.7, 10.0.0.8')).toBe('203.0.113.7');
    });

    it('trusts whoever connects as the first hop, which is why only the proxies may reach the gateway', async () => {
      expect(await clientIpSeen('1', '198.51.100.66', '203.0.113.7')).toBe('198.51.100.66');
    });
  });

  describe('with proxy addresses/CIDRs', () => {
    it('takes the first address from the right that is not a trusted proxy', async () => {
      expect(await clientIpSeen('10.0.0.0/8', '198.51.100.66, 203.0.113.7, 10.0.0.8')).toBe('203.0.113.7');
    });

    it('stops at the client even when the client wrote a trusted address before its own', async () => {
      expect(await clientIpSeen('10.0.0.0/8', '10.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
    });

    it('ignores X-Forwarded-For from a client that connects directly', async () => {
      expect(await clientIpSeen('10.0.0.0/8', '198.51.100.66', '203.0.113.7')).toBe('203.0.113.7');
    });

    it('trusts a listed address exactly, not its neighbours', async () => {
      expect(await clientIpSeen('10.0.0.9', '203.0.113.7')).toBe('203.0.113.7');
      expect(await clientIpSeen('10.0.0.9', '203.0.113.7', '10.0.0.10')).toBe('10.0.0.10');
    });

    it('trusts IPv6 proxies and finds an IPv6 client behind a spoofed chain', async () => {
      expect(await clientIpSeen('fd00::/8', '2001:db8::bad, 2001:db8::1', 'fd00::5')).toBe('2001:db8::1');
      expect(await clientIpSeen('fd00::/8', '2001:db8::bad', '2001:db8::1')).toBe('2001:db8::1');
    });

    it('recognises an IPv4 proxy behind an IPv4-mapped IPv6 socket address', async () => {
      expect(await clientIpSeen('10.0.0.0/8', '203.0.113.7', '::ffff:10.0.0.9')).toBe('203.0.113.7');
    });
  });
});
