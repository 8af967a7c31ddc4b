import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorizationFiles } from './authorization-files';
import { BUS_IDENTITIES } from '../../libs/common/src/messaging/bus-policy';
import { permissionsOf, renderAuthorization } from './render-authorization';

describe('renderAuthorization', () => {
  it.each(authorizationFiles(join(__dirname, '..', '..')))(
    'matches the committed %s (run `npm run nats:config` after changing the bus policy)',
    (file) => {
      expect(readFileSync(file, 'utf8')).toBe(renderAuthorization());
    },
  );

  it('lets a service join only its own queue group on its own subjects', () => {
    const { subscribe } = permissionsOf('auth');
    expect(subscribe).toContain('auth.keys.jwks auth');
    expect(subscribe.filter((entry) => !entry.startsWith('_INBOX_auth.'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^auth\.\S+ auth$/)]),
    );
    expect(subscribe.every((entry) => entry.endsWith(' auth') || entry === '_INBOX_auth.>')).toBe(true);
  });

  it('gives the gateway no catalog stock subjects, and orders nothing but those of catalog', () => {
    expect(permissionsOf('gateway').publish.filter((subject) => subject.startsWith('catalog.stock.'))).toEqual([]);
    expect(permissionsOf('orders').publish.filter((subject) => subject.startsWith('catalog.'))).toEqual([
      'catalog.stock.reserve',
      'catalog.stock.release',
      'catalog.reservation.get',
    ]);
  });

  it('keeps JetStream administration to each service and its own stream', () => {
    const admin = (identity: Parameters<typeof permissionsOf>[0]): string[] =>
      permissionsOf(identity).publish.filter((subject) =>
        /^\$JS\.API\.STREAM\.(CREATE|UPDATE|DELETE|PURGE)/.test(subject),
      );
    expect(admin('gateway')).toEqual([]);
    expect(admin('events')).toEqual([]);
    expect(admin('orders')).toEqual(['$JS.API.STREAM.CREATE.ORDERS', '$JS.API.STREAM.UPDATE.ORDERS']);
  });

  it('lets the events consumer publish nothing but JetStream reads, acknowledgements and flow control', () => {
    const { publish, allowResponses } = permissionsOf('events');
    expect(publish.every((subject) => /^\$JS\.(API|ACK|FC)\./.test(subject))).toBe(true);
    expect(allowResponses).toBe(false);
  });
});

describe('docs/security.md', () => {
  it('describes every identity of the bus policy', () => {
    const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'security.md'), 'utf8');
    expect(BUS_IDENTITIES.filter((identity) => !guide.includes(`| \`${identity}\``))).toEqual([]);
  });
});
