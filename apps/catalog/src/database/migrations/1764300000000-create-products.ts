import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Products, with the indexes every listing uses: each sort order has a keyset index over the
 * live (non-archived) rows, alone and after `category`; `q` is served by trigram GIN indexes,
 * which answer case-insensitive substring matches (ILIKE '%…%') without scanning the table.
 * pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: the database owner may
 * create it without superuser rights.
 */
export class CreateProducts1764300000000 implements MigrationInterface {
  name = 'CreateProducts1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await runner.query(`
      CREATE TABLE "products" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "sku" varchar(64) NOT NULL,
        "name" varchar(200) NOT NULL,
        "description" text NOT NULL DEFAULT '',
        "price_cents" integer NOT NULL,
        "currency" char(3) NOT NULL DEFAULT 'USD',
        "stock" integer NOT NULL DEFAULT 0,
        "category" varchar(100) NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        "archived_at" timestamptz(3) NULL,
        CONSTRAINT "products_sku_unique" UNIQUE ("sku"),
        CONSTRAINT "products_stock_not_negative" CHECK ("stock" >= 0),
        CONSTRAINT "products_price_range" CHECK ("price_cents" BETWEEN 0 AND 100000000),
        CONSTRAINT "products_currency_iso" CHECK ("currency" ~ '^[A-Z]{3}$'),
        CONSTRAINT "products_description_length" CHECK (char_length("description") <= 5000)
      )`);
    const live = `WHERE "archived_at" IS NULL`;
    await runner.query(`CREATE INDEX "products_newest" ON "products" ("created_at" DESC, "id" DESC) ${live}`);
    await runner.query(`CREATE INDEX "products_price" ON "products" ("price_cents", "id") ${live}`);
    await runner.query(`CREATE INDEX "products_name" ON "products" (lower("name"), "id") ${live}`);
    await runner.query(
      `CREATE INDEX "products_category_newest" ON "products" ("category", "created_at" DESC, "id" DESC) ${live}`,
    );
    await runner.query(
      `CREATE INDEX "products_category_price" ON "products" ("category", "price_cents", "id") ${live}`,
    );
    await runner.query(`CREATE INDEX "products_category_name" ON "products" ("category", lower("name"), "id") ${live}`);
    await runner.query(`CREATE INDEX "products_name_trgm" ON "products" USING gin ("name" gin_trgm_ops) ${live}`);
    await runner.query(
      `CREATE INDEX "products_description_trgm" ON "products" USING gin ("description" gin_trgm_ops) ${live}`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "products"`);
  }
}
