import { ToolInputError } from '../tool.js';
import { parseWorkout, problemLines, type ParsedWorkout } from './parser.js';

/**
 * The gate every workout write passes (create_event, update_event, bulk_create_events,
 * create_workout, manage_library): workout text with errors is refused before anything is sent,
 * with each bad line and its fix; warnings go back with the answer. `label` names the item in a
 * bulk write ("events[2]").
 */
export function checkWorkoutText(text: string, sport: string | null | undefined, label = 'description'): ParsedWorkout {
  const parsed = parseWorkout(text, sport ?? null);
  if (!parsed.ok) {
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    throw new ToolInputError(
      `${label}: the workout text has ${errors.length} problem(s) Intervals.icu would not read; nothing was saved. ` +
        `Fix these lines (syntax: resource intervals://docs/workout-syntax; check_workout checks text without saving):\n${problemLines(errors)}`,
    );
  }
  return parsed;
}

/** Warnings to show after a successful write ("" when none). */
export function workoutWarnings(parsed: readonly ParsedWorkout[] | ParsedWorkout): string {
  const list = (Array.isArray(parsed) ? parsed : [parsed]).flatMap((p) => p.problems);
  return list.length ? `Workout text warnings (saved; fix with an update if they are slips):\n${problemLines(list, 10)}` : '';
}
