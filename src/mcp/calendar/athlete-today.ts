import type { ToolContext } from '../context.js';
import { record } from '../records.js';
import { todayIn } from './local-dates.js';

/**
 * "Today" in the athlete's own zone, from their profile (one GET, cached per person). If the
 * profile cannot be read we fall back to the latest date on Earth: for the future-only delete rule
 * that only makes it stricter, and a calendar listing then starts a day late at worst.
 */
export async function athleteToday(ctx: ToolContext, athleteId: string): Promise<string> {
  try {
    const profile = record(await ctx.intervals.get<unknown>('/athlete/{id}', { params: { id: athleteId } }));
    return todayIn(typeof profile.timezone === 'string' ? profile.timezone : null);
  } catch {
    return todayIn(null);
  }
}
