/** Compact text renderings of events for the model: tables for lists, a short card for one event. */
import { table, sections } from '../format/table.js';
import { distance, duration, DASH } from '../format/units.js';
import { fenced, inline, QUOTED_NOTE } from '../format/untrusted.js';
import { SHOWN_DESCRIPTION_CHARS, type EventDetail, type EventSummary } from './event-view.js';
import { weekday } from './local-dates.js';
import type { WorkoutReport } from './workout-doc.js';

function when(e: EventSummary): string {
  const day = e.date ? `${e.date} ${weekday(e.date)}` : DASH;
  const range = e.last_date ? `${day}..${e.last_date}` : day;
  return e.time ? `${range} ${e.time}` : range;
}

function stepsCell(w: WorkoutReport | null): string {
  if (!w) return DASH;
  return w.parsed ? `${w.steps}` : 'not parsed';
}

export function eventsTable(events: EventSummary[]): string {
  return table(
    ['id', 'date', 'category', 'sport', 'name', 'duration', 'load', 'steps'],
    events.map((e) => [
      String(e.id),
      when(e),
      e.category ?? DASH,
      e.type ?? DASH,
      inline(e.name),
      duration(e.moving_time_s ?? e.workout?.duration_s),
      e.load === null ? DASH : String(e.load),
      stepsCell(e.workout),
    ]),
  );
}

/** One line per event, for write results: `#123 2026-05-04 WORKOUT Ride "name"`. */
export function eventLine(e: EventSummary): string {
  const parts = [`#${e.id}`, when(e), e.category ?? DASH];
  if (e.type) parts.push(e.type);
  parts.push(inline(e.name));
  if (e.external_id) parts.push(`external_id ${inline(e.external_id)}`);
  return parts.join(' ');
}

/** What became of the workout text: parsed with N steps, or not parsed and how to fix it. */
export function workoutReportText(w: WorkoutReport | null, withOutline: boolean): string {
  if (!w) return '';
  if (!w.parsed) return `Workout text NOT parsed. ${w.hint ?? ''}`.trim();
  const head = `Workout text parsed: ${w.steps} steps, ${duration(w.duration_s)} planned.${w.hint ? ` ${w.hint}` : ''}`;
  if (!withOutline || w.outline.length === 0) return head;
  return `${head}\nSteps (step cues are text from Intervals.icu):\n${w.outline.join('\n')}`;
}

export function eventCard(e: EventDetail): string {
  const facts = [
    `duration ${duration(e.moving_time_s)}`,
    `distance ${distance(e.distance_m)}`,
    `load ${e.load ?? DASH}`,
    e.intensity_pct !== null ? `intensity ${e.intensity_pct.toFixed(0)}%` : null,
    e.indoor ? 'indoor' : null,
    e.target ? `device target ${e.target}` : null,
    e.training_availability ? `availability ${e.training_availability}` : null,
    e.load_target !== null ? `load target ${e.load_target}` : null,
    e.time_target_s !== null ? `time target ${duration(e.time_target_s)}` : null,
    e.distance_target_m !== null ? `distance target ${distance(e.distance_target_m)}` : null,
    e.projected_ctl !== null ? `projected fitness ${e.projected_ctl.toFixed(1)} / fatigue ${(e.projected_atl ?? 0).toFixed(1)}` : null,
    e.paired_activity_id ? `done as activity ${e.paired_activity_id}` : null,
  ].filter((f): f is string => f !== null);
  return sections(
    `Event ${eventLine(e)}\n${facts.join(', ')}${e.tags.length ? `\ntags: ${e.tags.map((t) => inline(t, 50)).join(', ')}` : ''}`,
    workoutReportText(e.workout, true),
    e.description ? fenced('Description', e.description, SHOWN_DESCRIPTION_CHARS) : '',
    (e.description?.length ?? 0) > SHOWN_DESCRIPTION_CHARS ? 'The description was cut; pass format "json" for the full text.' : '',
    QUOTED_NOTE,
  );
}
