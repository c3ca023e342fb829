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
  return todayIn(typeof profile.timezone === 'string' ? profile.timezone : null, now);
}
