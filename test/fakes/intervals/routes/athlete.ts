import type { FakeAthlete, FakeIntervals } from '../server.js';
import { sample } from '../samples.js';

/** The athlete profile for a fake athlete: the assembled sample with its id and name. */
export function athleteProfile(fake: FakeIntervals, a: FakeAthlete): Record<string, unknown> {
  return fake.state(a.id, 'profile', () => {
    const p = sample<Record<string, unknown>>('athlete-profile-assembled');
    const [first, ...last] = a.name.split(' ');
    return { ...p, id: a.id, name: a.name, firstname: first, lastname: last.join(' ') };
  });
}

export function registerAthleteRoutes(fake: FakeIntervals): void {
  fake.route('GET', '/athlete/:id', null, ({ athlete }) => athleteProfile(fake, athlete!));
  // AthleteWithTags carries every setting, `icu_api_key` included: tools must never pass it on.
  fake.route('GET', '/athletes', null, ({ caller }) =>
    fake.visibleAthletes(caller).map((a) => ({ ...athleteProfile(fake, a), icu_api_key: a.apiKey, icu_tags: a.id === caller.id ? [] : ['coached'] })),
  );
}
