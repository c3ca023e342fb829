import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { runAdmin } from '../../src/admin/run.js';
import { minimumPublishLeadSeconds } from '../../src/auth/keys.js';
import { refreshTokens } from '../support/oauth.js';
import { TEST_STORE } from '../support/store.js';
import { startLoad } from './support/load.js';
import { startReliableService, type ReliableService } from './support/service.js';

/**
 * The signing key is rotated (the operator command) while people are calling tools and
 * refreshing tokens: no valid token is ever rejected — not the ones signed by the old key, not
 * the first ones signed by the new key. The publish lead is the shortest the command accepts
 * without --force: one key reload (SIGNING_KEYS_RELOAD_SECONDS) plus the resource server's JWKS
 * refetch cooldown (5 s), so the new key is in every JWKS cache before it signs (a lead of 0
 * gives up to 5 s of 401s for fresh tokens). PostgreSQL only: the operator command opens the
 * database next to the running server, which PGlite cannot share.
 */
const RELOAD_SECONDS = 1;
const LEAD_SECONDS = minimumPublishLeadSeconds(RELOAD_SECONDS);
const describePg = TEST_STORE === 'postgres' ? describe : describe.skip;

describePg('signing key rotated under load', () => {
  let svc: ReliableService;
  const env = {
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SIGNING_KEYS_RELOAD_SECONDS: String(RELOAD_SECONDS),
    RATE_LIMIT_PER_HOUR: '100000',
  };

  beforeAll(async () => {
    svc = await startReliableService({ env });
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('accepts every token, old key and new, before, during and after the rotation', async () => {
    const c = await svc.connect('rotation@example.com');
    const oldKid = decodeProtectedHeader(c.accessToken).kid;
    const current = { access: c.accessToken, refresh: c.refreshToken };
    const kids = new Set<string | undefined>([oldKid]);
    let n = 0;
    const step = async () => {
      if (n++ % 10 === 9) {
        const r = await refreshTokens(svc.url, c.client, current.refresh);
        if (r.status !== 200) return `refresh ${r.status} ${r.body.error ?? ''}`;
        current.access = r.body.access_token!;
        current.refresh = r.body.refresh_token!;
        kids.add(decodeProtectedHeader(current.access).kid);
      }
      // Alternate the newest token with the very first one (signed by the old key).
      const token = n % 2 ? current.access : c.accessToken;
      const r = await svc.callTool(token, 'get_athlete');
      return r.status === 200 && r.json?.result?.isError !== true ? 'ok' : `tool ${r.status} ${r.text.slice(0, 200)}`;
    };
    const load = startLoad(step, { workers: 3, maxRequests: 20_000, maxMs: 30_000, pauseMs: 10 });
    await new Promise((r) => setTimeout(r, 1_000));
    const out: string[] = [];
    const code = await runAdmin(
      ['rotate-keys', String(LEAD_SECONDS)],
      { ...process.env, ...svc.db.env, ...env },
      { out: (l) => out.push(l), err: (l) => out.push(l) },
    );
    expect(code).toBe(0);
    expect(out.join('\n')).not.toContain('Warning');
    // Past the lead plus a reload: the new key has been signing for a while by the end.
    await new Promise((r) => setTimeout(r, (LEAD_SECONDS + 4) * 1_000));
    const outcomes = await load.stop();

    const bad = outcomes.filter((o) => o.error !== undefined || o.value !== 'ok').map((o) => o.error ?? o.value);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(30);
    // Tokens from both keys were in play.
    expect(kids.size).toBeGreaterThanOrEqual(2);
    expect(svc.alive()).toBe(true);
  }, 60_000);
});
