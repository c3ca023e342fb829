import { describe, expect, it } from '@jest/globals';
import { RIDE_ID, STRAVA_ID } from '../../fakes/intervals/routes/activity-data.js';
import { textOf } from '../../support/mcp-harness.js';
import { expectRefusedUntouched, useToolSuite } from '../../support/tool-suite.js';

const suite = useToolSuite();
const writes = () => suite.fake.requests.filter((r) => r.method !== 'GET');
interface Out {
  applied: boolean;
  activity: { id: string | null; name: string | null; date: string | null; paired_event_id: number | null } | null;
  intervals_before: number | null;
  intervals_after: number | null;
}

describe('write_activity', () => {
  it('create_manual POSTs the mapped Activity body to /activities/manual', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<Out>('write_activity', {
      action: 'create_manual',
      date: '2026-11-30',
      time: '07:30',
      type: 'Swim',
      name: 'Pool',
      moving_time_s: 2700,
      distance_m: 2500,
      load: 40,
      rpe: 5,
    });
    expect(writes()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/athlete/i1001/activities/manual',
        query: {},
        body: {
          start_date_local: '2026-11-30T07:30:00',
          type: 'Swim',
          name: 'Pool',
          moving_time: 2700,
          distance: 2500,
          icu_training_load: 40,
          icu_rpe: 5,
        },
      }),
    ]);
    expect(out).toMatchObject({ applied: true, activity: { name: 'Pool', date: '2026-11-30' } });
    const back = await tools.structured<{ activities: { id: string }[] }>('get_activities', { oldest: '2026-11-30', newest: '2026-11-30' });
    expect(back.activities.map((a) => a.id)).toContain(out.activity!.id);
  });

  it('mark_done POSTs /events/{id}/mark-done and the new activity is paired with the plan', async () => {
    const tools = await suite.connect();
    const made = await tools.structured<{ event: { id: number } }>('create_event', {
      date: '2026-11-28',
      name: 'Easy spin',
      type: 'Ride',
      description: '- 45m 60%',
    });
    suite.fake.requests.length = 0;
    const out = await tools.structured<Out>('write_activity', { action: 'mark_done', event_id: made.event.id });
    expect(writes()).toEqual([
      expect.objectContaining({ method: 'POST', path: `/athlete/i1001/events/${made.event.id}/mark-done`, body: undefined }),
    ]);
    expect(out.activity).toMatchObject({ name: 'Easy spin', paired_event_id: made.event.id });
  });

  it('link_event PUTs paired_event_id on the activity', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<Out>('write_activity', { action: 'link_event', activity_id: 'i189807578', event_id: 107665964 });
    expect(writes()).toEqual([
      expect.objectContaining({ method: 'PUT', path: '/activity/i189807578', body: { paired_event_id: 107665964 } }),
    ]);
    expect(out.activity).toMatchObject({ id: 'i189807578', paired_event_id: 107665964 });
  });

  it('set_intervals: dry_run counts what it would replace; then PUT ?all=true with sample indices', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const intervals = [
      { start_s: 600, end_s: 1320, label: 'SST 1' },
      { start_s: 1560, end_s: 2280, label: 'SST 2' },
    ];
    const preview = await tools.call('write_activity', { action: 'set_intervals', activity_id: RIDE_ID, intervals, dry_run: true });
    expect(preview.structuredContent).toMatchObject({ applied: false, intervals_after: 2 });
    expect(textOf(preview)).toMatch(/^Dry run, nothing written\. Would replace \d+ interval\(s\) with 2\./);
    expect(writes()).toHaveLength(0);
    const out = await tools.structured<Out>('write_activity', { action: 'set_intervals', activity_id: RIDE_ID, intervals });
    expect(writes()).toEqual([
      expect.objectContaining({
        method: 'PUT',
        path: `/activity/${RIDE_ID}/intervals`,
        query: { all: 'true' },
        body: [
          { start_index: 600, end_index: 1320, type: 'WORK', label: 'SST 1' },
          { start_index: 1560, end_index: 2280, type: 'WORK', label: 'SST 2' },
        ],
      }),
    ]);
    expect(out).toMatchObject({ applied: true, intervals_after: 2 });
    const read = await tools.structured<{ intervals: unknown[] }>('get_activity_intervals', { activity_id: RIDE_ID });
    expect(read.intervals).toHaveLength(2);
  });

  it('a Strava import cannot be linked, and says why', async () => {
    const tools = await suite.connect();
    const r = await tools.call('write_activity', { action: 'link_event', activity_id: STRAVA_ID, event_id: 107665964 });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('Strava');
  });

  it.each([
    [{ action: 'create_manual', type: 'Run', name: 'x', moving_time_s: 60 }, 'create_manual needs date'],
    [{ action: 'mark_done' }, 'mark_done needs event_id'],
    [{ action: 'link_event', activity_id: 'i189807578' }, 'link_event needs event_id'],
    [{ action: 'set_intervals', activity_id: RIDE_ID, intervals: [{ start_s: 100, end_s: 50 }] }, 'ends at or before it starts'],
    [
      {
        action: 'set_intervals',
        activity_id: RIDE_ID,
        intervals: [
          { start_s: 0, end_s: 100 },
          { start_s: 50, end_s: 200 },
        ],
      },
      'overlap at 50 s',
    ],
    [{ action: 'create_manual', date: '2026-11-30', type: 'Run', name: 'x', moving_time_s: 60, rpe: 11 }, 'rpe'],
  ])('refuses %j and writes nothing', async (args, message) => {
    await expectRefusedUntouched(suite, 'write_activity', args, message);
  });

  it('a read-only connection gets insufficient_scope', async () => {
    await expectRefusedUntouched(suite, 'write_activity', { action: 'mark_done', event_id: 1 }, 'insufficient_scope', {
      scopes: ['intervals:read'],
    });
  });
});
