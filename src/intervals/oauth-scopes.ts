import type { Method } from './http-method.js';
import type { IntervalsCredentials } from './credentials.js';

/**
 * Intervals.icu OAuth scopes are `<AREA>:<READ|WRITE>`, comma-separated, upper case; WRITE
 * implies READ. Knowing which area a route belongs to lets a 403 say exactly
 * which permission to grant.
 */
export const OAUTH_AREAS = ['ACTIVITY', 'WELLNESS', 'CALENDAR', 'LIBRARY', 'SETTINGS'] as const;
export type OAuthArea = (typeof OAUTH_AREAS)[number];

/** What "Connect with Intervals.icu" asks for: everything the tools can do. The person may untick some. */
export const INTERVALS_OAUTH_REQUESTED_SCOPES: readonly string[] = OAUTH_AREAS.map((a) => `${a}:WRITE`);

/** The `scope` of the token response as a list, keeping only well-formed entries. */
export function parseIntervalsScopes(raw: unknown): string[] {
  if (typeof raw !== 'string') return [];
  return [
    ...new Set(
      raw
        .split(/[,\s]+/)
        .map((s) => s.trim().toUpperCase())
        .filter((s) => /^[A-Z]+:(READ|WRITE)$/.test(s)),
    ),
  ];
}

const AREAS: [RegExp, OAuthArea][] = [
  [/\/wellness/, 'WELLNESS'],
  [/\/events|\/duplicate-events|\/training-plan|\/apply-plan/, 'CALENDAR'],
  [/\/folders|\/workouts/, 'LIBRARY'],
  [/\/sport-settings|\/gear/, 'SETTINGS'],
  [/\/activit|curves|\/messages/, 'ACTIVITY'],
];

export function oauthAreaFor(route: string): string | undefined {
  return AREAS.find(([re]) => re.test(route))?.[1];
}

/** The scope an OAuth caller lacks for this call, or undefined (API keys, unknown areas, scope present). */
export function missingOAuthScope(c: IntervalsCredentials, method: Method, route: string): string | undefined {
  if (c.kind !== 'oauth') return undefined;
  const area = oauthAreaFor(route);
  if (!area) return undefined;
  const granted = new Set(c.scopes.map((s) => s.trim().toUpperCase()));
  if (method === 'GET') return granted.has(`${area}:READ`) || granted.has(`${area}:WRITE`) ? undefined : `${area}:READ`;
  return granted.has(`${area}:WRITE`) ? undefined : `${area}:WRITE`;
}
