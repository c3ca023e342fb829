/**
 * The words of one Intervals.icu workout step, each read on its own: a duration or distance, a
 * target (power, heart rate, pace, zones), cadence and the flags `ramp` and `freeride`. The syntax
 * is the one the resource intervals://docs/workout-syntax documents (src/mcp/guides/workout-syntax.ts).
 * Pure functions, no I/O; src/mcp/workout/parser.ts puts them together line by line.
 */

export type TargetKind = 'power' | 'hr' | 'pace';
export type TargetUnit = '%ftp' | 'w' | 'power_zone' | '%hr' | '%lthr' | 'hr_zone' | '%pace' | 'pace_zone' | 'pace';

export interface Target {
  kind: TargetKind;
  unit: TargetUnit;
  /** Equal to `high` for a single value. Absolute pace is in seconds per `pace_per`. */
  low: number;
  high: number;
  /** Absolute pace only: the distance the time is per, e.g. "/km"; null = the sport's default. */
  pace_per: string | null;
}

const TIME = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i;
const QUOTES = /^(?:(\d+)')?(?:(\d+)")?$/;
const DISTANCE = /^(\d+(?:\.\d+)?)(mtr|km|mi|yrd)$/i;
const METRES_PER: Record<string, number> = { mtr: 1, km: 1000, mi: 1609.344, yrd: 0.9144 };

/** Seconds for `30s`, `10m`, `1h30m`, `5'`, `1'30"`; null when the word is not a duration. */
export function durationOf(word: string): number | null {
  const t = TIME.exec(word);
  if (t && (t[1] ?? t[2] ?? t[3]) !== undefined) return Number(t[1] ?? 0) * 3600 + Number(t[2] ?? 0) * 60 + Number(t[3] ?? 0);
  const q = QUOTES.exec(word);
  if (q && (q[1] ?? q[2]) !== undefined) return Number(q[1] ?? 0) * 60 + Number(q[2] ?? 0);
  return null;
}

/** Metres for `400mtr`, `2km`, `1mi`, `100yrd`; null otherwise. */
export function distanceOf(word: string): number | null {
  const m = DISTANCE.exec(word);
  return m ? Number(m[1]) * METRES_PER[m[2]!.toLowerCase()]! : null;
}

/** Minutes written as a bare `m` (e.g. `400m`): the common slip for metres. */
export function minutesOnly(word: string): number | null {
  const m = /^(\d+)m$/i.exec(word);
  return m ? Number(m[1]) : null;
}

/** `10min`, `30sec`, `2hrs`, `400meters`: units Intervals.icu does not read, with the spelling it does. */
export function misspelledUnit(word: string): string | null {
  const m = /^(\d+(?:\.\d+)?)(mins?|minutes?|secs?|seconds?|hrs?|hours?|meters?|metres?|kms?|miles?|yds?|yards?)$/i.exec(word);
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  const to = unit.startsWith('min')
    ? 'm'
    : unit.startsWith('s')
      ? 's'
      : unit.startsWith('h')
        ? 'h'
        : unit.startsWith('me')
          ? 'mtr'
          : unit.startsWith('k')
            ? 'km'
            : unit.startsWith('mi')
              ? 'mi'
              : 'yrd';
  return `${m[1]}${to}`;
}

function numRange(text: string): [number, number] | null {
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(text);
  if (!m) return null;
  const low = Number(m[1]);
  return [low, m[2] === undefined ? low : Number(m[2])];
}

/** `75%` / `88-94%` → [75, 75] / [88, 94]. */
export function percentOf(word: string): [number, number] | null {
  return word.endsWith('%') ? numRange(word.slice(0, -1)) : null;
}

/** `220w` / `200-240w` (any case). */
export function wattsOf(word: string): [number, number] | null {
  return /w$/i.test(word) ? numRange(word.slice(0, -1)) : null;
}

/** `Z2` / `Z3-Z4` / `Z3-4` → zone numbers. */
export function zoneOf(word: string): [number, number] | null {
  const m = /^z(\d+)(?:-z?(\d+))?$/i.exec(word);
  if (!m) return null;
  const low = Number(m[1]);
  return [low, m[2] === undefined ? low : Number(m[2])];
}

/** `90rpm` / `85-95rpm`. */
export function cadenceOf(word: string): [number, number] | null {
  return /rpm$/i.test(word) ? numRange(word.slice(0, -3)) : null;
}

const PACE_PER = ['/km', '/mi', '/100m', '/100y', '/500m', '/400m', '/250m'];

/** `5:00/km`, `4:10-4:00/km`, `1:45/100m`, `5:00` → seconds per unit, or null. */
export function paceOf(word: string): { low: number; high: number; per: string | null } | null {
  const m = /^(\d{1,2}):([0-5]\d)(?:-(\d{1,2}):([0-5]\d))?(\/[a-z0-9]+)?$/i.exec(word);
  if (!m) return null;
  const per = m[5]?.toLowerCase() ?? null;
  if (per !== null && !PACE_PER.includes(per)) return null;
  const low = Number(m[1]) * 60 + Number(m[2]);
  return { low, high: m[3] === undefined ? low : Number(m[3]) * 60 + Number(m[4]), per };
}

export const PACE_UNITS = PACE_PER.join(', ');

/** Words that qualify the target before them: `70% HR`, `95% LTHR`, `90% Pace`, `Z2 HR`. */
export type Qualifier = 'hr' | 'lthr' | 'pace' | 'power' | null;

export function qualifierOf(word: string | undefined): Qualifier {
  const w = word?.toLowerCase();
  if (w === 'hr') return 'hr';
  if (w === 'lthr') return 'lthr';
  if (w === 'pace') return 'pace';
  if (w === 'ftp' || w === 'power') return 'power';
  return null;
}

/** Any word that reads as a target or a length, for "does this belong before the duration?". */
export function looksLikeTarget(word: string): boolean {
  return percentOf(word) !== null || wattsOf(word) !== null || zoneOf(word) !== null || paceOf(word) !== null || cadenceOf(word) !== null;
}
