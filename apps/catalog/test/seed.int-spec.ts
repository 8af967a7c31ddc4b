import { DataSource } from 'typeorm';
import { CATALOG_EVENTS } from '@app/contracts';
import { CatalogStack, startCatalogStack } from '@test/support/catalog-stack';
import { queryDatabase } from '@test/support/test-database';
import { demoCatalog } from '../src/seed/demo-catalog';
import { seedDemoCatalog } from '../src/seed/seed-demo-catalog';

describe(seedDemoCatalog.name, () => {
  const demoSize = demoCatalog().length;
  const count = async (stack: CatalogStack, sql: string, params: unknown[] = []) =>
    Number((await queryDatabase<{ n: string }>(stack.database.url, sql, params))[0].n);

  describe('with CATALOG_SEED_DEMO=true', () => {
    let sut: CatalogStack;

    beforeAll(async () => {
      sut = await startCatalogStack('seedrace', { replicas: 0, env: { CATALOG_SEED_DEMO: 'true' } });
    });

    afterAll(async () => {
      await sut?.dispose();
    });

    it('loads the demo catalog exactly once when two replicas start together on an empty database', async () => {
      await Promise.all([sut.startReplica('seed-a'), sut.startReplica('seed-b')]);

      expect(await count(sut, 'SELECT count(*) AS n FROM products')).toBe(demoSize);
      expect(await count(sut, 'SELECT count(DISTINCT sku) AS n FROM products')).toBe(demoSize);
      expect(
        await count(sut, 'SELECT count(*) AS n FROM outbox WHERE subject = $1', [CATALOG_EVENTS.PRODUCT_CREATED]),
      ).toBe(demoSize);
      const page = await sut.client.listProducts({ category: 'kitchen', sort: 'price_asc', limit: 5 });
      expect(page.items).toHaveLength(5);
    });

    it('adds nothing when a replica restarts with the flag still set', async () => {
      await sut.startReplica('seed-c');

      expect(await count(sut, 'SELECT count(*) AS n FROM products')).toBe(demoSize);
    });
  });

  describe('on a catalog that has products', () => {
    let sut: CatalogStack;
    let dataSource: DataSource;

    beforeAll(async () => {
      sut = await startCatalogStack('seedfull');
      dataSource = sut.replicas[0].app.get(DataSource);
    });

    afterAll(async () => {
      await sut?.dispose();
    });

    it('never touches it, even when its only product is archived', async () => {
      const product = await sut.createProduct();
      await sut.client.archiveProduct(product.id);

      const inserted = await seedDemoCatalog(dataSource);

      expect(inserted).toBe(0);
      expect(await count(sut, 'SELECT count(*) AS n FROM products')).toBe(1);
    });
  });
});
