/**
 * What a model sees of an Intervals.icu event: a compact, null-safe summary with units in the
 * field names and the id always present, plus the workout parse report where there is workout text.
 */
import { z } from 'zod';
import { num } from '../format/units.js';
import { addDays } from '../inputs.js';
import { datePart, timePart } from './local-dates.js';
import { cleanText, NAME_MAX } from '../format/untrusted.js';
import { reportWorkout, type WorkoutReport } from './workout-doc.js';

type Json = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export const workoutReportSchema = z.object({
  parsed: z.boolean(),
  steps: z.number(),
  duration_s: z.number().nullable(),
  outline: z.array(z.string()),
  hint: z.string().optional(),
});

export const eventSummarySchema = z.object({
  id: z.number(),
  date: z.string().nullable().describe('Local date YYYY-MM-DD'),
  time: z.string().nullable().describe('Local start time HH:MM, null for all-day'),
  last_date: z.string().nullable().describe('Last day of a multi-day item (inclusive)'),
  category: z.string().nullable(),
  type: z.string().nullable(),
  name: z.string().nullable(),
  moving_time_s: z.number().nullable(),
  distance_m: z.number().nullable(),
  load: z.number().nullable(),
  intensity_pct: z.number().nullable(),
  external_id: z.string().nullable(),
  paired_activity_id: z.string().nullable(),
  workout: workoutReportSchema.nullable(),
});
export type EventSummary = z.infer<typeof eventSummarySchema>;

export const eventDetailSchema = eventSummarySchema.extend({
  description: z.string().nullable().describe('Workout text or note, in full (the text rendering shows the first 3,000 characters)'),
  tags: z.array(z.string()),
  color: z.string().nullable(),
  indoor: z.boolean().nullable(),
  training_availability: z.string().nullable(),
  target: z.string().nullable(),
  load_target: z.number().nullable(),
  time_target_s: z.number().nullable(),
  distance_target_m: z.number().nullable(),
  projected_ctl: z.number().nullable().describe('Fitness (CTL) Intervals.icu projects for this day'),
  projected_atl: z.number().nullable().describe('Fatigue (ATL) Intervals.icu projects for this day'),
  plan_folder_id: z.number().nullable(),
  updated: z.string().nullable(),
});
export type EventDetail = z.infer<typeof eventDetailSchema>;

/** Exclusive end (`…T00:00:00` of the next day) → inclusive last day; null for single-day items. */
function lastDate(e: Json): string | null {
  const start = datePart(e.start_date_local);
  const end = datePart(e.end_date_local);
  if (!start || !end) return null;
  const inclusive = timePart(e.end_date_local) === null ? addDays(end, -1) : end;
  return inclusive > start ? inclusive : null;
}

function id(e: Json): number {
  const v = num(e.id);
  return v ?? -1;
}

export function summarizeEvent(e: Json, opts: { withOutline: boolean } = { withOutline: false }): EventSummary {
  // Only workouts have workout text; a note's or race's description is prose by design.
  const report = e.category === 'WORKOUT' ? reportWorkout(e.description, e.workout_doc) : null;
  const workout: WorkoutReport | null = report && !opts.withOutline ? { ...report, outline: [] } : report;
  const paired = e.paired_activity_id;
  return {
    id: id(e),
    date: datePart(e.start_date_local),
    time: timePart(e.start_date_local),
    last_date: lastDate(e),
    category: str(e.category),
    type: str(e.type),
    name: cleanText(str(e.name), NAME_MAX),
    moving_time_s: num(e.moving_time),
    distance_m: num(e.distance),
    load: num(e.icu_training_load),
    intensity_pct: num(e.icu_intensity),
    external_id: cleanText(str(e.external_id), 200),
    paired_activity_id: typeof paired === 'string' || typeof paired === 'number' ? String(paired) : null,
    workout,
  };
}

/** Text rendering shows this much of a description; long workout texts are rare and the outline already gives the structure. */
export const SHOWN_DESCRIPTION_CHARS = 3_000;
/** Structured output carries descriptions up to what our tools accept on input. */
export const MAX_DESCRIPTION_CHARS = 20_000;

export function detailEvent(e: Json): EventDetail {
  return {
    ...summarizeEvent(e, { withOutline: true }),
    description: cleanText(str(e.description), MAX_DESCRIPTION_CHARS),
    tags: Array.isArray(e.tags) ? e.tags.filter((t): t is string => typeof t === 'string').map((t) => cleanText(t, 50) ?? '') : [],
    color: str(e.color),
    indoor: typeof e.indoor === 'boolean' ? e.indoor : null,
    training_availability: str(e.training_availability),
    target: str(e.target),
    load_target: num(e.load_target),
    time_target_s: num(e.time_target),
    distance_target_m: num(e.distance_target),
    projected_ctl: num(e.icu_ctl),
    projected_atl: num(e.icu_atl),
    plan_folder_id: num(e.plan_folder_id),
    updated: str(e.updated),
  };
}
