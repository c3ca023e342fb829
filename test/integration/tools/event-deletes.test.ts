import { describe, expect, it } from '@jest/globals';
import { textOf, type ToolHarness } from '../../support/mcp-tools.js';
import { expectRefusedUntouched, useToolSuite } from '../../support/tool-suite.js';

/**
 * Deletes are future-only unless `confirm: true`; every answer lists what was deleted and what
 * was skipped and why. The seeded sample events are in 2026-05/07, i.e. in the past.
 */
const suite = useToolSuite();

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const PAST_ID = 107665964; // 2026-05-02 in events-list-trimmed.json

interface DeleteOut {
  today: string;
  dry_run: boolean;
  deleted: { id: number; date: string | null }[];
  skipped: { id: number; reason: string }[];
  hints: Record<string, string>;
  upstream_deleted_count: number | null;
}

async function future(tools: ToolHarness, name: string, days: number): Promise<number> {
  const out = await tools.structured<{ event: { id: number } }>('create_event', {
    date: inDays(days),
    name,
    type: 'Ride',
    description: '- 30m 60%',
  });
  return out.event.id;
}

describe('delete_event', () => {
  it('deletes a future event and says so', async () => {
    const tools = await suite.connect();
    const id = await future(tools, 'Doomed', 5);
    suite.fake.requests.length = 0;
    const out = await tools.structured<DeleteOut>('delete_event', { event_id: id });
    expect(suite.fake.requestsTo('DELETE', `/athlete/i1001/events/${id}`)).toHaveLength(1);
    expect(out.deleted).toEqual([expect.objectContaining({ id, date: inDays(5) })]);
    expect(out.skipped).toEqual([]);
    expect(out.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('skips a past event without confirm, and deletes it with confirm', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const refused = await tools.call('delete_event', { event_id: PAST_ID });
    expect((refused.structuredContent as unknown as DeleteOut).skipped).toEqual([
      expect.objectContaining({ id: PAST_ID, reason: 'not_future' }),
    ]);
    expect(textOf(refused)).toContain('confirm: true');
    expect((refused.structuredContent as unknown as DeleteOut).hints).toEqual({ not_future: expect.stringContaining('confirm: true') });
    expect(suite.fake.requestsTo('DELETE', `/athlete/i1001/events/${PAST_ID}`)).toHaveLength(0);

    const done = await tools.structured<DeleteOut>('delete_event', { event_id: PAST_ID, confirm: true });
    expect(done.deleted.map((d) => d.id)).toEqual([PAST_ID]);
    expect(suite.fake.requestsTo('DELETE', `/athlete/i1001/events/${PAST_ID}`)).toHaveLength(1);
  });

  it('reports an unknown id as skipped (not_found)', async () => {
    const tools = await suite.connect();
    const out = await tools.structured<DeleteOut>('delete_event', { event_id: 424242 });
    expect(out.deleted).toEqual([]);
    expect(out.skipped).toEqual([expect.objectContaining({ id: 424242, reason: 'not_found' })]);
  });

  it('dry_run deletes nothing', async () => {
    const tools = await suite.connect();
    const id = await future(tools, 'Kept', 6);
    suite.fake.requests.length = 0;
    const out = await tools.structured<DeleteOut>('delete_event', { event_id: id, dry_run: true });
    expect(out).toMatchObject({ dry_run: true, deleted: [], skipped: [expect.objectContaining({ id, reason: 'dry_run' })] });
    expect(suite.fake.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });
});

describe('delete_events', () => {
  it('over a range deletes only the future items, by id, and lists the skipped past ones', async () => {
    const tools = await suite.connect();
    const a = await future(tools, 'Range A', 3);
    const b = await future(tools, 'Range B', 4);
    suite.fake.requests.length = 0;
    const out = await tools.structured<DeleteOut>('delete_events', { oldest: '2026-05-03', newest: inDays(4), categories: ['WORKOUT'] });
    expect(suite.fake.requestsTo('GET', '/athlete/i1001/events')[0]?.query).toMatchObject({
      oldest: '2026-05-03',
      newest: inDays(4),
      category: 'WORKOUT',
    });
    // Never the range DELETE: it would take the past items too.
    expect(suite.fake.requestsTo('DELETE', '/athlete/i1001/events')).toHaveLength(0);
    expect(suite.fake.requestsTo('PUT', '/athlete/i1001/events/bulk-delete')[0]?.body).toEqual([{ id: a }, { id: b }]);
    expect(out.deleted.map((d) => d.id)).toEqual([a, b]);
    expect(out.upstream_deleted_count).toBe(2);
    expect(out.skipped.length).toBeGreaterThanOrEqual(3);
    expect(out.skipped.every((s) => s.reason === 'not_future')).toBe(true);
  });

  it('by ids, with confirm, deletes past ones too and reports missing ids', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<DeleteOut>('delete_events', { event_ids: [107665966, 107665967, 31337], confirm: true });
    expect(suite.fake.requestsTo('PUT', '/athlete/i1001/events/bulk-delete')[0]?.body).toEqual([{ id: 107665966 }, { id: 107665967 }]);
    expect(out.deleted.map((d) => d.id)).toEqual([107665966, 107665967]);
    expect(out.skipped).toEqual([expect.objectContaining({ id: 31337, reason: 'not_found' })]);
  });

  it('says so when Intervals.icu deleted fewer than asked', async () => {
    const tools = await suite.connect();
    const a = await future(tools, 'Race cond', 25);
    suite.fake.inject({ method: 'PUT', path: '/athlete/i1001/events/bulk-delete' }, { status: 200, body: { eventsDeleted: 0 } });
    const r = await tools.call('delete_events', { event_ids: [a] });
    expect((r.structuredContent as unknown as DeleteOut).upstream_deleted_count).toBe(0);
    expect(textOf(r)).toContain('Intervals.icu reports 0 deleted, not 1');
  });

  it.each([
    [{ event_ids: [1], oldest: '2026-05-01', newest: '2026-05-02' }, 'not both'],
    [{ oldest: '2026-05-01' }, 'both oldest and newest'],
    [{}, 'Pass event_ids'],
  ])('refuses %j', async (args, message) => {
    await expectRefusedUntouched(suite, 'delete_events', args, message);
  });
});

describe('bulk_create_events and duplicate_events', () => {
  it('upserts on external_id: a second run updates the same events', async () => {
    const tools = await suite.connect();
    const items = [
      { date: inDays(20), name: 'Endurance', type: 'Ride', description: '- 2h Z2', external_id: 'plan-w1-d1' },
      {
        category: 'NOTE',
        date: inDays(21),
        name: 'Build starts',
        type: null,
        description: 'Start of build phase',
        external_id: 'plan-w1-note',
      },
    ];
    suite.fake.requests.length = 0;
    const first = await tools.structured<{
      count: number;
      events: { id: number; external_id: string; workout: unknown }[];
      unparsed_workouts: number[];
    }>('bulk_create_events', { events: items });
    const [req] = suite.fake.requestsTo('POST', '/athlete/i1001/events/bulk');
    expect(req?.query).toEqual({ upsert: 'true' });
    expect(req?.body).toEqual([
      {
        category: 'WORKOUT',
        start_date_local: `${inDays(20)}T00:00:00`,
        name: 'Endurance',
        type: 'Ride',
        description: '- 2h Z2',
        external_id: 'plan-w1-d1',
      },
      {
        category: 'NOTE',
        start_date_local: `${inDays(21)}T00:00:00`,
        name: 'Build starts',
        description: 'Start of build phase',
        external_id: 'plan-w1-note',
      },
    ]);
    expect(first.count).toBe(2);
    expect(first.events[1]?.workout).toBeNull();
    expect(first.unparsed_workouts).toEqual([]);

    const second = await tools.structured<{ events: { id: number; name: string }[] }>('bulk_create_events', {
      events: [{ ...items[0], name: 'Endurance (longer)', description: '- 3h Z2' }],
    });
    expect(second.events[0]).toMatchObject({ id: first.events[0]?.id, name: 'Endurance (longer)' });
  });

  it('refuses the same external_id twice in one call', async () => {
    const tools = await suite.connect();
    const item = { date: inDays(22), name: 'x', type: 'Ride', external_id: 'same' };
    const r = await tools.call('bulk_create_events', { events: [item, item] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('appears twice');
  });

  it('duplicate_events sends numCopies/weeksBetween/eventIds and returns the copies', async () => {
    const tools = await suite.connect();
    const id = await future(tools, 'Weekly long ride', 2);
    suite.fake.requests.length = 0;
    const out = await tools.structured<{ count: number; events: { id: number; date: string }[] }>('duplicate_events', {
      event_ids: [id],
      copies: 2,
      weeks_between: 1,
    });
    expect(suite.fake.requestsTo('POST', '/athlete/i1001/duplicate-events')[0]?.body).toEqual({
      numCopies: 2,
      weeksBetween: 1,
      eventIds: [id],
    });
    expect(out.events.map((e) => e.date)).toEqual([inDays(9), inDays(16)]);
  });
});
