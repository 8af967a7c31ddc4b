import Fastify from 'fastify';
import { trustProxySetting } from './trust-proxy';

async function clientIpSeenBehind(trustProxy: string, forwardedFor: string): Promise<string> {
  const sut = Fastify({ trustProxy: trustProxySetting(trustProxy) });
  sut.get('/', (request) => ({ ip: request.ip }));
  const response = await sut.inject({
    url: '/',
    headers: { 'x-forwarded-for': forwardedFor },
    remoteAddress: '10.0.0.9',
  });
  await sut.close();
  return response.json<{ ip: string }>().ip;
}

describe(trustProxySetting.name, () => {
  it('uses the socket address when proxies are not trusted', async () => {
    expect(await clientIpSeenBehind('false', '203.0.113.7')).toBe('10.0.0.9');
  });

  it('takes the client from X-Forwarded-For behind one trusted hop', async () => {
    expect(await clientIpSeenBehind('1', '198.51.100.1, 203.0.113.7')).toBe('203.0.113.7');
  });

  it('walks back as many hops as configured, no further', async () => {
    expect(await clientIpSeenBehind('2', '198.51.100.1, 203.0.113.7')).toBe('198.51.100.1');
  });

  it('trusts a listed proxy address', async () => {
    expect(await clientIpSeenBehind('10.0.0.9', '203.0.113.7')).toBe('203.0.113.7');
  });
});
