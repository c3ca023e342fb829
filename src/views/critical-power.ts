// The two-parameter critical-power model the Curves view draws over a power curve.

/**
 * Critical power and W′ from best efforts between 2 and 20 minutes: a least-squares line through
 * (t, P·t), whose slope is CP (W) and intercept W′ (J). Undefined with fewer than two such points.
 */
export function fitCriticalPower(points: readonly { secs: number; watts: number }[]): { cp: number; wPrime: number } | undefined {
  const use = points.filter((p) => p.secs >= 120 && p.secs <= 1200);
  if (use.length < 2) return undefined;
  const mx = use.reduce((s, p) => s + p.secs, 0) / use.length;
  const my = use.reduce((s, p) => s + p.watts * p.secs, 0) / use.length;
  const sxy = use.reduce((s, p) => s + (p.secs - mx) * (p.watts * p.secs - my), 0);
  const sxx = use.reduce((s, p) => s + (p.secs - mx) ** 2, 0);
  const cp = sxy / sxx;
  return { cp: Math.round(cp), wPrime: Math.round(my - cp * mx) };
}
