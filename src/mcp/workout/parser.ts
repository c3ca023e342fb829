import {
  cadenceOf,
  distanceOf,
  durationOf,
  looksLikeTarget,
  minutesOnly,
  misspelledUnit,
  PACE_UNITS,
  paceOf,
  percentOf,
  qualifierOf,
  wattsOf,
  zoneOf,
  type Target,
} from './tokens.js';

/**
 * Intervals.icu workout text, checked locally before anything is written: the steps it describes
 * and, line by line, what would not parse (or would parse into something other than meant) with the
 * fix. Intervals.icu keeps text it cannot read as prose and answers 200 anyway, so a typo only shows
 * later as a workout with no steps or no load; this catches it while the model can still correct it.
 *
 * Errors are lines Intervals.icu would drop or misread; warnings parse but are likely slips (400m is
 * 400 minutes). Text with no step lines at all is prose (a WORKOUT may carry a plain description) and
 * is fine. Pure module: no I/O.
 */
export interface Step {
  line: number;
  cue: string | null;
  duration_s: number | null;
  distance_m: number | null;
  targets: Target[];
  ramp: boolean;
  freeride: boolean;
  cadence_rpm: [number, number] | null;
}

export interface Repeat {
  line: number;
  reps: number;
  title: string | null;
  steps: Step[];
}

export interface Problem {
  line: number;
  severity: 'error' | 'warning';
  text: string;
  message: string;
  fix: string;
}

export interface ParsedWorkout {
  /** Top-level steps and repeat blocks, in order. */
  items: (Step | Repeat)[];
  /** Steps once repeats are expanded. */
  step_count: number;
  /** Time of the timed steps, repeats expanded (distance steps add none: their time depends on pace). */
  duration_s: number;
  distance_m: number;
  problems: Problem[];
  /** No errors (warnings allowed). */
  ok: boolean;
}

const MAX_REPS = 100;
/** A bare-minutes step at least this long is more likely metres written as `m`. */
const SUSPICIOUS_MINUTES = 100;
const RUN_OR_SWIM = /run|swim|walk|hike|row/i;

export const isRepeat = (item: Step | Repeat): item is Repeat => 'reps' in item;

/** Reads one step line (without its "- "), reporting problems against `line`. */
function parseStep(
  body: string,
  line: number,
  text: string,
  sport: string | null,
  report: (p: Omit<Problem, 'line' | 'text'>) => void,
): Step | null {
  const words = body.split(/\s+/).filter(Boolean);
  const err = (message: string, fix: string) => report({ severity: 'error', message, fix });
  const warn = (message: string, fix: string) => report({ severity: 'warning', message, fix });
  if (words.length === 0)
    return (err('an empty step', 'write a duration or distance after "- ", e.g. "- 10m 60%", or delete the line'), null);
  const at = words.findIndex((w) => durationOf(w) !== null || distanceOf(w) !== null);
  if (at < 0) {
    const unit = words.map(misspelledUnit).find((w) => w !== null);
    const spaced = words.findIndex(
      (w, i) => /^\d+$/.test(w) && /^(m|min|mins|minutes|s|sec|secs|h|hr|hrs|km|mtr)$/i.test(words[i + 1] ?? ''),
    );
    if (unit)
      return (err('no duration or distance Intervals.icu reads', `write "${unit}" (units: s, m = minutes, h, mtr, km, mi, yrd)`), null);
    if (spaced >= 0) {
      const joined = `${words[spaced]}${words[spaced + 1]!.toLowerCase()}`;
      return (err(`"${words[spaced]} ${words[spaced + 1]}" has a space inside`, `write "${misspelledUnit(joined) ?? joined}"`), null);
    }
    if (/^\d+x$/i.test(words[0]!))
      return (
        err('a repeat written as a step', `write "${words[0]}" on its own line without "- ", with a blank line before the block`),
        null
      );
    return (
      err('no duration or distance', 'start the step with one, e.g. "- 10m 60%" or "- 1km Z2 Pace"; for a note, drop the "- "'),
      null
    );
  }
  const cueWords = words.slice(0, at);
  const early = cueWords.find(looksLikeTarget);
  if (early)
    err(
      `target "${early}" comes before the duration`,
      `put the duration first: "- ${[words[at], ...cueWords.filter((w) => w !== early), early, ...words.slice(at + 1)].join(' ')}"`,
    );
  const length = words[at]!;
  const secs = durationOf(length);
  const step: Step = {
    line,
    cue: cueWords.length ? cueWords.join(' ') : null,
    duration_s: secs,
    distance_m: secs === null ? distanceOf(length) : null,
    targets: [],
    ramp: false,
    freeride: false,
    cadence_rpm: null,
  };
  if ((step.duration_s ?? step.distance_m ?? 0) <= 0) err(`"${length}" is zero long`, 'give the step a length above zero');
  const minutes = minutesOnly(length);
  if (minutes !== null && minutes >= SUSPICIOUS_MINUTES)
    warn(`"${length}" is ${minutes} MINUTES`, `for metres write "${minutes}mtr" (or "${minutes / 1000}km")`);
  const rest = words.slice(at + 1);
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    const q = qualifierOf(rest[i + 1]);
    const skipQualifier = () => {
      if (q) i++;
    };
    const lw = w.toLowerCase();
    if (lw === 'ramp') {
      step.ramp = true;
      continue;
    }
    if (lw === 'freeride') {
      step.freeride = true;
      continue;
    }
    const pct = percentOf(w);
    const watts = wattsOf(w);
    const zone = zoneOf(w);
    const pace = paceOf(w);
    const rpm = cadenceOf(w);
    if (rpm) {
      step.cadence_rpm = rpm;
      if (rpm[0] < 20 || rpm[1] > 200) err(`cadence ${w} is out of range`, 'use 20–200 rpm, e.g. "90rpm" or "85-95rpm"');
    } else if (pct) {
      const unit = q === 'hr' ? '%hr' : q === 'lthr' ? '%lthr' : q === 'pace' ? '%pace' : '%ftp';
      const kind = q === 'hr' || q === 'lthr' ? 'hr' : q === 'pace' ? 'pace' : 'power';
      const max = kind === 'power' ? 400 : kind === 'hr' ? 120 : 200;
      if (pct[0] <= 0 || pct[1] > max)
        err(
          `${w}${q ? ` ${rest[i + 1]}` : ''} is out of range`,
          `use 1–${max}% for ${kind === 'power' ? 'power (% of FTP)' : kind === 'hr' ? 'heart rate' : 'pace (100% = threshold)'}`,
        );
      step.targets.push({ kind, unit, low: pct[0], high: pct[1], pace_per: null });
      skipQualifier();
    } else if (watts) {
      if (watts[0] <= 0 || watts[1] > 2500) err(`${w} is out of range`, 'use 1–2500 W, e.g. "220w" or "200-240w"');
      step.targets.push({ kind: 'power', unit: 'w', low: watts[0], high: watts[1], pace_per: null });
      skipQualifier();
    } else if (zone) {
      const kind = q === 'hr' || q === 'lthr' ? 'hr' : q === 'pace' ? 'pace' : 'power';
      if (zone[0] < 1 || zone[1] > 7) err(`zone ${w} does not exist`, 'zones run Z1–Z7 (as many as the sport settings define)');
      if (kind === 'power' && sport && RUN_OR_SWIM.test(sport))
        warn(`a bare ${w} is a POWER zone; this ${sport} gets no load from it`, `write "${w} Pace" or "${w} HR"`);
      step.targets.push({
        kind,
        unit: kind === 'power' ? 'power_zone' : kind === 'hr' ? 'hr_zone' : 'pace_zone',
        low: zone[0],
        high: zone[1],
        pace_per: null,
      });
      skipQualifier();
    } else if (pace) {
      if (q !== 'pace') err(`absolute pace "${w}" without the word Pace`, `write "${w} Pace"`);
      else i++;
      step.targets.push({ kind: 'pace', unit: 'pace', low: pace.low, high: pace.high, pace_per: pace.per });
    } else if (/^\d+:\d+\/\S+$/.test(w)) {
      err(`pace unit in "${w}" is not one Intervals.icu knows`, `use one of ${PACE_UNITS}`);
    } else if (looksLikeTarget(w) || durationOf(w) !== null || distanceOf(w) !== null) {
      err(`a second length "${w}" in one step`, 'one duration or distance per step: split it into two "- " lines');
    } else if (qualifierOf(w)) {
      err(`"${w}" qualifies nothing`, `put it right after a % or zone, e.g. "70% ${w}" or "Z2 ${w}"`);
    } else {
      warn(
        `"${w}" after the duration is not a target Intervals.icu reads`,
        'move cue text before the duration or drop it; targets are %, w, Z1–Z7 (with HR, LTHR or Pace), m:ss/km Pace, rpm',
      );
    }
  }
  const kinds = step.targets.map((t) => t.kind);
  if (new Set(kinds).size < kinds.length) err('two targets of the same kind in one step', 'keep one (a range is written "88-94%")');
  if (step.ramp && !step.targets.some((t) => t.low !== t.high)) err('a ramp needs a range to ramp over', 'e.g. "- 10m ramp 50-75%"');
  if (step.freeride && step.targets.length) warn('freeride has no target; the target is ignored', `drop "freeride" or the target`);
  return step;
}

/** Parses Intervals.icu workout text; `sport` (e.g. "Run") enables sport-specific warnings. */
export function parseWorkout(text: string, sport: string | null = null): ParsedWorkout {
  const items: (Step | Repeat)[] = [];
  const problems: Problem[] = [];
  let block: Repeat | null = null;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    const report = (p: Omit<Problem, 'line' | 'text'>) => problems.push({ line, text: trimmed, ...p });
    if (trimmed === '') {
      if (block && block.steps.length === 0)
        problems.push({
          line: block.line,
          text: lines[block.line - 1]!.trim(),
          severity: 'error',
          message: 'a repeat with no steps under it',
          fix: 'put its "- " steps on the lines right below, then a blank line',
        });
      block = null;
      return;
    }
    if (trimmed.startsWith('-')) {
      if (/^\s+-/.test(raw) && block === null)
        report({
          severity: 'warning',
          message: 'an indented step',
          fix: 'steps are flat: remove the indentation (repeats are a "4x" line, not nesting)',
        });
      const step = parseStep(trimmed.replace(/^-\s*/, ''), line, trimmed, sport, report);
      if (step) (block ? block.steps : items).push(step);
      return;
    }
    if (/\[\s*repeat|\brepeat\s+\d+|\d+\s*x\s*\(|^\d+\s+x\b|\d+\s*(?:times|reps)\b/i.test(trimmed)) {
      const n = /(\d+)/.exec(trimmed)?.[1] ?? 'N';
      report({
        severity: 'error',
        message: 'a repeat Intervals.icu does not read',
        fix: `write "${n}x" on its own line, the steps below it as flat "- " lines, blank lines around the block`,
      });
      return;
    }
    const reps = /^(.*?)\s*(\d+)x$/i.exec(trimmed);
    if (reps) {
      const n = Number(reps[2]);
      if (block) {
        report({
          severity: 'error',
          message: block.steps.length
            ? 'a repeat right after another block without a blank line (repeats cannot be nested)'
            : 'a repeat directly inside another repeat (repeats cannot be nested)',
          fix: 'leave a blank line before this line and write the steps flat',
        });
      }
      if (n < 1 || n > MAX_REPS) report({ severity: 'error', message: `${n} repeats`, fix: `use 1–${MAX_REPS}` });
      const title = reps[1]?.trim() || null;
      block = { line, reps: n, title, steps: [] };
      if (index > 0 && lines[index - 1]!.trim() !== '' && !title)
        report({
          severity: 'warning',
          message: 'no blank line before the repeat',
          fix: 'leave a blank line before it, or the block may run once',
        });
      items.push(block);
      return;
    }
    // Any other line is a section header ("Warmup"); inside a repeat it ends nothing, so say so.
    if (block && block.steps.length > 0)
      report({
        severity: 'warning',
        message: 'a header inside a repeat block',
        fix: 'leave a blank line after the last step of the repeat',
      });
    block = null;
  });
  const open = block as Repeat | null;
  if (open && open.steps.length === 0)
    problems.push({
      line: open.line,
      text: lines[open.line - 1]!.trim(),
      severity: 'error',
      message: 'a repeat with no steps under it',
      fix: 'put its "- " steps on the lines right below',
    });
  const flat = items.flatMap((it) => (isRepeat(it) ? Array.from({ length: it.reps }, () => it.steps).flat() : [it]));
  problems.sort((a, b) => a.line - b.line);
  return {
    items,
    step_count: flat.length,
    duration_s: flat.reduce((a, s) => a + (s.duration_s ?? 0), 0),
    distance_m: Math.round(flat.reduce((a, s) => a + (s.distance_m ?? 0), 0)),
    problems,
    ok: problems.every((p) => p.severity !== 'error'),
  };
}

/** The problems as lines a model can act on: `line 3 "- Z4 5m": … → fix`. */
export function problemLines(problems: readonly Problem[], max = 20): string {
  const shown = problems
    .slice(0, max)
    .map(
      (p) => `line ${p.line} ${JSON.stringify(p.text.slice(0, 80))}: ${p.severity === 'error' ? '' : 'warning: '}${p.message} → ${p.fix}`,
    );
  if (problems.length > max) shown.push(`… and ${problems.length - max} more`);
  return shown.join('\n');
}
