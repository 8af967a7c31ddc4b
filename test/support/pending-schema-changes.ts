import { DataSource, EntityManager } from 'typeorm';
import { PersistenceSchema } from '@app/common/database';
import { withMigratedDatabase } from './migrated-database';

/**
 * What `npm run migration:generate` would write for `schema` against a database its migrations
 * just built: the up-queries of TypeORM's schema builder (the same `log()` the CLI command reads),
 * one statement each, whitespace folded. Empty when the entities declare what the migrations create.
 *
 * TypeORM matches checks and indexes by name only (RdbmsSchemaBuilder.shouldDropIndices,
 * dropOldChecks): a `where`, a column order or a check expression that differs from the database
 * goes unnoticed by it, and so does an index it is told not to synchronize. So this also lists, as `differs: …`, every declared check and index whose
 * definition, as Postgres prints it, is not the one the migrations made.
 */
export async function pendingSchemaChanges(label: string, schema: PersistenceSchema): Promise<string[]> {
  return withMigratedDatabase(label, schema, async (dataSource) => {
    const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
    return [
      ...upQueries.map((query) => query.query.replace(/\s+/g, ' ').trim()),
      ...(await declaredDefinitionsThatDiffer(dataSource)),
    ];
  });
}

const PROBE = 'schema_probe';

async function declaredDefinitionsThatDiffer(dataSource: DataSource): Promise<string[]> {
  const differences: string[] = [];
  for (const entity of dataSource.entityMetadatas) {
    const table = `"${entity.tableName}"`;
    for (const check of entity.checks) {
      const actual = await constraintDefinition(dataSource.manager, entity.tableName, check.name);
      const declared = await probe(
        dataSource,
        `ALTER TABLE ${table} ADD CONSTRAINT "${PROBE}" CHECK (${check.expression}) NOT VALID`,
        (db) => constraintDefinition(db, entity.tableName, PROBE),
      );
      if (actual !== declared.replace(' NOT VALID', '')) {
        differences.push(`differs: check ${check.name}: migrations ${actual}, entity ${declared}`);
      }
    }
    // Indexes TypeORM can't state (expressions, DESC keys, operator classes) are declared by name
    // with `synchronize: false`: the migrations must have made each one.
    for (const index of entity.indices.filter((candidate) => candidate.synchronize === false)) {
      if ((await indexDefinition(dataSource.manager, index.name)) === '(none)') {
        differences.push(`differs: index ${index.name}: declared, but the migrations made none`);
      }
    }
    for (const index of entity.indices.filter((candidate) => candidate.synchronize !== false)) {
      const columns = index.columns.map((column) => `"${column.databaseName}"`).join(', ');
      const where = index.where ? ` WHERE ${index.where}` : '';
      const unique = index.isUnique ? 'UNIQUE ' : '';
      const actual = await indexDefinition(dataSource.manager, index.name);
      const declared = await probe(
        dataSource,
        `CREATE ${unique}INDEX "${PROBE}" ON ${table} (${columns})${where}`,
        (db) => indexDefinition(db, PROBE),
      );
      if (actual !== declared.replace(PROBE, index.name)) {
        differences.push(`differs: index ${index.name}: migrations ${actual}, entity ${declared}`);
      }
    }
  }
  return differences;
}

/** Runs `ddl`, reads what Postgres made of it, and rolls it back. */
async function probe(
  dataSource: DataSource,
  ddl: string,
  read: (db: EntityManager) => Promise<string>,
): Promise<string> {
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    await runner.query(ddl);
    return await read(runner.manager);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

async function constraintDefinition(db: EntityManager, table: string, name: string): Promise<string> {
  const rows = await db.query<Array<{ definition: string }>>(
    `SELECT pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c
     WHERE c.conrelid = $1::regclass AND c.conname = $2`,
    [`"${table}"`, name],
  );
  return rows[0]?.definition ?? '(none)';
}

async function indexDefinition(db: EntityManager, name: string): Promise<string> {
  const rows = await db.query<Array<{ definition: string }>>(
    `SELECT indexdef AS definition FROM pg_indexes WHERE schemaname = 'public' AND indexname = $1`,
    [name],
  );
  return rows[0]?.definition ?? '(none)';
}
