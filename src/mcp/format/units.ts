/**
 * Rendering numbers with units. Intervals.icu sends SI units (metres, seconds, m/s, kg) and null
 * for anything unknown; every helper here answers '—' for null/undefined/NaN so tools stay null-safe.
 */
export const DASH = '—';

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function fixed(v: unknown, digits = 0, unit = ''): string {
  const n = num(v);
  return n === null ? DASH : `${n.toFixed(digits)}${unit}`;
}

/** 3725 → "1:02:05"; 125 → "2:05". */
export function duration(seconds: unknown): string {
  const n = num(seconds);
  if (n === null) return DASH;
  const s = Math.round(n);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Metres → "12.34 km" (or "850 m" below 1 km). */
export function distance(metres: unknown): string {
  const n = num(metres);
  if (n === null) return DASH;
  return n >= 1000 ? `${(n / 1000).toFixed(2)} km` : `${Math.round(n)} m`;
}

/** m/s → "4:35 /km". */
export function pacePerKm(metresPerSecond: unknown): string {
  const n = num(metresPerSecond);
  if (n === null || n <= 0) return DASH;
  return `${duration(1000 / n)} /km`;
}

/** m/s → "31.2 km/h". */
export function speedKmh(metresPerSecond: unknown): string {
  const n = num(metresPerSecond);
  return n === null ? DASH : `${(n * 3.6).toFixed(1)} km/h`;
}

export function watts(v: unknown): string {
  return fixed(v, 0, ' W');
}

export function bpm(v: unknown): string {
  return fixed(v, 0, ' bpm');
}

/** Naive local timestamp "2026-09-24T07:12:05" → "2026-09-24 07:12" (no zone: it is the athlete's local time). */
export function localTime(v: unknown): string {
  if (typeof v !== 'string' || v.length < 10) return DASH;
  return v.length >= 16 ? `${v.slice(0, 10)} ${v.slice(11, 16)}` : v.slice(0, 10);
}

/** A pace in m/s shown in the athlete's chosen unit (Intervals.icu `pace_units`). */
export function paceIn(metresPerSecond: unknown, units: unknown): string {
  const n = num(metresPerSecond);
  if (n === null || n <= 0) return DASH;
  switch (units) {
    case 'SECS_100M':
      return `${duration(100 / n)} /100m`;
    case 'SECS_100Y':
      return `${duration(91.44 / n)} /100yd`;
    case 'SECS_500M':
      return `${duration(500 / n)} /500m`;
    case 'MINS_MILE':
      return `${duration(1609.344 / n)} /mi`;
    case 'KMH':
      return speedKmh(n);
    default:
      return pacePerKm(n);
  }
}
