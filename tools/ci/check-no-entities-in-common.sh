#!/usr/bin/env bash
# libs/common holds plumbing and contracts only: a TypeORM entity there would leak one service's
# table into every other service. (The outbox EntitySchema in libs/common/src/outbox is not one: the
# outbox is the one table every service has by design; it lets migration:generate see that table.)
set -euo pipefail
cd "$(dirname "$0")/../.."
if grep -rlE "@Entity\(" libs/common/src libs/contracts/src; then
  echo "libs/common and libs/contracts must not declare TypeORM entities (found above)" >&2
  exit 1
fi
