import { readFileSync } from 'node:fs';
import type { JwksResponse } from '@app/contracts';
import { AuthEnv } from '../config/auth.env';
import { parseSigningKeys, SigningKeyConfigError } from './parse-signing-keys';
import { SigningKey } from './signing-key';

/**
 * The configured signing keys. One signs (JWT_ACTIVE_KEY_ID, else the last listed: append a new
 * key to rotate); all are published, so tokens signed by an older key verify until it is removed.
 */
export class SigningKeyRing {
  readonly active: SigningKey;

  constructor(
    readonly keys: SigningKey[],
    activeKid?: string,
  ) {
    if (keys.length === 0) {
      throw new SigningKeyConfigError('no signing key configured');
    }
    const active = activeKid === undefined ? keys[keys.length - 1] : keys.find((key) => key.kid === activeKid);
    if (!active) {
      throw new SigningKeyConfigError(`JWT_ACTIVE_KEY_ID ${activeKid} names none of the configured keys`);
    }
    this.active = active;
  }

  static fromConfig(config: AuthEnv): SigningKeyRing {
    if (config.JWT_SIGNING_KEYS !== undefined && config.JWT_SIGNING_KEYS_FILE !== undefined) {
      throw new SigningKeyConfigError('set JWT_SIGNING_KEYS or JWT_SIGNING_KEYS_FILE, not both');
    }
    let text = config.JWT_SIGNING_KEYS;
    if (config.JWT_SIGNING_KEYS_FILE !== undefined) {
      try {
        text = readFileSync(config.JWT_SIGNING_KEYS_FILE, 'utf8');
      } catch (error) {
        throw new SigningKeyConfigError(`JWT_SIGNING_KEYS_FILE ${config.JWT_SIGNING_KEYS_FILE} is unreadable`, {
          cause: error,
        });
      }
    }
    if (text === undefined) {
      throw new SigningKeyConfigError('set JWT_SIGNING_KEYS or JWT_SIGNING_KEYS_FILE');
    }
    return new SigningKeyRing(parseSigningKeys(text), config.JWT_ACTIVE_KEY_ID);
  }

  jwks(): JwksResponse {
    return { keys: this.keys.map((key) => key.publicJwk) };
  }
}
