import type { KeyObject } from 'node:crypto';
import type { PublicJwk } from '@app/contracts';

export type SigningAlgorithm = PublicJwk['alg'];

/** One configured access-token signing key: the private half signs, the public half is published. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}
