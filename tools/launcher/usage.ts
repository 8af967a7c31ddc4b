/** What `npm start -- --help` prints. Kept beside the parser's vocabulary, not inside it, so both stay short. */
export const USAGE = `Usage: npm start -- [options]

Checks PostgreSQL, starts its own nats-server (authorization on, credentials generated once and
kept), builds Bazaar (when its sources changed), creates the service databases, then starts the
gateway and the auth, catalog and orders services (each service's first replica runs the
migrations before the others start) and prints where everything is. Ctrl-C stops it all
gracefully, the nats-server last.

Options
  --scale SERVICE=N                Replicas of gateway, auth, catalog or orders (default 1; repeatable).
                                   Gateway replicas share one port through node's cluster module.
  --no-build                       Use dist/ as it is; by default \`npm run build\` runs whenever a file
                                   under apps/ or libs/ (or a build config) changed since the last build.
  --port PORT                      Gateway HTTP port (env PORT, default 3000).
  --ops-port SERVICE=PORT          Ops port (/health, /metrics) of a service's first replica
                                   (env AUTH_OPS_PORT, CATALOG_OPS_PORT, ORDERS_OPS_PORT; defaults
                                   3001, 3002, 3003); replica i uses PORT + 100 × i, or a free port.
  --nats-port PORT                 Port of the launcher's own nats-server, on 127.0.0.1 (env
                                   LAUNCHER_NATS_PORT, default 4223). Its credentials (every identity's,
                                   the events consumer's included), JetStream store and log are kept in
                                   <state dir>/nats/.
  --nats-url URL                   Use this NATS server (or comma-separated cluster) instead of running
                                   one (env NATS_URL). Credentials per identity from the environment:
                                   GATEWAY_NATS_PASSWORD, AUTH_…, CATALOG_…, ORDERS_…, EVENTS_NATS_PASSWORD
                                   (all five or none; users default to the identity, or <IDENTITY>_NATS_USER).
                                   None: no credentials, with a warning (anyone on an open bus can act
                                   as any service).
  --state-dir DIR                  Where generated secrets live: JWT key, admin password, nats/ (env
                                   LAUNCHER_STATE_DIR, default .local/ in the checkout, git-ignored).
  --database-url URL               Postgres admin URL; service databases are created on this server
                                   (env DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
  --service-database-url SERVICE=URL
                                   A service's own database instead of bazaar_<service> on the admin
                                   server (env AUTH_DATABASE_URL, CATALOG_DATABASE_URL, ORDERS_DATABASE_URL).
  --raw-logs                       Print the services' JSON log lines untouched.
  --exit-on-crash                  Stop everything when a replica dies (default: report it, keep the rest).
  --start-deps-in-docker           Start a missing local PostgreSQL in a Docker container (needs a
                                   Docker engine). PostgreSQL only: the bus is the launcher's own
                                   nats-server (apt-get install nats-server) or --nats-url.
  --ready-timeout-ms MS            How long each replica may take to become ready (env
                                   LAUNCHER_READY_TIMEOUT_MS, default 60000).
  --node-options "FLAGS"           Extra node flags for every replica (not the launcher), including
                                   ones NODE_OPTIONS refuses: --node-options "--cpu-prof --cpu-prof-dir=DIR".
  --control-stdin                  Once up, take commands on stdin, one per line: \`spawn SERVICE\` starts one
                                   more replica (same environment) and prints \`BAZAAR_SPAWNED {json}\` when
                                   it is ready. The launcher never restarts replicas itself; this lets a
                                   program (the chaos tool) replace them, as an orchestrator would.
  -h, --help                       Print this help.

When everything is ready the launcher prints one line \`BAZAAR_READY {json}\` with the URLs, every
replica's id, PID and ports, and the events consumer's credentials (\`eventsConsumer\`), for scripts
and tests. SHUTDOWN_GRACE_MS (default 10000) bounds how long replicas may drain on Ctrl-C/SIGTERM
before they are killed. See tools/launcher/README.md.
`;
