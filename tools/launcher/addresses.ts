/** Small helpers over the Postgres and NATS addresses the launcher is given. */

/** The URL without its password, for messages (a launcher's output ends up in bug reports). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      parsed.password = '***';
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** The same server and credentials as `adminUrl`, another database. */
export function databaseUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export interface HostPort {
  host: string;
  port: number;
}

export function hostPort(url: string, defaultPort: number): HostPort {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : defaultPort };
}

/** Local addresses are the ones the launcher can tell you how to start (or start in Docker). */
export function isLocalHost(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0'].includes(host);
}

export function isPostgresUrl(value: string): boolean {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** One or more comma-separated nats:// (or tls://) server URLs, as the apps accept. */
export function isNatsUrlList(value: string): boolean {
  return /^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/.test(value);
}
