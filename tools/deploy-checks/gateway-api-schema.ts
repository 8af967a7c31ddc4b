/**
 * A minimal schema of the Gateway API objects Bazaar ships (gateway.networking.k8s.io/v1, standard
 * channel), which kubernetes-models doesn't know: required fields, types, enums and, unlike the
 * built-in schema check, unknown keys (a misspelt `sectioName` would otherwise be ignored by the API
 * server's pruning and silently attach the route to every listener). Fields Bazaar doesn't use are
 * accepted loosely (`ANY`) when the spec has them, so an operator's patch using them still passes.
 */
export type Schema =
  | { type: 'string'; enum?: readonly string[]; pattern?: RegExp }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'object'; properties: Record<string, Schema>; required?: readonly string[] }
  | { type: 'array'; items: Schema; minItems?: number; maxItems?: number }
  | { type: 'any' };

const ANY: Schema = { type: 'any' };
const STRING: Schema = { type: 'string' };
const NAME: Schema = { type: 'string', pattern: /^[a-z0-9]([-a-z0-9]{0,251}[a-z0-9])?$/ };
const SECTION_NAME: Schema = { type: 'string', pattern: /^[a-z0-9]([-a-z0-9]{0,251}[a-z0-9])?$/ };
const HOSTNAME: Schema = {
  type: 'string',
  pattern: /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
};
const PORT: Schema = { type: 'integer', min: 1, max: 65535 };
/** Gateway API's Duration: 1 to 4 groups of up to 5 digits with h, m, s or ms ("35s", "1m30s"). */
export const DURATION_PATTERN = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

const object = (properties: Record<string, Schema>, required: readonly string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
});
const array = (items: Schema, minItems?: number, maxItems?: number): Schema => ({
  type: 'array',
  items,
  minItems,
  maxItems,
});

const SECRET_REF = object({ group: STRING, kind: STRING, name: NAME, namespace: NAME }, ['name']);

const LISTENER = object(
  {
    name: SECTION_NAME,
    hostname: HOSTNAME,
    port: PORT,
    protocol: { type: 'string', enum: ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'] },
    tls: object({
      mode: { type: 'string', enum: ['Terminate', 'Passthrough'] },
      certificateRefs: array(SECRET_REF, 0, 64),
      options: ANY,
      frontendValidation: ANY,
    }),
    allowedRoutes: object({
      namespaces: object({ from: { type: 'string', enum: ['All', 'Same', 'Selector'] }, selector: ANY }),
      kinds: array(object({ group: STRING, kind: STRING }, ['kind'])),
    }),
  },
  ['name', 'port', 'protocol'],
);

export const GATEWAY_SPEC = object(
  {
    gatewayClassName: NAME,
    listeners: array(LISTENER, 1, 64),
    addresses: ANY,
    infrastructure: ANY,
  },
  ['gatewayClassName', 'listeners'],
);

const PARENT_REF = object(
  { group: STRING, kind: STRING, namespace: NAME, name: NAME, sectionName: SECTION_NAME, port: PORT },
  ['name'],
);

const BACKEND_REF = object(
  {
    group: STRING,
    kind: STRING,
    name: NAME,
    namespace: NAME,
    port: PORT,
    weight: { type: 'integer', min: 0 },
    filters: ANY,
  },
  ['name'],
);

const MATCH = object({
  path: object({ type: { type: 'string', enum: ['Exact', 'PathPrefix', 'RegularExpression'] }, value: STRING }),
  headers: ANY,
  queryParams: ANY,
  method: { type: 'string', enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] },
});

const FILTER = object(
  {
    type: {
      type: 'string',
      enum: [
        'RequestHeaderModifier',
        'ResponseHeaderModifier',
        'RequestMirror',
        'RequestRedirect',
        'URLRewrite',
        'ExtensionRef',
      ],
    },
    requestRedirect: object({
      scheme: { type: 'string', enum: ['http', 'https'] },
      hostname: HOSTNAME,
      path: ANY,
      port: PORT,
      statusCode: { type: 'integer', min: 301, max: 308 },
    }),
    requestHeaderModifier: ANY,
    responseHeaderModifier: ANY,
    requestMirror: ANY,
    urlRewrite: ANY,
    extensionRef: ANY,
  },
  ['type'],
);

const RULE = object({
  name: SECTION_NAME,
  matches: array(MATCH, 0, 64),
  filters: array(FILTER, 0, 16),
  backendRefs: array(BACKEND_REF, 0, 16),
  timeouts: object({
    request: { type: 'string', pattern: DURATION_PATTERN },
    backendRequest: { type: 'string', pattern: DURATION_PATTERN },
  }),
  sessionPersistence: ANY,
  retry: ANY,
});

export const HTTP_ROUTE_SPEC = object(
  { parentRefs: array(PARENT_REF, 1, 32), hostnames: array(HOSTNAME, 0, 16), rules: array(RULE, 1, 16) },
  ['parentRefs'],
);

/** Every way `value` departs from `schema`, as "<path>: what is wrong". */
export function schemaProblems(value: unknown, schema: Schema, path: string): string[] {
  switch (schema.type) {
    case 'any':
      return [];
    case 'string':
      if (typeof value !== 'string') {
        return [`${path}: must be a string`];
      }
      if (schema.enum && !schema.enum.includes(value)) {
        return [`${path}: "${value}" is not one of ${schema.enum.join(', ')}`];
      }
      return schema.pattern && !schema.pattern.test(value) ? [`${path}: "${value}" is not valid here`] : [];
    case 'integer':
      if (!Number.isInteger(value)) {
        return [`${path}: must be an integer`];
      }
      return (schema.min !== undefined && (value as number) < schema.min) ||
        (schema.max !== undefined && (value as number) > schema.max)
        ? [`${path}: ${String(value)} is out of range`]
        : [];
    case 'array': {
      if (!Array.isArray(value)) {
        return [`${path}: must be a list`];
      }
      const size =
        (schema.minItems !== undefined && value.length < schema.minItems) ||
        (schema.maxItems !== undefined && value.length > schema.maxItems)
          ? [`${path}: has ${value.length} items`]
          : [];
      return [...size, ...value.flatMap((item, index) => schemaProblems(item, schema.items, `${path}[${index}]`))];
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return [`${path}: must be an object`];
      }
      const fields = value as Record<string, unknown>;
      return [
        ...(schema.required ?? [])
          .filter((key) => fields[key] === undefined)
          .map((key) => `${path}.${key}: is required`),
        ...Object.entries(fields).flatMap(([key, field]) =>
          schema.properties[key]
            ? schemaProblems(field, schema.properties[key], `${path}.${key}`)
            : [`${path}.${key}: is not a field of this object`],
        ),
      ];
    }
  }
}
