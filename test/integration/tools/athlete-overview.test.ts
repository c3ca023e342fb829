import { beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '../../../src/mcp/inputs.js';
import { formZone } from '../../../src/mcp/tools/fitness.js';
import { activitiesOf } from '../../fakes/intervals/routes/activity-data.js';
import { calendar } from '../../fakes/intervals/routes/events.js';
import { connectTools, textOf, toolSuite } from '../../support/mcp-tools.js';

const s = toolSuite();
// Ann's profile says Europe/London; "today" for her is computed in that zone.
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

beforeAll(() => {
  const fake = s.fake;
  const ann = fake.athlete('i1001');
  const acts = activitiesOf(fake, ann);
  const ride = acts.get('i170317118')!;
  acts.set('i300000001', {
    ...ride,
    activity: {
      ...ride.activity,
      id: 'i300000001',
      start_date_local: `${addDays(today, -1)}T07:00:00`,
      icu_zone_times: [
        { id: 'Z1', secs: 600 },
        { id: 'Z2', secs: 1800 },
      ],
      icu_hr_zone_times: [300, 2100],
    },
  });
  const cal = calendar(fake, ann);
  cal.events.push(
    {
      id: 7001,
      category: 'WORKOUT',
      name: 'Done SST',
      start_date_local: `${addDays(today, -1)}T00:00:00`,
      paired_activity_id: 'i300000001',
      icu_training_load: 70,
    },
    {
      id: 7002,
      category: 'WORKOUT',
      name: 'Missed VO2',
      start_date_local: `${addDays(today, -3)}T00:00:00`,
      paired_activity_id: null,
      icu_training_load: 80,
    },
    {
      id: 7003,
      category: 'WORKOUT',
      name: 'Next long ride',
      start_date_local: `${addDays(today, 2)}T00:00:00`,
      paired_activity_id: null,
      icu_training_load: 120,
    },
  );
});

describe('get_fitness', () => {
  it('asks wellness for ctl/atl fields and marks future days as projected', async () => {
    const r = await s.h.call('get_fitness', { oldest: '2026-05-01', newest: '2026-05-14' });
    expect(s.fake.requests.map((q) => [q.method, q.path])).toEqual([
      ['GET', '/athlete/i1001'],
      ['GET', '/athlete/i1001/wellness'],
    ]);
    expect(s.fake.requests[1]!.query).toEqual({ oldest: '2026-05-01', newest: '2026-05-14', fields: 'ctl,atl,rampRate,ctlLoad,atlLoad' });
    const out = r.structuredContent as {
      days: { date: string; tsb: number; projected: boolean }[];
      current: { date: string; form_zone: string };
    };
    expect(out.days).toHaveLength(14);
    expect(out.days[0]).toMatchObject({ date: '2026-05-01', tsb: -0.3, projected: false });
    expect(out.current.date).toBe('2026-05-14');
    expect(textOf(r)).toContain('| 2026-05-01 | 50.8 | 51.1 | -0.3 | 1.2 | 58 |');
  });

  it("defaults to 6 weeks back and 2 weeks of projection from the athlete's today", async () => {
    const out = await s.h.structured<{ today: string; days: { date: string; projected: boolean }[] }>('get_fitness');
    expect(out.today).toBe(today);
    expect(s.fake.requestsTo('GET', '/athlete/i1001/wellness')[0]!.query).toMatchObject({
      oldest: addDays(today, -42),
      newest: addDays(today, 14),
    });
    expect(out.days.filter((d) => d.projected).map((d) => d.date)).toContain(addDays(today, 14));
  });

  it.each([
    [30, 'transition (detraining)'],
    [10, 'fresh'],
    [0, 'grey zone'],
    [-20, 'optimal training'],
    [-40, 'high risk'],
    [null, null],
  ])('form %s is %s', (tsb, zone) => expect(formZone(tsb)).toBe(zone));
});

describe('get_training_summary', () => {
  it('combines activities, wellness and planned workouts in one call', async () => {
    const r = await s.h.call('get_training_summary', { days: 14 });
    const oldest = addDays(today, -13);
    // (the profile, for the time zone, may come from the read cache)
    expect(
      s.fake.requests
        .map((q) => q.path)
        .filter((p) => p !== '/athlete/i1001')
        .sort(),
    ).toEqual(['/athlete/i1001/activities', '/athlete/i1001/events', '/athlete/i1001/wellness']);
    expect(s.fake.requestsTo('GET', '/athlete/i1001/activities')[0]!.query).toMatchObject({ oldest, newest: today });
    expect(s.fake.requestsTo('GET', '/athlete/i1001/events')[0]!.query).toEqual({ oldest, newest: addDays(today, 7), category: 'WORKOUT' });
    const out = r.structuredContent as Record<string, unknown>;
    expect(out.totals).toMatchObject({ activities: 1, training_load: 72 });
    expect(out.by_sport).toEqual([{ type: 'Ride', count: 1, moving_time_s: 4121, distance_m: 35210, training_load: 72 }]);
    expect(out.time_in_zones).toEqual({ power_s: [600, 1800], hr_s: [300, 2100] });
    expect(out.plan).toMatchObject({
      planned: 2,
      completed: 1,
      missed: [{ id: 7002, name: 'Missed VO2' }],
      upcoming: [{ id: 7003, training_load: 120 }],
    });
    const text = textOf(r);
    expect(text).toContain('Plan: 1 of 2 planned workouts done. Missed: ');
    expect(text).toContain('"Next long ride" (event 7003, load 120)');
    expect(text).toContain('Power zones: Z1 25% Z2 75%');
  });
});

describe('list_athletes', () => {
  it('lists self and coached athletes without ever passing their API keys on', async () => {
    const r = await s.h.call('list_athletes');
    expect(s.fake.requestsTo('GET', '/athletes')).toHaveLength(1);
    expect(r.structuredContent).toEqual({
      athletes: [
        { id: 'i1001', name: 'Ann Example', timezone: 'Europe/London', is_self: true, tags: [] },
        { id: 'i2002', name: 'Ben Example', timezone: 'Europe/London', is_self: false, tags: ['coached'] },
      ],
    });
    const all = JSON.stringify(r);
    for (const a of s.fake.athletes) expect(all).not.toContain(a.apiKey);
  });

  it('knows which one is you when the link uses athlete id 0', async () => {
    const zero = await connectTools({ fake: s.fake, athleteId: '0' });
    try {
      const out = await zero.structured<{ athletes: { id: string; is_self: boolean }[] }>('list_athletes');
      expect(out.athletes.filter((a) => a.is_self).map((a) => a.id)).toEqual(['i1001']);
    } finally {
      await zero.close();
    }
  });
});
