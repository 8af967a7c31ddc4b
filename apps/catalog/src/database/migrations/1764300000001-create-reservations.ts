import { MigrationInterface, QueryRunner } from 'typeorm';

/** Stock reservations, one per order id (the idempotency key of reserve and release). */
export class CreateReservations1764300000001 implements MigrationInterface {
  name = 'CreateReservations1764300000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "reservations" (
        "order_id" uuid PRIMARY KEY,
        "status" varchar(16) NOT NULL,
        "requested" jsonb NOT NULL,
        "lines" jsonb NOT NULL DEFAULT '[]',
        "currency" char(3) NULL,
        "rejection" jsonb NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "reservations_status" CHECK ("status" IN ('pending', 'reserved', 'released', 'rejected'))
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "reservations"`);
  }
}
