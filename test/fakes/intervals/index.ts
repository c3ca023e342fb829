import { registerActivityRoutes } from './routes/activities.js';
import { registerAthleteRoutes } from './routes/athlete.js';
import { registerCurveRoutes } from './routes/curves.js';
import { registerEventRoutes } from './routes/events.js';
import { registerGearRoutes } from './routes/gear.js';
import { registerLibraryRoutes } from './routes/library.js';
import { registerSettingsRoutes } from './routes/settings.js';
import { registerWellnessRoutes } from './routes/wellness.js';
import { FakeIntervals, type FakeAthlete } from './server.js';

export { FakeIntervals } from './server.js';
export type { FakeAthlete, RecordedRequest, Fault } from './server.js';

const ALL_WRITE = ['ACTIVITY:WRITE', 'WELLNESS:WRITE', 'CALENDAR:WRITE', 'LIBRARY:WRITE', 'SETTINGS:WRITE', 'CHATS:WRITE'];

/**
 * Two athletes with different keys, so isolation tests can tell them apart. Ann coaches Ben
 * (Ben shares with Ann); Ben cannot see Ann. Ben's OAuth token is read-only.
 */
export function defaultAthletes(): FakeAthlete[] {
  return [
    {
      id: 'i1001',
      name: 'Ann Example',
      apiKey: 'ann-key-3f9a1c7e5b2d',
      oauthToken: 'ann-oauth-token-8c1d',
      oauthScopes: ALL_WRITE,
      coachOf: ['i2002'],
    },
    {
      id: 'i2002',
      name: 'Ben Example',
      apiKey: 'ben-key-7d2e4a9c1f6b',
      oauthToken: 'ben-oauth-token-2b7e',
      oauthScopes: ['ACTIVITY:READ', 'WELLNESS:READ'],
      coachOf: [],
    },
  ];
}

/** Start the stand-in with every route module registered. Close it in afterAll/afterEach. */
export async function startFakeIntervals(athletes: FakeAthlete[] = defaultAthletes()): Promise<FakeIntervals> {
  const fake = new FakeIntervals(athletes);
  for (const register of [
    registerAthleteRoutes,
    registerActivityRoutes,
    registerCurveRoutes,
    registerWellnessRoutes,
    registerEventRoutes,
    registerLibraryRoutes,
    registerGearRoutes,
    registerSettingsRoutes,
  ]) {
    register(fake);
  }
  return fake.listen();
}
