import { ExpiringLru } from '../limits/expiring-lru.js';
import type { ToolContext } from './context.js';
import { todayIn } from './calendar/local-dates.js';
import { record } from './records.js';

/**
 * The athlete's own "today". Intervals.icu dates are naive local dates, so the server's UTC date
 * is wrong for much of the world for part of each day. The profile's time zone (one GET, cached
 * per person by the client) gives the right one; a profile without a usable zone gives the latest
 * date on Earth (see todayIn). A failed profile request is the tool's error: the call that needed
 * "today" would fail the same way, and the model gets the error's next step at once.
 */
export async function athleteToday(ctx: ToolContext, athleteId: string, now: Date = new Date()): Promise<string> {
  const profile = record(await ctx.intervals.get<unknown>('/athlete/{id}', { params: { id: athleteId } }));
  const zone = typeof profile.timezone === 'string' ? profile.timezone : null;
  knownZones.set(zoneKey(ctx, athleteId), zone, Date.now() + ZONE_MEMORY_MS);
  return todayIn(zone, now);
}

/**
 * The time zone each (person, athlete) profile last named. A zone rarely changes, so a tool may
 * start its date-bound requests with the remembered one while the profile is asked (in
 * parallel), instead of one Intervals.icu round trip (100–500 ms) after the other.
 */
const knownZones = new ExpiringLru<string, string | null>(10_000);
const ZONE_MEMORY_MS = 6 * 3_600_000;
const zoneKey = (ctx: ToolContext, athleteId: string) => `${ctx.person.accountId ?? ''}\n${athleteId}`;

/**
 * `load(today)` for the athlete's today, started at once when their time zone is remembered: the
 * profile is still asked (and its failure is still the tool's error), and when its today differs
 * from the guess (the zone changed) `load` runs again with the right one. Without a remembered zone,
 * the profile first, as athleteToday.
 */
export async function withAthleteToday<T>(
  ctx: ToolContext,
  athleteId: string,
  load: (today: string) => Promise<T>,
  now: Date = new Date(),
): Promise<{ today: string; data: T }> {
  const zone = knownZones.get(zoneKey(ctx, athleteId));
  if (zone === undefined) {
    const today = await athleteToday(ctx, athleteId, now);
    return { today, data: await load(today) };
  }
  const guess = todayIn(zone, now);
  const [profile, data] = await Promise.allSettled([athleteToday(ctx, athleteId, now), load(guess)]);
  if (profile.status === 'rejected') throw profile.reason;
  if (profile.value !== guess) return { today: profile.value, data: await load(profile.value) };
  if (data.status === 'rejected') throw data.reason;
  return { today: guess, data: data.value };
}
