import { notFound, unprocessable, type FakeIntervals } from '../server.js';
import { athleteProfile } from './athlete.js';

/**
 * Sport settings (sport-settings.json, via the athlete profile so get_athlete sees updates).
 * `{sid}` is a numeric settings id or an activity type (`Run`), as in the real API; PUT needs
 * `recalcHrZones`, `/apply` is PUT only (POST → 405, from the router).
 */
type Raw = Record<string, unknown>;

export function registerSettingsRoutes(fake: FakeIntervals): void {
  const settingsOf = (a: Parameters<typeof athleteProfile>[1]) => {
    const profile = athleteProfile(fake, a);
    if (!Array.isArray(profile.sportSettings)) profile.sportSettings = [];
    return profile.sportSettings as Raw[];
  };
  const find = (list: Raw[], sid: string) => list.find((s) => String(s.id) === sid || (Array.isArray(s.types) && s.types.includes(sid)));

  fake.route('GET', '/athlete/:id/sport-settings', 'SETTINGS', ({ athlete }) => settingsOf(athlete!));

  fake.route(
    'GET',
    '/athlete/:id/sport-settings/:sid',
    'SETTINGS',
    ({ athlete, params }) => find(settingsOf(athlete!), params.sid!) ?? notFound(`/athlete/${athlete!.id}/sport-settings/${params.sid}`),
  );

  fake.route('PUT', '/athlete/:id/sport-settings/:sid', 'SETTINGS', ({ athlete, params, body, query }) => {
    const s = find(settingsOf(athlete!), params.sid!);
    if (!s) return notFound(`/athlete/${athlete!.id}/sport-settings/${params.sid}`);
    if (query.recalcHrZones === undefined)
      return unprocessable("Required request parameter 'recalcHrZones' for method parameter type boolean is not present");
    return Object.assign(s, body as Raw, { id: s.id, types: s.types });
  });

  fake.route('PUT', '/athlete/:id/sport-settings/:sid/apply', 'SETTINGS', ({ athlete, params }) =>
    find(settingsOf(athlete!), params.sid!) ? {} : notFound(`/athlete/${athlete!.id}/sport-settings/${params.sid}/apply`),
  );
}
