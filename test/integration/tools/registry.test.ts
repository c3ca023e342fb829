import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { READ_SCOPE, WRITE_SCOPE } from '../../../src/mcp/context.js';
import { TOOL_SCOPES } from '../../../src/mcp/server.js';
import { startFakeIntervals, type FakeIntervals } from '../../fakes/intervals/index.js';
import { RIDE_ID, RUN_ID } from '../../fakes/intervals/routes/activity-data.js';
import { connectTools, textOf, type ToolHarness } from '../../support/mcp-tools.js';

let fake: FakeIntervals;
let h: ToolHarness;

beforeAll(async () => {
  fake = await startFakeIntervals();
  h = await connectTools({ fake });
});
afterAll(async () => {
  await h.close();
  await fake.close();
});

describe('tool registry', () => {
  it('lists every tool with title, description, annotations, input and output schema', async () => {
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_SCOPES.keys()].sort());
    for (const t of tools) {
      expect(t.title).toEqual(expect.any(String));
      expect(t.description!.length).toBeGreaterThan(60);
      // check_workout reads text it is given and calls nothing: the one closed-world tool.
      const openWorldHint = t.name !== 'check_workout';
      expect(t.annotations).toMatchObject({
        readOnlyHint: expect.any(Boolean),
        destructiveHint: expect.any(Boolean),
        idempotentHint: expect.any(Boolean),
        openWorldHint,
      });
      expect(t.inputSchema.properties).toHaveProperty('format');
      expect(t.outputSchema?.type).toBe('object');
    }
  });

  it('marks read-only tools with the read scope and writes with the write scope', () => {
    for (const [, scope] of TOOL_SCOPES) expect([READ_SCOPE, WRITE_SCOPE]).toContain(scope);
    expect(TOOL_SCOPES.get('get_athlete')).toBe(READ_SCOPE);
  });

  it('answers tools/list the same every time', async () => {
    const a = await h.client.request({ method: 'tools/list', params: {} });
    const b = await h.client.request({ method: 'tools/list', params: {} });
    expect(b).toEqual(a);
  });

  it('leaves invalid arguments to the SDK, so the error keeps its wording', async () => {
    const invalid = await h.call('get_activities', { oldest: 'last week' });
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toMatch(/Input validation error: Invalid arguments for tool get_activities: .*use YYYY-MM-DD/s);
  });
});

/** One call of every tool that succeeds on the stand-in, writes included, in an order that keeps ids valid. */
const EVERY_TOOL: Array<[string, Record<string, unknown>]> = [
  ['get_athlete', {}],
  ['get_fitness', { oldest: '2026-09-01', newest: '2026-09-30' }],
  ['get_training_summary', { days: 14 }],
  ['list_athletes', {}],
  ['get_activities', { oldest: '2026-09-01', newest: '2026-09-30' }],
  ['get_activities', { oldest: '2026-09-01', newest: '2026-09-30', format: 'json' }],
  ['get_activities', { oldest: '2026-09-01', newest: '2026-09-30', not_an_argument: 1 }],
  ['get_activity', { activity_id: RIDE_ID }],
  ['get_activity', { activity_id: 'i999999999' }],
  ['search_activities', { query: 'sweet', limit: 5 }],
  ['update_activity', { activity_id: RUN_ID, name: 'Renamed run' }],
  ['get_activity_intervals', { activity_id: RUN_ID }],
  ['get_activity_streams', { activity_id: RIDE_ID, types: ['watts', 'heartrate'], max_points: 100 }],
  ['get_activity_best_efforts', { activity_id: RIDE_ID, metric: 'power', durations_s: [60, 1200] }],
  ['get_activity_histogram', { activity_id: RUN_ID, kind: 'pace', bucket_size: 5 }],
  ['search_intervals', { min_secs: 600, max_secs: 800, min_intensity: 85, max_intensity: 100, type: 'POWER' }],
  ['get_activity_messages', { activity_id: RUN_ID, limit: 10 }],
  ['add_activity_message', { activity_id: RUN_ID, content: 'Well paced.' }],
  ['get_power_curves', {}],
  ['get_hr_curves', {}],
  ['get_pace_curves', {}],
  ['get_wellness', { oldest: '2026-09-01', newest: '2026-09-07' }],
  ['update_wellness', { date: '2026-09-12', weight_kg: 69.4, comments: 'Legs heavy' }],
  ['get_events', { oldest: '2026-05-01', newest: '2026-07-31' }],
  ['get_event', { event_id: 123780516 }],
  ['create_event', { date: '2027-01-10', name: 'Threshold', type: 'Ride', description: '- 10m 60%\n\n3x\n- 8m 95%\n- 4m 55%', load: 80 }],
  ['update_event', { event_id: 123780516, time: '18:15' }],
  ['bulk_create_events', { events: [{ date: '2027-01-11', name: 'Easy', type: 'Run', external_id: 'same-answer-1' }] }],
  ['duplicate_events', { event_ids: [123780516], copies: 1, weeks_between: 1 }],
  ['delete_event', { event_id: 123780516, confirm: true }],
  ['delete_events', { oldest: '2027-01-01', newest: '2027-01-31', dry_run: true }],
  ['get_workout_library', { folder_id: 502, limit: 2 }],
  ['create_workout', { folder_id: 501, name: 'Sprints', type: 'Ride', description: '- 15m 60%\n\n6x\n- 20s 150%\n- 4m 50%' }],
  ['apply_training_plan', { folder_id: 502, start_date: '2027-03-01' }],
  ['get_gear', {}],
  ['update_gear', { gear_id: '71460', retired: true }],
  ['get_sport_settings', { sport: 'Run' }],
  ['update_sport_settings', { sport: 'Run', lthr_bpm: 175 }],
  ['check_workout', { text: '- 10m 60%\n\n4x\n- 4m 105%\n- 3m 55%', type: 'Ride' }],
  ['manage_library', { action: 'update_folder', folder_id: 501, name: 'Bike intervals' }],
  ['project_fitness', { sessions: [{ date: '2027-02-01', load: 100 }], until: '2027-02-10' }],
  ['compare_training', { activity_id: RIDE_ID }],
  [
    'write_activity',
    {
      action: 'create_manual',
      date: '2026-11-30',
      time: '07:30',
      type: 'Swim',
      name: 'Pool',
      moving_time_s: 2700,
      distance_m: 2500,
      load: 40,
      rpe: 5,
    },
  ],
  ['get_training_plan', {}],
  ['predict_race', { distance_m: 5000 }],
  ['get_coach_roster', {}],
];

// POST /mcp answers well-formed 2025-era calls of our tools on its fast lane
// (src/resource/mcp-dispatch.ts); a client must not be able to tell which path answered. Each side
// runs the same sequence against its own stand-in, so writes see the same state on both.
describe.each(['legacy', 'modern'] as const)('the fast lane against the SDK alone (%s era client)', (era) => {
  const sides: Array<{ fake?: FakeIntervals; h?: ToolHarness }> = [{}, {}];
  beforeAll(async () => {
    for (const [i, side] of sides.entries()) {
      side.fake = await startFakeIntervals();
      side.h = await connectTools({ fake: side.fake, fastLane: i === 0, era });
    }
  });
  afterAll(async () => {
    for (const side of sides) {
      await side.h?.close();
      await side.fake?.close();
    }
  });

  it('covers every tool in the registry', () => {
    expect(new Set(EVERY_TOOL.map(([name]) => name))).toEqual(new Set(TOOL_SCOPES.keys()));
  });

  it.each(EVERY_TOOL)('%s %j answers the same, with the same upstream calls', async (name, args) => {
    const [fast, sdk] = sides.map((s) => s.fake!);
    const before = fast!.requests.length;
    expect(sdk!.requests.length).toBe(before);
    const viaFastLane = await sides[0]!.h!.call(name, args);
    const viaSdk = await sides[1]!.h!.call(name, args);
    expect(viaFastLane).toEqual(viaSdk);
    const upstream = (f: FakeIntervals) =>
      f.requests.slice(before).map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body }));
    expect(upstream(fast!)).toEqual(upstream(sdk!));
  });

  it('sent every write upstream on both sides (so the comparison covered them)', () => {
    const writes = (f: FakeIntervals) => f.requests.filter((r) => r.method !== 'GET').length;
    const writeTools = EVERY_TOOL.filter(([name, args]) => TOOL_SCOPES.get(name) === WRITE_SCOPE && args.dry_run === undefined).length;
    expect(writes(sides[0]!.fake!)).toBeGreaterThanOrEqual(writeTools);
    expect(writes(sides[1]!.fake!)).toBe(writes(sides[0]!.fake!));
  });
});
