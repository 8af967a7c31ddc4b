import { judgeSoak, MinuteRow } from './report';

const minute = (n: number, rows: Record<string, number>, bytes = 1_000_000): MinuteRow => ({
  minute: n,
  loadAverage: 1,
  rps: 100,
  p99Ms: 10,
  errors: 0,
  status5xx: 0,
  ordersConfirmed: n * 100,
  tables: Object.entries(rows).map(([table, count]) => ({ table, rows: count, bytes })),
  streams: [],
  rssMib: {},
});

const run = (rowsAt: (n: number) => Record<string, number>): MinuteRow[] =>
  Array.from({ length: 12 }, (_, i) => minute(i + 1, rowsAt(i + 1)));

const on = { autovacuum: 'on', judgedProcesses: ['gateway-0'] };

describe('judgeSoak', () => {
  it('judges a table it does not know as bounded, so a new table must level off or say why it may grow', () => {
    const verdicts = judgeSoak(
      run((n) => ({ 'orders.new_table': n * 1000 })),
      {},
      on,
    );

    expect(verdicts.find((v) => v.what === 'orders.new_table rows')).toMatchObject({ judged: true, ok: false });
  });

  it('lets business records grow, saying why', () => {
    const verdicts = judgeSoak(
      run((n) => ({ 'orders.orders': n * 1000 })),
      {},
      on,
    );

    expect(verdicts.find((v) => v.what === 'orders.orders rows')).toMatchObject({ judged: false, ok: true });
  });

  it('does not judge bytes on a server with autovacuum off, where no deleted row is ever reclaimed', () => {
    const verdicts = judgeSoak(
      run(() => ({ 'catalog.outbox': 500 })),
      {},
      { ...on, autovacuum: 'off' },
    );

    expect(verdicts.find((v) => v.what === 'catalog.outbox bytes')).toMatchObject({ judged: false });
    expect(verdicts.find((v) => v.what === 'catalog.outbox rows')).toMatchObject({ judged: true, ok: true });
  });

  it("judges only Bazaar's processes' RSS", () => {
    const growing = Array.from({ length: 12 }, (_, i) => [100 + i * 10]);
    const verdicts = judgeSoak([], { 'gateway-0': growing, 'nats-server': growing }, on);

    expect(verdicts.find((v) => v.what === 'gateway-0 RSS')).toMatchObject({ judged: true, ok: false });
    expect(verdicts.find((v) => v.what === 'nats-server RSS')).toMatchObject({ judged: false, ok: true });
  });
});
