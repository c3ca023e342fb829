/**
 * Intervals.icu calendar dates are naive local times: `start_date_local` is `YYYY-MM-DDTHH:MM:SS`
 * with no zone. We never pass them through `Date` in the server's zone; we
 * build and take apart the strings by hand, and compute "today" in the athlete's own time zone.
 */
import { z } from 'zod';
import { isoDate } from '../inputs.js';

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A wall-clock time of day, local to the athlete. */
export const localTimeInput = z
  .string()
  .regex(TIME_RE, 'use HH:MM (24 h, local time), e.g. 06:30')
  .describe('Start time (24 h); omit for all-day.');

/** `2026-05-04` + `06:30` → `2026-05-04T06:30:00`; no zone suffix (Intervals reads it as local). */
export function toStartDateLocal(date: string, time?: string): string {
  return `${date}T${time ?? '00:00'}:00`;
}

/** The date part of a naive local timestamp, or null when it is missing or malformed. */
export function datePart(startDateLocal: unknown): string | null {
  if (typeof startDateLocal !== 'string') return null;
  const day = startDateLocal.slice(0, 10);
  return isoDate.safeParse(day).success ? day : null;
}

/** `HH:MM` when a naive local timestamp carries a time other than midnight, else null. */
export function timePart(startDateLocal: unknown): string | null {
  if (typeof startDateLocal !== 'string' || startDateLocal.length < 16) return null;
  const hhmm = startDateLocal.slice(11, 16);
  return TIME_RE.test(hhmm) && hhmm !== '00:00' ? hhmm : null;
}

/**
 * Today's date in `timeZone` (IANA). Without a usable zone we answer with the latest date
 * anywhere on Earth (UTC+14): for the future-only delete rule that errs towards treating an item
 * as "not in the future", i.e. towards asking for `confirm`.
 */
export function todayIn(timeZone: string | null | undefined, now: Date = new Date()): string {
  if (timeZone) {
    try {
      return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
    } catch {
      // Unknown zone name: fall through to the conservative answer.
    }
  }
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** `2026-05-04` → `Mon`: models misjudge weekdays, and plans are made by weekday. */
export function weekday(date: string): string {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? '';
}
