import { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_TABLE_DOWN, OUTBOX_TABLE_UP } from '@app/common/outbox';

/**
 * Users, refresh-token families and tokens, failed-login attempts, and the outbox.
 * - emails are stored lower-cased (checked), so the plain unique index is case-insensitive;
 * - refresh tokens are stored only as SHA-256 hashes (they carry 256 random bits, so a fast hash
 *   is enough), single use (`used_at`), grouped in families that logout and reuse revoke;
 * - login attempts are counted per email and per client address in a sliding window, shared by
 *   every replica.
 */
export class CreateAuthTables1764115200000 implements MigrationInterface {
  name = 'CreateAuthTables1764115200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "users" (
        "id" uuid PRIMARY KEY,
        "email" varchar(254) NOT NULL,
        "name" varchar(100) NULL,
        "role" varchar(16) NOT NULL,
        "password_hash" varchar(255) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "users_email_lower" CHECK ("email" = lower("email")),
        CONSTRAINT "users_role_known" CHECK ("role" IN ('customer', 'admin'))
      )`);
    await runner.query(`CREATE UNIQUE INDEX "users_email_unique" ON "users" ("email")`);
    await runner.query(`
      CREATE TABLE "refresh_token_families" (
        "id" uuid PRIMARY KEY,
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "revoked_at" timestamptz NULL,
        "revoked_reason" varchar(32) NULL
      )`);
    await runner.query(`CREATE INDEX "refresh_token_families_user" ON "refresh_token_families" ("user_id")`);
    await runner.query(`
      CREATE TABLE "refresh_tokens" (
        "id" uuid PRIMARY KEY,
        "family_id" uuid NOT NULL REFERENCES "refresh_token_families" ("id") ON DELETE CASCADE,
        "token_hash" bytea NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz NULL
      )`);
    await runner.query(`CREATE UNIQUE INDEX "refresh_tokens_hash_unique" ON "refresh_tokens" ("token_hash")`);
    await runner.query(`CREATE INDEX "refresh_tokens_family" ON "refresh_tokens" ("family_id")`);
    await runner.query(`CREATE INDEX "refresh_tokens_expiry" ON "refresh_tokens" ("expires_at")`);
    await runner.query(`
      CREATE TABLE "login_attempts" (
        "id" bigserial PRIMARY KEY,
        "email" varchar(254) NOT NULL,
        "client_address" varchar(64) NOT NULL,
        "attempted_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX "login_attempts_email" ON "login_attempts" ("email", "attempted_at")`);
    await runner.query(`CREATE INDEX "login_attempts_address" ON "login_attempts" ("client_address", "attempted_at")`);
    await runner.query(`CREATE INDEX "login_attempts_age" ON "login_attempts" ("attempted_at")`);
    for (const statement of OUTBOX_TABLE_UP) {
      await runner.query(statement);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of OUTBOX_TABLE_DOWN) {
      await runner.query(statement);
    }
    await runner.query(`DROP TABLE "login_attempts"`);
    await runner.query(`DROP TABLE "refresh_tokens"`);
    await runner.query(`DROP TABLE "refresh_token_families"`);
    await runner.query(`DROP TABLE "users"`);
  }
}
