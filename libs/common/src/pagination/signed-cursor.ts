import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../errors/domain-error';

const VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a page ended: the sort key of its last row and that row's id (the tie-breaker). */
export interface SignedCursorPosition {
  key: unknown;
  id: string;
}

export function invalidCursor(): DomainError {
  return new DomainError('validation-error', 'The request is invalid', {
    errors: [{ field: 'cursor', message: 'cursor is invalid, or belongs to a different list or query' }],
  });
}

/**
 * Opaque, tamper-evident keyset cursors: `base64url(payload).base64url(HMAC-SHA256(payload))`.
 * The payload binds the position to a scope (what list and query it came from: filters, sort,
 * whose rows), so a cursor can't be replayed against another list, and any edit breaks the
 * signature. Every failure is a `validation-error` on `cursor`, never a 500. Callers check that
 * the decoded key has the type their sort expects.
 */
export class SignedCursorCodec {
  constructor(private readonly secret: string) {}

  encode(scope: unknown, position: SignedCursorPosition): string {
    const body = Buffer.from(JSON.stringify([VERSION, this.digest(scope), position.key, position.id])).toString(
      'base64url',
    );
    return `${body}.${this.sign(body).toString('base64url')}`;
  }

  decode(token: string, scope: unknown): SignedCursorPosition {
    const [body, signature, ...rest] = token.split('.');
    if (!body || !signature || rest.length > 0) {
      throw invalidCursor();
    }
    // Compared as text, not as decoded bytes: Node's base64url decoder skips stray characters and
    // ignores the last character's spare bits, so byte-wise one cursor would have many spellings.
    const expected = Buffer.from(this.sign(body).toString('base64url'));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw invalidCursor();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    if (!Array.isArray(parsed) || parsed.length !== 4) {
      throw invalidCursor();
    }
    const [version, digest, key, id] = parsed as unknown[];
    if (version !== VERSION || digest !== this.digest(scope) || typeof id !== 'string' || !UUID.test(id)) {
      throw invalidCursor();
    }
    return { key, id };
  }

  /** A short digest of what the cursor is valid for. */
  private digest(scope: unknown): string {
    return createHash('sha256').update(JSON.stringify(scope)).digest('base64url').slice(0, 16);
  }

  private sign(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }
}
