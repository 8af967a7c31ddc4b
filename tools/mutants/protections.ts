import { Mutation } from './mutation-model';

/**
 * One mutation per protection (issue 15): each deletes one safeguard, and names the tests that
 * must go red without it. `npm run test:mutants` proves they do; a `find` that no longer matches
 * exactly once fails the run before any test starts, naming the mutation and its file.
 *
 * Keep `find` short and specific (a clause, not a statement), so moving code around keeps it
 * valid and reshaping the protection itself breaks it visibly.
 */
export const PROTECTIONS: Mutation[] = [
  // ── no oversell ────────────────────────────────────────────────────────────────────────────
  {
    id: 'reserve-at-once-row-locks',
    invariant: 'no oversell',
    removes: "FOR UPDATE of the one-statement reserve's locked CTE (it judges a snapshot)",
    file: 'apps/catalog/src/stock/reservations.repository.ts',
    find: /ORDER BY "id" FOR UPDATE(\s*\), "judged")/,
    replace: 'ORDER BY "id"$1',
    tests: { project: 'int', paths: ['apps/catalog/test/stock-locks.int-spec.ts'], name: 'latest committed' },
  },
  {
    id: 'reserve-at-once-judgement',
    invariant: 'no oversell',
    removes: 'bool_and(stock >= quantity) of the one-statement reserve (only the CHECK would refuse)',
    file: 'apps/catalog/src/stock/reservation-rules.ts',
    find: 'holdsSql: `bool_and(p."stock" >= m."quantity")`',
    replace: "holdsSql: 'true'",
    tests: { project: 'int', paths: ['apps/catalog/test/stock-locks.int-spec.ts'], name: 'judges a short order' },
  },
  {
    id: 'reserve-transactional-row-locks',
    invariant: 'no oversell',
    removes: "FOR UPDATE of the transactional path's lockLive",
    file: 'apps/catalog/src/stock/stock.repository.ts',
    find: '"archived_at" IS NULL ORDER BY "id" FOR UPDATE',
    replace: '"archived_at" IS NULL ORDER BY "id"',
    tests: { project: 'int', paths: ['apps/catalog/test/stock-locks.int-spec.ts'], name: 'transactional path' },
  },
  {
    id: 'stock-not-negative-check',
    invariant: 'no oversell',
    removes: 'the products_stock_not_negative CHECK of the products migration',
    file: 'apps/catalog/src/database/migrations/1764300000000-create-products.ts',
    find: 'CONSTRAINT "products_stock_not_negative" CHECK ("stock" >= 0),',
    replace: '',
    tests: { project: 'int', paths: ['apps/catalog/test/stock-locks.int-spec.ts'], name: 'CHECK constraint' },
  },
  {
    id: 'reserve-batch-global-lock-order',
    invariant: 'no oversell',
    removes: "the lock of all a batch's products in id order before its reserves (batches could deadlock)",
    file: 'apps/catalog/src/stock/stock.service.ts',
    find: 'await this.stock.lockAny(manager, ids);',
    replace: '',
    tests: { project: 'int', paths: ['apps/catalog/test/stock-group-commit.int-spec.ts'], name: 'nor deadlocks' },
  },
  // ── idempotency ────────────────────────────────────────────────────────────────────────────
  {
    id: 'idempotency-fingerprint',
    invariant: 'idempotency',
    removes: 'the request-fingerprint comparison of a repeated Idempotency-Key',
    file: 'apps/orders/src/orders/order-placement.service.ts',
    find: 'if (record.fingerprint !== claim.fingerprint) {',
    replace: 'if (false) {',
    tests: {
      project: 'int',
      paths: ['apps/orders/test/orders-idempotency.int-spec.ts'],
      name: 'idempotency-key-reused',
    },
  },
  {
    id: 'reserve-order-id-claim',
    invariant: 'idempotency',
    removes: "the order-id claim's ON CONFLICT of catalog's one-statement reserve (a repeat reserves again)",
    file: 'apps/catalog/src/stock/reservations.repository.ts',
    find: /(WHERE j\."servable"\s*)ON CONFLICT \("order_id"\) DO NOTHING /,
    replace: '$1ON CONFLICT ("order_id") DO UPDATE SET "status" = \'reserved\' ',
    tests: { project: 'int', paths: ['apps/catalog/test/stock.int-spec.ts'], name: 'changes stock once' },
  },
  // ── saga recovery ──────────────────────────────────────────────────────────────────────────
  {
    id: 'confirm-fence',
    invariant: 'saga recovery',
    removes: "confirm's `stock_release IS NULL` guard (a late confirm overrides a fence)",
    file: 'apps/orders/src/orders/orders.repository.ts',
    // The guard shared by the single and the batched confirm (group commit).
    find: ' AND ${t}"stock_release" IS NULL`;',
    replace: '`;',
    tests: { project: 'int', paths: ['apps/orders/test/orders-recovery.int-spec.ts'], name: 'late confirm' },
  },
  {
    id: 'admission-batch-customer-locks',
    invariant: 'unit limits',
    removes: "the customers' advisory locks of a batch of admissions",
    file: 'apps/orders/src/orders/admission-batch.repository.ts',
    find: 'SELECT pg_advisory_xact_lock(${CUSTOMER_UNITS_LOCK}, "h") FROM (',
    replace: 'SELECT "h" FROM (',
    tests: {
      project: 'int',
      paths: ['apps/orders/test/orders-group-commit.int-spec.ts'],
      name: "waits for the customer's lock",
    },
  },
  // ── outbox exactly-once ────────────────────────────────────────────────────────────────────
  {
    id: 'outbox-claim',
    invariant: 'outbox exactly-once',
    removes: "the relay's FOR UPDATE SKIP LOCKED claim of a batch",
    file: 'libs/common/src/outbox/outbox.relay.ts',
    find: 'ORDER BY "seq" LIMIT $1 FOR UPDATE SKIP LOCKED',
    replace: 'ORDER BY "seq" LIMIT $1',
    tests: { project: 'int', paths: ['libs/common/test/outbox-relay.int-spec.ts'], name: 'two relays' },
  },
  {
    id: 'outbox-published-mark',
    invariant: 'outbox exactly-once',
    removes: 'the relay marking a published batch (published_at)',
    file: 'libs/common/src/outbox/outbox.relay.ts',
    find: 'UPDATE "outbox" SET "published_at" = now() WHERE',
    replace: 'UPDATE "outbox" SET "published_at" = NULL WHERE',
    tests: { project: 'int', paths: ['libs/common/test/outbox-relay.int-spec.ts'], name: 'republishes nothing' },
  },
  // ── refresh-token reuse ────────────────────────────────────────────────────────────────────
  {
    id: 'refresh-reuse-revokes-family',
    invariant: 'refresh-token reuse',
    removes: 'the family revocation when a spent refresh token comes back',
    file: 'apps/auth/src/sessions/refresh-token.store.ts',
    find: "await this.revokeFamily(this.dataSource.manager, rotation.familyId, 'reuse');",
    replace: '',
    tests: { project: 'int', paths: ['apps/auth/test/refresh-tokens.int-spec.ts'], name: 'reuse' },
  },
  // ── login lockout across replicas ──────────────────────────────────────────────────────────
  {
    id: 'login-lockout-per-email',
    invariant: 'login lockout across replicas',
    removes: 'the per-email failure limit (counted in the shared database)',
    file: 'apps/auth/src/login-limits/login-limit-rules.ts',
    find: 'email: counts.email >= limits.maxPerEmail',
    replace: 'email: false',
    tests: { project: 'int', paths: ['apps/auth/test/login-limits.int-spec.ts'], name: 'across replicas' },
  },
  {
    id: 'login-attempt-recorded-first',
    invariant: 'login lockout across replicas',
    removes: 'recording an attempt before counting (so concurrent attempts on any replica see each other)',
    file: 'apps/auth/src/login-limits/login-limiter.ts',
    find: /const \[\{ id \}\] = await (RECORD_ATTEMPT\.rows\([^;]*\));(\s*)const \[counts\] = await (COUNT_ATTEMPTS\.rows\(this\.dataSource, \[email, clientAddress), id, ([^;]*);/,
    replace: 'const [counts] = await $3, 0, $4;$2const [{ id }] = await $1;',
    tests: { project: 'int', paths: ['apps/auth/test/login-limits.int-spec.ts'], name: 'however many race' },
  },
  // ── IDOR 404 ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'order-read-owner-filter',
    invariant: 'IDOR 404',
    removes: 'the owner check on order reads (canSee)',
    file: 'apps/orders/src/orders/order-access.ts',
    find: "return actor.role === 'admin' || order.userId === actor.userId.toLowerCase();",
    replace: 'return true;',
    tests: { project: 'int', paths: ['apps/orders/test/orders-reading.int-spec.ts'], name: '404' },
  },
  {
    id: 'order-cancel-owner-filter',
    invariant: 'IDOR 404',
    removes: "the owner filter of cancel's UPDATE",
    file: 'apps/orders/src/orders/orders.repository.ts',
    find: ` AND ($2::uuid IS NULL OR "user_id" = $2::uuid)`,
    replace: '',
    tests: { project: 'int', paths: ['apps/orders/test/orders-reading.int-spec.ts'], name: 'refuses another customer' },
  },
  // ── read-cache staleness bound ─────────────────────────────────────────────────────────────
  {
    id: 'read-cache-freshness-gate',
    invariant: 'read-cache staleness bound',
    removes: 'the freshness gate (serve cached reads only while the feed vouches for the bound)',
    file: 'apps/gateway/src/catalog/read-cache/catalog-reads.service.ts',
    find: 'serve: this.freshness.isFresh(this.config.READ_CACHE_MAX_STALENESS_MS)',
    replace: 'serve: true',
    tests: { project: 'int', paths: ['apps/gateway/test/read-cache.int-spec.ts'], name: 'relays stall' },
  },
  // ── graceful drain ─────────────────────────────────────────────────────────────────────────
  {
    id: 'gateway-answers-while-draining',
    invariant: 'graceful drain',
    removes: 'answering requests on accepted connections while closing (Fastify 503s them instead)',
    file: 'apps/gateway/src/gateway.app.ts',
    find: 'return503OnClosing: false,',
    replace: 'return503OnClosing: true,',
    tests: { project: 'int', paths: ['apps/gateway/test/graceful-http-shutdown.int-spec.ts'] },
  },
  // ── migrations run once ────────────────────────────────────────────────────────────────────
  {
    id: 'migrations-advisory-lock',
    invariant: 'migrations run once',
    removes: 'the advisory lock around pending migrations',
    file: 'libs/common/src/database/migrate.ts',
    find: "await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockName]);",
    replace: '',
    tests: { project: 'int', paths: ['libs/common/test/migrations-race.int-spec.ts'] },
  },
  {
    id: 'migrations-advisory-lock-processes',
    invariant: 'migrations run once',
    removes: 'the advisory lock around pending migrations, in the built services too',
    file: 'libs/common/src/database/migrate.ts',
    find: "await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockName]);",
    replace: '',
    tests: { project: 'e2e', paths: ['test/e2e/migrations-race.e2e-spec.ts'] },
  },
];
