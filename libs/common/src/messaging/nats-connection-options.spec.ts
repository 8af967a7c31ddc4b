import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseEnv } from '../config/base.env';
import { ConfigValidationError, validateEnv } from '../config/validate-env';
import { busConnectionFrom, natsConnectionOptions } from './nats-connection-options';

describe(busConnectionFrom.name, () => {
  it('connects as the service identity, with its private inbox, when only a password is set', () => {
    const config = validateEnv(BaseEnv, { NATS_URL: 'nats://a:4222,nats://b:4222', NATS_PASSWORD: 'p'.repeat(20) });
    const sut = natsConnectionOptions(busConnectionFrom(config, 'orders'), 'orders-outbox');

    expect(sut).toMatchObject({
      servers: ['nats://a:4222', 'nats://b:4222'],
      user: 'orders',
      pass: 'p'.repeat(20),
      inboxPrefix: '_INBOX_orders',
      maxReconnectAttempts: -1,
    });
    expect(sut.tls).toBeUndefined();
  });

  it('reads the password from NATS_PASSWORD_FILE, trimmed, and takes NATS_USER over the identity', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bus-')), 'password');
    writeFileSync(file, 'from-a-mounted-secret-123\n');
    const config = validateEnv(BaseEnv, { NATS_USER: 'orders-blue', NATS_PASSWORD_FILE: file });

    expect(busConnectionFrom(config, 'orders').credentials).toEqual({
      user: 'orders-blue',
      pass: 'from-a-mounted-secret-123',
    });
  });

  it('fails at start-up, naming the variable, when the password file is unreadable or both forms are set', () => {
    const missing = validateEnv(BaseEnv, { NATS_PASSWORD_FILE: '/nonexistent/password' });
    const both = validateEnv(BaseEnv, { NATS_PASSWORD: 'p'.repeat(20), NATS_PASSWORD_FILE: '/x' });

    expect(() => busConnectionFrom(missing, 'auth')).toThrow(ConfigValidationError);
    expect(() => busConnectionFrom(missing, 'auth')).toThrow(/NATS_PASSWORD_FILE/);
    expect(() => busConnectionFrom(both, 'auth')).toThrow(/not both/);
  });

  it('connects without credentials to a bus that takes none, still on its private inbox', () => {
    const sut = natsConnectionOptions(busConnectionFrom(validateEnv(BaseEnv, {}), 'gateway'), 'gateway');

    expect(sut.user).toBeUndefined();
    expect(sut.pass).toBeUndefined();
    expect(sut.inboxPrefix).toBe('_INBOX_gateway');
  });

  it('passes the TLS files on', () => {
    const config = validateEnv(BaseEnv, {
      NATS_URL: 'tls://nats:4222',
      NATS_TLS_CA_FILE: '/tls/ca.crt',
      NATS_TLS_CERT_FILE: '/tls/tls.crt',
      NATS_TLS_KEY_FILE: '/tls/tls.key',
    });

    expect(natsConnectionOptions(busConnectionFrom(config, 'auth'), 'auth').tls).toEqual({
      caFile: '/tls/ca.crt',
      certFile: '/tls/tls.crt',
      keyFile: '/tls/tls.key',
    });
  });
});
