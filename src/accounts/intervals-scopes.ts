/**
 * Intervals.icu OAuth scopes: `<AREA>:<READ|WRITE>`, comma-separated, upper case; WRITE implies
 * READ (research intervals-landscape.md §2.5). Which scope a call needs, and the message when it
 * is missing, live with the client (src/intervals/oauth-scopes.ts, errors.ts).
 */
const AREAS = ['ACTIVITY', 'WELLNESS', 'CALENDAR', 'LIBRARY', 'SETTINGS'] as const;

/** What "Connect with Intervals.icu" asks for: everything the tools can do. The person may untick some. */
export const INTERVALS_OAUTH_REQUESTED_SCOPES: readonly string[] = AREAS.map((a) => `${a}:WRITE`);

/** The `scope` of the token response as a list, keeping only well-formed entries. */
export function parseIntervalsScopes(raw: unknown): string[] {
  if (typeof raw !== 'string') return [];
  return [...new Set(raw.split(/[,\s]+/).map((s) => s.trim().toUpperCase()).filter((s) => /^[A-Z]+:(READ|WRITE)$/.test(s)))];
}
