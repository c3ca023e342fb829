import { describe, expect, it } from '@jest/globals';
import { textOf } from '../../support/mcp-harness.js';
import { useToolSuite } from '../../support/tool-suite.js';

const suite = useToolSuite();
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface Out {
  plan: {
    id: number;
    name: string | null;
    start_date: string | null;
    weeks: number | null;
    workouts: number;
    last_applied: string | null;
  } | null;
  season: { date: string | null; category: string; name: string | null }[];
}

describe('get_training_plan', () => {
  it("reads the current plan and the season's races and targets for the next 12 months", async () => {
    const tools = await suite.connect();
    const today = (await tools.structured<{ today: string }>('get_fitness', {})).today;
    await tools.structured('create_event', { category: 'RACE_A', date: addDays(today, 60), name: 'Spring marathon', type: 'Run' });
    await tools.structured('create_event', { category: 'NOTE', date: addDays(today, 30), name: 'Not part of the season', type: null });
    suite.fake.requests.length = 0;
    const r = await tools.call('get_training_plan', {});
    const out = r.structuredContent as unknown as Out;
    expect(suite.fake.requestsTo('GET', '/athlete/i1001/training-plan')).toHaveLength(1);
    expect(suite.fake.requestsTo('GET', '/athlete/i1001/events')[0]?.query).toEqual({
      oldest: today,
      newest: addDays(today, 365),
      category: 'RACE_A,RACE_B,RACE_C,TARGET,SEASON_START',
    });
    expect(out.plan).toEqual({
      id: 502,
      name: 'Two-week base block',
      start_date: '2026-05-04',
      weeks: 2,
      workouts: 3,
      last_applied: '2026-05-01T09:00:00.000+00:00',
    });
    expect(out.season).toEqual([expect.objectContaining({ date: addDays(today, 60), category: 'RACE_A', name: 'Spring marathon' })]);
    expect(textOf(r)).toContain('Plan #502 "Two-week base block": from 2026-05-04, 2 weeks, 3 workout(s)');
  });

  it('says so when the athlete follows no plan (a coach reading Ben)', async () => {
    const tools = await suite.connect();
    const r = await tools.call('get_training_plan', { athlete_id: 'i2002' });
    expect((r.structuredContent as unknown as Out).plan).toBeNull();
    expect(textOf(r)).toContain('No training plan is set');
  });

  it('refuses a malformed athlete id without calling Intervals.icu', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('get_training_plan', { athlete_id: 'ann' });
    expect(r.isError).toBe(true);
    expect(suite.fake.requests).toHaveLength(0);
  });
});
