import { QUICK_FAULT_IDS } from './fault-catalog';
import { ChaosUsageError, parseChaosOptions } from './options';

describe(parseChaosOptions.name, () => {
  it('runs every fault with 10 s of load around each by default', () => {
    const sut = parseChaosOptions([], {});

    expect(sut.faults).toContain('nats-60s');
    expect(sut.faults).toHaveLength(15);
    expect(sut.durationS).toBe(10);
    expect(sut.build).toBe(true);
  });

  it('keeps --quick short: no 60 s NATS outage, 3 s of load', () => {
    const sut = parseChaosOptions(['--quick'], {});

    expect(sut.faults).toEqual(QUICK_FAULT_IDS);
    expect(sut.faults).not.toContain('nats-60s');
    expect(sut.durationS).toBe(3);
  });

  it('takes chosen faults in their order, and a duration', () => {
    const sut = parseChaosOptions(['--faults', 'nats-5s, kill-orders', '--duration=4', '--no-build'], {});

    expect(sut.faults).toEqual(['nats-5s', 'kill-orders']);
    expect(sut.durationS).toBe(4);
    expect(sut.build).toBe(false);
  });

  it.each([
    [['--faults', 'unplug-the-rack'], /Unknown fault\(s\) unplug-the-rack/],
    [['--duration', '0'], /from 1 to 3600/],
    [['--frobnicate'], /Unknown option/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseChaosOptions(argv, {})).toThrow(ChaosUsageError);
    expect(() => parseChaosOptions(argv, {})).toThrow(message);
  });
});
