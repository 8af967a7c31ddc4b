import { ContractDescription, Shape } from './contract-description';

/** One incompatibility: where, and what an old peer would trip over. */
export interface BreakingChange {
  where: string;
  problem: string;
}

/**
 * Who reads a shape decides what may change in it. A request is written by callers that may be a
 * release behind, and read by the new service: it may only accept more. A response or an event is
 * written by the new service and read by consumers that may be a release behind: it may only say
 * more (new fields), never less, never something they don't know.
 */
type Reader = 'service' | 'consumer';

/**
 * The breaking changes from `base` to `head`; empty when every peer built against `base` still
 * works against `head` (additions only). A subject, event or field the base already marked
 * `@deprecated` may go: the deprecation release told every consumer to stop reading it.
 */
export function compareContracts(base: ContractDescription, head: ContractDescription): BreakingChange[] {
  const found: BreakingChange[] = [];
  for (const [subject, rpc] of Object.entries(base.rpc)) {
    const next = head.rpc[subject];
    if (!next && rpc.deprecated) {
      continue;
    }
    if (!next) {
      found.push({ where: `rpc ${subject}`, problem: 'subject removed: callers still send to it' });
      continue;
    }
    compareShapes(rpc.request, next.request, 'service', `rpc ${subject} request`, found);
    compareShapes(rpc.response, next.response, 'consumer', `rpc ${subject} response`, found);
  }
  for (const [subject, event] of Object.entries(base.events)) {
    const next = head.events[subject];
    if (!next && event.deprecated) {
      continue;
    }
    if (!next) {
      found.push({ where: `event ${subject}`, problem: 'event removed: consumers still subscribe to it' });
      continue;
    }
    compareShapes(event.payload, next.payload, 'consumer', `event ${subject} payload`, found);
  }
  for (const [code, status] of Object.entries(base.errorCodes)) {
    if (!(code in head.errorCodes)) {
      found.push({ where: `error code ${code}`, problem: 'error code removed: callers still handle it' });
    } else if (head.errorCodes[code] !== status) {
      found.push({ where: `error code ${code}`, problem: `status changed from ${status} to ${head.errorCodes[code]}` });
    }
  }
  return found;
}

function compareShapes(base: Shape, head: Shape, reader: Reader, where: string, found: BreakingChange[]): void {
  const nullWidened = !base.nullable && head.nullable;
  const nullNarrowed = base.nullable && !head.nullable;
  if (reader === 'consumer' && nullWidened) {
    found.push({ where, problem: 'may now be null: consumers built against the base do not expect null' });
  }
  if (reader === 'service' && nullNarrowed) {
    found.push({ where, problem: 'no longer accepts null: callers built against the base may send it' });
  }
  if (base.type !== head.type) {
    if (!(reader === 'service' && head.type === 'unknown')) {
      found.push({ where, problem: `type changed from ${describe(base)} to ${describe(head)}` });
    }
    return;
  }
  switch (base.type) {
    case 'enum':
      return compareEnums(base.values, (head as typeof base).values, reader, where, found);
    case 'array':
      return compareShapes(base.items, (head as typeof base).items, reader, `${where}[]`, found);
    case 'map':
      return compareShapes(base.values, (head as typeof base).values, reader, `${where}{}`, found);
    case 'union':
      return compareUnions(base.anyOf, (head as typeof base).anyOf, reader, where, found);
    case 'object':
      return compareObjects(base.fields, (head as typeof base).fields, reader, where, found);
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'unknown':
      return;
    default:
      return assertUnreachable(base);
  }
}

function compareObjects(
  base: Extract<Shape, { type: 'object' }>['fields'],
  head: Extract<Shape, { type: 'object' }>['fields'],
  reader: Reader,
  where: string,
  found: BreakingChange[],
): void {
  for (const [name, field] of Object.entries(base)) {
    const next = head[name];
    const at = `${where}.${name}`;
    if (!next && field.deprecated) {
      continue;
    }
    if (!next) {
      found.push({
        where: at,
        problem:
          reader === 'service'
            ? 'field removed: callers built against the base still send it, and unknown fields are rejected'
            : 'field removed: consumers built against the base still read it',
      });
      continue;
    }
    if (reader === 'service' && !field.required && next.required) {
      found.push({ where: at, problem: 'optional became required: callers built against the base may omit it' });
    }
    if (reader === 'consumer' && field.required && !next.required) {
      found.push({ where: at, problem: 'required became optional: consumers built against the base expect it' });
    }
    compareShapes(field.shape, next.shape, reader, at, found);
  }
  if (reader === 'service') {
    for (const [name, field] of Object.entries(head)) {
      if (!(name in base) && field.required) {
        found.push({
          where: `${where}.${name}`,
          problem: 'new required field: callers built against the base omit it',
        });
      }
    }
  }
}

function compareEnums(
  base: Array<string | number>,
  head: Array<string | number>,
  reader: Reader,
  where: string,
  found: BreakingChange[],
): void {
  if (reader === 'service') {
    const dropped = base.filter((value) => !head.includes(value));
    if (dropped.length > 0) {
      found.push({ where, problem: `no longer accepts ${dropped.map((v) => JSON.stringify(v)).join(', ')}` });
    }
  } else {
    const added = head.filter((value) => !base.includes(value));
    if (added.length > 0) {
      found.push({
        where,
        problem: `may now be ${added.map((v) => JSON.stringify(v)).join(', ')}: consumers built against the base do not know it`,
      });
    }
  }
}

function compareUnions(base: Shape[], head: Shape[], reader: Reader, where: string, found: BreakingChange[]): void {
  const key = (shape: Shape): string => JSON.stringify(shape);
  const [from, to] = reader === 'service' ? [base, head] : [head, base];
  const missing = from.filter((shape) => !to.some((other) => key(other) === key(shape)));
  if (missing.length > 0) {
    found.push({
      where,
      problem:
        reader === 'service'
          ? `no longer accepts ${missing.map(describe).join(', ')}`
          : `may now be ${missing.map(describe).join(', ')}: consumers built against the base do not know it`,
    });
  }
}

function describe(shape: Shape): string {
  const base = shape.type === 'enum' ? `enum(${shape.values.map((v) => JSON.stringify(v)).join('|')})` : shape.type;
  return shape.nullable ? `${base} | null` : base;
}

function assertUnreachable(value: never): never {
  throw new Error(`unhandled shape ${JSON.stringify(value)}`);
}
