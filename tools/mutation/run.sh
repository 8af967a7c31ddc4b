#!/usr/bin/env bash
# npm run test:mutation: StrykerJS over the pure domain modules (stryker.config.mjs), then the
# markdown summary committed in test/mutation/latest.md. Extra arguments go to `stryker run`
# (e.g. --mutate <file> to judge one module). How to read the result: docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

# StrykerJS 10 refuses Node < 22 (CI runs Node 24; these machines have 20). STRYKER_NODE names one
# (`npm install --prefix /tmp/node24 node@24` gives /tmp/node24/node_modules/node/bin/node).
node_bin="${STRYKER_NODE:-node}"
major="$("$node_bin" -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 22 ]; then
  echo "StrykerJS 10 needs Node >= 22 (found $("$node_bin" --version)); set STRYKER_NODE to a newer node binary" >&2
  exit 2
fi

status=0
PATH="$(dirname "$(command -v "$node_bin")"):$PATH" "$node_bin" node_modules/@stryker-mutator/core/bin/stryker.js run "$@" ||
  status=$?
if [ -f reports/mutation/mutation.json ]; then
  npx tsx tools/mutation/summary.ts reports/mutation/mutation.json test/mutation/latest.md
fi
exit "$status"
