import { z } from 'zod';
import { cleanText } from './untrusted.js';
import { num } from './units.js';

/**
 * Wellness fields: our snake_case name, the Intervals.icu key, and a short unit/meaning. One
 * table drives reading (get_wellness), writing (update_wellness) and rendering, so the three
 * cannot disagree. Subjective fields use Intervals.icu's 1–4 scales, where 1 is the best state
 * (low soreness, great mood, high motivation, no injury) and 4 the worst, as in its app.
 */
export interface WellnessField {
  key: string;
  upstream: string;
  label: string;
  unit: string;
  input: z.ZodType<number | null> | z.ZodType<string | null> | z.ZodType<boolean | null>;
}

const n = (min: number, max: number, int = false) => (int ? z.number().int() : z.number()).min(min).max(max).nullable();
const scale = () => z.number().int().min(1).max(4).nullable();

export const WELLNESS_FIELDS: readonly WellnessField[] = [
  { key: 'weight_kg', upstream: 'weight', label: 'weight', unit: 'kg', input: n(20, 400) },
  { key: 'resting_hr_bpm', upstream: 'restingHR', label: 'rest HR', unit: 'bpm', input: n(20, 200, true) },
  { key: 'hrv_rmssd_ms', upstream: 'hrv', label: 'HRV rMSSD', unit: 'ms', input: n(1, 500) },
  { key: 'hrv_sdnn_ms', upstream: 'hrvSDNN', label: 'HRV SDNN', unit: 'ms', input: n(1, 500) },
  { key: 'sleep_s', upstream: 'sleepSecs', label: 'sleep', unit: 's', input: n(0, 86_400, true) },
  { key: 'sleep_score', upstream: 'sleepScore', label: 'sleep score', unit: '', input: n(0, 100) },
  { key: 'sleep_quality', upstream: 'sleepQuality', label: 'sleep quality', unit: '1–4', input: scale() },
  { key: 'avg_sleeping_hr_bpm', upstream: 'avgSleepingHR', label: 'sleeping HR', unit: 'bpm', input: n(20, 200) },
  { key: 'soreness', upstream: 'soreness', label: 'soreness', unit: '1–4', input: scale() },
  { key: 'fatigue', upstream: 'fatigue', label: 'fatigue', unit: '1–4', input: scale() },
  { key: 'stress', upstream: 'stress', label: 'stress', unit: '1–4', input: scale() },
  { key: 'mood', upstream: 'mood', label: 'mood', unit: '1–4', input: scale() },
  { key: 'motivation', upstream: 'motivation', label: 'motivation', unit: '1–4', input: scale() },
  { key: 'injury', upstream: 'injury', label: 'injury', unit: '1–4', input: scale() },
  { key: 'spo2_pct', upstream: 'spO2', label: 'SpO2', unit: '%', input: n(50, 100) },
  { key: 'systolic_mmhg', upstream: 'systolic', label: 'systolic', unit: 'mmHg', input: n(50, 250, true) },
  { key: 'diastolic_mmhg', upstream: 'diastolic', label: 'diastolic', unit: 'mmHg', input: n(30, 150, true) },
  { key: 'hydration', upstream: 'hydration', label: 'hydration', unit: '1–4', input: scale() },
  { key: 'hydration_volume_l', upstream: 'hydrationVolume', label: 'fluids', unit: 'L', input: n(0, 20) },
  { key: 'readiness', upstream: 'readiness', label: 'readiness', unit: '', input: n(0, 100) },
  { key: 'blood_glucose_mmol', upstream: 'bloodGlucose', label: 'glucose', unit: 'mmol/L', input: n(0, 40) },
  { key: 'lactate_mmol', upstream: 'lactate', label: 'lactate', unit: 'mmol/L', input: n(0, 30) },
  { key: 'body_fat_pct', upstream: 'bodyFat', label: 'body fat', unit: '%', input: n(1, 70) },
  { key: 'abdomen_cm', upstream: 'abdomen', label: 'abdomen', unit: 'cm', input: n(30, 250) },
  { key: 'vo2max', upstream: 'vo2max', label: 'VO2max', unit: 'ml/kg/min', input: n(10, 100) },
  { key: 'steps', upstream: 'steps', label: 'steps', unit: '', input: n(0, 200_000, true) },
  { key: 'respiration_bpm', upstream: 'respiration', label: 'respiration', unit: 'br/min', input: n(1, 80) },
  { key: 'kcal_consumed', upstream: 'kcalConsumed', label: 'kcal in', unit: 'kcal', input: n(0, 20_000, true) },
  { key: 'carbohydrates_g', upstream: 'carbohydrates', label: 'carbs', unit: 'g', input: n(0, 3_000) },
  { key: 'protein_g', upstream: 'protein', label: 'protein', unit: 'g', input: n(0, 1_000) },
  { key: 'fat_g', upstream: 'fatTotal', label: 'fat', unit: 'g', input: n(0, 1_000) },
  { key: 'comments', upstream: 'comments', label: 'comments', unit: '', input: z.string().max(2_000).nullable() },
  { key: 'locked', upstream: 'locked', label: 'locked', unit: '', input: z.boolean().nullable() },
];

export const wellnessDayOutput = z.object({
  date: z.string(),
  ctl: z.number().nullable().describe('fitness'),
  atl: z.number().nullable().describe('fatigue'),
  tsb: z.number().nullable().describe('form = ctl − atl'),
  ramp_rate: z.number().nullable(),
  ...Object.fromEntries(WELLNESS_FIELDS.map((f) => [f.key, z.union([z.number(), z.string(), z.boolean()]).nullable()])),
});
export type WellnessDay = z.infer<typeof wellnessDayOutput> & Record<string, number | string | boolean | null>;

type Raw = Record<string, unknown>;

export function toWellnessDay(raw: Raw): WellnessDay {
  const ctl = num(raw.ctl);
  const atl = num(raw.atl);
  const day: Record<string, unknown> = {
    date: String(raw.id ?? raw.date ?? ''),
    ctl,
    atl,
    tsb: ctl !== null && atl !== null ? Math.round((ctl - atl) * 10) / 10 : null,
    ramp_rate: num(raw.rampRate),
  };
  for (const f of WELLNESS_FIELDS) {
    const v = raw[f.upstream];
    day[f.key] = f.key === 'comments' ? cleanText(v, 500) : typeof v === 'number' || typeof v === 'boolean' ? v : null;
  }
  return day as WellnessDay;
}
