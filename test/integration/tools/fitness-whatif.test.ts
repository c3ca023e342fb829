import { describe, expect, it } from '@jest/globals';
import { calendar, createEvent } from '../../fakes/intervals/routes/events.js';
import { textOf } from '../../support/mcp-harness.js';
import { expectRefusedUntouched, useToolSuite } from '../../support/tool-suite.js';

const suite = useToolSuite();
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const k = (days: number) => 1 - Math.exp(-1 / days);

interface Day {
  date: string;
  added_load: number;
  ctl: number;
  atl: number;
  tsb: number;
  plan_ctl: number;
  plan_tsb: number;
}
interface Out {
  today: string;
  time_constants: { ctl_days: number; atl_days: number; source: string };
  added_load: number;
  until: Day & { form_zone: string | null };
  days: Day[];
}

async function todayOf(): Promise<string> {
  const tools = await suite.connect();
  return (await tools.structured<{ today: string }>('get_fitness', {})).today;
}

describe('project_fitness', () => {
  it("adds the sessions' effect to Intervals.icu's own projection, with the default 42/7 days", async () => {
    const today = await todayOf();
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const until = addDays(today, 10);
    const r = await tools.call('project_fitness', { sessions: [{ date: addDays(today, 3), load: 100 }], until });
    const out = r.structuredContent as unknown as Out;
    expect(suite.fake.requests.map((q) => `${q.method} ${q.path}`).sort()).toEqual([
      'GET /athlete/i1001',
      'GET /athlete/i1001/fitness-model-events',
      'GET /athlete/i1001/wellness',
    ]);
    expect(suite.fake.requestsTo('GET', '/athlete/i1001/wellness')[0]?.query).toEqual({
      oldest: addDays(today, -120),
      newest: until,
      fields: 'ctl,atl',
    });
    expect(out.time_constants).toEqual({ ctl_days: 42, atl_days: 7, source: 'Intervals.icu defaults' });
    expect(out.days).toHaveLength(11);
    // The plan columns are Intervals.icu's own projection for those days.
    const plan = await tools.structured<{ days: { date: string; ctl: number; tsb: number }[] }>('get_fitness', {
      oldest: until,
      newest: until,
    });
    expect(Math.abs(out.until.plan_ctl - plan.days[0]!.ctl)).toBeLessThan(0.1);
    expect(Math.abs(out.until.plan_tsb - plan.days[0]!.tsb)).toBeLessThan(0.1);
    // A 100-load day 7 days before `until`: +100·k·(1−k)^7 on fitness, likewise on fatigue.
    expect(Math.abs(out.until.ctl - out.until.plan_ctl - 100 * k(42) * (1 - k(42)) ** 7)).toBeLessThan(0.1);
    expect(Math.abs(out.until.atl - (out.until.plan_ctl - out.until.plan_tsb) - 100 * k(7) * (1 - k(7)) ** 7)).toBeLessThan(0.1);
    expect(out.days[3]).toMatchObject({ date: addDays(today, 3), added_load: 100 });
    expect(out.added_load).toBe(100);
    expect(textOf(r)).toContain(`On ${until}: form ${out.until.tsb.toFixed(1)}`);
    expect(textOf(r)).toContain('Model: CTL 42 d, ATL 7 d (Intervals.icu defaults)');
    expect(suite.fake.requests.every((q) => q.method === 'GET')).toBe(true);
  });

  it("uses the athlete's own time constants from a FITNESS_DAYS event", async () => {
    const today = await todayOf();
    const fake = suite.fake;
    createEvent(calendar(fake, fake.athlete('i1001')), fake.athlete('i1001'), {
      category: 'FITNESS_DAYS',
      start_date_local: '2026-01-01T00:00:00',
      name: 'Fitness days',
      ctl_days: 28,
      atl_days: 5,
    });
    const tools = await suite.connect();
    const out = await tools.structured<Out>('project_fitness', { sessions: [{ date: today, load: 80 }], until: today });
    expect(out.time_constants).toMatchObject({
      ctl_days: 28,
      atl_days: 5,
      source: expect.stringMatching(/^FITNESS_DAYS event #\d+ from 2026-01-01$/),
    });
    expect(Math.abs(out.until.ctl - out.until.plan_ctl - 80 * k(28))).toBeLessThan(0.1);
  });

  it('turns a weekly ramp into sessions (load spread over the first N days of each week)', async () => {
    const today = await todayOf();
    const tools = await suite.connect();
    const out = await tools.structured<Out>('project_fitness', {
      ramp: { start_date: addDays(today, 1), weeks: 3, weekly_load: 300, weekly_increase_pct: 10, days_per_week: 3 },
    });
    const loaded = out.days.filter((d) => d.added_load !== 0);
    expect(loaded.map((d) => d.added_load)).toEqual([100, 100, 100, 110, 110, 110, 121, 121, 121]);
    expect(loaded[3]!.date).toBe(addDays(today, 8));
    expect(out.added_load).toBe(993);
    expect(out.days.at(-1)!.date).toBe(addDays(today, 1 + 14 + 2 + 7));
  });

  it.each([
    [{}, 'Give sessions'],
    [{ sessions: [{ date: '2030-01-01', load: 0 }] }, 'load must not be 0'],
    [{ sessions: [{ date: '2030-01-10', load: 50 }], until: '2030-01-05' }, 'is before the last session'],
    [{ ramp: { start_date: '2030-01-01', weeks: 40, weekly_load: 300 } }, 'weeks'],
  ])('refuses %j without calling Intervals.icu', async (args, message) => {
    await expectRefusedUntouched(suite, 'project_fitness', args, message);
  });

  it("refuses sessions in the past (after reading only the athlete's today)", async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('project_fitness', { sessions: [{ date: '2020-01-01', load: 50 }] });
    expect(textOf(r)).toContain('past fitness is measured, not projected');
    expect(suite.fake.requests.map((q) => q.path)).toEqual(['/athlete/i1001']);
  });
});
