import { describe, expect, it } from '@jest/globals';
import { textOf } from '../../support/mcp-harness.js';
import { expectRefusedUntouched, useToolSuite } from '../../support/tool-suite.js';

const suite = useToolSuite();
/** The captured 90-day pace curve: CS 3.6188684 m/s, D′ 124.212875 m; its longest point is 300 m in 66 s. */
const CS = 3.6188684;
const D_PRIME = 124.212875;

interface Out {
  distance_m: number;
  predictions: { method: string; time_s: number; basis: string; caveat: string | null }[];
}

describe('predict_race', () => {
  it("predicts 5 km by critical speed and by Riegel from the athlete's own curve, naming each method", async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('predict_race', { distance_m: 5000 });
    const out = r.structuredContent as unknown as Out;
    expect(suite.fake.requests.map((q) => [q.method, q.path, q.query])).toEqual([
      ['GET', '/athlete/i1001/pace-curves.json', { type: 'Run', curves: '90d' }],
    ]);
    expect(out.predictions).toEqual([
      { method: 'critical_speed', time_s: Math.round((5000 - D_PRIME) / CS), basis: 'CS 3.62 m/s, D′ 124 m', caveat: null },
      {
        method: 'riegel',
        time_s: Math.round(66 * (5000 / 300) ** 1.06),
        basis: 'best 300 m in 66 s',
        caveat: 'extrapolated 17× from the best effort: rough',
      },
    ]);
    expect(out.predictions[0]!.time_s).toBe(1347);
    expect(textOf(r)).toContain('| critical_speed | 22:27 | 4:29 |');
  });

  it('flags the critical-speed answer as optimistic beyond ~30 minutes', async () => {
    const tools = await suite.connect();
    const out = await tools.structured<Out>('predict_race', { distance_m: 42_195, curve: '1y' });
    expect(out.predictions[0]).toMatchObject({ method: 'critical_speed', caveat: expect.stringContaining('optimistic') });
    expect(suite.fake.requests.at(-1)?.query).toEqual({ type: 'Run', curves: '1y' });
  });

  it.each([
    [{ distance_m: 100 }, 'distance_m'],
    [{ distance_m: 5000, sport: 'Ride' }, 'sport'],
    [{ distance_m: 5000, curve: 'lastyear' }, 'curve'],
  ])('refuses %j without calling Intervals.icu', async (args, message) => {
    await expectRefusedUntouched(suite, 'predict_race', args, message);
  });
});
