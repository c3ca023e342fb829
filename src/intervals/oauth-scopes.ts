import type { IntervalsCredentials, Method } from './client.js';

/**
 * Intervals.icu OAuth scopes are `<AREA>:<READ|WRITE>` (landscape §2.5); WRITE implies READ.
 * Knowing which area a route belongs to lets a 403 say exactly which permission to grant.
 */
const AREAS: [RegExp, string][] = [
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
