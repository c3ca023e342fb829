/**
 * Two or more activities' streams lined up on elapsed time: the common span (up to the end of the
 * shortest one) cut into equal segments, with each activity's average power, heart rate and speed in
 * each, so "where did today's ride fall away from last week's" reads off one table.
 */
import { records } from '../records.js';

type Raw = Record<string, unknown>;

/** The streams the alignment reads (time is the axis). */
export const ALIGNED_TYPES = ['time', 'watts', 'heartrate', 'velocity_smooth'];
const VALUES = { watts: 'watts', heartrate: 'heartrate', speed_mps: 'velocity_smooth' } as const;
export const SEGMENTS = 6;

export interface AlignedActivity {
  id: string;
  /** One average per segment; null where the activity has no such stream or no sample there. */
  watts: (number | null)[];
  heartrate: (number | null)[];
  speed_mps: (number | null)[];
}

export interface Aligned {
  /** Length of each segment; segment i covers [i × segment_s, (i + 1) × segment_s) seconds from the start. */
  segment_s: number;
  activities: AlignedActivity[];
}

const numbers = (s: Raw | undefined): (number | null)[] =>
  Array.isArray(s?.data) ? s.data.map((x) => (typeof x === 'number' && Number.isFinite(x) ? x : null)) : [];

/** `streams`: each activity's /streams.json answer. Null when fewer than two have a time axis. */
export function alignByTime(ids: readonly string[], streams: readonly unknown[]): Aligned | null {
  const parsed = streams.map((raw) => {
    const byType = new Map(records(raw).map((s) => [String(s.type), s]));
    return { time: numbers(byType.get('time')), byType };
  });
  const ends = parsed.map((p) => Math.max(-Infinity, ...p.time.filter((t): t is number => t !== null)));
  if (ends.filter((e) => e > 0).length < 2) return null;
  const span = Math.min(...ends.filter((e) => e > 0));
  const segment = span / SEGMENTS;
  const activities = parsed.map((p, i) => {
    const average = (type: string) => {
      const data = numbers(p.byType.get(type));
      const sums = Array.from({ length: SEGMENTS }, () => ({ sum: 0, n: 0 }));
      p.time.forEach((t, k) => {
        const v = data[k];
        if (t === null || v === null || v === undefined || t >= span + 1) return;
        const bucket = sums[Math.min(SEGMENTS - 1, Math.floor(t / segment))]!;
        bucket.sum += v;
        bucket.n += 1;
      });
      return sums.map((b) => (b.n ? Math.round((b.sum / b.n) * 10) / 10 : null));
    };
    return {
      id: ids[i]!,
      watts: average(VALUES.watts),
      heartrate: average(VALUES.heartrate),
      speed_mps: average(VALUES.speed_mps),
    };
  });
  return { segment_s: Math.round(segment * 10) / 10, activities };
}
