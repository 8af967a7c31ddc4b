import { BenchReport, ScenarioOutcome } from './report-model';
import { LoadFigures } from './run-load';
import { evaluateTargets } from './targets';

const figures = (rps: number, p99Ms: number, non2xx = 0): LoadFigures => ({
  requests: rps * 8,
  seconds: 8,
  rps,
  p50Ms: p99Ms / 3,
  p90Ms: p99Ms / 2,
  p99Ms,
  maxMs: p99Ms * 2,
  errors: 0,
  timeouts: 0,
  non2xx,
  status5xx: 0,
  statusCounts: { '200': rps * 8 },
  window: { startUs: 0, endUs: 8e6 },
});

const measured = (name: string, rps: number, p99Ms: number, floorRps: number): ScenarioOutcome => ({
  name,
  description: name,
  status: 'measured',
  figures: figures(rps, p99Ms),
  ratio: { to: 'floor', value: rps / floorRps },
  loadAverage: 1,
});

const report = (scenarios: ScenarioOutcome[]): BenchReport =>
  ({ meta: { durationS: 8 }, references: { floor: figures(8000, 12) }, scenarios, memory: [], problems: [] }) as never;

describe('evaluateTargets', () => {
  describe('RSS growth over a mixed run', () => {
    type Rss = { idle: number; warm: number; end: number; first?: number; last?: number };
    const mixedRun = (durationS: number, memory: Rss[], lines = 1): BenchReport =>
      ({
        meta: { durationS },
        references: {},
        scenarios: Array.from({ length: lines }, () => measured('mixed', 400, 300, 8000)),
        memory: memory.map((rss, i) => ({
          id: `p${i}`,
          pid: i,
          bazaar: true,
          idleMib: rss.idle,
          warmMib: rss.warm,
          endMib: rss.end,
          firstMinuteMib: rss.first,
          lastMinuteMib: rss.last,
        })),
        problems: [],
      }) as never;
    const verdict = (run: BenchReport) =>
      evaluateTargets(run).find((v) => v.scenario === 'mixed' && /RSS/.test(v.target));

    it("judges the last minute's median RSS against the first's, not single samples or idle", () => {
      const sawtooth = { idle: 100, warm: 150, end: 201, first: 150, last: 158 };
      expect(
        verdict(mixedRun(600, [sawtooth, { idle: 100, warm: 110, end: 112, first: 110, last: 111 }])),
      ).toMatchObject({
        verdict: 'met',
        measured: expect.stringMatching(
          /^worst p0 \+5\.3 % first → last minute \(one sample each end: \+34\.0 %; from idle \+101\.0 %\)$/,
        ),
      });
    });

    it('misses it when the level rises over 10 % while the load runs', () => {
      expect(verdict(mixedRun(600, [{ idle: 100, warm: 150, end: 170, first: 150, last: 170 }]))?.verdict).toBe(
        'missed',
      );
    });

    it('gives no verdict for a run shorter than 10 minutes, with other lines in it, or without samples', () => {
      const level = { idle: 100, warm: 150, end: 151, first: 150, last: 151 };
      expect(verdict(mixedRun(300, [level]))?.verdict).toBe('n/a');
      expect(verdict(mixedRun(600, [level], 2))?.verdict).toBe('n/a');
      expect(verdict(mixedRun(600, [{ idle: 100, warm: 150, end: 151 }]))?.verdict).toBe('n/a');
    });
  });

  describe('read cache lines', () => {
    it('meets the cached target at 1.5 × floor with p99 within 10 ms, and misses it below', () => {
      const verdicts = evaluateTargets(
        report([
          measured('product-get', 5000, 20, 8000),
          measured('product-get (read cache)', 12_800, 8, 8000),
          measured('product-search (read cache)', 11_000, 8, 8000),
        ]),
      );

      expect(verdicts.find((v) => v.scenario === 'product-get (read cache)')?.verdict).toBe('met');
      expect(verdicts.find((v) => v.scenario === 'product-search (read cache)')?.verdict).toBe('missed');
      expect(verdicts.find((v) => v.scenario === 'product-get')?.verdict).toBe('met');
    });

    it('misses the cached target when p99 is over 10 ms however fast', () => {
      const verdicts = evaluateTargets(report([measured('product-get (read cache)', 20_000, 10.5, 8000)]));

      expect(verdicts.find((v) => v.scenario === 'product-get (read cache)')?.verdict).toBe('missed');
    });

    it('says not measured for the cached lines of a run that measured the reads only once (--url)', () => {
      const verdicts = evaluateTargets(report([measured('product-get', 5000, 20, 8000)]));

      expect(verdicts.find((v) => v.scenario === 'product-get (read cache)')).toMatchObject({
        verdict: 'n/a',
        measured: expect.stringMatching(/^not measured/),
      });
    });
  });

  describe('uncached product-get against the conventional Nest slice (issue 17)', () => {
    const sliceVerdict = (nestSliceRatio: number | undefined) =>
      evaluateTargets(report([{ ...measured('product-get', 3000, 20, 8000), nestSliceRatio }])).find(
        (v) => v.scenario === 'product-get' && /nest-slice/.test(v.target),
      );

    it('meets the target at 1.3 × the slice and misses it just below', () => {
      expect(sliceVerdict(1.3)).toMatchObject({ verdict: 'met', measured: '1.30 × nest-slice' });
      expect(sliceVerdict(1.29)?.verdict).toBe('missed');
    });

    it('gives no verdict when the slice was not measured', () => {
      expect(sliceVerdict(undefined)).toMatchObject({ verdict: 'n/a', measured: 'no nest-slice' });
    });
  });
});
