import { Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

export interface Argon2Settings {
  memoryKib: number;
  timeCost: number;
  parallelism: number;
}

/**
 * argon2id hashing. `@node-rs/argon2`'s async calls run on libuv's thread pool, so a hash (tens of
 * milliseconds by design) never blocks the event loop; the pool size (UV_THREADPOOL_SIZE, 4 by
 * default) also bounds how many run at once, and so the memory they take.
 */
export class PasswordHasher {
  private readonly dummy: Promise<string>;

  constructor(private readonly settings: Argon2Settings) {
    // Verified against when the user doesn't exist, so an unknown email costs what a wrong password costs.
    this.dummy = this.hash(randomBytes(32).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return hash(password, {
      algorithm: Algorithm.Argon2id,
      memoryCost: this.settings.memoryKib,
      timeCost: this.settings.timeCost,
      parallelism: this.settings.parallelism,
      outputLen: 32,
    });
  }

  /** False for a wrong password and for a malformed stored hash alike. */
  async verify(storedHash: string, password: string): Promise<boolean> {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  }

  /** Spends the time of a real verification and fails, for logins of unknown emails. */
  async verifyNobody(password: string): Promise<false> {
    await this.verify(await this.dummy, password);
    return false;
  }

  /** A hash made with weaker (older) settings than today's is replaced at the next successful login. */
  needsRehash(storedHash: string): boolean {
    try {
      const options = parseOptions(storedHash);
      return (
        options.algorithm !== Algorithm.Argon2id ||
        options.memoryCost < this.settings.memoryKib ||
        options.timeCost < this.settings.timeCost ||
        options.parallelism !== this.settings.parallelism
      );
    } catch {
      return true;
    }
  }
}
