import { describe, expect, it } from '@jest/globals';
import { pick } from '../../../src/mcp/tools/curves.js';
import { connectTools, textOf, toolSuite } from '../../support/mcp-tools.js';

const s = toolSuite();

type Curves = {
  curves: {
    id: string;
    label: string;
    points: { secs: number | null; distance_m: number | null; value: number; watts_per_kg: number | null; activity_id: string }[];
  }[];
  critical_speed_mps: number | null;
};

describe('get_power_curves', () => {
  it('always sends the required type and the curve ids, and picks the asked durations', async () => {
    const r = await s.h.call('get_power_curves', { curves: ['s0', 's1'], durations_s: [5, 60, 1200] });
    expect(s.fake.requests[0]).toMatchObject({
      method: 'GET',
      path: '/athlete/i1001/power-curves.json',
      query: { type: 'Ride', curves: 's0,s1' },
    });
    const out = r.structuredContent as Curves;
    expect(out.curves.map((c) => c.id)).toEqual(['s0', 's1']);
    expect(out.curves[0]!.points).toEqual([
      { secs: 5, distance_m: null, value: 780, watts_per_kg: 10.4, activity_id: 'i100' },
      { secs: 60, distance_m: null, value: 380, watts_per_kg: 5.07, activity_id: 'i102' },
      { secs: 1200, distance_m: null, value: 245, watts_per_kg: 3.27, activity_id: 'i106' },
    ]);
    expect(textOf(r)).toContain('| 20:00 | 245 W (3.27) |');
  });

  it('turns custom date ranges into r.<oldest>.<newest> curve ids', async () => {
    const out = await s.h.structured<Curves>('get_power_curves', {
      ranges: [{ oldest: '2026-01-01', newest: '2026-03-31' }],
      sport: 'VirtualRide',
    });
    expect(s.fake.requests[0]!.query).toEqual({ type: 'VirtualRide', curves: 'r.2026-01-01.2026-03-31' });
    expect(out.curves[0]!.id).toBe('r.2026-01-01.2026-03-31');
  });

  it('resolves athlete id 0 to the real id first (curve endpoints refuse 0)', async () => {
    const zero = await connectTools({ fake: s.fake, athleteId: '0' });
    try {
      await zero.structured('get_power_curves');
      expect(s.fake.requests.map((q) => q.path)).toEqual(['/athlete/0', '/athlete/i1001/power-curves.json']);
    } finally {
      await zero.close();
    }
  });

  it.each([
    [{ curves: ['last-week'] }, 'a curve id such as s0'],
    [{ ranges: [{ oldest: '2026-03-01', newest: '2026-01-01' }] }, 'is reversed'],
    [
      {
        curves: ['s0', 's1', '42d'],
        ranges: [
          { oldest: '2026-01-01', newest: '2026-02-01' },
          { oldest: '2025-01-01', newest: '2025-02-01' },
        ],
      },
      'At most 4 curves',
    ],
  ])('refuses %j', async (args, message) => {
    const r = await s.h.call('get_power_curves', args);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain(message);
    expect(s.fake.requests).toHaveLength(0);
  });
});

describe('get_hr_curves', () => {
  it('reads hr-curves.json with type and shows bpm', async () => {
    const r = await s.h.call('get_hr_curves', { durations_s: [60] });
    expect(s.fake.requests[0]).toMatchObject({ path: '/athlete/i1001/hr-curves.json', query: { type: 'Ride', curves: 's0' } });
    expect((r.structuredContent as Curves).curves[0]!.points[0]).toMatchObject({ secs: 60, value: 168, watts_per_kg: null });
    expect(textOf(r)).toContain('168 bpm');
  });
});

describe('get_pace_curves', () => {
  it('reads pace-curves.json for Run with distances and critical speed', async () => {
    const r = await s.h.call('get_pace_curves', { curves: ['90d'], distances_m: [100, 200], gap: true });
    expect(s.fake.requests[0]).toMatchObject({
      path: '/athlete/i1001/pace-curves.json',
      query: { type: 'Run', curves: '90d', gap: 'true' },
    });
    const out = r.structuredContent as Curves;
    expect(out.curves[0]!.points.map((p) => [p.distance_m, p.value])).toEqual([
      [100, 20],
      [200, 44],
    ]);
    expect(out.critical_speed_mps).toBeCloseTo(3.6189, 3);
    expect(textOf(r)).toContain('Critical speed 3.62 m/s (4:36/km)');
  });
});

describe('pick (curve points for the asked durations/distances)', () => {
  it.each([
    [
      [1, 5, 60, 300],
      [5, 60],
      [1, 2],
    ],
    [
      [1, 5, 60, 300],
      [4, 30],
      [1, 2],
    ],
    [[1, 5, 60, 300], [30, 40], [2]],
    [[1, 5, 60, 300], [3600], [0, 1, 2, 3]],
    [[], [5], []],
  ])('xs %j wanted %j → indices %j', (xs, wanted, want) => expect(pick(xs, wanted)).toEqual(want));
});
