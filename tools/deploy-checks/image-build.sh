#!/usr/bin/env bash
# The Dockerfile's build, outside Docker (CI has no engine): in a throwaway directory, install from
# the lockfile, build each app, prune dev dependencies, lay the result out as the runtime stage does
# (node_modules + dist with dist/main.js), then start every app the way the image would
# (NODE_ENV=production, docker-compose.yml's environment; services first run `--migrate-only`, then
# `node dist/main.js`) against the local Postgres and a private nats-server, wait for /health/ready,
# send SIGTERM and expect exit code 0.
#
#   tools/deploy-checks/image-build.sh [app ...]      (default: gateway auth catalog orders)
#
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), NATS_SERVER_BIN, READY_TIMEOUT_S (90),
# KEEP_WORKDIR=1 (keep the build and logs for inspection).
# Idempotent and self-cleaning: every database, process and file it creates is removed on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APPS=("$@")
if [ ${#APPS[@]} -eq 0 ]; then
  APPS=(gateway auth catalog orders)
fi
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
export PGHOST PGPORT PGUSER PGOPTIONS
READY_TIMEOUT_S="${READY_TIMEOUT_S:-90}"
STOP_TIMEOUT_S=20

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bazaar-image-build.XXXXXX")"
RUN_ID="imgcheck_$$"
declare -A PIDS=()
DATABASES=()
NATS_PID=""

log() { printf '[image-build] %s\n' "$*" >&2; }

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}" $NATS_PID; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for db in "${DATABASES[@]}"; do
    psql -d postgres -qAt -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  if [ "${KEEP_WORKDIR:-0}" = 1 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"
}

# --- deps stage: npm ci from the lockfile -------------------------------------------------------
log "installing from the lockfile in $WORK/build"
mkdir -p "$WORK/build" "$WORK/runtime"
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$WORK/build/"
(cd "$WORK/build" && SCARF_ANALYTICS=false npm ci --prefer-offline --no-audit --no-fund --loglevel=error)

# --- build stage: the context .dockerignore lets through, one build per app, prune -------------
cp "$ROOT/nest-cli.json" "$ROOT/tsconfig.json" "$ROOT/tsconfig.build.json" "$WORK/build/"
rsync -a --exclude '*.spec.ts' --exclude '*-spec.ts' --exclude '/apps/*/test/' --exclude '/libs/*/test/' \
  "$ROOT/apps" "$ROOT/libs" "$WORK/build/"
for app in "${APPS[@]}"; do
  log "building $app"
  (cd "$WORK/build" && npx nest build "$app" && test -f "dist/apps/$app/apps/$app/src/main.js")
done
(cd "$WORK/build" && npm prune --omit=dev --no-audit --no-fund --loglevel=error)

# --- runtime stage: node_modules + dist/apps/<app> as dist, dist/main.js -> the app's main -----
mv "$WORK/build/node_modules" "$WORK/runtime/node_modules"
for app in "${APPS[@]}"; do
  mkdir -p "$WORK/runtime/$app"
  cp -R "$WORK/build/dist/apps/$app" "$WORK/runtime/$app/dist"
  ln -s "apps/$app/src/main.js" "$WORK/runtime/$app/dist/main.js"
done
# Nothing but the runtime layout may be reachable: no sources, no dev dependencies.
rm -rf "$WORK/build"

# --- start every app against a private NATS and its own throwaway database -------------------
# The bus runs the shipped configuration (deploy/nats), authorization included, with a fresh
# password per identity; each app reads its own from a file, as in compose (NATS_PASSWORD_FILE).
NATS_BIN="${NATS_SERVER_BIN:-$(command -v nats-server || echo /usr/sbin/nats-server)}"
NATS_PORT="$(free_port)"
mkdir -p "$WORK/nats" "$WORK/secrets"
nats_env=()
for identity in gateway auth catalog orders events; do
  password="$(node -e "process.stdout.write(require('crypto').randomBytes(24).toString('base64url'))")"
  printf '%s' "$password" >"$WORK/secrets/$identity-nats-password"
  nats_env+=("BAZAAR_NATS_${identity^^}_PASSWORD=$password")
done
env "${nats_env[@]}" "$NATS_BIN" -c "$ROOT/deploy/nats/nats-server.conf" -a 127.0.0.1 -p "$NATS_PORT" -sd "$WORK/nats" \
  >"$WORK/nats.log" 2>&1 &
NATS_PID=$!

generate_signing_key() {
  node -e "const { generateKeyPairSync } = require('crypto');
    process.stdout.write(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }))"
}
generate_signing_key >"$WORK/secrets/signing-keys.pem"

declare -A PROBE_PORTS=()
for app in "${APPS[@]}"; do
  env_args=()
  while IFS= read -r -d '' pair; do
    env_args+=("$pair")
  done < <(cd "$ROOT" && node_modules/.bin/tsx tools/deploy-checks/compose-env.ts "$app")
  port="$(free_port)"
  PROBE_PORTS[$app]=$port
  # The image's ENV, then compose's environment, then what differs outside a compose network.
  overrides=(NODE_ENV=production "BAZAAR_APP=$app" "NATS_URL=nats://127.0.0.1:$NATS_PORT" "REPLICA_ID=imgcheck-$app"
    "NATS_PASSWORD_FILE=$WORK/secrets/$app-nats-password")
  if [ "$app" = gateway ]; then
    overrides+=("PORT=$port" HOST=127.0.0.1)
  else
    db="bazaar_${RUN_ID}_$app"
    psql -d postgres -qAt -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\"" >/dev/null
    DATABASES+=("$db")
    overrides+=("OPS_PORT=$port" "DATABASE_URL=postgres://$PGUSER@$PGHOST:$PGPORT/$db" DB_POOL_SIZE=2)
  fi
  if [ "$app" = auth ]; then
    overrides+=("JWT_SIGNING_KEYS_FILE=$WORK/secrets/signing-keys.pem")
  fi
  if [ "$app" != gateway ]; then
    # What compose's <service>-migrate container and the Kubernetes init container run.
    log "migrating $app (--migrate-only)"
    if ! (cd "$WORK/runtime/$app" && env -i "PATH=$PATH" "HOME=$WORK" "${env_args[@]}" "${overrides[@]}" \
      node dist/main.js --migrate-only) >"$WORK/$app-migrate.log" 2>&1; then
      log "FAIL: $app --migrate-only failed; its output:"
      tail -n 40 "$WORK/$app-migrate.log" >&2
      exit 1
    fi
  fi
  log "starting $app (probe port $port)"
  (cd "$WORK/runtime/$app" && exec env -i "PATH=$PATH" "HOME=$WORK" "${env_args[@]}" "${overrides[@]}" node dist/main.js) \
    >"$WORK/$app.log" 2>&1 &
  PIDS[$app]=$!
done

failed=0
for app in "${APPS[@]}"; do
  deadline=$((SECONDS + READY_TIMEOUT_S))
  until curl -fs -o /dev/null "http://127.0.0.1:${PROBE_PORTS[$app]}/health/ready"; do
    if ! kill -0 "${PIDS[$app]}" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      log "FAIL: $app never became ready; its output:"
      tail -n 40 "$WORK/$app.log" >&2
      failed=1
      break
    fi
    sleep 0.5
  done
  if [ $failed = 0 ]; then
    log "$app is ready"
  fi
done

for app in "${APPS[@]}"; do
  kill -TERM "${PIDS[$app]}" 2>/dev/null || true
done
for app in "${APPS[@]}"; do
  deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "${PIDS[$app]}" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
    sleep 0.2
  done
  code=0
  if kill -0 "${PIDS[$app]}" 2>/dev/null; then
    log "FAIL: $app did not exit within ${STOP_TIMEOUT_S}s of SIGTERM"
    failed=1
    continue
  fi
  wait "${PIDS[$app]}" || code=$?
  unset "PIDS[$app]"
  if [ "$code" != 0 ]; then
    log "FAIL: $app exited with $code after SIGTERM; its output:"
    tail -n 20 "$WORK/$app.log" >&2
    failed=1
  else
    log "$app drained and exited 0"
  fi
done

if [ $failed != 0 ]; then
  exit 1
fi
log "OK: ${APPS[*]} built, started from the pruned runtime layout, became ready and shut down cleanly"
