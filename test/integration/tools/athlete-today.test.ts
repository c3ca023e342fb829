import { describe, expect, it } from '@jest/globals';
import { todayIn } from '../../../src/mcp/calendar/local-dates.js';
import { textOf } from '../../support/mcp-tools.js';
import { useToolSuite } from '../../support/tool-suite.js';

/**
 * Every tool that needs the athlete's "today" (get_events, get_fitness, get_training_summary,
 * delete_event's future-only rule) reads it one way: from the profile's time zone, the latest date
 * on Earth when the profile names none, and the profile request's own error when it fails.
 */
const suite = useToolSuite();

describe("the athlete's today, one way for every tool", () => {
  it.each([
    ['get_events', {}, '/athlete/i1001/events'],
    ['get_fitness', {}, '/athlete/i1001/wellness'],
  ])('%s: a failed profile request is the tool error, and nothing else is asked', async (tool, args, dataPath) => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    // GETs are retried: fail every attempt.
    suite.fake.inject({ method: 'GET', path: '/athlete/i1001' }, { status: 503 }, 3);
    const r = await tools.call(tool, args);
    suite.fake.clearFaults();
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('Intervals.icu answered 503 to GET /athlete/{id}');
    expect(suite.fake.requests.filter((q) => q.path === dataPath)).toHaveLength(0);
  });

  it.each(['get_events', 'get_fitness'])('%s: a profile without a time zone gives the latest date on Earth (UTC+14)', async (tool) => {
    const tools = await suite.connect();
    suite.fake.inject(
      { method: 'GET', path: '/athlete/i1001' },
      { status: 200, body: { id: 'i1001', name: 'Ann Example', timezone: null } },
    );
    const out = await tools.structured<{ oldest: string; today?: string }>(tool, {});
    const latest = new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);
    expect(latest).toBe(todayIn(null));
    if (tool === 'get_events') expect(out.oldest).toBe(latest);
    else expect(out.today).toBe(latest);
  });
});

describe('get_training_summary starts its reads with the remembered time zone', () => {
  const activityCalls = (fake: typeof suite.fake) => fake.requestsTo('GET', '/athlete/i1001/activities').map((q) => q.query.newest);

  it('with the zone remembered, the data is asked without waiting for the profile, whose failure is still the error', async () => {
    await (await suite.connect()).structured('get_training_summary', { days: 14 }); // remembers Europe/London
    const tools = await suite.connect(); // a fresh read cache: the profile is asked again
    suite.fake.requests.length = 0;
    suite.fake.inject({ method: 'GET', path: '/athlete/i1001' }, { status: 503 }, 3);
    const r = await tools.call('get_training_summary', { days: 14 });
    suite.fake.clearFaults();
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('Intervals.icu answered 503 to GET /athlete/{id}');
    // Started alongside the profile, not after it: a sequential tool would have asked nothing else.
    expect(activityCalls(suite.fake)).toEqual([todayIn('Europe/London')]);
  });

  it("when the zone changed, the reads run again for the profile's today", async () => {
    suite.fake.inject(
      { method: 'GET', path: '/athlete/i1001' },
      { status: 200, body: { id: 'i1001', name: 'Ann Example', timezone: 'Etc/GMT-14' } },
    );
    await (await suite.connect()).structured('get_training_summary', { days: 14 }); // remembers UTC+14
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    // 26 hours apart: the two todays always differ.
    suite.fake.inject(
      { method: 'GET', path: '/athlete/i1001' },
      { status: 200, body: { id: 'i1001', name: 'Ann Example', timezone: 'Etc/GMT+12' } },
    );
    const out = await tools.structured<{ today: string }>('get_training_summary', { days: 14 });
    expect(out.today).toBe(todayIn('Etc/GMT+12'));
    expect(activityCalls(suite.fake)).toEqual([todayIn('Etc/GMT-14'), todayIn('Etc/GMT+12')]);
  });
});
