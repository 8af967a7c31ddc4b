import { createHmac } from 'node:crypto';
import { DomainError } from '../errors/domain-error';
import { invalidCursor, SignedCursorCodec } from './signed-cursor';

const SECRET = 'unit-secret-0123456789abcdef012345';
const SCOPE = { sort: 'newest', owner: 'u1' };
const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const POSITION = { key: '2026-11-26T09:30:00.000Z', id: ID };
/** A cursor this codec wrote before: the format is a promise to every client holding one. */
const ISSUED =
  'WzEsIm00WU9TOWNFOU5WZ1ppUnEiLCIyMDI2LTExLTI2VDA5OjMwOjAwLjAwMFoiLCIwZjhmYWQ1Yi1kOWNiLTQ2OWYtYTE2NS03MDg2NzcyODk1MGUiXQ' +
  '._r1M3v9BxpXHphwXN176fXZ1_Z7qQu1NcETgpgD7VN4';

/** A token whose body is `text`, correctly signed: what only a holder of the secret can make. */
function signed(text: string): string {
  const body = Buffer.from(text).toString('base64url');
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

/** The payload of ISSUED with one field replaced, re-signed. */
function issuedWith(index: number, value: unknown): string {
  const payload = JSON.parse(Buffer.from(ISSUED.split('.')[0], 'base64url').toString('utf8')) as unknown[];
  payload[index] = value;
  return signed(JSON.stringify(payload));
}

function refusalOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe(SignedCursorCodec.name, () => {
  const sut = new SignedCursorCodec(SECRET);

  it('writes the same cursor for the same scope and position as it always has', () => {
    expect(sut.encode(SCOPE, POSITION)).toBe(ISSUED);
    expect(sut.decode(ISSUED, SCOPE)).toEqual(POSITION);
  });

  it('reads back a position whose id is written in upper case', () => {
    expect(sut.decode(issuedWith(3, ID.toUpperCase()), SCOPE)).toEqual({ key: POSITION.key, id: ID.toUpperCase() });
  });

  it.each<[string, string]>([
    ['a body that is not JSON', signed('not json')],
    ['a payload that is not a list', signed(JSON.stringify({ version: 1 }))],
    ['a payload of three fields', signed(JSON.stringify([1, 'digest', 'key']))],
    ['a payload of five fields', signed(JSON.stringify([1, 'digest', 'key', ID, 'extra']))],
    ['another format version', issuedWith(0, 2)],
    ['another scope digest', issuedWith(1, 'AAAAAAAAAAAAAAAA')],
    ['an id that is not text', issuedWith(3, 7)],
    ['an id that is not a UUID', issuedWith(3, 'not-a-uuid')],
    ['an id with text before the UUID', issuedWith(3, `x${ID}`)],
    ['an id with text after the UUID', issuedWith(3, `${ID}x`)],
    ['no signature', `${ISSUED.split('.')[0]}.`],
    ['no body', `.${ISSUED.split('.')[1]}`],
    ['a third part', `${ISSUED}.${ISSUED.split('.')[1]}`],
  ])('refuses %s, though correctly signed where it has a signature', (_case, token) => {
    expect(refusalOf(() => sut.decode(token, SCOPE))).toEqual(invalidCursor());
  });

  it('refuses a cursor whose signature is one character short', () => {
    expect(refusalOf(() => sut.decode(ISSUED.slice(0, -1), SCOPE))).toEqual(invalidCursor());
  });
});

describe(invalidCursor.name, () => {
  it('is a validation error on the cursor field', () => {
    const sut = invalidCursor();

    expect(sut).toBeInstanceOf(DomainError);
    expect(sut).toMatchObject({ code: 'validation-error', message: 'The request is invalid', status: 400 });
    expect(sut.errors).toEqual([
      { field: 'cursor', message: 'cursor is invalid, or belongs to a different list or query' },
    ]);
  });
});
