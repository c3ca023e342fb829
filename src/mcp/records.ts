/**
 * Intervals.icu list answers as records, whatever arrived: an explicit `null`, an error-shaped
 * object or stray non-object items all become "nothing", so a tool renders "none" instead of
 * failing on `.map` of something that is not a list (Intervals.icu sends explicit nulls for empty lists).
 */
export type Raw = Record<string, unknown>;

export function records(v: unknown): Raw[] {
  return Array.isArray(v) ? v.filter((x): x is Raw => typeof x === 'object' && x !== null && !Array.isArray(x)) : [];
}

/** A single-object answer as a record; anything else (null, a list, a string) becomes `{}`. */
export function record(v: unknown): Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : {};
}
