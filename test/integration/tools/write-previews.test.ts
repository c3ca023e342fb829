import { describe, expect, it } from '@jest/globals';
import { textOf } from '../../support/mcp-harness.js';
import { useToolSuite } from '../../support/tool-suite.js';

/** Item 10: every bulk calendar write can answer with exactly what it would write, writing nothing. */
const suite = useToolSuite();
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const writes = () => suite.fake.requests.filter((r) => r.method !== 'GET');

interface Preview {
  count: number;
  preview: { action: string; date: string | null; name: string | null; event_id: number | null }[] | null;
}

describe('dry_run previews of bulk writes', () => {
  it('bulk_create_events: which items create and which update (matched on external_id), nothing posted', async () => {
    const tools = await suite.connect();
    await tools.structured('bulk_create_events', {
      events: [{ date: inDays(40), name: 'Old', type: 'Ride', description: '- 1h Z2', external_id: 'pv-1' }],
    });
    const existing = suite.fake.requests.length;
    suite.fake.requests.length = 0;
    const events = [
      { date: inDays(41), name: 'Moved', type: 'Ride', description: '- 1h Z2', external_id: 'pv-1' },
      { date: inDays(42), name: 'New', type: 'Ride', description: '- 45m Z2', external_id: 'pv-2' },
    ];
    const r = await tools.call('bulk_create_events', { events, dry_run: true });
    const out = r.structuredContent as unknown as Preview;
    expect(existing).toBeGreaterThan(0);
    expect(writes()).toHaveLength(0);
    expect(suite.fake.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/athlete/i1001/events',
        query: { oldest: addDays(inDays(41), -28), newest: addDays(inDays(42), 28) },
      }),
    ]);
    expect(out.count).toBe(0);
    expect(out.preview).toEqual([
      { action: 'update', date: inDays(41), name: 'Moved', event_id: expect.any(Number) },
      { action: 'create', date: inDays(42), name: 'New', event_id: null },
    ]);
    expect(textOf(r)).toContain('Dry run, nothing written: would create 1 and update 1 event(s).');
    // Without dry_run the same items write, and the answer has no preview.
    const done = await tools.structured<Preview>('bulk_create_events', { events });
    expect(done).toMatchObject({ count: 2, preview: null });
  });

  it('bulk_create_events: a dry run still refuses workout text with errors', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('bulk_create_events', {
      events: [{ date: inDays(43), name: 'x', type: 'Ride', description: '- Z4 5m', external_id: 'pv-3' }],
      dry_run: true,
    });
    expect(textOf(r)).toContain('"- 5m Z4"');
    expect(suite.fake.requests).toHaveLength(0);
  });

  it("duplicate_events: the copies' dates and names, nothing posted", async () => {
    const tools = await suite.connect();
    const made = await tools.structured<{ event: { id: number } }>('create_event', {
      date: inDays(14),
      name: 'Tempo',
      type: 'Run',
      description: '- 30m Z3 Pace',
    });
    suite.fake.requests.length = 0;
    const out = await tools.structured<Preview>('duplicate_events', {
      event_ids: [made.event.id],
      copies: 3,
      weeks_between: 2,
      dry_run: true,
    });
    expect(suite.fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual([`GET /athlete/i1001/events/${made.event.id}`]);
    expect(out.preview).toEqual([28, 42, 56].map((d) => ({ action: 'create', date: inDays(d), name: 'Tempo', event_id: null })));
  });

  it('apply_training_plan: every workout on its date, and a warning when the plan is already applied there', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const first = await tools.structured<Preview & { last_date: string }>('apply_training_plan', {
      folder_id: 502,
      start_date: '2027-06-07',
      dry_run: true,
    });
    expect(writes()).toHaveLength(0);
    expect(first.preview!.map((p) => p.date)).toEqual(['2027-06-07', '2027-06-09', '2027-06-15']);
    expect(first.last_date).toBe('2027-06-15');
    await tools.structured('apply_training_plan', { folder_id: 502, start_date: '2027-06-07' });
    const again = await tools.call('apply_training_plan', { folder_id: 502, start_date: '2027-06-07', dry_run: true });
    expect(textOf(again)).toContain('3 event(s) from this plan are already in 2027-06-07..2027-06-15: applying again duplicates them.');
  });
});
