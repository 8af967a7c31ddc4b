import { createServer } from 'node:net';

/**
 * Free ports, checked the way the apps will bind them (all interfaces). Checking first turns
 * "EADDRINUSE" deep in a replica's log into one clear line before anything starts.
 */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '0.0.0.0', exclusive: true }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Throws one message naming every port in use and the setting that moves it. */
export async function assertPortsFree(ports: Array<{ port: number; what: string; setting: string }>): Promise<void> {
  const busy: string[] = [];
  for (const entry of ports) {
    if (!(await isPortFree(entry.port))) {
      busy.push(`${entry.port} (${entry.what}; change it with ${entry.setting})`);
    }
  }
  if (busy.length > 0) {
    throw new Error(`Port(s) already in use: ${busy.join(', ')}. Is another Bazaar already running?`);
  }
}

/**
 * Ops port of replica `index`: base + 100 × index when free, so the ports are predictable
 * (catalog-1 at 3102), otherwise any free port; `taken` avoids handing one port out twice.
 */
export async function replicaOpsPort(base: number, index: number, taken: Set<number>): Promise<number> {
  const preferred = base + 100 * index;
  let port = preferred <= 65535 && !taken.has(preferred) && (await isPortFree(preferred)) ? preferred : 0;
  while (port === 0 || taken.has(port)) {
    port = await anyFreePort();
  }
  taken.add(port);
  return port;
}
