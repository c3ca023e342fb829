import type { ToolContext } from './context.js';
import { todayLatest } from './inputs.js';

/**
 * The athlete's own "today". Intervals.icu dates are naive local dates (landscape §2.6), so the
 * server's UTC date is wrong for much of the world for part of each day. The profile's time zone
 * (cached per person by the client) gives the right one; without it, the latest date on Earth.
 */
export async function athleteToday(ctx: ToolContext, athleteId: string, now = Date.now()): Promise<{ today: string; timezone: string | null }> {
  const profile = await ctx.intervals.get<{ timezone?: unknown } | null>('/athlete/{id}', { params: { id: athleteId } });
  const tz = typeof profile?.timezone === 'string' ? profile.timezone : null;
  if (tz) {
    try {
      return { today: new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now), timezone: tz };
    } catch {
      // unknown zone name: fall through
    }
  }
  return { today: todayLatest(now), timezone: null };
}
