import { z } from 'zod';
import { activitySummaryOutput, STRAVA_FIX, toActivitySummary } from '../format/activity.js';
import { sections } from '../format/table.js';
import { cleanText, fenced, inline } from '../format/untrusted.js';
import { bpm, distance, duration, fixed, localTime, num, pacePerKm, watts } from '../format/units.js';

/** get_activity's result (also returned by update_activity). */
export const activityDetailOutput = {
  ...activitySummaryOutput.shape,
  elapsed_time_s: z.number().nullable(),
  description: z.string().nullable(),
  max_hr_bpm: z.number().nullable(),
  avg_cadence: z.number().nullable().describe('rpm; runs: strides/min'),
  calories_kcal: z.number().nullable(),
  ftp_w: z.number().nullable().describe('FTP used for this activity'),
  variability_index: z.number().nullable(),
  efficiency_factor: z.number().nullable(),
  decoupling_pct: z.number().nullable().describe('aerobic decoupling (HR drift vs power/pace)'),
  feel: z.number().nullable().describe('1 strong … 5 weak'),
  hr_zone_times_s: z.array(z.number()).nullable(),
  power_zone_times_s: z.array(z.number()).nullable(),
  interval_summary: z.array(z.string()).nullable(),
  gear_id: z.string().nullable(),
  paired_event_id: z.number().nullable().describe('planned workout (event id) this activity completed'),
  compliance_pct: z.number().nullable().describe('how closely it matched the planned workout'),
  device_name: z.string().nullable(),
  trainer: z.boolean().nullable(),
  commute: z.boolean().nullable(),
  race: z.boolean().nullable(),
  note: z.string().nullable().describe('explanation when data is missing (Strava stub)'),
};
type Detail = z.infer<z.ZodObject<typeof activityDetailOutput>>;
type Raw = Record<string, unknown>;

const bool = (v: unknown) => (typeof v === 'boolean' ? v : null);
const nums = (v: unknown): number[] | null => (Array.isArray(v) ? v.map((x) => num(x) ?? 0) : null);
/** `icu_zone_times` is `[{id:"Z1", secs}]`; keep the seconds in zone order. */
const zoneSecs = (v: unknown): number[] | null => (Array.isArray(v) ? v.map((z) => num((z as Raw | null)?.secs) ?? 0) : null);

export function toActivityDetail(raw: Raw): Detail {
  const s = toActivitySummary(raw);
  const gear = raw.gear as Raw | null | undefined;
  return {
    ...s,
    elapsed_time_s: num(raw.elapsed_time),
    description: cleanText(raw.description),
    max_hr_bpm: num(raw.max_heartrate),
    avg_cadence: num(raw.average_cadence),
    calories_kcal: num(raw.calories),
    ftp_w: num(raw.icu_ftp),
    variability_index: num(raw.icu_variability_index),
    efficiency_factor: num(raw.icu_efficiency_factor),
    decoupling_pct: num(raw.decoupling),
    feel: num(raw.feel),
    hr_zone_times_s: nums(raw.icu_hr_zone_times),
    power_zone_times_s: zoneSecs(raw.icu_zone_times),
    interval_summary: Array.isArray(raw.interval_summary) ? raw.interval_summary.map((x) => cleanText(x, 80) ?? '') : null,
    gear_id: gear && gear.id !== undefined && gear.id !== null ? String(gear.id) : null,
    paired_event_id: num(raw.paired_event_id),
    compliance_pct: num(raw.compliance),
    device_name: cleanText(raw.device_name, 60),
    trainer: bool(raw.trainer),
    commute: bool(raw.commute),
    race: bool(raw.race),
    note: s.strava_stub ? STRAVA_FIX : null,
  };
}

const zoneLine = (label: string, secs: number[] | null) =>
  secs && secs.some((x) => x > 0) ? `${label}: ${secs.map((x, i) => `Z${i + 1} ${duration(x)}`).join(', ')}` : null;

export function renderActivityDetail(d: Detail): string {
  if (d.strava_stub) {
    return `Activity ${d.id} (${localTime(d.start_date_local)}) is a Strava import: Intervals.icu returns only its id and date.\n${STRAVA_FIX}`;
  }
  const runLike = /Run|Walk|Hike/.test(d.type ?? '');
  const lines = [
    `Activity ${d.id}: ${inline(d.name)} — ${d.type ?? 'unknown type'}, ${localTime(d.start_date_local)} (athlete local time)`,
    `moving ${duration(d.moving_time_s)} (elapsed ${duration(d.elapsed_time_s)}), ${distance(d.distance_m)}, +${fixed(d.elevation_gain_m, 0, ' m')}`,
    `load ${fixed(d.training_load, 0)}, intensity ${fixed(d.intensity_pct, 0, '%')}, RPE ${fixed(d.rpe, 0)}, feel ${fixed(d.feel, 0)} (1 strong–5 weak)`,
    `HR avg ${bpm(d.avg_hr_bpm)}, max ${bpm(d.max_hr_bpm)}; cadence ${fixed(d.avg_cadence, 0)}${runLike ? ' spm' : ' rpm'}; ${runLike ? `pace ${pacePerKm(d.avg_speed_mps)}` : `speed ${fixed(d.avg_speed_mps === null ? null : d.avg_speed_mps * 3.6, 1, ' km/h')}`}`,
    d.avg_power_w !== null || d.weighted_power_w !== null
      ? `power avg ${watts(d.avg_power_w)}, weighted ${watts(d.weighted_power_w)}, FTP ${watts(d.ftp_w)}, VI ${fixed(d.variability_index, 2)}`
      : null,
    d.efficiency_factor !== null || d.decoupling_pct !== null
      ? `efficiency factor ${fixed(d.efficiency_factor, 2)}, decoupling ${fixed(d.decoupling_pct, 1, '%')}`
      : null,
    zoneLine('time in HR zones', d.hr_zone_times_s),
    zoneLine('time in power zones', d.power_zone_times_s),
    d.interval_summary?.length
      ? `intervals: ${d.interval_summary.map((x) => inline(x)).join(', ')} (details: get_activity_intervals)`
      : null,
    d.paired_event_id !== null ? `planned workout: event ${d.paired_event_id}, compliance ${fixed(d.compliance_pct, 0, '%')}` : null,
    [
      d.gear_id ? `gear ${d.gear_id}` : null,
      d.device_name ? `device ${inline(d.device_name)}` : null,
      d.trainer ? 'indoor trainer' : null,
      d.race ? 'race' : null,
      d.commute ? 'commute' : null,
      d.tags?.length ? `tags ${d.tags.map((t) => inline(t)).join(' ')}` : null,
    ]
      .filter(Boolean)
      .join('; ') || null,
  ].filter((l): l is string => typeof l === 'string' && l.length > 0);
  return sections(lines.join('\n'), d.description ? fenced('Description', d.description) : null);
}
