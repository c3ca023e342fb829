/**
 * How a set of work reps held up: the output of the last rep against the first (power, or speed
 * where there is no power), the second half of the reps against the first (even split) and the
 * heart-rate drift across them. A negative fade is a rep that came out weaker. Needs at least three
 * reps with output. Pure; no I/O.
 */
export interface Rep {
  avg_power_w: number | null;
  avg_speed_mps: number | null;
  avg_hr_bpm: number | null;
}

export interface RepFade {
  reps: number;
  metric: 'power_w' | 'speed_mps';
  first: number;
  last: number;
  fade_pct: number;
  /** Mean of the second half of the reps against the first half, in %. */
  split_pct: number;
  hr_drift_bpm: number | null;
}

const MIN_REPS = 3;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (a: number, b: number) => Math.round(((a - b) / b) * 1000) / 10;

export function repFade(work: readonly Rep[]): RepFade | null {
  const byPower = work.filter((r) => r.avg_power_w !== null && r.avg_power_w > 0);
  const metric = byPower.length >= MIN_REPS ? 'power_w' : 'speed_mps';
  const reps = metric === 'power_w' ? byPower : work.filter((r) => r.avg_speed_mps !== null && r.avg_speed_mps > 0);
  if (reps.length < MIN_REPS) return null;
  const values = reps.map((r) => (metric === 'power_w' ? r.avg_power_w! : r.avg_speed_mps!));
  const half = Math.floor(values.length / 2);
  const hrs = reps.map((r) => r.avg_hr_bpm);
  const firstHr = hrs[0];
  const lastHr = hrs.at(-1);
  return {
    reps: reps.length,
    metric,
    first: values[0]!,
    last: values.at(-1)!,
    fade_pct: pct(values.at(-1)!, values[0]!),
    split_pct: pct(mean(values.slice(values.length - half)), mean(values.slice(0, half))),
    hr_drift_bpm: firstHr !== null && firstHr !== undefined && lastHr !== null && lastHr !== undefined ? lastHr - firstHr : null,
  };
}
