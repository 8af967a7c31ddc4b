import fc from 'fast-check';
import { assertProperty } from '@test/support/property-runs';
import { DomainError } from '../errors/domain-error';
import { SignedCursorCodec, SignedCursorPosition } from './signed-cursor';

const SECRET = 'property-secret-0123456789abcdef0123';
const OTHER_SECRET = 'another-secret-0123456789abcdef01234';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** What a cursor may carry: a JSON sort key (number, string, date string, ...) and a row id. */
const positions = fc.record({
  key: fc.jsonValue({ maxDepth: 2 }).map((key) => JSON.parse(JSON.stringify(key)) as unknown),
  id: fc.uuid(),
});
/** What a cursor is bound to: filters, sort, owner — any JSON. */
const scopes = fc.jsonValue({ maxDepth: 2 });

function refusal(run: () => unknown): DomainError | undefined {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  return undefined;
}

function isCursorRefusal(error: DomainError | undefined): boolean {
  return (
    error instanceof DomainError &&
    error.code === 'validation-error' &&
    error.errors?.length === 1 &&
    error.errors[0].field === 'cursor'
  );
}

describe(SignedCursorCodec.name, () => {
  const sut = new SignedCursorCodec(SECRET);

  it('reads back every position it wrote, for any scope', async () => {
    await assertProperty(
      fc.property(scopes, positions, (scope, position: SignedCursorPosition) => {
        expect(sut.decode(sut.encode(scope, position), scope)).toEqual(position);
      }),
      300,
    );
  });

  it('refuses a cursor with any one character changed, anywhere', async () => {
    await assertProperty(
      fc.property(
        scopes,
        positions,
        // Negative: from the end, where the signature's last character has spare bits.
        fc.integer({ min: -3, max: 10_000 }),
        fc.constantFrom(...`${BASE64URL}.=+/ `),
        (scope, position, at, replacement) => {
          const token = sut.encode(scope, position);
          const index = at < 0 ? token.length + at : at % token.length;
          fc.pre(token[index] !== replacement);
          const tampered = token.slice(0, index) + replacement + token.slice(index + 1);

          expect(isCursorRefusal(refusal(() => sut.decode(tampered, scope)))).toBe(true);
        },
      ),
      300,
    );
  });

  it('refuses every truncation and every extension of a cursor', async () => {
    await assertProperty(
      fc.property(scopes, positions, fc.nat(), fc.string({ minLength: 1 }), (scope, position, cut, tail) => {
        const token = sut.encode(scope, position);
        const truncated = token.slice(0, cut % token.length);

        expect(isCursorRefusal(refusal(() => sut.decode(truncated, scope)))).toBe(true);
        expect(isCursorRefusal(refusal(() => sut.decode(token + tail, scope)))).toBe(true);
      }),
      200,
    );
  });

  it('refuses a cursor signed with another key, whatever it carries', async () => {
    const forger = new SignedCursorCodec(OTHER_SECRET);
    await assertProperty(
      fc.property(scopes, positions, (scope, position) => {
        expect(isCursorRefusal(refusal(() => sut.decode(forger.encode(scope, position), scope)))).toBe(true);
      }),
      200,
    );
  });

  it('refuses a cursor replayed against another list or query', async () => {
    await assertProperty(
      fc.property(scopes, scopes, positions, (scope, otherScope, position) => {
        fc.pre(JSON.stringify(scope) !== JSON.stringify(otherScope));

        expect(isCursorRefusal(refusal(() => sut.decode(sut.encode(scope, position), otherScope)))).toBe(true);
      }),
      200,
    );
  });

  it('answers any string that is not one of its cursors with a cursor validation error, never another error', async () => {
    await assertProperty(
      fc.property(
        scopes,
        fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{0,60}\.[A-Za-z0-9_-]{0,60}$/)),
        (scope, garbage) => {
          expect(isCursorRefusal(refusal(() => sut.decode(garbage, scope)))).toBe(true);
        },
      ),
      300,
    );
  });
});
