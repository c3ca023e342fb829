import { z } from 'zod';
import { table } from './table.js';
import { cleanText, inline, QUOTED_NOTE } from './untrusted.js';
import { distance, duration, fixed, localTime, num, pacePerKm } from './units.js';

/**
 * One activity as list tools show it. Shared by get_activities, search_activities,
 * search_intervals and get_training_summary so the columns mean the same everywhere.
 */
export const activitySummaryOutput = z.object({
  id: z.string(),
  start_date_local: z.string().nullable().describe('athlete local time, no zone'),
  type: z.string().nullable(),
  name: z.string().nullable(),
  source: z.string().nullable(),
  moving_time_s: z.number().nullable(),
  distance_m: z.number().nullable(),
  elevation_gain_m: z.number().nullable(),
  training_load: z.number().nullable(),
  intensity_pct: z.number().nullable().describe('% of threshold'),
  avg_hr_bpm: z.number().nullable(),
  avg_power_w: z.number().nullable(),
  weighted_power_w: z.number().nullable(),
  avg_speed_mps: z.number().nullable(),
  rpe: z.number().nullable(),
  tags: z.array(z.string()).nullable(),
  strava_stub: z.boolean().describe('true: imported from Strava; Intervals.icu cannot share its data via the API'),
});
export type ActivitySummary = z.infer<typeof activitySummaryOutput>;

/** `fields=` for list calls: a full Activity has ~180 keys (~4.6 KB); these are all we show. Only names from the spec's Activity schema (a Strava stub is still recognised: `source` STRAVA without `type`). */
export const SUMMARY_FIELDS = [
  'id',
  'start_date_local',
  'type',
  'name',
  'source',
  'moving_time',
  'distance',
  'total_elevation_gain',
  'icu_training_load',
  'icu_intensity',
  'average_heartrate',
  'icu_average_watts',
  'icu_weighted_avg_watts',
  'average_speed',
  'icu_rpe',
  'tags',
];

type Raw = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? null : String(v));

/** Strava-sourced activities come back as stubs: numeric id, `source: STRAVA`, a `_note` (Strava's terms keep their data out of the API). */
export function isStravaStub(raw: Raw): boolean {
  return raw.source === 'STRAVA' && (typeof raw._note === 'string' || raw.type === undefined || raw.type === null);
}

export const STRAVA_FIX =
  "Strava's API terms stop Intervals.icu from passing Strava-imported activities to apps; only the id and date are visible. " +
  'Fix: in Intervals.icu settings connect the source (Garmin, Wahoo, Zwift, COROS, Suunto, Polar …) directly, or upload the original files; new activities then arrive with full data.';

export function toActivitySummary(raw: Raw): ActivitySummary {
  return {
    id: str(raw.id) ?? '?',
    start_date_local: str(raw.start_date_local),
    type: str(raw.type),
    name: cleanText(raw.name, 120),
    source: str(raw.source),
    moving_time_s: num(raw.moving_time),
    distance_m: num(raw.distance),
    elevation_gain_m: num(raw.total_elevation_gain),
    training_load: num(raw.icu_training_load),
    intensity_pct: num(raw.icu_intensity),
    avg_hr_bpm: num(raw.average_heartrate),
    avg_power_w: num(raw.icu_average_watts),
    weighted_power_w: num(raw.icu_weighted_avg_watts),
    avg_speed_mps: num(raw.average_speed),
    rpe: num(raw.icu_rpe),
    tags: Array.isArray(raw.tags) ? raw.tags.map((t) => cleanText(t, 40) ?? '').filter(Boolean) : null,
    strava_stub: isStravaStub(raw),
  };
}

const RUNLIKE = /Run|Walk|Hike/;

/** Power if there is any, else pace for run-like sports, else speed. */
function effort(a: ActivitySummary): string {
  if (a.weighted_power_w !== null || a.avg_power_w !== null) return `${fixed(a.avg_power_w, 0)}/${fixed(a.weighted_power_w, 0)} W`;
  if (a.avg_speed_mps !== null) return RUNLIKE.test(a.type ?? '') ? pacePerKm(a.avg_speed_mps) : fixed(a.avg_speed_mps * 3.6, 1, ' km/h');
  return '—';
}

export function renderActivityTable(rows: readonly ActivitySummary[]): string {
  const body = rows.map((a) =>
    a.strava_stub
      ? [a.id, localTime(a.start_date_local), 'Strava stub', '—', '—', '—', '—', '—', '—']
      : [
          a.id,
          localTime(a.start_date_local),
          a.type ?? '—',
          inline(a.name, 50),
          duration(a.moving_time_s),
          distance(a.distance_m),
          fixed(a.training_load, 0),
          fixed(a.avg_hr_bpm, 0),
          effort(a),
        ],
  );
  const parts = [
    table(['id', 'start (local)', 'type', 'name', 'time', 'dist', 'load', 'avg HR', 'power avg/wtd or pace'], body),
    QUOTED_NOTE,
  ];
  const stubs = rows.filter((r) => r.strava_stub).length;
  if (stubs > 0) parts.push(`${stubs} Strava stub${stubs > 1 ? 's' : ''}: ${STRAVA_FIX}`);
  return parts.join('\n');
}
