import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { ListProductsQuery, ProductIdRequest, UserIdRequest } from '@app/contracts';
import { DomainError } from './domain-error';
import { createValidationPipe, findUnacceptableContent, MAX_PAYLOAD_DEPTH, validationErrorOf } from './validation';

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

describe(findUnacceptableContent.name, () => {
  it('accepts plain text, numbers, booleans and null anywhere', () => {
    expect(findUnacceptableContent({ a: 'text', b: [1, true, null, { c: 'é' }] })).toBeUndefined();
    expect(findUnacceptableContent('text')).toBeUndefined();
    expect(findUnacceptableContent(null)).toBeUndefined();
  });

  it('names the body itself when the body is the bad text', () => {
    expect(findUnacceptableContent('a\u0000')).toEqual({ field: '(body)', message: 'must not contain NUL characters' });
    expect(findUnacceptableContent('\uDC00')).toEqual({ field: '(body)', message: 'must be well-formed Unicode text' });
  });

  it('names a field by its path through objects and arrays', () => {
    expect(findUnacceptableContent({ order: { lines: [{ note: 'ok' }, { note: 'a\u0000' }] } })).toEqual({
      field: 'order.lines[1].note',
      message: 'must not contain NUL characters',
    });
    expect(findUnacceptableContent(['ok', '\uD800'])).toEqual({
      field: '[1]',
      message: 'must be well-formed Unicode text',
    });
  });

  it(`accepts nesting ${MAX_PAYLOAD_DEPTH} levels deep and refuses one level more, naming where`, () => {
    const nested = (levels: number): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i++) {
        value = { a: value };
      }
      return value;
    };

    expect(findUnacceptableContent(nested(MAX_PAYLOAD_DEPTH))).toBeUndefined();
    expect(findUnacceptableContent(nested(MAX_PAYLOAD_DEPTH + 1))).toEqual({
      field: Array.from({ length: MAX_PAYLOAD_DEPTH }, () => 'a').join('.'),
      message: `must not be nested deeper than ${MAX_PAYLOAD_DEPTH} levels`,
    });
  });

  it('refuses an empty object nested too deep, and names the body when the body is that deep', () => {
    let value: unknown = [];
    for (let i = 0; i < MAX_PAYLOAD_DEPTH; i++) {
      value = [value];
    }

    expect(findUnacceptableContent(value)?.field).toBe(`${'[0]'.repeat(MAX_PAYLOAD_DEPTH)}`);
  });
});

describe(validationErrorOf.name, () => {
  it('is a validation error listing every constraint of every field, nested ones by path', () => {
    const sut = validationErrorOf([
      { property: 'email', constraints: { isEmail: 'email must be an email', isNotEmpty: 'email is empty' } },
      {
        property: 'address',
        children: [{ property: 'city', constraints: { isString: 'city must be a string' } }],
      },
      {
        property: 'items',
        children: [{ property: '0', children: [{ property: 'sku', constraints: { isString: 'bad sku' } }] }],
      },
    ]);

    expect(sut).toBeInstanceOf(DomainError);
    expect(sut).toMatchObject({ code: 'validation-error', message: 'The request is invalid' });
    expect(sut.errors).toEqual([
      { field: 'email', message: 'email must be an email' },
      { field: 'email', message: 'email is empty' },
      { field: 'address.city', message: 'city must be a string' },
      { field: 'items[0].sku', message: 'bad sku' },
    ]);
  });

  it('reads an index only from a property that is all digits', () => {
    const sut = validationErrorOf([
      { property: 'a', children: [{ property: 'x1', constraints: { c: 'm1' } }] },
      { property: 'b', children: [{ property: '1x', constraints: { c: 'm2' } }] },
    ]);

    expect(sut.errors).toEqual([
      { field: 'a.x1', message: 'm1' },
      { field: 'b.1x', message: 'm2' },
    ]);
  });
});

describe('UUID-only shortcut: which DTOs qualify', () => {
  const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const sut = createValidationPipe();

  class V4Only {
    @IsUUID('4') id: string;
  }
  class Each {
    @IsUUID('all', { each: true }) id: string;
  }
  class Always {
    @IsUUID('all', { always: true }) id: string;
  }
  class Grouped {
    @IsUUID('all', { groups: ['admin'] }) id: string;
  }
  class Conditional {
    @IsUUID('all', { validateIf: () => true }) id: string;
  }
  class TwoRules {
    @IsUUID('all') @IsString() id: string;
  }
  class NotUuid {
    @IsString() id: string;
  }
  class Defined {
    @IsDefined() id: string;
  }
  class WithConstructor {
    @IsUUID('all') id: string;
    constructor(id?: string) {
      if (id !== undefined) {
        this.id = id;
      }
    }
  }
  class WithDefault {
    @IsUUID('all') id: string;
    origin = 'path';
  }
  class Lowered {
    @Transform(({ value }: { value: string }) => value.toLowerCase()) @IsUUID('all') id: string;
  }

  async function viaGenericPath(metatype: ArgumentMetadata['metatype'], value: unknown): Promise<number> {
    const generic = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      await sut.transform(value, { type: 'param', metatype }).catch(() => undefined);
      return generic.mock.calls.length;
    } finally {
      generic.mockRestore();
    }
  }

  it('honours the UUID version of the rule', async () => {
    const v1 = '0f8fad5b-d9cb-169f-a165-70867728950e';
    const failure = (await sut
      .transform({ id: v1 }, { type: 'param', metatype: V4Only })
      .catch((e) => e)) as DomainError;

    expect(failure).toBeInstanceOf(DomainError);
    expect(failure.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    expect(await viaGenericPath(V4Only, { id: '0f8fad5b-d9cb-469f-a165-70867728950e' })).toBe(0);
  });

  it('gives the value as transformed when the DTO transforms it', async () => {
    await expect(sut.transform({ id: ID.toUpperCase() }, { type: 'param', metatype: Lowered })).resolves.toEqual({
      id: ID,
    });
  });

  it.each<[string, ArgumentMetadata['metatype']]>([
    ['an `each` rule', Each],
    ['an `always` rule', Always],
    ['a rule of some groups', Grouped],
    ['a conditional rule', Conditional],
    ['two rules', TwoRules],
    ['a rule other than IsUUID', NotUuid],
    ['a rule that is not a custom validation', Defined],
    ['a constructor that takes arguments', WithConstructor],
    ['a field with a default value', WithDefault],
    ['a transformed field', Lowered],
  ])('keeps a DTO with %s on the generic path', async (_case, metatype) => {
    expect(await viaGenericPath(metatype, { id: ID })).toBe(1);
  });

  it('keeps a value with another field, or without the field, on the generic path', async () => {
    expect(await viaGenericPath(V4Only, { uuid: ID })).toBe(1);
    expect(await viaGenericPath(V4Only, { id: ID, other: 1 })).toBe(1);
    expect(await viaGenericPath(V4Only, [ID])).toBe(1);
  });
});

describe('query strings already seen valid: what is remembered', () => {
  class SearchQuery {
    @IsOptional() @IsString() q?: string;
    @IsOptional() @IsString({ each: true }) tags?: string[];
  }
  const metadata = { type: 'query', metatype: SearchQuery } as const;

  async function genericCalls(run: () => Promise<unknown>): Promise<number> {
    const generic = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      await run();
      return generic.mock.calls.length;
    } finally {
      generic.mockRestore();
    }
  }

  it('remembers a query string up to 1024 characters of JSON, and validates longer ones every time', async () => {
    const sut = createValidationPipe();
    const atLimit = { q: 'x'.repeat(1024 - JSON.stringify({ q: '' }).length) };
    const overLimit = { q: `${atLimit.q}x` };

    expect(await genericCalls(() => sut.transform(atLimit, metadata))).toBe(1);
    expect(await genericCalls(() => sut.transform({ ...atLimit }, metadata))).toBe(0);
    expect(await genericCalls(() => sut.transform(overLimit, metadata))).toBe(1);
    expect(await genericCalls(() => sut.transform({ ...overLimit }, metadata))).toBe(1);
  });

  it('never shares a list between callers: a DTO holding one is not remembered', async () => {
    const sut = createValidationPipe();
    const value = { tags: ['a', 'b'] };

    const first = (await sut.transform(structuredClone(value), metadata)) as SearchQuery;
    first.tags?.push('added by one caller');

    await expect(sut.transform(structuredClone(value), metadata)).resolves.toEqual({ tags: ['a', 'b'] });
  });

  it('forgets the oldest query once 2000 are remembered', async () => {
    const sut = createValidationPipe();
    for (let i = 0; i <= 2000; i++) {
      await sut.transform({ q: `q${i}` }, metadata);
    }

    expect(await genericCalls(() => sut.transform({ q: 'q1' }, metadata))).toBe(0);
    expect(await genericCalls(() => sut.transform({ q: 'q0' }, metadata))).toBe(1);
  });

  it('remembers per DTO class', async () => {
    class OtherQuery {
      @IsOptional() @IsString() q?: string;
    }
    const sut = createValidationPipe();
    await sut.transform({ q: 'mug' }, metadata);

    const other = await sut.transform({ q: 'mug' }, { type: 'query', metatype: OtherQuery });

    expect(other).toBeInstanceOf(OtherQuery);
  });

  it('passes a value through untouched when there is no DTO class to validate against', async () => {
    const sut = createValidationPipe();
    const value = { q: 'mug', extra: 1 };

    await expect(sut.transform(value, { type: 'query' })).resolves.toBe(value);
    await expect(sut.transform('7', { type: 'query', metatype: String })).resolves.toBe('7');
  });
});

describe('validation: more shapes', () => {
  const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('names an index of several digits like items[12]', () => {
    const sut = validationErrorOf([
      { property: 'items', children: [{ property: '12', constraints: { c: 'bad item' } }] },
    ]);

    expect(sut.errors).toEqual([{ field: 'items[12]', message: 'bad item' }]);
  });

  it('lets a UUID-only DTO with an undecorated field take the shortcut too', async () => {
    class WithPlainField {
      @IsUUID('all') id: string;
      note?: string;
    }
    const sut = createValidationPipe();
    const generic = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      const dto = await sut.transform({ id: ID }, { type: 'param', metatype: WithPlainField });

      expect(dto).toBeInstanceOf(WithPlainField);
      expect(generic).not.toHaveBeenCalled();
    } finally {
      generic.mockRestore();
    }
  });

  it('gives an untyped query (no DTO class) back as it came, every time', async () => {
    const sut = createValidationPipe();
    const first = { q: 'mug' };
    const second = { q: 'mug' };

    await expect(sut.transform(first, { type: 'query', metatype: Object })).resolves.toBe(first);
    await expect(sut.transform(second, { type: 'query', metatype: Object })).resolves.toBe(second);
  });
});

describe('validation: the pipe options and edges the mutation run found unasserted', () => {
  const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
  // Each case makes its own pipe: the options are what is under test, and a pipe made outside a
  // test would leave them covered by no test (Stryker's per-test coverage).
  let sut: ValidationPipe;
  beforeEach(() => {
    sut = createValidationPipe();
  });

  it('refuses a payload bound for a class with no rules at all (forbidUnknownValues)', async () => {
    class NoRules {}

    const failure = (await sut.transform({}, { type: 'body', metatype: NoRules }).catch((e) => e)) as DomainError;

    expect(failure).toBeInstanceOf(DomainError);
    expect(failure.code).toBe('validation-error');
  });

  it('never converts query text to numbers implicitly: a field without @Type stays text and is refused', async () => {
    class Paging {
      @IsInt() limit: number;
    }

    const failure = (await sut
      .transform({ limit: '5' }, { type: 'query', metatype: Paging })
      .catch((e) => e)) as DomainError;

    expect(failure.errors).toEqual([{ field: 'limit', message: 'limit must be an integer number' }]);
  });

  it('refuses content it will not walk with the same message as any invalid request', async () => {
    const failure = (await sut.transform({ note: 'a\u0000b', items: [] }, metadata).catch((e) => e)) as DomainError;

    expect(failure.message).toBe('The request is invalid');
  });

  it('keeps a DTO whose UUID rule comes first but has a second rule on the full path', async () => {
    class UuidThenShort {
      @MaxLength(10) @IsUUID('all') id: string; // decorators apply bottom-up: IsUUID is the first rule
    }

    const failure = (await sut
      .transform({ id: ID }, { type: 'param', metatype: UuidThenShort })
      .catch((e) => e)) as DomainError;

    expect(failure.errors).toEqual([{ field: 'id', message: 'id must be shorter than or equal to 10 characters' }]);
  });

  it.each([7, true, null])('accepts a %p leaf at exactly the deepest level allowed', (leaf) => {
    let value: unknown = leaf;
    for (let i = 0; i < MAX_PAYLOAD_DEPTH; i++) {
      value = { a: value };
    }

    expect(findUnacceptableContent(value)).toBeUndefined();
  });
});
