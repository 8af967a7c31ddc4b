import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUS_IDENTITIES } from '../../libs/common/src/messaging/bus-policy';
import { loadOrCreateBusCredentials, natsStateFiles } from './nats-credentials';

describe(loadOrCreateBusCredentials.name, () => {
  let stateDir: string;
  let said: string[];
  const say = (message: string): void => {
    said.push(message);
  };

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'nats-credentials-'));
    said = [];
  });

  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('generates a password per identity once, in a file only its owner can read, and keeps it', () => {
    const files = natsStateFiles(stateDir);

    const first = loadOrCreateBusCredentials(files, say);
    const second = loadOrCreateBusCredentials(files, say);

    expect(Object.keys(first)).toEqual([...BUS_IDENTITIES]);
    BUS_IDENTITIES.forEach((identity) => {
      expect(first[identity]).toEqual({ user: identity, pass: expect.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{32}$/) });
    });
    expect(new Set(BUS_IDENTITIES.map((identity) => first[identity].pass)).size).toBe(BUS_IDENTITIES.length);
    expect(second).toEqual(first);
    expect(files.credentials).toBe(join(stateDir, 'nats', 'credentials.json'));
    expect(statSync(files.credentials).mode & 0o777).toBe(0o600);
    expect(statSync(files.dir).mode & 0o777).toBe(0o700);
  });

  it('says where the credentials are, once, and never what they are', () => {
    const credentials = loadOrCreateBusCredentials(natsStateFiles(stateDir), say);
    loadOrCreateBusCredentials(natsStateFiles(stateDir), say);

    expect(said).toHaveLength(1);
    expect(said[0]).toContain(join(stateDir, 'nats', 'credentials.json'));
    BUS_IDENTITIES.forEach((identity) => expect(said[0]).not.toContain(credentials[identity].pass));
  });

  it('keeps credentials written by hand (or by an earlier launcher) as they are', () => {
    const files = natsStateFiles(stateDir);
    const mine = Object.fromEntries(
      BUS_IDENTITIES.map((identity) => [identity, { user: `my-${identity}`, pass: 'p'.repeat(20) }]),
    );
    mkdirSync(files.dir, { recursive: true });
    writeFileSync(files.credentials, JSON.stringify(mine));

    expect(loadOrCreateBusCredentials(files, say)).toEqual(mine);
    expect(said).toEqual([]);
  });

  it.each([
    ['not JSON', '{"gateway":', /not valid JSON: delete .*credentials\.json to generate new ones/],
    [
      'missing an identity',
      JSON.stringify({ gateway: { user: 'gateway', pass: 'x'.repeat(20) } }),
      /no usable credentials for auth, catalog, orders, events \(.*\): delete/,
    ],
    [
      'holding a password nats-server would not parse',
      JSON.stringify(
        Object.fromEntries(
          BUS_IDENTITIES.map((id) => [id, { user: id, pass: `${id === 'orders' ? '8' : 'x'}${'y'.repeat(20)}` }]),
        ),
      ),
      /no usable credentials for orders \(/,
    ],
  ])('refuses a file that is %s and says how to start over', (_case, content, message) => {
    const files = natsStateFiles(stateDir);
    mkdirSync(files.dir, { recursive: true });
    writeFileSync(files.credentials, content);

    expect(() => loadOrCreateBusCredentials(files, say)).toThrow(message);
    expect(readFileSync(files.credentials, 'utf8')).toBe(content);
  });
});
