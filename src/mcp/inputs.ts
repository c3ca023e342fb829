import { z } from 'zod';
import { ToolInputError } from './tool.js';

/** Input pieces shared by many tools, so bounds and wording stay the same everywhere. */

const DAY_MS = 86_400_000;

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A calendar date `YYYY-MM-DD` (the athlete's local date; Intervals.icu has no zone on dates). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD, e.g. 2026-03-01')
  .refine(isRealDate, 'not a real calendar date');

export const athleteIdInput = z
  .string()
  .regex(/^i?\d{1,12}$/, 'an Intervals.icu athlete id such as i123456')
  // No description: the server instructions say once what athlete_id is for (34 tools take it).
  .optional();

export const activityIdInput = z.string().regex(/^i?\d{1,15}$/, 'an Intervals.icu activity id such as i12345678 (from get_activities)');
// No description: the server instructions say once where activity ids come from (11 tools take one).

/** How many rows to return; the bounds and default in the schema say all there is to say. */
export function limitInput(max: number, fallback: number) {
  return z.number().int().min(1).max(max).default(fallback);
}

export function athleteOf(args: { athlete_id?: string | undefined }, ctxAthleteId: string): string {
  return args.athlete_id ?? ctxAthleteId;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * "Today" for an athlete we have not asked for their time zone: the UTC date plus one day, so an
 * athlete in UTC+14 still sees their today (Intervals.icu dates are naive local dates).
 */
export function todayLatest(now = Date.now()): string {
  return new Date(now + DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(oldest: string, newest: string): number {
  return Math.round((Date.parse(`${newest}T00:00:00Z`) - Date.parse(`${oldest}T00:00:00Z`)) / DAY_MS);
}

/** Fill in a date range from what was given; refuse reversed or oversized ranges with a fix. */
export function resolveRange(
  given: { oldest?: string | undefined; newest?: string | undefined },
  opts: { defaultDays: number; maxDays: number; now?: number },
): { oldest: string; newest: string } {
  const newest = given.newest ?? (given.oldest ? addDays(given.oldest, opts.defaultDays) : todayLatest(opts.now));
  const oldest = given.oldest ?? addDays(newest, -opts.defaultDays);
  if (oldest > newest) throw new ToolInputError(`oldest (${oldest}) is after newest (${newest}); swap them.`);
  if (daysBetween(oldest, newest) > opts.maxDays) {
    throw new ToolInputError(`The range ${oldest}..${newest} spans more than ${opts.maxDays} days; ask for a shorter range (or several).`);
  }
  return { oldest, newest };
}
