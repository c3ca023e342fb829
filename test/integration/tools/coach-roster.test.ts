import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAthletes, startFakeIntervals, type FakeIntervals } from '../../fakes/intervals/index.js';
import { connectTools, textOf, type ToolHarness } from '../../support/mcp-harness.js';

/** Ann coaches three athletes here: Ben, Cleo and Dan. */
const [ann, ben] = defaultAthletes();
const athletes = [
  { ...ann!, coachOf: ['i2002', 'i3003', 'i4004'] },
  ben!,
  { id: 'i3003', name: 'Cleo Example', apiKey: 'cleo-key-5a5a5a5a5a5a', oauthToken: 'cleo-oauth-1', oauthScopes: [], coachOf: [] },
  { id: 'i4004', name: 'Dan Example', apiKey: 'dan-key-6b6b6b6b6b6b', oauthToken: 'dan-oauth-1', oauthScopes: [], coachOf: [] },
];

let fake: FakeIntervals;
let h: ToolHarness;
beforeAll(async () => {
  fake = await startFakeIntervals(athletes);
  h = await connectTools({ fake });
});
afterAll(async () => {
  await h.close();
  await fake.close();
});

const london = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const mondayOf = (d: string) => addDays(d, -((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7));

interface Row {
  id: string;
  name: string | null;
  tsb: number | null;
  planned_this_week: number;
  done_this_week: number;
  missed: { date: string | null }[];
  flags: string[];
  error: string | null;
  last_activity: unknown;
}

describe('get_coach_roster', () => {
  it('reads every coached athlete (three calls each, in parallel), flags who needs attention and sorts them first', async () => {
    const today = london();
    // Ben: resting HR up 8 bpm, 5 h sleep and soreness 4 today; a workout earlier this week not done.
    for (const [n, rhr] of [
      [3, 50],
      [2, 50],
      [1, 50],
    ] as const)
      await h.structured('update_wellness', { athlete_id: 'i2002', date: addDays(today, -n), resting_hr_bpm: rhr });
    await h.structured('update_wellness', { athlete_id: 'i2002', date: today, resting_hr_bpm: 58, sleep_s: 5 * 3600, soreness: 4 });
    const monday = mondayOf(today);
    const missable = monday < today;
    if (missable)
      await h.structured('create_event', { athlete_id: 'i2002', date: monday, name: 'Threshold', type: 'Ride', description: '- 1h 80%' });
    // Cleo's wellness answers 403: her row says so, the others are unaffected.
    fake.inject({ method: 'GET', path: '/athlete/i3003/wellness' }, { status: 403, body: { status: 403, error: 'Access denied' } });
    fake.requests.length = 0;

    const r = await h.call('get_coach_roster', {});
    const out = r.structuredContent as { count: number; athletes: Row[] };
    expect(out.count).toBe(3);
    // One list call, then per athlete: wellness, activities, this week's workouts.
    expect(fake.requestsTo('GET', '/athletes')).toHaveLength(1);
    for (const id of ['i2002', 'i3003', 'i4004']) {
      expect(fake.requestsTo('GET', `/athlete/${id}/wellness`)[0]?.query).toEqual({
        oldest: addDays(today, -7),
        newest: today,
        fields: 'ctl,atl,restingHR,hrv,hrvSDNN,sleepSecs,soreness,fatigue,stress,injury',
      });
      expect(fake.requestsTo('GET', `/athlete/${id}/activities`)[0]?.query).toEqual({
        oldest: addDays(today, -13),
        newest: today,
        fields: 'id,name,type,start_date_local,icu_training_load',
      });
      expect(fake.requestsTo('GET', `/athlete/${id}/events`)[0]?.query).toEqual({ oldest: monday, newest: today, category: 'WORKOUT' });
    }
    expect(fake.requests.some((q) => q.path.startsWith('/athlete/i1001/'))).toBe(false);
    expect(fake.requests.every((q) => q.method === 'GET')).toBe(true);

    const [first, second, third] = out.athletes;
    expect(first).toMatchObject({ id: 'i3003', error: expect.stringContaining('forbidden') });
    expect(second!.id).toBe('i2002');
    expect(second!.flags).toEqual(expect.arrayContaining(["resting HR 58 bpm, 8 above the week's average", 'slept 5.0 h', 'soreness 4/4']));
    if (missable) {
      expect(second).toMatchObject({ planned_this_week: 1, done_this_week: 0, missed: [{ date: monday }] });
      expect(second!.flags).toContain('1 missed this week');
    }
    expect(third).toMatchObject({ id: 'i4004', error: null, missed: [] });
    expect(third!.flags).toEqual(['no activity in 14 days']);
    const text = textOf(r);
    expect(text).toContain('Roster: 3 athlete(s), most in need of attention first.');
    expect(text).toContain('soreness 4/4');
    expect(text).toContain('could not read: forbidden');
  });

  it('limit and include_self', async () => {
    const out = await h.structured<{ count: number; truncated: boolean; athletes: Row[] }>('get_coach_roster', {
      limit: 2,
      include_self: true,
    });
    expect(out).toMatchObject({ count: 2, truncated: true });
    const all = await h.structured<{ athletes: Row[] }>('get_coach_roster', { include_self: true, limit: 10 });
    expect(all.athletes.map((a) => a.id).sort()).toEqual(['i1001', 'i2002', 'i3003', 'i4004']);
  });

  it('refuses a bad limit without calling Intervals.icu', async () => {
    fake.requests.length = 0;
    const r = await h.call('get_coach_roster', { limit: 0 });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('limit');
    expect(fake.requests).toHaveLength(0);
  });
});
