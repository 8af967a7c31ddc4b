import { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_TABLE_DOWN, OUTBOX_TABLE_UP } from '@app/common/outbox';

/** The shared transactional outbox (libs/common/src/outbox) in the catalog database. */
export class CreateOutbox1764300000002 implements MigrationInterface {
  name = 'CreateOutbox1764300000002';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of OUTBOX_TABLE_UP) {
      await runner.query(statement);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of OUTBOX_TABLE_DOWN) {
      await runner.query(statement);
    }
  }
}
