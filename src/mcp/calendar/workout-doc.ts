/**
 * Reading the `workout_doc` that Intervals.icu builds from workout text. There is no
 * parse-without-save endpoint: the only way to know whether a description was
 * understood is to look at the steps the server returns. An empty `steps` list means the text was
 * stored as prose — no structure, no load, nothing for a head unit.
 */
import { cleanText } from '../format/untrusted.js';

export interface WorkoutReport {
  /** Whether Intervals.icu turned the description into structured steps. */
  parsed: boolean;
  /** Steps after expanding repeats (3x of 2 steps = 6). */
  steps: number;
  /** Planned duration from the parsed doc, seconds; null when unknown. */
  duration_s: number | null;
  /** The parsed steps, one line each (repeat blocks indented), capped. */
  outline: string[];
  /** What to change when the text did not parse or lacks targets. */
  hint?: string;
}

type Json = Record<string, unknown>;

const MAX_OUTLINE_LINES = 40;

export const NOT_PARSED_HINT =
  'The description was saved as plain text, not as a structured workout (no steps, no planned load, nothing ' +
  'syncs to a device). Write one step per line as "- <duration> <target>", e.g. "- 10m 60%", "- 5m Z4", ' +
  '"- 2km Z2 Pace", "- 20m 70-80% HR"; put "3x" on its own line (or after a section name) above the repeated ' +
  'steps with a blank line before and after the block. `m` is minutes; use `mtr` or `km` for distance. ' +
  'Read the resource intervals://docs/workout-syntax for the full syntax.';

const NO_TARGET_HINT =
  'Parsed, but no step carries a power, heart-rate or pace target, so Intervals.icu cannot compute a planned ' +
  'load. Add targets such as "75%", "Z2 HR" or "Z3 Pace" to the steps.';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stepsOf(doc: unknown): Json[] {
  if (!isObject(doc) || !Array.isArray(doc.steps)) return [];
  return doc.steps.filter(isObject);
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Steps after expanding repeats; nested lists count as reps × their own expanded size. */
export function countSteps(steps: Json[]): number {
  let total = 0;
  for (const step of steps) {
    const inner = stepsOf(step);
    if (inner.length > 0) total += Math.max(1, num(step.reps) ?? 1) * countSteps(inner);
    else total += 1;
  }
  return total;
}

function hasTarget(steps: Json[]): boolean {
  return steps.some((s) => isObject(s.power) || isObject(s.hr) || isObject(s.pace) || hasTarget(stepsOf(s)));
}

/** Seconds → `1h05m`, `2m30s`, `45s`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${rest ? `${String(rest).padStart(2, '0')}s` : ''}`;
  if (m > 0) return `${m}m${rest ? `${String(rest).padStart(2, '0')}s` : ''}`;
  return `${rest}s`;
}

const UNIT_LABELS: Record<string, string> = {
  w: 'W',
  '%ftp': '% FTP',
  '%mmp': '% MMP',
  power_zone: 'power zone',
  '%hr': '% max HR',
  '%lthr': '% LTHR',
  hr_zone: 'HR zone',
  bpm: 'bpm',
  '%pace': '% threshold pace',
  pace_zone: 'pace zone',
  rpm: 'rpm',
};

/** `{start:130,end:220,units:'w'}` → `130-220 W`; `{value:2,units:'power_zone'}` → `power zone 2`. */
export function formatTarget(target: unknown): string | null {
  if (!isObject(target)) return null;
  const units = typeof target.units === 'string' ? target.units : '';
  const label = UNIT_LABELS[units.toLowerCase()] ?? units;
  const value = num(target.value);
  const start = num(target.start);
  const end = num(target.end);
  const amount = value !== null ? `${value}` : start !== null && end !== null ? `${start}-${end}` : null;
  if (amount === null) return null;
  if (label.endsWith('zone')) return `${label} ${amount}`;
  return label.startsWith('%') ? `${amount}${label}` : `${amount} ${label}`.trim();
}

function stepLine(step: Json): string {
  const parts: string[] = [];
  const cue = cleanText(step.text, 60);
  if (cue) parts.push(cue.replace(/\s+/g, ' '));
  const distance = num(step.distance);
  const duration = num(step.duration);
  if (distance) parts.push(`${distance} m`);
  else if (duration !== null) parts.push(formatDuration(duration));
  if (step.ramp === true) parts.push('ramp');
  if (step.freeride === true) parts.push('freeride');
  for (const key of ['power', 'hr', 'pace', 'cadence'] as const) {
    const target = formatTarget(step[key]);
    if (target) parts.push(target);
  }
  return parts.join(' ');
}

function outlineOf(steps: Json[], indent: string, out: string[]): void {
  for (const step of steps) {
    if (out.length >= MAX_OUTLINE_LINES) return;
    const inner = stepsOf(step);
    if (inner.length > 0) {
      const cue = cleanText(step.text, 60);
      const label = cue ? ` ${cue.replace(/\s+/g, ' ')}` : '';
      out.push(`${indent}${num(step.reps) ?? 1}x${label.replace(/\s\d+x$/, '')}`);
      outlineOf(inner, `${indent}  `, out);
    } else {
      out.push(`${indent}- ${stepLine(step)}`);
    }
  }
}

/**
 * The parse report for an item with workout text or parsed steps (a WORKOUT event or a library
 * workout); null when there is neither (notes, races, holidays, empty descriptions).
 */
export function reportWorkout(description: unknown, workoutDoc: unknown): WorkoutReport | null {
  const steps = stepsOf(workoutDoc);
  if ((typeof description !== 'string' || description.trim() === '') && steps.length === 0) return null;
  const outline: string[] = [];
  outlineOf(steps, '', outline);
  const total = countSteps(steps);
  const report: WorkoutReport = {
    parsed: steps.length > 0,
    steps: total,
    duration_s: isObject(workoutDoc) ? num(workoutDoc.duration) : null,
    outline,
  };
  if (!report.parsed) report.hint = NOT_PARSED_HINT;
  else if (!hasTarget(steps)) report.hint = NO_TARGET_HINT;
  if (outline.length >= MAX_OUTLINE_LINES) outline.push(`… (${total} steps in all; see the description)`);
  return report;
}
