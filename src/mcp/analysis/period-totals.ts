/**
 * One date range of training in numbers a coach compares between two blocks: how much (sessions,
 * time, distance, load, load per week) and how hard (share of zone time in each power and HR zone).
 * Curves over the same ranges are the curve tools' job (get_power_curves … with `ranges`).
 */
import { isStravaStub } from '../format/activity.js';
import { num } from '../format/units.js';

type Raw = Record<string, unknown>;

/** The activity list fields the totals read; nothing else is fetched. */
export const PERIOD_FIELDS = [
  'id',
  'start_date_local',
  'source',
  'moving_time',
  'distance',
  'icu_training_load',
  'icu_zone_times',
  'icu_hr_zone_times',
];

export interface PeriodTotals {
  oldest: string;
  newest: string;
  activities: number;
  /** Strava imports: counted, but Intervals.icu shares none of their numbers through the API. */
  strava_stubs: number;
  moving_time_s: number;
  distance_m: number;
  training_load: number;
  load_per_week: number;
  /** Share of the zone time in each zone, Z1 first, in %; empty when no activity has zone times. */
  power_zones_pct: number[];
  hr_zones_pct: number[];
}

/** Adds per-zone seconds: `icu_zone_times` is [{id, secs}], `icu_hr_zone_times` a plain array. */
function addZones(into: number[], zones: unknown): void {
  if (!Array.isArray(zones)) return;
  zones.forEach((z, i) => {
    const secs = typeof z === 'number' ? z : num((z as Raw | null)?.secs);
    into[i] = (into[i] ?? 0) + (secs ?? 0);
  });
}

const shares = (secs: number[]): number[] => {
  const total = secs.reduce((s, x) => s + x, 0);
  return total > 0 ? secs.map((x) => Math.round((x / total) * 1000) / 10) : [];
};

export function periodTotals(range: { oldest: string; newest: string }, activities: readonly Raw[]): PeriodTotals {
  const real = activities.filter((a) => !isStravaStub(a));
  const power: number[] = [];
  const hr: number[] = [];
  let time = 0;
  let dist = 0;
  let load = 0;
  for (const a of real) {
    time += num(a.moving_time) ?? 0;
    dist += num(a.distance) ?? 0;
    load += num(a.icu_training_load) ?? 0;
    addZones(power, a.icu_zone_times);
    addZones(hr, a.icu_hr_zone_times);
  }
  const days = Math.round((Date.parse(range.newest) - Date.parse(range.oldest)) / 86_400_000) + 1;
  return {
    ...range,
    activities: real.length,
    strava_stubs: activities.length - real.length,
    moving_time_s: time,
    distance_m: Math.round(dist),
    training_load: Math.round(load),
    load_per_week: Math.round((load / days) * 7 * 10) / 10,
    power_zones_pct: shares(power),
    hr_zones_pct: shares(hr),
  };
}
