import { judgeFlat, judgeRss, median } from './verdict';

describe('soak verdicts', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  describe('a bounded table', () => {
    it('is flat when it climbs while retention warms up, then holds level', () => {
      const levelled = [100, 400, 700, 900, 1000, 980, 1010, 990, 1005, 995, 1000, 1008];
      expect(judgeFlat(levelled, 0)?.flat).toBe(true);
    });

    it('is not flat when it keeps growing, however slowly', () => {
      const creeping = Array.from({ length: 30 }, (_, minute) => 1000 + minute * 60);
      const verdict = judgeFlat(creeping, 0);
      expect(verdict?.flat).toBe(false);
      expect(verdict?.growth).toBeGreaterThan(0.1);
    });

    it('forgives small absolute noise on a tiny table through the slack', () => {
      const tiny = [0, 10, 20, 20, 30, 20, 40, 50, 45];
      expect(judgeFlat(tiny, 0)?.flat).toBe(false);
      expect(judgeFlat(tiny, 64)?.flat).toBe(true);
    });

    it('gives no verdict on a run too short to have thirds', () => {
      expect(judgeFlat([1, 2, 3, 4, 5], 0)).toBeUndefined();
    });
  });

  describe('RSS', () => {
    it("compares the last minute's median with minute 2's, not the first minute's start-up", () => {
      const samples = [
        [80, 90],
        [120, 130, 125],
        [124, 126, 128],
        [126, 130, 131],
      ];
      const verdict = judgeRss(samples);
      expect(verdict?.minute2Mib).toBe(125);
      expect(verdict?.lastMinuteMib).toBe(130);
      expect(verdict?.ok).toBe(true);
    });

    it('fails growth beyond 10 %', () => {
      expect(judgeRss([[100], [100], [105], [111]])?.ok).toBe(false);
    });
  });
});
