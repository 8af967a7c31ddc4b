import { generateBusCredentials, generateBusPassword, SERVER_SAFE_PASSWORD } from './local-nats-server';

describe(generateBusPassword.name, () => {
  it('always starts with a letter, so nats-server reads it from its environment as a string', () => {
    const passwords = Array.from({ length: 5000 }, generateBusPassword);

    expect(passwords.filter((password) => !SERVER_SAFE_PASSWORD.test(password))).toEqual([]);
    expect(new Set(passwords).size).toBe(passwords.length);
  });

  it('tells apart the values the server would lex as numbers or dates', () => {
    expect(
      ['8abcdefghijklmnopq', '-abcdefghijklmnopq', '2024-01-01T00:00:00Z1'].filter((value) =>
        SERVER_SAFE_PASSWORD.test(value),
      ),
    ).toEqual([]);
  });
});

describe(generateBusCredentials.name, () => {
  it('gives every identity its own user and password', () => {
    const sut = generateBusCredentials();

    expect(Object.entries(sut).every(([identity, credential]) => credential.user === identity)).toBe(true);
    expect(new Set(Object.values(sut).map((credential) => credential.pass)).size).toBe(Object.keys(sut).length);
  });
});
