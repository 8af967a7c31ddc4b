/**
 * A machine-readable description of the wire contract: what crosses NATS, stripped of everything
 * else (no validation messages, no documentation). Two descriptions, the last release's and the
 * working tree's, are what compare-contracts.ts judges.
 */
export type Shape =
  | { type: 'string' | 'number' | 'boolean' | 'null' | 'unknown'; nullable?: true }
  | { type: 'enum'; values: Array<string | number>; nullable?: true }
  | { type: 'array'; items: Shape; nullable?: true }
  | { type: 'object'; fields: Record<string, Field>; nullable?: true }
  | { type: 'map'; values: Shape; nullable?: true }
  | { type: 'union'; anyOf: Shape[]; nullable?: true };

export interface Field {
  /** false when the property is declared optional (`name?:`): a sender may leave it out. */
  required: boolean;
  shape: Shape;
  /** Marked `@deprecated` in the contract: the release after this one may remove it. */
  deprecated?: true;
}

export interface RpcDescription {
  request: Shape;
  response: Shape;
  deprecated?: true;
}

export interface ContractDescription {
  /** Every NATS request/reply subject, by subject. */
  rpc: Record<string, RpcDescription>;
  /** Every event subject, with the shape of its envelope's `data`. */
  events: Record<string, { payload: Shape; deprecated?: true }>;
  /** Every error code a service may answer with, and the HTTP status it stands for. */
  errorCodes: Record<string, number>;
}
