# One image recipe for every Bazaar app:
#   docker build --build-arg APP=orders -t bazaar-orders:dev .
# Stages: deps (npm ci from the lockfile) -> build (compile APP, trace what it loads) -> runtime
# (slim Node LTS, non-root, read-only friendly, only the files APP can load and its dist).
# Any builder runs it, BuildKit or the legacy one (docker-compose 1.29's): no `# syntax=` line (it
# would make BuildKit fetch a frontend image from a registry) and no RUN --mount. It needs nothing
# but the base image and the npm registry.

ARG NODE_IMAGE=node:24.20.0-trixie-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# No telemetry or update checks from install scripts inside the build.
ENV SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
ARG APP
RUN test -n "$APP" || { echo "Build with --build-arg APP=gateway|auth|catalog|orders" >&2; exit 1; }
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
COPY tools/image ./tools/image
# /out/app is the runtime: node_modules with only what APP's compiled entry can load (traced from
# its requires: 35 MB instead of every app's 210 MB of production dependencies) and dist with APP's
# output, which keeps its monorepo layout (dist/apps/APP/src/main.js requires ../../../libs/...).
RUN npx nest build "$APP" \
    && test -f "dist/apps/$APP/apps/$APP/src/main.js" \
    && npx tsx tools/image/trace-runtime.ts "$APP" /out/app \
    && ln -s "apps/$APP/src/main.js" /out/app/dist/main.js

FROM ${NODE_IMAGE} AS runtime
ARG APP
LABEL org.opencontainers.image.title="bazaar-${APP}"
# --max-semi-space-size=4: V8's young generation capped at 4 MiB per semi-space (default 16), ~25 MiB
# less RSS per idle process at no measured CPU cost.
# --max-old-space-size-percentage=50: the heap may take half of the container's memory limit, leaving
# the rest to code and native buffers, so V8 collects hard before the OOM killer ends the process.
# Both are explained in tools/launcher/replica-node-flags.ts, whose IMAGE_NODE_OPTIONS this must equal.
ENV NODE_ENV=production \
    BAZAAR_APP=${APP} \
    NODE_OPTIONS="--max-semi-space-size=4 --max-old-space-size-percentage=50"
WORKDIR /app
# Root-owned and read-only for the app user: the process can't rewrite its own code.
COPY --from=build /out/app ./
# The numeric uid of the image's `node` user, so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
# Listens on PORT (gateway, 3000) or OPS_PORT (auth 3001, catalog 3002, orders 3003).
# Healthy = /health/ready answers 200 (its database and NATS reachable, not shutting down), on PORT
# for the gateway and OPS_PORT for the services; compose's depends_on waits for it. The default
# ports mirror the env classes (tools/deploy-checks/dockerfile.spec.ts runs this and compares).
HEALTHCHECK --interval=10s --timeout=4s --start-period=60s --retries=3 CMD ["node", "-e", "const a = process.env.BAZAAR_APP; const p = (a === 'gateway' ? process.env.PORT : process.env.OPS_PORT) || { gateway: 3000, auth: 3001, catalog: 3002, orders: 3003 }[a]; fetch('http://127.0.0.1:' + p + '/health/ready', { signal: AbortSignal.timeout(3000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1));"]
# Exec form: node is PID 1 and receives SIGTERM itself (the apps drain and exit 0).
# dist/main.js is a symlink to dist/apps/APP/src/main.js; node resolves it to its real path.
CMD ["node", "dist/main.js"]
