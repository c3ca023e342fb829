/**
 * What makes a coached athlete worth a look today, from their last week of wellness, activities and
 * planned workouts. Pure: the roster tool fetches, this judges. Thresholds are the ones a coach
 * would use at a glance, not a diagnosis; each flag says what was seen.
 */
import { num } from '../format/units.js';

type Raw = Record<string, unknown>;

const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const series = (days: Raw[], key: string) => days.map((d) => num(d[key])).filter((v): v is number => v !== null);

/** Subjective 1–4 scales where 3 and 4 are the bad end (Intervals.icu: 1 best). */
const SUBJECTIVE = ['soreness', 'fatigue', 'stress', 'injury'] as const;
const SHORT_SLEEP_S = 6 * 3600;

export function wellnessFlags(days: readonly Raw[], tsb: number | null): string[] {
  const sorted = [...days].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const last = sorted.at(-1);
  const before = sorted.slice(0, -1);
  const flags: string[] = [];
  if (tsb !== null && tsb < -30) flags.push(`form ${tsb.toFixed(1)} (high risk)`);
  if (!last) return flags;
  const rhr = num(last.restingHR);
  const rhrBase = avg(series(before, 'restingHR'));
  if (rhr !== null && rhrBase !== null && rhr >= rhrBase + 5)
    flags.push(`resting HR ${rhr} bpm, ${Math.round(rhr - rhrBase)} above the week's average`);
  const hrvKey = series(sorted, 'hrv').length ? 'hrv' : 'hrvSDNN';
  const hrv = num(last[hrvKey]);
  const hrvBase = avg(series(before, hrvKey));
  if (hrv !== null && hrvBase !== null && hrv <= hrvBase * 0.85)
    flags.push(`HRV ${Math.round(hrv)} ms, ${Math.round((1 - hrv / hrvBase) * 100)}% below the week's average`);
  const sleep = num(last.sleepSecs);
  if (sleep !== null && sleep < SHORT_SLEEP_S) flags.push(`slept ${(sleep / 3600).toFixed(1)} h`);
  for (const key of SUBJECTIVE) {
    const v = num(last[key]);
    if (v !== null && v >= 3) flags.push(`${key} ${v}/4`);
  }
  return flags;
}
