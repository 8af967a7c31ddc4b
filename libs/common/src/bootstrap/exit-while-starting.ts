/**
 * Imported first by every main.ts, before anything heavy loads (Nest, TypeORM, the app: a second
 * or more on a busy node), for one side effect: a stop asked for before the app is up exits at
 * once, 0. Nothing is in flight yet, and a half-run migration rolls back with its connection.
 * Without a handler, node running as a container's PID 1 ignores SIGTERM altogether, and a replica
 * stopped while it starts would sit out the whole grace period until SIGKILL (the compose test saw
 * exit 137 after `docker stop -t 30`). exitGracefullyOnSignals takes over once the app is up.
 *
 * No imports: it must not wait for anything to load, and it writes its one line itself.
 */
export function exitWhileStarting(signal: NodeJS.Signals): void {
  const line = { level: 'info', time: new Date().toISOString(), msg: `${signal} received while starting: exiting` };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  process.exit(0);
}

process.once('SIGTERM', exitWhileStarting);
process.once('SIGINT', exitWhileStarting);
