import { describe, expect, it } from '@jest/globals';
import { textOf } from '../../support/mcp-tools.js';
import { expectRefusedUntouched, useToolSuite } from '../../support/tool-suite.js';

const suite = useToolSuite();

interface GearOut {
  id: string;
  name: string;
  distance_km: number | null;
  retired: string | null;
  reminders: { id: number; name: string; every_km: number | null; percent_used: number | null; snoozed_until: string | null }[];
}

describe('get_gear', () => {
  it('lists gear in km and hours with reminders, null-safe', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<{ count: number; gear: GearOut[] }>('get_gear');
    expect(suite.fake.requests[0]).toMatchObject({ method: 'GET', path: '/athlete/i1001/gear', query: {} });
    expect(out.gear[0]).toMatchObject({ id: '71459', distance_km: 62, retired: null, reminders: [] });
    expect(out.gear[2]?.reminders[0]).toMatchObject({ id: 41, name: 'Chain', every_km: 3000, percent_used: 85.2 });
  });
});

describe('update_gear', () => {
  it('retires and un-retires with an explicit null', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const retired = await tools.structured<{ gear: GearOut }>('update_gear', { gear_id: '71460', retired: true });
    expect(suite.fake.requestsTo('PUT', '/athlete/i1001/gear/71460')[0]?.body).toEqual({
      retired: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(retired.gear.retired).not.toBeNull();
    const hidden = await tools.structured<{ retired_hidden: number }>('get_gear');
    expect(hidden.retired_hidden).toBe(1);
    await tools.structured('update_gear', { gear_id: '71460', retired: false });
    expect(suite.fake.requestsTo('PUT', '/athlete/i1001/gear/71460')[1]?.body).toEqual({ retired: null });
  });

  it('creates a reminder in metres', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<{ gear: GearOut; changed: string[] }>('update_gear', {
      gear_id: '71459',
      reminder: { name: 'Replace shoes', every_km: 700 },
    });
    expect(suite.fake.requestsTo('POST', '/athlete/i1001/gear/71459/reminder')[0]?.body).toEqual({
      name: 'Replace shoes',
      distance: 700_000,
    });
    expect(out.gear.reminders).toEqual([expect.objectContaining({ name: 'Replace shoes', every_km: 700 })]);
    expect(out.changed).toEqual(['reminder created']);
  });

  it('resets and snoozes an existing reminder with both required query parameters', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<{ gear: GearOut }>('update_gear', {
      gear_id: 'b9001',
      reminder: { reminder_id: 41, reset: true, snooze_days: 0 },
    });
    expect(suite.fake.requestsTo('PUT', '/athlete/i1001/gear/b9001/reminder/41')[0]?.query).toEqual({ reset: 'true', snoozeDays: '0' });
    expect(out.gear.reminders[0]).toMatchObject({ id: 41, percent_used: 0 });
  });

  it.each([
    [{ gear_id: '71459' }, 'Nothing to change'],
    [{ gear_id: '71459', reminder: { name: 'x' } }, 'at least one of every_km'],
  ])('refuses %j', async (args, message) => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('update_gear', args);
    expect(textOf(r)).toContain(message);
    expect(suite.fake.requests.filter((q) => q.method !== 'GET')).toHaveLength(0);
  });
});

describe('sport settings', () => {
  it('get_sport_settings for one sport addresses it by type', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<{ settings: { id: number; threshold_pace_mps: number; pace_units: string }[] }>(
      'get_sport_settings',
      { sport: 'Run' },
    );
    expect(suite.fake.requests[0]).toMatchObject({ method: 'GET', path: '/athlete/i1001/sport-settings/Run' });
    expect(out.settings).toEqual([expect.objectContaining({ id: 900002, pace_units: 'MINS_KM' })]);
  });

  it('get_sport_settings lists every group', async () => {
    const tools = await suite.connect();
    const r = await tools.call('get_sport_settings');
    expect((r.structuredContent as { settings: unknown[] }).settings).toHaveLength(4);
    expect(textOf(r)).toContain('FTP 200 W');
  });

  it('update_sport_settings sends recalcHrZones, converts pace to m/s and applies with PUT', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<{ settings: { threshold_pace_mps: number; lthr_bpm: number }; changed: string[] }>(
      'update_sport_settings',
      {
        sport: 'Run',
        threshold_pace: '4:00/km',
        lthr_bpm: 175,
        apply_to_past_activities: true,
      },
    );
    const [put] = suite.fake.requestsTo('PUT', '/athlete/i1001/sport-settings/Run');
    expect(put?.query).toEqual({ recalcHrZones: 'false' });
    expect(put?.body).toEqual({ lthr: 175, threshold_pace: 4.166667 });
    expect(suite.fake.requestsTo('PUT', '/athlete/i1001/sport-settings/900002/apply')).toHaveLength(1);
    expect(out.settings).toMatchObject({ threshold_pace_mps: 4.166667, lthr_bpm: 175 });
    expect(out.changed).toEqual(['lthr', 'threshold_pace']);
  });

  it.each([
    [{ sport: 'Ride', threshold_pace: 'fast' }, 'is not a pace'],
    [{ sport: 'Ride', power_zones_pct_ftp: [55, 50, 90] }, 'ascending'],
    [{ sport: 'Ride' }, 'Nothing to change'],
  ])('refuses %j', async (args, message) => {
    await expectRefusedUntouched(suite, 'update_sport_settings', args, message);
  });
});
