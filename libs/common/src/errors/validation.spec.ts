import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, IsUUID, Min, ValidateNested } from 'class-validator';
import { ListProductsQuery, ProductIdRequest, UserIdRequest } from '@app/contracts';
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

describe('UUID-only payloads ({ id })', () => {
  class IdRequest {
    @IsUUID('all', { message: '$property must be a UUID' }) id: string;
  }
  /** Same rule, but `always` keeps it on the generic path: the reference the shortcut must match. */
  class ReferenceIdRequest {
    @IsUUID('all', { message: '$property must be a UUID', always: true }) id: string;
  }
  const sut = createValidationPipe();
  const outcome = (value: unknown, metatype: ArgumentMetadata['metatype']) =>
    sut.transform(value, { type: 'param', metatype }).then(
      (dto: unknown) => ({ dto: { ...(dto as object) } }),
      (error: DomainError) => ({ code: error.code, errors: error.errors }),
    );

  it('gives a valid id as an instance of the DTO', async () => {
    const dto = await sut.transform(
      { id: '0f8fad5b-d9cb-469f-a165-70867728950e' },
      { type: 'param', metatype: IdRequest },
    );

    expect(dto).toBeInstanceOf(IdRequest);
    expect(dto).toEqual({ id: '0f8fad5b-d9cb-469f-a165-70867728950e' });
  });

  it('takes the shortcut for a valid id, and the generic path for anything else', async () => {
    const generic = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      await sut.transform({ id: '0f8fad5b-d9cb-469f-a165-70867728950e' }, { type: 'param', metatype: IdRequest });
      expect(generic).not.toHaveBeenCalled();
      await sut.transform({ id: 'nope' }, { type: 'param', metatype: IdRequest }).catch(() => undefined);
      expect(generic).toHaveBeenCalledTimes(1);
    } finally {
      generic.mockRestore();
    }
  });

  it.each([
    [ProductIdRequest.name, ProductIdRequest, 'id'],
    [UserIdRequest.name, UserIdRequest, 'userId'],
  ])('takes the shortcut for a valid %s', async (_name, metatype, property) => {
    const generic = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      const dto = await sut.transform(
        { [property]: '0f8fad5b-d9cb-469f-a165-70867728950e' },
        { type: 'param', metatype },
      );
      expect(dto).toBeInstanceOf(metatype);
      expect(generic).not.toHaveBeenCalled();
    } finally {
      generic.mockRestore();
    }
  });

  it.each([
    ['a valid id', { id: '0f8fad5b-d9cb-469f-a165-70867728950e' }],
    ['an upper-case id', { id: '0F8FAD5B-D9CB-469F-A165-70867728950E' }],
    ['the nil id', { id: '00000000-0000-0000-0000-000000000000' }],
    ['a malformed id', { id: 'not-a-uuid' }],
    ['a version 9 id', { id: '0f8fad5b-d9cb-969f-a165-70867728950e' }],
    ['a number', { id: 42 }],
    ['no id', {}],
    ['an extra field', { id: '0f8fad5b-d9cb-469f-a165-70867728950e', role: 'admin' }],
    ['an array', ['0f8fad5b-d9cb-469f-a165-70867728950e']],
    ['null', null],
    ['a NUL character', { id: '0f8fad5b-d9cb-469f-a165-70867728950e\u0000' }],
  ])('answers %s exactly as the generic validation does', async (_case, value) => {
    const expected = await outcome(structuredClone(value), ReferenceIdRequest);

    expect(await outcome(structuredClone(value), IdRequest)).toEqual(expected);
  });
});

describe('query strings already seen valid', () => {
  const query = (value: Record<string, string>) => ({
    value,
    metadata: { type: 'query', metatype: ListProductsQuery } as const,
  });

  it('gives each caller its own DTO, equal to what the full path gives, without walking it again', async () => {
    const sut = createValidationPipe();
    const generic = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      const { value, metadata } = query({ q: 'mug', category: 'kitchen', minPrice: '100', limit: '20' });
      const first = (await sut.transform(value, metadata)) as ListProductsQuery;
      const second = (await sut.transform({ ...value }, metadata)) as ListProductsQuery;

      expect(generic).toHaveBeenCalledTimes(1);
      expect(second).toBeInstanceOf(ListProductsQuery);
      expect(second).toEqual(first);
      expect(second).toEqual({ q: 'mug', category: 'kitchen', minPrice: 100, limit: 20 });
      second.q = 'changed by one caller';
      await expect(sut.transform({ ...value }, metadata)).resolves.toMatchObject({ q: 'mug' });
    } finally {
      generic.mockRestore();
    }
  });

  it('validates invalid queries every time, so every error takes the full path', async () => {
    const sut = createValidationPipe();
    const { value, metadata } = query({ limit: '0', role: 'admin' });
    const errors = async () => ((await sut.transform(value, metadata).catch((e) => e)) as DomainError).errors;

    const first = await errors();
    expect(first).toEqual(
      expect.arrayContaining([
        { field: 'role', message: 'property role should not exist' },
        { field: 'limit', message: 'limit must not be less than 1' },
      ]),
    );
    await expect(errors()).resolves.toEqual(first);
  });

  it('keeps bodies and other kinds of input on the full path', async () => {
    const sut = createValidationPipe();
    const generic = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      for (let i = 0; i < 2; i++) {
        await sut.transform({ q: 'mug' }, { type: 'body', metatype: ListProductsQuery });
      }
      expect(generic).toHaveBeenCalledTimes(2);
    } finally {
      generic.mockRestore();
    }
  });
});
