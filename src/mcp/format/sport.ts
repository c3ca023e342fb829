import { z } from 'zod';
import { DASH, fixed, paceIn } from './units.js';

/**
 * Sport settings (thresholds and zones) as the model needs them: per sport group, numbers with
 * units. Shared by get_athlete and get_sport_settings so both say the same thing the same way.
 */
export const sportSettingsOutput = z.object({
  id: z.number().nullable(),
  types: z.array(z.string()),
  ftp_w: z.number().nullable(),
  indoor_ftp_w: z.number().nullable(),
  w_prime_j: z.number().nullable(),
  lthr_bpm: z.number().nullable(),
  max_hr_bpm: z.number().nullable(),
  threshold_pace_mps: z.number().nullable().describe('metres per second'),
  pace_units: z.string().nullable(),
  power_zones_pct_ftp: z.array(z.number()).nullable(),
  hr_zones_bpm: z.array(z.number()).nullable(),
  pace_zones_pct_threshold: z.array(z.number()).nullable(),
});
export type SportSettingsOut = z.infer<typeof sportSettingsOutput>;

type Raw = Record<string, unknown>;
const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const nums = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : null);

export function toSportSettings(raw: Raw): SportSettingsOut {
  return {
    id: n(raw.id),
    types: Array.isArray(raw.types) ? raw.types.map(String) : [],
    ftp_w: n(raw.ftp),
    indoor_ftp_w: n(raw.indoor_ftp),
    w_prime_j: n(raw.w_prime),
    lthr_bpm: n(raw.lthr),
    max_hr_bpm: n(raw.max_hr),
    threshold_pace_mps: n(raw.threshold_pace),
    pace_units: typeof raw.pace_units === 'string' ? raw.pace_units : null,
    power_zones_pct_ftp: nums(raw.power_zones),
    hr_zones_bpm: nums(raw.hr_zones),
    pace_zones_pct_threshold: nums(raw.pace_zones),
  };
}

/** Zone upper bounds; Intervals.icu uses 999 as "no upper bound" for the top zone. */
function zones(list: number[] | null, unit: string): string {
  if (!list || list.length === 0) return DASH;
  return list.map((z, i) => `Z${i + 1}≤${z >= 999 ? '∞' : `${z}`}`).join(' ') + unit;
}

export function renderSportSettings(s: SportSettingsOut): string {
  const lines = [`${s.types.join('/') || 'Other'} (settings id ${s.id ?? DASH})`];
  const thresholds = [
    s.ftp_w !== null ? `FTP ${fixed(s.ftp_w, 0, ' W')}` : null,
    s.indoor_ftp_w !== null ? `indoor FTP ${fixed(s.indoor_ftp_w, 0, ' W')}` : null,
    s.w_prime_j !== null ? `W′ ${fixed(s.w_prime_j, 0, ' J')}` : null,
    s.lthr_bpm !== null ? `LTHR ${fixed(s.lthr_bpm, 0, ' bpm')}` : null,
    s.max_hr_bpm !== null ? `max HR ${fixed(s.max_hr_bpm, 0, ' bpm')}` : null,
    s.threshold_pace_mps !== null ? `threshold pace ${paceIn(s.threshold_pace_mps, s.pace_units)}` : null,
  ].filter(Boolean);
  lines.push(`  thresholds: ${thresholds.join(', ') || 'none set'}`);
  if (s.power_zones_pct_ftp) lines.push(`  power zones (% FTP): ${zones(s.power_zones_pct_ftp, '')}`);
  if (s.hr_zones_bpm) lines.push(`  HR zones (bpm): ${zones(s.hr_zones_bpm, '')}`);
  if (s.pace_zones_pct_threshold) lines.push(`  pace zones (% threshold pace): ${zones(s.pace_zones_pct_threshold, '')}`);
  return lines.join('\n');
}
