/** Fastify's `trustProxy` option: which proxies' X-Forwarded-For entries are believed. */
export type TrustProxy = boolean | string[] | ((address: string, hop: number) => boolean);

/**
 * Reads TRUST_PROXY: `false`/`true`, a list of proxy addresses or CIDRs, or a hop count. Fastify
 * ignores a plain number for X-Forwarded-For (every client would then share the proxy's address,
 * and its rate limits), so a count becomes "trust the nearest N hops".
 */
export function trustProxySetting(value: string): TrustProxy {
  if (value === 'false' || value === 'true') {
    return value === 'true';
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address: string, hop: number) => hop < hops;
  }
  return value.split(',');
}
