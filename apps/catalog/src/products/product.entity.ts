import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A row of `products`. Archived rows stay (orders and reservations refer to them) but are never read.
 * The constraints and indexes are those the migrations create (schema-matches-migrations.int-spec.ts
 * proves it). Listing indexes cover live rows only; those on an expression (`lower("name")`), with
 * DESC keys or a GIN operator class are beyond TypeORM's index model: declared with
 * `synchronize: false`, TypeORM's documented way to say "this index exists, leave it as it is".
 */
@Entity({ name: 'products' })
@Unique('products_sku_unique', ['sku'])
@Check('products_stock_not_negative', `"stock" >= 0`)
@Check('products_price_range', `"price_cents" BETWEEN 0 AND 100000000`)
@Check('products_currency_iso', `"currency" ~ '^[A-Z]{3}$'`)
@Check('products_description_length', `char_length("description") <= 5000`)
@Index('products_price', ['priceCents', 'id'], { where: `"archived_at" IS NULL` })
@Index('products_category_price', ['category', 'priceCents', 'id'], { where: `"archived_at" IS NULL` })
@Index('products_newest', { synchronize: false })
@Index('products_name', { synchronize: false })
@Index('products_category_newest', { synchronize: false })
@Index('products_category_name', { synchronize: false })
@Index('products_name_trgm', { synchronize: false })
@Index('products_description_trgm', { synchronize: false })
@Index('products_name_search', { synchronize: false })
@Index('products_description_search', { synchronize: false })
export class ProductEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 64 }) sku: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'text', default: '' }) description: string;
  @Column({ name: 'price_cents', type: 'integer' }) priceCents: number;
  @Column({ type: 'char', length: 3, default: 'USD' }) currency: string;
  @Column({ type: 'integer', default: 0 }) stock: number;
  @Column({ type: 'varchar', length: 100, nullable: true }) category: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @Column({ name: 'archived_at', type: 'timestamptz', precision: 3, nullable: true }) archivedAt: Date | null;
}
