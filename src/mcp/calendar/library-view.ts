/** Library folders, plans and workouts as the model sees them: ids first, units in names, null-safe. */
import { z } from 'zod';
import { table } from '../format/table.js';
import { DASH, duration, num } from '../format/units.js';
import { cleanText, inline, NAME_MAX } from '../format/untrusted.js';
import { MAX_DESCRIPTION_CHARS, workoutReportSchema } from './event-view.js';
import { reportWorkout } from './workout-doc.js';

type Raw = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export const folderSummarySchema = z.object({
  id: z.number(),
  name: z.string().nullable(),
  type: z.string().nullable().describe('FOLDER (a collection) or PLAN (workouts on days, applied with apply_training_plan)'),
  workouts: z.number(),
  duration_weeks: z.number().nullable(),
});
export type FolderSummary = z.infer<typeof folderSummarySchema>;

export const workoutSummarySchema = z.object({
  id: z.number(),
  folder_id: z.number().nullable(),
  day: z.number().nullable().describe('For plans: day offset from the plan start (0 = first day)'),
  name: z.string().nullable(),
  type: z.string().nullable(),
  moving_time_s: z.number().nullable(),
  load: z.number().nullable(),
  workout: workoutReportSchema.nullable(),
});
export type WorkoutSummary = z.infer<typeof workoutSummarySchema>;

export const workoutDetailSchema = workoutSummarySchema.extend({ description: z.string().nullable(), tags: z.array(z.string()) });
export type WorkoutDetail = z.infer<typeof workoutDetailSchema>;

export function childrenOf(folder: Raw): Raw[] {
  return Array.isArray(folder.children) ? folder.children.filter((c): c is Raw => typeof c === 'object' && c !== null) : [];
}

export function summarizeFolder(f: Raw): FolderSummary {
  return {
    id: num(f.id) ?? -1,
    name: cleanText(str(f.name), NAME_MAX),
    type: str(f.type),
    workouts: num(f.num_workouts) ?? childrenOf(f).length,
    duration_weeks: num(f.duration_weeks),
  };
}

export function summarizeWorkout(w: Raw, withOutline = false): WorkoutSummary {
  const report = reportWorkout(w.description, w.workout_doc);
  return {
    id: num(w.id) ?? -1,
    folder_id: num(w.folder_id),
    day: num(w.day),
    name: cleanText(str(w.name), NAME_MAX),
    type: str(w.type),
    moving_time_s: num(w.moving_time) ?? report?.duration_s ?? null,
    load: num(w.icu_training_load),
    workout: report && !withOutline ? { ...report, outline: [] } : report,
  };
}

export function detailWorkout(w: Raw): WorkoutDetail {
  return {
    ...summarizeWorkout(w, true),
    description: cleanText(str(w.description), MAX_DESCRIPTION_CHARS),
    tags: Array.isArray(w.tags) ? w.tags.filter((t): t is string => typeof t === 'string').map((t) => cleanText(t, 50) ?? '') : [],
  };
}

/** "week 2 day 3" for a plan day offset; the raw offset too, since apply_training_plan counts from 0. */
export function planDay(day: number | null): string {
  if (day === null) return DASH;
  return `w${Math.floor(day / 7) + 1}d${(day % 7) + 1} (+${day})`;
}

export function foldersTable(folders: FolderSummary[]): string {
  return table(
    ['id', 'type', 'name', 'workouts', 'weeks'],
    folders.map((f) => [
      String(f.id),
      f.type ?? DASH,
      inline(f.name),
      String(f.workouts),
      f.duration_weeks === null ? DASH : String(f.duration_weeks),
    ]),
  );
}

export function workoutsTable(workouts: WorkoutSummary[], withDay: boolean): string {
  const head = ['id', ...(withDay ? ['day'] : []), 'sport', 'name', 'duration', 'load', 'steps'];
  return table(
    head,
    workouts.map((w) => [
      String(w.id),
      ...(withDay ? [planDay(w.day)] : []),
      w.type ?? DASH,
      inline(w.name),
      duration(w.moving_time_s),
      w.load === null ? DASH : String(w.load),
      w.workout ? (w.workout.parsed ? String(w.workout.steps) : 'not parsed') : DASH,
    ]),
  );
}
