import { ArgumentMetadata, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, isUUID, ValidationTypes } from 'class-validator';
import { DomainError } from './domain-error';
import { FieldError } from '@app/contracts';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const isIndex = /^\d+$/.test(error.property);
    const field =
      prefix === '' ? error.property : isIndex ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function validationErrorOf(errors: ValidationError[]): DomainError {
  const fieldErrors = flatten(errors);
  return new DomainError('validation-error', 'The request is invalid', { errors: fieldErrors });
}

/** Deeper than any payload of the API: deeper ones are rejected before anything walks them. */
export const MAX_PAYLOAD_DEPTH = 32;

/**
 * Finds what makes a payload unacceptable before validation walks it: a NUL character or a lone
 * surrogate (the path of the first one), or nesting deeper than MAX_PAYLOAD_DEPTH. Iterative, so a hostile
 * document can't exhaust the stack.
 */
export function findUnacceptableContent(value: unknown): { field: string; message: string } | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (typeof current.value === 'string') {
      if (current.value.includes('\u0000')) {
        return { field: current.path || '(body)', message: 'must not contain NUL characters' };
      }
      // A lone surrogate (JSON allows "\ud800") can't be stored as UTF-8 or hashed faithfully.
      if (!current.value.isWellFormed()) {
        return { field: current.path || '(body)', message: 'must be well-formed Unicode text' };
      }
    } else if (typeof current.value === 'object' && current.value !== null) {
      if (current.depth >= MAX_PAYLOAD_DEPTH) {
        // Never the body itself: it is depth 0, and the limit is far above that.
        return { field: current.path, message: `must not be nested deeper than ${MAX_PAYLOAD_DEPTH} levels` };
      }
      const isArray = Array.isArray(current.value);
      for (const [key, child] of Object.entries(current.value)) {
        const path = isArray ? `${current.path}[${key}]` : current.path ? `${current.path}.${key}` : key;
        pending.push({ value: child, path, depth: current.depth + 1 });
      }
    }
  }
  return undefined;
}

/** A DTO whose one and only rule is `@IsUUID(version)` on one property (`ProductIdRequest`, `UserIdRequest`). */
interface UuidOnlyShape {
  property: string;
  version: Parameters<typeof isUUID>[1];
}

const UUID_SAMPLE = '0F8FAD5B-d9cb-469f-A165-70867728950e';
const uuidOnlyShapes = new WeakMap<Type, UuidOnlyShape | null>();

/**
 * Whether `metatype` is a UUID-only DTO, decided once per class from class-validator's own
 * metadata (exactly one rule, IsUUID, no groups, `each`, `always` or condition) and from
 * class-transformer (which must copy the property as it is: no @Transform, @Type or @Expose at work).
 */
function uuidOnlyShapeOf(metatype: Type): UuidOnlyShape | null {
  let shape = uuidOnlyShapes.get(metatype);
  if (shape !== undefined) {
    return shape;
  }
  shape = null;
  const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', false, false);
  const [rule] = rules;
  if (
    rules.length === 1 &&
    metatype.length === 0 &&
    rule.type === ValidationTypes.CUSTOM_VALIDATION &&
    rule.name === 'isUuid' &&
    !rule.each &&
    rule.always === undefined &&
    !rule.validateIf &&
    (rule.groups ?? []).length === 0
  ) {
    const copied = plainToInstance(metatype, { [rule.propertyName]: UUID_SAMPLE }) as Record<string, unknown>;
    const keys = Object.keys(copied).filter((key) => copied[key] !== undefined);
    if (copied instanceof metatype && keys.length === 1 && copied[rule.propertyName] === UUID_SAMPLE) {
      shape = { property: rule.propertyName, version: (rule.constraints ?? [])[0] as UuidOnlyShape['version'] };
    }
  }
  uuidOnlyShapes.set(metatype, shape);
  return shape;
}

/** Distinct valid query strings remembered per process (oldest forgotten first). */
const VALID_QUERIES_KEPT = 2000;
/** Longer query strings are validated every time: they are rare, and would bloat the memory. */
const VALID_QUERY_MAX_KEY = 1024;

type Primitive = string | number | boolean | undefined;

/**
 * Query strings that passed validation, with the DTO they became. A query's validation depends
 * on nothing but its text and its class, and hot reads repeat the same few (a storefront's search
 * and category pages), so the result is reused instead of walking class-transformer and
 * class-validator again (≈ a third of the gateway's CPU for a cached search). Only all-primitive
 * results are kept, and each caller gets its own copy; invalid input is never kept, so every
 * error takes the full path.
 */
class ValidQueries {
  private readonly byClass = new WeakMap<Type, Map<string, Record<string, Primitive>>>();

  key(value: object): string | undefined {
    const key = JSON.stringify(value);
    return key.length <= VALID_QUERY_MAX_KEY ? key : undefined;
  }

  get(metatype: Type, key: string): object | undefined {
    const fields = this.byClass.get(metatype)?.get(key);
    return fields && Object.assign(new (metatype as Type<object>)(), fields);
  }

  remember(metatype: Type, key: string, dto: object): void {
    const fields = { ...dto } as Record<string, unknown>;
    // Primitives only (undefined included; null is an object here, so it is not kept).
    if (!Object.values(fields).every((field) => typeof field !== 'object')) {
      return;
    }
    let entries = this.byClass.get(metatype);
    if (!entries) {
      entries = new Map();
      this.byClass.set(metatype, entries);
    }
    if (entries.size >= VALID_QUERIES_KEPT) {
      entries.delete(entries.keys().next().value!);
    }
    entries.set(key, fields as Record<string, Primitive>);
  }
}

/**
 * PostgreSQL text cannot hold U+0000 (it fails the whole statement) and no field of the API has a
 * use for it; absurd nesting would exhaust the stack of the recursive validators. Both are
 * rejected as invalid before validation runs.
 */
class BazaarValidationPipe extends ValidationPipe {
  private readonly validQueries = new ValidQueries();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const valid = this.validUuidOnly(value, metadata);
    if (valid) {
      return valid;
    }
    const queryKey = this.queryKeyOf(value, metadata);
    if (queryKey !== undefined) {
      const known = this.validQueries.get(metadata.metatype!, queryKey);
      if (known) {
        return known;
      }
    }
    const problem = findUnacceptableContent(value);
    if (problem) {
      throw new DomainError('validation-error', 'The request is invalid', { errors: [problem] });
    }
    const dto = (await super.transform(value, metadata)) as unknown;
    if (queryKey !== undefined && typeof dto === 'object' && dto !== null) {
      this.validQueries.remember(metadata.metatype!, queryKey, dto);
    }
    return dto;
  }

  /** The memo's key for a query string's DTO, when it may be memoised (see ValidQueries). */
  private queryKeyOf(value: unknown, metadata: ArgumentMetadata): string | undefined {
    return metadata.type === 'query' && this.isDtoInput(value, metadata) ? this.validQueries.key(value) : undefined;
  }

  /** A plain object bound for a DTO class that validation applies to: what both shortcuts start from. */
  private isDtoInput(value: unknown, metadata: ArgumentMetadata): value is object {
    return (
      Boolean(metadata.metatype) &&
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      this.toValidate(metadata)
    );
  }

  /**
   * The DTO that the full path would return for a valid `{ id }` of a UUID-only DTO (the hottest
   * payloads: product reads, `me`), without its generic walk (~2-6 % of a request's CPU).
   * Anything else, invalid input included, takes the full path, so errors are unchanged.
   */
  private validUuidOnly(value: unknown, metadata: ArgumentMetadata): object | undefined {
    const { metatype } = metadata;
    if (!metatype || !this.isDtoInput(value, metadata)) {
      return undefined;
    }
    const shape = uuidOnlyShapeOf(metatype);
    const keys = shape ? Object.keys(value) : [];
    if (!shape || keys.length !== 1 || keys[0] !== shape.property) {
      return undefined;
    }
    const id = (value as Record<string, unknown>)[shape.property];
    if (!isUUID(id, shape.version)) {
      return undefined;
    }
    return Object.assign(new (metatype as Type<object>)(), { [shape.property]: id });
  }
}

/**
 * The one validation pipe of every process: unknown fields are rejected (no mass assignment),
 * payloads become DTO instances, and failures become `validation-error` domain errors, so they
 * travel over NATS and into problem+json like every other domain error.
 */
export function createValidationPipe(): ValidationPipe {
  return new BazaarValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: validationErrorOf,
  });
}
