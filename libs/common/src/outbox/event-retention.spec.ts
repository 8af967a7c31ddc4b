import { ServiceEnv } from '../config/base.env';
import { validateEnv } from '../config/validate-env';
import { eventRetentionFrom, streamConfigOf } from './event-retention';

describe(streamConfigOf.name, () => {
  const stream = { name: 'ORDERS', subjects: ['orders.events.>'] };

  it('drops the oldest events when full, so the relay is never refused, and carries the limits', () => {
    expect(streamConfigOf(stream, { replicas: 3, maxAgeMs: 86_400_000, maxBytes: 1024 })).toMatchObject({
      name: 'ORDERS',
      subjects: ['orders.events.>'],
      num_replicas: 3,
      max_age: 86_400_000 * 1e6,
      max_bytes: 1024,
      discard: 'old',
      duplicate_window: 10 * 60_000 * 1e6,
    });
  });

  it('keeps the duplicate window within the maximum age (NATS refuses a longer one)', () => {
    expect(streamConfigOf(stream, { replicas: 1, maxAgeMs: 60_000, maxBytes: 1024 }).duplicate_window).toBe(
      60_000 * 1e6,
    );
  });
});

describe(eventRetentionFrom.name, () => {
  it('reads hours, days and bytes from the environment, with bounded defaults', () => {
    const defaults = eventRetentionFrom(validateEnv(ServiceEnv, { DATABASE_URL: 'postgres://u@h/db' }));
    expect(defaults).toEqual({
      outboxRetentionMs: 24 * 3_600_000,
      stream: { replicas: 1, maxAgeMs: 30 * 86_400_000, maxBytes: 1024 ** 3 },
    });
    expect(() => validateEnv(ServiceEnv, { DATABASE_URL: 'postgres://u@h/db', EVENT_STREAM_REPLICAS: '7' })).toThrow(
      /EVENT_STREAM_REPLICAS/,
    );
  });
});
