/**
 * The outbox table every service creates in one of its own migrations (libs/common holds no
 * entity: the relay and writer use plain SQL). `seq` orders publication; the partial index keeps
 * the relay's "what is unpublished" scan cheap however large the history grows.
 */
export const OUTBOX_TABLE_UP = [
  `CREATE TABLE "outbox" (
    "seq" BIGSERIAL PRIMARY KEY,
    "id" uuid NOT NULL UNIQUE,
    "subject" varchar(200) NOT NULL,
    "payload" jsonb NOT NULL,
    "occurred_at" timestamptz NOT NULL DEFAULT now(),
    "published_at" timestamptz NULL
  )`,
  `CREATE INDEX "outbox_unpublished" ON "outbox" ("seq") WHERE "published_at" IS NULL`,
];

export const OUTBOX_TABLE_DOWN = [`DROP TABLE "outbox"`];
