import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOKEN_REQUESTS_PER_IP_PER_HOUR } from '../../../src/auth/guards.js';
import { startOAuthService, type OAuthService } from '../../support/oauth.js';

/** Issue 4: a per-IP limit on POST /token, counted in the store like every other limit. */
let svc: OAuthService;

beforeAll(async () => {
  svc = await startOAuthService(); // TRUST_PROXY unset: X-Forwarded-For must not pick the bucket
});
afterAll(async () => {
  await svc?.close();
});

const tokenRequest = (headers: Record<string, string> = {}) =>
  fetch(`${svc.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'not-a-token', client_id: 'no-such-client' }),
  });

describe('per-IP limit on the token endpoint', () => {
  it(`answers the first ${TOKEN_REQUESTS_PER_IP_PER_HOUR} requests from an address normally, then 429 with Retry-After and an OAuth error`, async () => {
    const statuses = new Map<number, number>();
    // Bounded: exactly the budget, in parallel batches of 25.
    for (let sent = 0; sent < TOKEN_REQUESTS_PER_IP_PER_HOUR; sent += 25) {
      const batch = await Promise.all(Array.from({ length: Math.min(25, TOKEN_REQUESTS_PER_IP_PER_HOUR - sent) }, () => tokenRequest()));
      for (const r of batch) {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        await r.arrayBuffer();
      }
    }
    expect(statuses.get(429)).toBeUndefined();

    // A spoofed X-Forwarded-For is ignored without TRUST_PROXY: still the same (exhausted) address.
    const refused = await tokenRequest({ 'x-forwarded-for': '198.51.100.23' });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.headers.get('ratelimit-policy')).toBe(`"token";q=${TOKEN_REQUESTS_PER_IP_PER_HOUR};w=3600`);
    expect(await refused.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: `Too many token requests from this address; try again in ${retryAfter} seconds.`,
    });
  }, 120_000);

  it('other endpoints are not counted against it', async () => {
    const discovery = await fetch(`${svc.url}/.well-known/oauth-authorization-server`);
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get('ratelimit')).toBeNull();
  });
});
