import { isIPv4, isIPv6 } from 'node:net';

/**
 * Fastify's `trustProxy` option as the gateway uses it: `false` (the socket address is the client),
 * a list of trusted proxy addresses/CIDRs, or "the nearest N hops" as a function. Never `true`.
 */
export type TrustProxy = false | string[] | ((address: string, hop: number) => boolean);

const MAX_HOPS = 10;

const USE_INSTEAD =
  'set a hop count, the number of proxies in front of the gateway (e.g. 1 behind one load balancer), ' +
  "or the proxies' addresses/CIDRs (e.g. 10.0.0.0/8,fd00::/8)";

/** Why one entry of an address list is not a proxy address or CIDR, or undefined when it is one. */
function addressProblem(entry: string): string | undefined {
  const [address, prefix, extra] = entry.split('/');
  const family = isIPv4(address) ? 4 : isIPv6(address) && !address.includes('%') ? 6 : undefined;
  if (family === undefined || extra !== undefined) {
    return `"${entry}" is not an IPv4/IPv6 address or CIDR`;
  }
  if (prefix === undefined) {
    return undefined;
  }
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits <= (family === 4 ? 32 : 128))) {
    return `"${entry}" has a prefix length outside 0-${family === 4 ? 32 : 128}`;
  }
  // 0.0.0.0/0 or ::/0 is `true` spelled as a range.
  return bits === 0 ? `"${entry}" trusts every address, as true would` : undefined;
}

/**
 * Why `value` is not a TRUST_PROXY setting, or undefined when it is one. `true` is refused: it
 * takes the left-most X-Forwarded-For entry, which the client writes itself, so every client could
 * name its own address and walk past the rate limit and the failed-login limits per address.
 */
export function trustProxyProblem(value: string): string | undefined {
  if (value.trim().toLowerCase() === 'true') {
    return `true would believe any client's X-Forwarded-For (a client could claim any address); ${USE_INSTEAD}`;
  }
  if (value === 'false' || /^\d+$/.test(value)) {
    return Number(value) > MAX_HOPS ? `a hop count is at most ${MAX_HOPS}` : undefined;
  }
  const problems = value.split(',').map((entry) => addressProblem(entry.trim()));
  const first = problems.find((problem) => problem !== undefined);
  return first === undefined ? undefined : `${first}; use false, a hop count, or addresses/CIDRs`;
}

/**
 * Fastify's setting for a valid TRUST_PROXY (see trustProxyProblem). A hop count becomes "trust the
 * nearest N hops" as a function: Fastify fails a plain number closed (it then trusts no hop), and
 * counting hops is only as sound as the network that keeps clients from reaching the gateway
 * except through those proxies (the compose network and the gateway's NetworkPolicy do).
 */
export function trustProxySetting(value: string): TrustProxy {
  const problem = trustProxyProblem(value);
  if (problem !== undefined) {
    throw new Error(`TRUST_PROXY: ${problem}`);
  }
  if (value === 'false' || value === '0') {
    return false;
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address: string, hop: number) => hop < hops;
  }
  return value.split(',').map((entry) => entry.trim());
}
