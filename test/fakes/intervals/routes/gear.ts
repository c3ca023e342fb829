import { notFound, unprocessable, type FakeAthlete, type FakeIntervals } from '../server.js';
import { sample } from '../samples.js';

/**
 * Gear and maintenance reminders. Seeded from gear.json (two shoes, explicit nulls, `reminders: []`)
 * plus one SYNTHETIC bike carrying a reminder in the spec's GearReminder shape, so reminder
 * updates have something to act on.
 */
type Raw = Record<string, unknown>;

interface GearState {
  items: Raw[];
  nextReminderId: number;
}

function gearOf(fake: FakeIntervals, a: FakeAthlete): GearState {
  return fake.state(a.id, 'gear', () => ({
    items: [
      ...sample<Raw[]>('gear'),
      {
        id: 'b9001',
        athlete_id: a.id,
        type: 'Bike',
        name: 'Road bike',
        purchased: '2024-03-01T00:00:00',
        notes: null,
        distance: 8_123_400,
        time: 1_080_000,
        activities: 310,
        use_elapsed_time: false,
        retired: null,
        component_ids: null,
        activity_filters: null,
        component: false,
        reminders: [
          {
            id: 41,
            gear_id: 'b9001',
            name: 'Chain',
            distance: 3_000_000,
            time: null,
            activities: null,
            days: null,
            last_reset: '2026-06-01T00:00:00',
            snoozed_until: null,
            percent_used: 85.2,
            distance_used: 2_556_000,
          },
        ],
      },
    ],
    nextReminderId: 100,
  }));
}

export function registerGearRoutes(fake: FakeIntervals): void {
  fake.route('GET', '/athlete/:id/gear', 'SETTINGS', ({ athlete }) => gearOf(fake, athlete!).items);

  const find = (a: FakeAthlete, gearId: string) => gearOf(fake, a).items.find((g) => g.id === gearId);
  const missing = (a: FakeAthlete, gearId: string) => notFound(`/athlete/${a.id}/gear/${gearId}`);

  fake.route('PUT', '/athlete/:id/gear/:gearId', 'SETTINGS', ({ athlete, params, body }) => {
    const g = find(athlete!, params.gearId!);
    if (!g) return missing(athlete!, params.gearId!);
    return Object.assign(g, body as Raw, { id: g.id });
  });

  fake.route('POST', '/athlete/:id/gear/:gearId/reminder', 'SETTINGS', ({ athlete, params, body }) => {
    const state = gearOf(fake, athlete!);
    const g = find(athlete!, params.gearId!);
    if (!g) return missing(athlete!, params.gearId!);
    const r = {
      ...(body as Raw),
      id: state.nextReminderId++,
      gear_id: g.id,
      percent_used: 0,
      last_reset: new Date().toISOString().slice(0, 19),
      snoozed_until: null,
    };
    g.reminders = [...(Array.isArray(g.reminders) ? g.reminders : []), r];
    return g;
  });

  fake.route('PUT', '/athlete/:id/gear/:gearId/reminder/:reminderId', 'SETTINGS', ({ athlete, params, body, query }) => {
    const g = find(athlete!, params.gearId!);
    if (!g) return missing(athlete!, params.gearId!);
    // The spec marks both query parameters required; the real server answers 400 without them.
    if (query.reset === undefined || query.snoozeDays === undefined)
      return unprocessable("Required request parameter 'reset' or 'snoozeDays' is not present");
    const r = (Array.isArray(g.reminders) ? (g.reminders as Raw[]) : []).find((x) => String(x.id) === params.reminderId);
    if (!r) return notFound(`/athlete/${athlete!.id}/gear/${params.gearId}/reminder/${params.reminderId}`);
    Object.assign(r, body as Raw, { id: r.id });
    if (query.reset === 'true') Object.assign(r, { percent_used: 0, distance_used: 0, last_reset: new Date().toISOString().slice(0, 19) });
    const snooze = Number(query.snoozeDays);
    if (snooze > 0) r.snoozed_until = new Date(Date.now() + snooze * 86_400_000).toISOString().slice(0, 10);
    return g;
  });
}
