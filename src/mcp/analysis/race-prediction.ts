/**
 * Race time from the athlete's own pace curve, two ways, each named:
 * - critical speed: t = (d − D′) / CS, the two-parameter model Intervals.icu fits to the curve
 *   (its `paceModels` CS entry). Sound for efforts of roughly 2–30 minutes; beyond that it is
 *   optimistic, because it assumes the speed above CS is the only limit.
 * - Riegel: t₂ = t₁ · (d₂ / d₁)^1.06 from the athlete's best effort at the longest distance on the
 *   curve (the further the jump, the rougher the estimate).
 * Pure; no I/O.
 */
export const RIEGEL_EXPONENT = 1.06;
/** Above this predicted duration the critical-speed answer is flagged as optimistic. */
export const CS_VALID_UP_TO_S = 30 * 60;

export interface Prediction {
  method: 'critical_speed' | 'riegel';
  time_s: number;
  basis: string;
  caveat: string | null;
}

export function criticalSpeedTime(distanceM: number, csMps: number, dPrimeM: number): number | null {
  if (csMps <= 0 || distanceM <= dPrimeM) return null;
  return (distanceM - dPrimeM) / csMps;
}

export function riegelTime(fromDistanceM: number, fromTimeS: number, toDistanceM: number): number {
  return fromTimeS * (toDistanceM / fromDistanceM) ** RIEGEL_EXPONENT;
}

export function predict(
  distanceM: number,
  model: { cs: number; dPrime: number } | null,
  best: { distance_m: number; time_s: number } | null,
): Prediction[] {
  const out: Prediction[] = [];
  const cs = model ? criticalSpeedTime(distanceM, model.cs, model.dPrime) : null;
  if (model && cs !== null) {
    out.push({
      method: 'critical_speed',
      time_s: Math.round(cs),
      basis: `CS ${model.cs.toFixed(2)} m/s, D′ ${Math.round(model.dPrime)} m`,
      caveat: cs > CS_VALID_UP_TO_S ? 'longer than ~30 min: the critical-speed model is optimistic here' : null,
    });
  }
  if (best && best.distance_m > 0 && best.time_s > 0) {
    const ratio = distanceM / best.distance_m;
    out.push({
      method: 'riegel',
      time_s: Math.round(riegelTime(best.distance_m, best.time_s, distanceM)),
      basis: `best ${Math.round(best.distance_m)} m in ${Math.round(best.time_s)} s`,
      caveat:
        ratio > 4 || ratio < 0.25
          ? `extrapolated ${ratio > 1 ? ratio.toFixed(0) : (1 / ratio).toFixed(0)}× from the best effort: rough`
          : null,
    });
  }
  return out;
}
