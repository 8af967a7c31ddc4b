/**
 * The floor: the least any HTTP service can do to answer `GET /v1/products/:id` on this machine.
 * One process, node:http, a `pg` pool of the catalog's size, the catalog's own query (same
 * columns, unnamed parameterized statement, as TypeORM's `query()` sends it) and the catalog's
 * JSON shape. No framework, no NATS hop, no validation, no logging, no metrics: everything Bazaar
 * does above this is what the ratio product-get / floor prices.
 *
 * Run by the bench (helper-process.ts) with DATABASE_URL, POOL_SIZE and PORT (0: any free port).
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { exitOnSignals, reportToParent } from '../helper-protocol';

const SQL = `SELECT "id", "sku", "name", "description", "price_cents" AS "priceCents", "currency",
  "stock", "category", "created_at" AS "createdAt", "updated_at" AS "updatedAt", "archived_at" AS "archivedAt"
  FROM "products" WHERE "id" = $1 AND "archived_at" IS NULL`;
const PATH = /^\/v1\/products\/([0-9a-f-]{36})$/;

interface Row {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  category: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });

const server = createServer((request, response) => {
  const match = PATH.exec(request.url ?? '');
  if (request.method !== 'GET' || !match) {
    response.writeHead(404).end();
    return;
  }
  pool.query<Row>(SQL, [match[1]]).then(
    ({ rows: [row] }) => {
      if (!row) {
        response.writeHead(404).end();
        return;
      }
      const body = JSON.stringify({
        id: row.id,
        sku: row.sku,
        name: row.name,
        description: row.description,
        priceCents: row.priceCents,
        currency: row.currency,
        stock: row.stock,
        category: row.category,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      });
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    },
    () => response.writeHead(500).end(),
  );
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  reportToParent({ port: (server.address() as AddressInfo).port });
});
exitOnSignals(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await pool.end();
});
