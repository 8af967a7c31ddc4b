import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders and their idempotency keys.
 *
 * - `requested` is what the client asked for (the saga resends it verbatim, so catalog recognises a
 *   retry); `items` is what catalog reserved, priced then (the snapshot clients see).
 * - `stock_release` is the durable intent to give stock back: `requested` is written before any
 *   release is sent to catalog (when recovery fences a pending order, or when a confirmed order is
 *   cancelled) and stays until catalog acknowledges it (`done`). A confirm is only allowed while no
 *   release was requested, which is what makes a confirm and a fence mutually exclusive.
 * - `next_recovery_at` is when the recovery worker may look at the order next (its claim is a
 *   lease); the partial index holds only the orders that still need work, so the hot path adds
 *   nothing to it once an order is confirmed.
 * - The list indexes serve keyset pagination newest first, for everyone (admin) and per user.
 */
export class CreateOrders1764500000000 implements MigrationInterface {
  name = 'CreateOrders1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "orders" (
        "id" uuid PRIMARY KEY,
        "user_id" uuid NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'pending',
        "requested" jsonb NOT NULL,
        "items" jsonb NOT NULL DEFAULT '[]',
        "total_cents" bigint NOT NULL DEFAULT 0,
        "currency" char(3) NULL,
        "rejection" jsonb NULL,
        "stock_release" varchar(16) NULL,
        "recovery_attempts" integer NOT NULL DEFAULT 0,
        "next_recovery_at" timestamptz(3) NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        "confirmed_at" timestamptz(3) NULL,
        CONSTRAINT "orders_status" CHECK ("status" IN ('pending', 'confirmed', 'rejected', 'cancelled')),
        CONSTRAINT "orders_stock_release" CHECK ("stock_release" IN ('requested', 'done')),
        CONSTRAINT "orders_priced_when_confirmed" CHECK (
          "status" NOT IN ('confirmed', 'cancelled') OR ("currency" IS NOT NULL AND "confirmed_at" IS NOT NULL)
        ),
        CONSTRAINT "orders_rejection_when_rejected" CHECK ("status" <> 'rejected' OR "rejection" IS NOT NULL)
      )`);
    await runner.query(`CREATE INDEX "orders_newest" ON "orders" ("created_at" DESC, "id" DESC)`);
    await runner.query(`CREATE INDEX "orders_user_newest" ON "orders" ("user_id", "created_at" DESC, "id" DESC)`);
    await runner.query(
      `CREATE INDEX "orders_recovery_due" ON "orders" ("next_recovery_at")
       WHERE "status" = 'pending' OR "stock_release" = 'requested'`,
    );
    await runner.query(`
      CREATE TABLE "idempotency_keys" (
        "user_id" uuid NOT NULL,
        "key" varchar(255) NOT NULL,
        "fingerprint" char(64) NOT NULL,
        "order_id" uuid NOT NULL REFERENCES "orders" ("id"),
        "locked_until" timestamptz(3) NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "expires_at" timestamptz(3) NOT NULL,
        PRIMARY KEY ("user_id", "key")
      )`);
    await runner.query(`CREATE INDEX "idempotency_keys_expiry" ON "idempotency_keys" ("expires_at")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "idempotency_keys"`);
    await runner.query(`DROP TABLE "orders"`);
  }
}
