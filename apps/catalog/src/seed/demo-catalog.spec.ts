import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateProductRequest } from '@app/contracts';
import { demoCatalog } from './demo-catalog';

describe(demoCatalog.name, () => {
  const sut = demoCatalog();

  it('has a few hundred products over several categories', () => {
    expect(sut.length).toBeGreaterThanOrEqual(200);
    expect(sut.length).toBeLessThanOrEqual(500);
    expect(new Set(sut.map((product) => product.category)).size).toBeGreaterThanOrEqual(6);
  });

  it('has unique skus and names', () => {
    expect(new Set(sut.map((product) => product.sku)).size).toBe(sut.length);
    expect(new Set(sut.map((product) => product.name)).size).toBe(sut.length);
  });

  it('passes every field rule of the API', () => {
    const invalid = sut
      .map((product) => ({ sku: product.sku, errors: validateSync(plainToInstance(CreateProductRequest, product)) }))
      .filter((result) => result.errors.length > 0);

    expect(invalid).toEqual([]);
  });

  it('is the same on every run', () => {
    expect(demoCatalog()).toEqual(sut);
  });
});
