import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registration attempts, counted per client address in a sliding window shared by every replica
 * (registration-limits/registration-limiter.ts). A new table: code of the previous release never
 * reads it, so old and new replicas run side by side during a rollout.
 */
export class CreateRegistrationAttempts1796515200001 implements MigrationInterface {
  name = 'CreateRegistrationAttempts1796515200001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "registration_attempts" (
        "id" bigserial PRIMARY KEY,
        "client_address" varchar(64) NOT NULL,
        "attempted_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX "registration_attempts_address" ON "registration_attempts" ("client_address", "attempted_at")`,
    );
    await runner.query(`CREATE INDEX "registration_attempts_age" ON "registration_attempts" ("attempted_at")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "registration_attempts"`);
  }
}
