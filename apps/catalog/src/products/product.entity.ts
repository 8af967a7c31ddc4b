import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A row of `products`. Archived rows stay (orders and reservations refer to them) but are never read. */
@Entity({ name: 'products' })
export class ProductEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 64, unique: true }) sku: string;
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
