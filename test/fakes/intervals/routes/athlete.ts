import type { FakeAthlete, FakeIntervals } from '../server.js';
import { sample } from '../samples.js';

/**
 * Custom items of the first athlete: SYNTHETIC (the captured profile has none), in the OpenAPI
 * CustomItem shape; a field's `content.code` is the key its values are stored under.
 */
export function customItemsOf(fake: FakeIntervals, a: FakeAthlete): Record<string, unknown>[] {
  if (a.id !== fake.athletes[0]!.id) return [];
  const item = (id: number, type: string, name: string, content: Record<string, unknown>) => ({
    id,
    athlete_id: a.id,
    type,
    visibility: 'PRIVATE',
    name,
    description: null,
    content,
    usage_count: 0,
    index: id - 900,
    hide_script: false,
  });
  return [
    item(901, 'INPUT_FIELD', 'Caffeine', { code: 'Caffeine', type: 'numeric' }),
    item(902, 'ACTIVITY_FIELD', 'Tyre pressure', { code: 'TyrePsi', type: 'numeric' }),
    item(903, 'FITNESS_CHART', 'Load vs HRV', { plots: [] }),
  ];
}

/** The athlete profile for a fake athlete: the assembled sample with its id, name and custom items. */
export function athleteProfile(fake: FakeIntervals, a: FakeAthlete): Record<string, unknown> {
  return fake.state(a.id, 'profile', () => {
    const p = sample<Record<string, unknown>>('athlete-profile-assembled');
    const [first, ...last] = a.name.split(' ');
    return { ...p, id: a.id, name: a.name, firstname: first, lastname: last.join(' '), custom_items: customItemsOf(fake, a) };
  });
}

export function registerAthleteRoutes(fake: FakeIntervals): void {
  fake.route('GET', '/athlete/:id', null, ({ athlete }) => athleteProfile(fake, athlete!));
  fake.route('GET', '/athlete/:id/custom-item', 'SETTINGS', ({ athlete }) => customItemsOf(fake, athlete!));
  // AthleteWithTags carries every setting, `icu_api_key` included: tools must never pass it on.
  fake.route('GET', '/athletes', null, ({ caller }) =>
    fake
      .visibleAthletes(caller)
      .map((a) => ({ ...athleteProfile(fake, a), icu_api_key: a.apiKey, icu_tags: a.id === caller.id ? [] : ['coached'] })),
  );
}
