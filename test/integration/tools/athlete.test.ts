import { describe, expect, it } from '@jest/globals';
import { connectTools, textOf, toolSuite } from '../../support/mcp-tools.js';

const s = toolSuite();

describe('get_athlete', () => {
  it("reads GET /athlete/{id} with the caller's key and returns thresholds and zones", async () => {
    const out = await s.h.structured<{
      id: string;
      sport_settings: { types: string[]; ftp_w: number | null; threshold_pace_mps: number | null; hr_zones_bpm: number[] | null }[];
    }>('get_athlete');
    expect(s.fake.requests).toHaveLength(1);
    expect(s.fake.requests[0]).toMatchObject({ method: 'GET', path: '/athlete/i1001', query: {}, auth: 'basic', caller: 'i1001' });
    expect(s.fake.requests[0]!.userAgent).toMatch(/^intervals-mcp\//);
    expect(out.id).toBe('i1001');
    expect(out.sport_settings.map((s) => s.types[0])).toEqual(['Ride', 'Run', 'Swim', 'Other']);
    expect(out.sport_settings[0]).toMatchObject({ ftp_w: 200, hr_zones_bpm: [146, 154, 163, 171, 176, 181, 190] });
    expect(out.sport_settings[1]!.threshold_pace_mps).toBeCloseTo(3.5714, 3);
  });

  it('renders a compact text with units and fences the name as data', async () => {
    const text = textOf(await s.h.call('get_athlete'));
    expect(text).toContain('Athlete i1001 "Ann Example"');
    expect(text).toContain('FTP 200 W');
    expect(text).toContain('threshold pace 4:40 /km');
    expect(text).toContain('Z7≤∞');
    expect(text.length).toBeLessThan(2_000);
  });

  it("lists the athlete's custom items (charts and fields) with the code a field's values are stored under", async () => {
    const r = await s.h.call('get_athlete');
    expect((r.structuredContent as { custom_items: unknown[] }).custom_items).toEqual([
      { id: 901, type: 'INPUT_FIELD', name: 'Caffeine', code: 'Caffeine' },
      { id: 902, type: 'ACTIVITY_FIELD', name: 'Tyre pressure', code: 'TyrePsi' },
      { id: 903, type: 'FITNESS_CHART', name: 'Load vs HRV', code: null },
    ]);
    expect(textOf(r)).toContain(
      'Custom fields (code: name, type): Caffeine: "Caffeine" INPUT_FIELD; TyrePsi: "Tyre pressure" ACTIVITY_FIELD',
    );
  });

  it('acts on a coached athlete when athlete_id is given', async () => {
    const out = await s.h.structured<{ id: string }>('get_athlete', { athlete_id: 'i2002' });
    expect(s.fake.requests[0]).toMatchObject({ path: '/athlete/i2002', caller: 'i1001' });
    expect(out.id).toBe('i2002');
  });

  it('returns an isError result naming the next step when the athlete is not shared', async () => {
    const ben = await connectTools({ fake: s.fake, athlete: s.fake.athlete('i2002') });
    try {
      const r = await ben.call('get_athlete', { athlete_id: 'i1001' });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^Error \(forbidden\): Intervals.icu refused GET \/athlete\/\{id\}/);
      expect(textOf(r)).toContain('list_athletes');
      expect(textOf(r)).not.toContain(s.fake.athlete('i2002').apiKey);
    } finally {
      await ben.close();
    }
  });

  it('rejects a malformed athlete id before calling Intervals.icu', async () => {
    const r = await s.h.call('get_athlete', { athlete_id: '../admin' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('athlete id such as i123456');
    expect(s.fake.requests).toHaveLength(0);
  });

  it('returns the structured result as JSON text with format=json', async () => {
    const r = await s.h.call('get_athlete', { format: 'json' });
    expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);
  });
});
