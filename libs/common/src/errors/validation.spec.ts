import { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { DomainError } from './domain-error';
import { createValidationPipe } from './validation';

class Line {
  @IsInt() @Min(1) quantity: number;
}

class Order {
  @IsString() note: string;
  @ValidateNested({ each: true }) @Type(() => Line) items: Line[];
}

const metadata: ArgumentMetadata = { type: 'body', metatype: Order };

describe(createValidationPipe.name, () => {
  const sut = createValidationPipe();

  it('names nested fields like items[0].quantity', async () => {
    const failure: unknown = await sut.transform({ note: 'n', items: [{ quantity: 0 }] }, metadata).catch((e) => e);

    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).errors).toEqual([
      { field: 'items[0].quantity', message: 'quantity must not be less than 1' },
    ]);
  });

  it('rejects unknown fields instead of dropping them (no mass assignment)', async () => {
    const failure = (await sut
      .transform({ note: 'n', items: [], role: 'admin' }, metadata)
      .catch((e) => e)) as DomainError;

    expect(failure.code).toBe('validation-error');
    expect(failure.errors).toEqual([{ field: 'role', message: 'property role should not exist' }]);
  });

  it('passes a valid body through as a DTO instance', async () => {
    await expect(sut.transform({ note: 'n', items: [{ quantity: 2 }] }, metadata)).resolves.toBeInstanceOf(Order);
  });
});

describe('payloads validation refuses before walking them', () => {
  const sut = createValidationPipe();

  it.each([
    ['a NUL character', { note: 'a\u0000b', items: [] }, 'note', 'must not contain NUL characters'],
    [
      'a lone surrogate',
      { note: 'ok', items: [{ quantity: 1, x: '\uD800' }] },
      'items[0].x',
      'must be well-formed Unicode text',
    ],
  ])('rejects %s, naming the field', async (_case, payload, field, message) => {
    const failure = (await sut.transform(payload, metadata).catch((e) => e)) as DomainError;

    expect(failure.errors).toEqual([{ field, message }]);
  });

  it('rejects absurd nesting without exhausting the stack', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
    }
    const failure = (await sut.transform({ note: 'n', items: deep }, metadata).catch((e) => e)) as DomainError;

    expect(failure.code).toBe('validation-error');
    expect(failure.errors?.[0].message).toMatch(/nested deeper than 32/);
  });
});
