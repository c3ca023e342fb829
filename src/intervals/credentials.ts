/**
 * How our code authenticates to Intervals.icu for one person: their personal API key, or the
 * access token of "Connect with Intervals.icu" together with the scopes they granted.
 */
export type IntervalsCredentials = { kind: 'api_key'; apiKey: string } | { kind: 'oauth'; accessToken: string; scopes: string[] };

/** The secret part, for redaction and fingerprints. */
export function credentialSecret(c: IntervalsCredentials): string {
  return c.kind === 'api_key' ? c.apiKey : c.accessToken;
}

/** The Authorization header: personal keys use Basic with the literal user name API_KEY; OAuth tokens use Bearer. */
export function authorizationFor(c: IntervalsCredentials): string {
  return c.kind === 'api_key' ? `Basic ${Buffer.from(`API_KEY:${c.apiKey}`).toString('base64')}` : `Bearer ${c.accessToken}`;
}

/** Intervals.icu sends athlete ids as `i123` or as a bare number; ours are always `i123`. Undefined when `v` is neither. */
export function athleteIdFrom(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return `i${v}`;
  if (typeof v === 'string' && /^i?\d+$/.test(v)) return v.startsWith('i') ? v : `i${v}`;
  return undefined;
}
