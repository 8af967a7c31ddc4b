import { Algorithm, parseOptions } from '@node-rs/argon2';
import { PasswordHasher } from './password-hasher';

describe(PasswordHasher.name, () => {
  const sut = new PasswordHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });

  it('hashes with argon2id at the configured parameters and a fresh salt each time', async () => {
    const first = await sut.hash('correct horse');
    const second = await sut.hash('correct horse');

    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct horse');
  });

  it('verifies the right password only', async () => {
    const hash = await sut.hash('correct horse');

    await expect(sut.verify(hash, 'correct horse')).resolves.toBe(true);
    await expect(sut.verify(hash, 'correct horsE')).resolves.toBe(false);
  });

  it('answers false for a malformed stored hash instead of throwing', async () => {
    await expect(sut.verify('not-a-hash', 'anything')).resolves.toBe(false);
  });

  it('does the work of a real verification when there is no user: argon2id at the same parameters', async () => {
    // Same algorithm and parameters is the same work, and unlike a stopwatch it doesn't depend on
    // what else the machine is doing.
    const verify = jest.spyOn(sut, 'verify');

    await expect(sut.verifyNobody('correct horse')).resolves.toBe(false);

    expect(verify).toHaveBeenCalledTimes(1);
    const [dummyHash, password] = verify.mock.calls[0];
    expect(password).toBe('correct horse');
    expect(parseOptions(dummyHash)).toMatchObject({
      algorithm: Algorithm.Argon2id,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
    expect(sut.needsRehash(dummyHash)).toBe(false);
  });

  it('does not block the event loop while hashing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);

    await Promise.all([sut.hash('a'), sut.hash('b'), sut.hash('c')]);

    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });

  it('asks for a rehash of hashes weaker than the current settings', async () => {
    const stronger = new PasswordHasher({ memoryKib: 32_768, timeCost: 3, parallelism: 1 });

    expect(sut.needsRehash(await sut.hash('x'))).toBe(false);
    expect(stronger.needsRehash(await sut.hash('x'))).toBe(true);
    expect(sut.needsRehash('garbage')).toBe(true);
  });
});
