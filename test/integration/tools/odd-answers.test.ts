import { describe, expect, it } from '@jest/globals';
import { RUN_ID } from '../../fakes/intervals/routes/activity-data.js';
import { connectTools, textOf, toolSuite } from '../../support/mcp-tools.js';

const s = toolSuite();

/** Each read tool, the upstream path it lists from, and its arguments. */
const TOOLS: [string, RegExp, Record<string, unknown>][] = [
  ['get_activities', /\/activities$/, { oldest: '2026-09-01', newest: '2026-09-30' }],
  ['search_activities', /\/activities\/search$/, { query: 'run' }],
  ['search_intervals', /interval-search$/, { min_secs: 60, max_secs: 120, min_intensity: 90, max_intensity: 110 }],
  ['get_activity_intervals', /\/intervals$/, { activity_id: RUN_ID }],
  ['get_activity_streams', /\/streams\.json$/, { activity_id: RUN_ID }],
  ['get_activity_best_efforts', /\/best-efforts$/, { activity_id: RUN_ID, durations_s: [60] }],
  ['get_activity_histogram', /-histogram$/, { activity_id: RUN_ID, kind: 'hr' }],
  ['get_activity_messages', /\/messages$/, { activity_id: RUN_ID }],
  ['get_wellness', /\/wellness$/, { oldest: '2026-09-10', newest: '2026-09-12' }],
  ['get_power_curves', /power-curves\.json$/, {}],
  ['list_athletes', /^\/athletes$/, {}],
  ['get_events', /\/events$/, { oldest: '2026-05-01', newest: '2026-05-07' }],
  ['get_event', /\/events\/123780516$/, { event_id: 123780516 }],
  ['get_workout_library', /\/folders$/, {}],
  ['get_gear', /\/gear$/, {}],
  ['get_sport_settings', /\/sport-settings$/, {}],
];
// Explicit null, an object where a list belongs, and a list of junk: shapes other Intervals.icu clients met in live answers.
const BODIES = ['null', '{}', '[1,"x",null,[2]]'];

describe('read tools survive odd but successful upstream answers', () => {
  it.each(TOOLS.flatMap(([tool, path, args]) => BODIES.map((body) => [tool, body, path, args] as const)))(
    '%s with body %s',
    async (tool, body, path, args) => {
      // A fresh harness per case: its own read cache, so the odd answer is really fetched.
      const h = await connectTools({ fake: s.fake });
      try {
        s.fake.inject({ path }, { status: 200, body }, 1);
        const r = await h.call(tool, args);
        expect(r.isError).toBeFalsy();
        expect(textOf(r).length).toBeGreaterThan(0);
        expect(s.fake.requests.some((q) => path.test(q.path))).toBe(true);
      } finally {
        await h.close();
      }
    },
  );
});
