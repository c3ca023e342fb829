/**
 * A planned workout (its parsed `workout_doc`) against what was done (the activity's intervals),
 * step by step: time planned vs done and, for power targets, the target vs the average achieved.
 * Steps pair with intervals in order, as Intervals.icu lays a completed workout's intervals out
 * along its steps. HR and pace targets are shown but not scored: scoring them needs the sport's
 * thresholds at the time, which the activity does not carry. Pure; no I/O.
 */
import { num } from '../format/units.js';

type Raw = Record<string, unknown>;

export interface StepCompare {
  step: number;
  name: string | null;
  planned_s: number | null;
  done_s: number | null;
  time_pct: number | null;
  target: string | null;
  target_w: [number, number] | null;
  avg_w: number | null;
  avg_hr: number | null;
  /** 100 inside the target range; below it the share of the low end, above it the high end's share of the achieved. */
  power_pct: number | null;
}

/** The doc's steps with repeats expanded. */
export function flatSteps(doc: unknown): Raw[] {
  const steps = Array.isArray((doc as Raw | null)?.steps) ? ((doc as Raw).steps as unknown[]) : [];
  return steps.flatMap((s): Raw[] => {
    const step = (s ?? {}) as Raw;
    if (Array.isArray(step.steps)) return Array.from({ length: num(step.reps) ?? 1 }, () => flatSteps(step)).flat();
    return [step];
  });
}

function powerRange(step: Raw, ftp: number | null): [number, number] | null {
  const p = step.power as Raw | undefined;
  if (!p) return null;
  const low = num(p.start) ?? num(p.value);
  const high = num(p.end) ?? num(p.value);
  if (low === null || high === null) return null;
  const [a, b] = low <= high ? [low, high] : [high, low];
  if (p.units === 'w') return [a, b];
  if (p.units === '%ftp' && ftp) return [Math.round((a * ftp) / 100), Math.round((b * ftp) / 100)];
  return null;
}

function targetLabel(step: Raw): string | null {
  for (const kind of ['power', 'hr', 'pace'] as const) {
    const t = step[kind] as Raw | undefined;
    if (!t) continue;
    const v = num(t.value);
    const range = v !== null ? String(v) : `${num(t.start) ?? '?'}-${num(t.end) ?? '?'}`;
    return `${range} ${String(t.units ?? kind)}${kind === 'power' ? '' : ` (${kind})`}`;
  }
  return null;
}

const pct = (a: number | null, b: number | null) => (a !== null && b ? Math.round((a / b) * 100) : null);

export function compareSteps(doc: unknown, intervals: readonly Raw[], ftp: number | null): StepCompare[] {
  const steps = flatSteps(doc);
  const n = Math.max(steps.length, intervals.length);
  return Array.from({ length: n }, (_, i) => {
    const s = steps[i];
    const iv = intervals[i];
    const planned = s ? num(s.duration) : null;
    const done = iv ? (num(iv.moving_time) ?? num(iv.elapsed_time)) : null;
    const range = s ? powerRange(s, ftp) : null;
    const avg = iv ? num(iv.average_watts) : null;
    const powerPct = range && avg !== null ? (avg < range[0] ? pct(avg, range[0]) : avg > range[1] ? pct(range[1], avg) : 100) : null;
    return {
      step: i + 1,
      name: typeof s?.text === 'string' ? s.text : null,
      planned_s: planned,
      done_s: done,
      time_pct: pct(done, planned),
      target: s ? targetLabel(s) : null,
      target_w: range,
      avg_w: avg,
      avg_hr: iv ? num(iv.average_heartrate) : null,
      power_pct: powerPct,
    };
  });
}
