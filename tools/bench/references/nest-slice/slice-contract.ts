import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The subject the slice's gateway sends and its service answers (a subject no Bazaar identity uses). */
export const SLICE_PATTERNS = { GET_PRODUCT: 'bench.nest-slice.product.get' } as const;

/** The queue group of the slice's service, as the Nest NATS docs set one for replicas. */
export const SLICE_QUEUE = 'bench-nest-slice';

/**
 * A row of the catalog's `products`, mapped the way the TypeORM docs teach. Column types are
 * spelled out because the bench runs TypeScript through tsx (esbuild), which emits no decorator
 * metadata for TypeORM to infer them from.
 */
@Entity({ name: 'products' })
export class SliceProduct {
  @PrimaryColumn('uuid') id: string;
  @Column('varchar') sku: string;
  @Column('varchar') name: string;
  @Column('text') description: string;
  @Column({ name: 'price_cents', type: 'integer' }) priceCents: number;
  @Column('char') currency: string;
  @Column('integer') stock: number;
  @Column({ type: 'varchar', nullable: true }) category: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true }) archivedAt: Date | null;
}
