import { Attempt } from './client-ledger';
import { faultById } from './fault-catalog';
import { checkRequests, recoveryFigures, trafficFigures } from './request-checks';

const INJECTED = 10_000;

function attempt(start: number, outcome: Partial<Attempt> = {}, latency = 20): Attempt {
  return { op: 'product-get', start, end: start + latency, status: 200, replayed: false, retry: 0, ...outcome };
}

const rules = (id: string) => ({ fault: faultById(id), injectedAt: INJECTED, answerBoundMs: 6000 });

describe(checkRequests.name, () => {
  it('allows clear 503/504/429 answers during a fault, and business answers at any time', () => {
    const sut = checkRequests(
      [
        attempt(9000),
        attempt(9500, { op: 'order-place', status: 409, code: 'insufficient-stock' }),
        attempt(10_100, { status: 503 }),
        attempt(10_200, { status: 504 }, 5010),
        attempt(10_300, { status: 429 }),
      ],
      rules('nats-5s'),
    );

    expect(sut).toMatchObject({ ok: true, violations: [] });
  });

  it('refuses a 500, a hang, an answer beyond the gateway timeout, and a failure before the fault', () => {
    const sut = checkRequests(
      [
        attempt(8000, { status: 503 }),
        attempt(10_100, { status: 500, code: 'internal' }),
        attempt(10_200, { status: undefined, failure: 'timeout' }, 15_000),
        attempt(10_300, { status: 504 }, 7000),
      ],
      rules('nats-5s'),
    );

    expect(sut.violations).toEqual([
      'product-get at -2.0 s: 503 (before the fault)',
      'product-get at 0.1 s: 500 internal',
      'product-get at 0.2 s: no answer (hang)',
      'product-get at 0.3 s: 504 after 7000 ms (bound 6000 ms)',
    ]);
  });

  it('counts a request in flight when the fault hit as during the fault', () => {
    const sut = checkRequests([attempt(9900, { status: 504 }, 5000)], rules('kill-orders'));

    expect(sut.ok).toBe(true);
  });

  it('allows no failure at all on the graceful path, not even a 503', () => {
    const sut = checkRequests([attempt(10_100, { status: 503 })], rules('sigterm-orders'));

    expect(sut).toMatchObject({ name: 'zero failed requests (graceful)', ok: false });
  });

  it('allows reset connections only when the gateway worker holding them is killed', () => {
    const reset = attempt(10_100, { status: undefined, failure: 'connection', failureCode: 'ECONNRESET' });

    expect(checkRequests([reset], rules('kill-gateway')).ok).toBe(true);
    expect(checkRequests([reset], rules('kill-catalog')).ok).toBe(false);
  });

  it('does not count a request resent after meeting a closed kept-alive connection', () => {
    const stale = attempt(10_100, { status: undefined, failure: 'connection', staleConnection: true });

    expect(checkRequests([stale, attempt(10_101)], rules('sigterm-gateway')).ok).toBe(true);
    expect(trafficFigures([stale]).resentOnClosedConnection).toBe(1);
    expect(trafficFigures([stale]).errors).toEqual({});
  });
});

describe(recoveryFigures.name, () => {
  it('measures from the end of the fault to the first success and to the last failure', () => {
    const ended = 15_000;
    const sut = recoveryFigures(
      [attempt(11_000, { status: 503 }), attempt(15_100, { status: 503 }, 400), attempt(15_200, {}, 100)],
      INJECTED,
      ended,
    );

    expect(sut).toEqual({ firstSuccessMs: 300, normalMs: 500 });
  });
});
