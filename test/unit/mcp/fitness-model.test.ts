import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { addedEffect, DEFAULT_ATL_DAYS, DEFAULT_CTL_DAYS, replay } from '../../../src/mcp/fitness/model.js';

/** Intervals.icu's own fitness series (a captured wellness list; the stand-in serves the same file). */
interface Day {
  date: string;
  ctl: number;
  atl: number;
  ctlLoad: number;
  atlLoad: number;
}
const series = JSON.parse(
  readFileSync(new URL('../../fakes/intervals/samples/wellness-fitness-series-trimmed.json', import.meta.url), 'utf8'),
) as Day[];
const defaults = () => ({ ctl_days: DEFAULT_CTL_DAYS, atl_days: DEFAULT_ATL_DAYS });

describe("fitness model against Intervals.icu's own series", () => {
  const [first, ...rest] = series;
  const ours = replay(
    { ctl: first!.ctl, atl: first!.atl },
    rest.map((d) => ({ ctl: d.ctlLoad, atl: d.atlLoad })),
    defaults,
  );

  it.each(rest.map((d, i) => [d.date, d, i] as const))('%s: CTL and ATL within 0.1 of Intervals.icu', (_date, day, i) => {
    expect(Math.abs(ours[i]!.ctl - day.ctl)).toBeLessThan(0.1);
    expect(Math.abs(ours[i]!.atl - day.atl)).toBeLessThan(0.1);
    // Form as Intervals.icu derives it.
    expect(Math.abs(ours[i]!.ctl - ours[i]!.atl - (day.ctl - day.atl))).toBeLessThan(0.1);
  });

  it('replays 13 days', () => {
    expect(ours).toHaveLength(13);
    expect(series.at(-1)!.date).toBe('2026-05-14');
  });

  it('the effect of extra sessions equals replaying the whole series with them added (the model is linear)', () => {
    const extra = rest.map((_, i) => (i === 3 ? 120 : i === 8 ? -40 : 0));
    const withExtra = replay(
      { ctl: first!.ctl, atl: first!.atl },
      rest.map((d, i) => ({ ctl: d.ctlLoad + extra[i]!, atl: d.atlLoad + extra[i]! })),
      defaults,
    );
    const effect = addedEffect(extra, defaults);
    withExtra.forEach((x, i) => {
      expect(x.ctl).toBeCloseTo(ours[i]!.ctl + effect[i]!.ctl, 9);
      expect(x.atl).toBeCloseTo(ours[i]!.atl + effect[i]!.atl, 9);
    });
    // One 120-load day: +120·(1−e^(−1/42)) = +2.82 fitness that day, +15.97 fatigue.
    expect(effect[3]!.ctl).toBeCloseTo(2.823, 3);
    expect(effect[3]!.atl).toBeCloseTo(15.975, 3);
  });

  it("an athlete's own time constants change the answer (shorter CTL days react faster)", () => {
    const fast = addedEffect([100], () => ({ ctl_days: 28, atl_days: 5 }));
    expect(fast[0]!.ctl).toBeCloseTo(100 * (1 - Math.exp(-1 / 28)), 9);
    expect(fast[0]!.atl).toBeCloseTo(100 * (1 - Math.exp(-1 / 5)), 9);
  });
});
