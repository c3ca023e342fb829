/**
 * Intervals.icu OAuth scopes: `<AREA>:<READ|WRITE>`, comma-separated, upper case; WRITE implies
 * READ (research intervals-landscape.md §2.5). Links made with a personal API key have no scopes
 * and can do whatever the athlete can.
 */
export const INTERVALS_AREAS = ['ACTIVITY', 'WELLNESS', 'CALENDAR', 'LIBRARY', 'SETTINGS'] as const;
export type IntervalsArea = (typeof INTERVALS_AREAS)[number];
export type IntervalsScope = `${IntervalsArea}:${'READ' | 'WRITE'}`;

/** What "Connect with Intervals.icu" asks for: everything the tools can do. The person may untick some. */
export const INTERVALS_OAUTH_REQUESTED_SCOPES: readonly IntervalsScope[] = INTERVALS_AREAS.map((a) => `${a}:WRITE` as const);

export function parseIntervalsScopes(raw: unknown): string[] {
  if (typeof raw !== 'string') return [];
  return [...new Set(raw.split(/[,\s]+/).map((s) => s.trim().toUpperCase()).filter((s) => /^[A-Z]+:(READ|WRITE)$/.test(s)))];
}

/** Whether `granted` covers `needed`. An API-key link (`granted` undefined) covers everything. */
export function grantsIntervalsScope(granted: readonly string[] | undefined, needed: IntervalsScope): boolean {
  if (granted === undefined) return true;
  if (granted.includes(needed)) return true;
  const [area, level] = needed.split(':');
  return level === 'READ' && granted.includes(`${area}:WRITE`);
}

/**
 * The message a tool returns when the person's Intervals.icu OAuth grant lacks a scope: which
 * one, and how to grant it.
 */
export function missingIntervalsScopeMessage(needed: IntervalsScope, baseUrl: string): string {
  return (
    `This needs the Intervals.icu permission ${needed}, which was not granted when you connected your Intervals.icu account. ` +
    `To grant it, open ${baseUrl}/account, choose "Connect with Intervals.icu" again and leave ${needed} ticked on the Intervals.icu screen ` +
    `(or link with a personal API key instead, which covers everything).`
  );
}
