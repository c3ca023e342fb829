import { describe, expect, it } from '@jest/globals';
import { activitiesOf, RIDE_ID } from '../../fakes/intervals/routes/activity-data.js';
import { textOf } from '../../support/mcp-harness.js';
import { expectRefusedUntouched, useToolSuite } from '../../support/tool-suite.js';

const suite = useToolSuite();

interface Step {
  step: number;
  planned_s: number | null;
  done_s: number | null;
  time_pct: number | null;
  avg_w: number | null;
  power_pct: number | null;
  target: string | null;
}
interface Session {
  date: string | null;
  event_id: number | null;
  activity_id: string | null;
  compliance_pct: number | null;
}
interface Out {
  compliance_pct: number | null;
  steps: Step[];
  completed: Session[];
  partial: Session[];
  missed: Session[];
  extra: Session[];
}

describe('compare_training: one activity against its planned workout', () => {
  it('pairs the captured sweet-spot ride with its plan step by step', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('compare_training', { activity_id: RIDE_ID });
    const out = r.structuredContent as unknown as Out;
    expect(suite.fake.requests.map((q) => [q.method, q.path, q.query])).toEqual([
      ['GET', `/activity/${RIDE_ID}`, { intervals: 'true' }],
      ['GET', '/athlete/i1001/events/123780516', {}],
    ]);
    expect(out.compliance_pct).toBe(96);
    expect(out.steps.map((s) => [s.planned_s, s.done_s])).toEqual([
      [720, 729],
      [720, 723],
      [240, 240],
      [720, 720],
      [240, 239],
      [720, 721],
      [240, 242],
      [600, 508],
    ]);
    // Power vs the plan's watts: under the range → share of its low end; inside → 100.
    expect(out.steps.map((s) => s.power_pct)).toEqual([96, 96, 99, 100, 69, 100, 51, 91]);
    expect(out.steps[1]).toMatchObject({ target: '255-275 w', avg_w: 244, time_pct: 100 });
    expect(textOf(r)).toContain('vs planned #123780516');
    expect(textOf(r)).toContain('compliance 96% (Intervals.icu)');
  });

  it('an activity with no planned workout says how to link one', async () => {
    const tools = await suite.connect();
    const r = await tools.call('compare_training', { activity_id: 'i189807578' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('not linked to a planned workout; link it with write_activity');
  });
});

describe('compare_training over a range', () => {
  it('sorts planned workouts into completed, partial and missed, and lists unplanned activities', async () => {
    const tools = await suite.connect();
    await tools.structured('create_event', { date: '2026-07-30', name: 'Skipped VO2', type: 'Ride', description: '- 1h 70%' });
    suite.fake.requests.length = 0;
    const out = await tools.structured<Out>('compare_training', { oldest: '2026-07-27', newest: '2026-08-02' });
    expect(suite.fake.requestsTo('GET', '/athlete/i1001/events')[0]?.query).toEqual({
      oldest: '2026-07-27',
      newest: '2026-08-02',
      category: 'WORKOUT',
    });
    expect(suite.fake.requestsTo('GET', '/athlete/i1001/activities')[0]?.query).toEqual({
      oldest: '2026-07-27',
      newest: '2026-08-02',
      fields: 'id,name,start_date_local,paired_event_id,compliance',
    });
    expect(out.completed).toEqual([
      expect.objectContaining({ date: '2026-07-29', event_id: 123780516, activity_id: RIDE_ID, compliance_pct: 96 }),
    ]);
    expect(out.missed).toEqual([expect.objectContaining({ date: '2026-07-30', activity_id: null })]);
    expect(out.extra).toEqual([]);

    const ann = suite.fake.athlete('i1001');
    activitiesOf(suite.fake, ann).get(RIDE_ID)!.activity.compliance = 60;
    const fresh = await suite.connect();
    const partial = await fresh.structured<Out>('compare_training', { oldest: '2026-07-27', newest: '2026-08-02' });
    expect(partial.partial).toEqual([expect.objectContaining({ event_id: 123780516, compliance_pct: 60 })]);
    expect(partial.completed).toEqual([]);

    const extra = await fresh.structured<Out>('compare_training', { oldest: '2026-09-20', newest: '2026-09-26' });
    expect(extra.extra.map((s) => s.activity_id)).toEqual(expect.arrayContaining(['i189807578', 'i189757177']));
  });

  it.each([
    [{ activity_id: RIDE_ID, oldest: '2026-07-01' }, 'Pass one of'],
    [{ oldest: '2026-07-10', newest: '2026-07-01' }, 'swap them'],
    [{ activity_id: 'ride-1' }, 'activity id'],
  ])('refuses %j without calling Intervals.icu', async (args, message) => {
    await expectRefusedUntouched(suite, 'compare_training', args, message);
  });
});

describe('compare_training: activities side by side', () => {
  it('reads each activity in parallel and gives every metric with its difference from the first', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('compare_training', { activity_ids: ['i189807578', RIDE_ID] });
    const out = r.structuredContent as unknown as {
      activities: { id: string; metrics: Record<string, number | null>; delta: Record<string, number | null> }[];
      aligned: unknown;
    };
    expect(suite.fake.requests.map((q) => `${q.method} ${q.path} ${JSON.stringify(q.query)}`).sort()).toEqual([
      `GET /activity/${RIDE_ID} {}`,
      `GET /activity/${RIDE_ID}/streams.json {"types":"time,watts,heartrate,velocity_smooth"}`,
      'GET /activity/i189807578 {}',
      'GET /activity/i189807578/streams.json {"types":"time,watts,heartrate,velocity_smooth"}',
    ]);
    // The run's captured streams are 40 s long, so the common span is 0..39 s in six 6.5 s segments;
    // the run has HR only (no power meter, no velocity stream in the sample).
    expect(out.aligned).toEqual({
      segment_s: 6.5,
      activities: [
        {
          id: 'i189807578',
          watts: [null, null, null, null, null, null],
          heartrate: [105, 113, 117.9, 123.3, 128.4, 134.3],
          speed_mps: [null, null, null, null, null, null],
        },
        {
          id: RIDE_ID,
          watts: [151.6, 152, 152.4, 151.7, 151.9, 152.4],
          heartrate: [129, 129, 129, 129, 129, 129],
          speed_mps: [null, null, null, null, null, null],
        },
      ],
    });
    expect(textOf(r)).toContain('Aligned on elapsed time (0:07 segments, up to the end of the shortest):');
    expect(textOf(r)).toMatch(/\| 0:00–0:07\s*\| 105 bpm\s*\| 152 W 129 bpm \(\+24 bpm\)\s*\|/);
    const [run, ride] = out.activities;
    expect(run!.id).toBe('i189807578');
    expect(ride!.metrics).toMatchObject({ training_load: expect.any(Number), avg_power_w: 221, weighted_power_w: 238, avg_hr_bpm: 138 });
    for (const k of ['moving_time_s', 'training_load', 'avg_hr_bpm']) {
      const a = ride!.metrics[k];
      const b = run!.metrics[k];
      expect(ride!.delta[k]).toBe(a !== null && b !== null ? Math.round((a! - b!) * 100) / 100 : null);
    }
    expect(Object.values(run!.delta).every((d) => d === 0 || d === null)).toBe(true);
    expect(textOf(r)).toContain('Side by side (differences from i189807578):');
    expect(textOf(r)).toMatch(/\| avg HR \| \d+ \| 138 \([+−]\d+\) \|/);
  });

  it.each([
    [{ activity_ids: [RIDE_ID, RIDE_ID] }, 'two different activities'],
    [{ activity_ids: [RIDE_ID] }, 'activity_ids'],
    [{ activity_ids: [RIDE_ID, 'i189807578'], oldest: '2026-07-01' }, 'Pass one of activity_id, activity_ids, oldest/newest, or periods.'],
  ])('refuses %j without calling Intervals.icu', async (args, message) => {
    await expectRefusedUntouched(suite, 'compare_training', args, message);
  });
});

describe('compare_training: two periods', () => {
  interface Period {
    oldest: string;
    newest: string;
    activities: number;
    strava_stubs: number;
    moving_time_s: number;
    distance_m: number;
    training_load: number;
    load_per_week: number;
    power_zones_pct: number[];
    hr_zones_pct: number[];
  }
  const JULY = { oldest: '2026-07-01', newest: '2026-07-31' };
  const SEPTEMBER = { oldest: '2026-09-01', newest: '2026-09-30' };

  it('lists volume, load and zone split of each range, with the difference', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('compare_training', { periods: [JULY, SEPTEMBER] });
    const fields = 'id,start_date_local,source,moving_time,distance,icu_training_load,icu_zone_times,icu_hr_zone_times';
    expect(suite.fake.requests.map((q) => [q.method, q.path, q.query])).toEqual([
      ['GET', '/athlete/i1001/activities', { ...JULY, fields }],
      ['GET', '/athlete/i1001/activities', { ...SEPTEMBER, fields }],
    ]);
    const { periods } = r.structuredContent as unknown as { periods: Period[] };
    // July: the sweet-spot ride (no zone times in the sample); September: the run and the weights session.
    expect(periods).toEqual([
      {
        ...JULY,
        activities: 1,
        strava_stubs: 0,
        moving_time_s: 4121,
        distance_m: 35_210,
        training_load: 72,
        load_per_week: 16.3,
        power_zones_pct: [],
        hr_zones_pct: [],
      },
      {
        ...SEPTEMBER,
        activities: 2,
        strava_stubs: 0,
        moving_time_s: 5722,
        distance_m: 8030,
        training_load: 74,
        load_per_week: 17.3,
        power_zones_pct: [],
        hr_zones_pct: [60.3, 2.6, 5.8, 29.4, 1.9, 0, 0],
      },
    ]);
    const text = textOf(r);
    expect(text).toMatch(/\| load\s*\| 72\s*\| 74\s*\| \+2\s*\|/);
    expect(text).toContain('Z1 60% Z2 3% Z3 6% Z4 29% Z5 2% Z6 0% Z7 0%');
    expect(text).toContain('get_power_curves / get_hr_curves / get_pace_curves with ranges');
  });

  it.each([
    [
      { periods: [SEPTEMBER, { oldest: '2026-09-30', newest: '2026-09-01' }] },
      'oldest (2026-09-30) is after newest (2026-09-01); swap them.',
    ],
    [{ periods: [JULY, SEPTEMBER], activity_id: RIDE_ID }, 'Pass one of activity_id, activity_ids, oldest/newest, or periods.'],
  ])('refuses %j before any request', async (args, message) => {
    await expectRefusedUntouched(suite, 'compare_training', args, message);
  });

  it('needs exactly two periods', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('compare_training', { periods: [JULY] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/periods/);
    expect(suite.fake.requests).toEqual([]);
  });
});
