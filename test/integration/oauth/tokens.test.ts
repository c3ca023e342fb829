import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  authorize,
  exchangeCode,
  refreshTokens,
  registerClient,
  startOAuthService,
  tokenRequest,
  type OAuthService,
  type RegisteredClient,
} from '../../support/oauth.js';
import { CookieJar } from '../../support/http-forms.js';
import { REQ } from '../../../src/auth/requirements.js';
import { sweepExpiredPayloads } from '../../../src/auth/adapter.js';

let svc: OAuthService;
const jar = new CookieJar();
beforeAll(async () => {
  svc = await startOAuthService();
});
afterAll(async () => {
  await svc?.close();
});

/** Tokens through the file's signed-in session, or a fresh browser signed in as `email`. */
async function tokensFor(client?: RegisteredClient, email?: string) {
  const session = email ? { jar: new CookieJar(), email } : { jar, email: 'tokens@example.com' };
  const { client: c, code, verifier } = await authorize(svc, { client, ...session });
  const res = await exchangeCode(svc.url, c, { code: code!, verifier });
  expect(res.status).toBe(200);
  return { client: c, code: code!, verifier, access: res.body.access_token!, refresh: res.body.refresh_token! };
}

/** tools/list on /mcp with an access token: what the resource server (this instance) makes of it. */
async function atMcp(access: string): Promise<{ status: number; challenge: string }> {
  const res = await fetch(svc.resource, {
    method: 'POST',
    headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  await res.text();
  return { status: res.status, challenge: res.headers.get('www-authenticate') ?? '' };
}
const REVOKED = {
  status: 401,
  challenge: expect.stringContaining('error_description="This app\'s access was revoked or has ended; reconnect the app'),
};

/** Moves a stored artefact's clock: tests do not wait out real lifetimes. */
async function backdate(model: string, id: string, column: 'expires_at' | 'consumed_at', seconds: number): Promise<void> {
  const rows = await svc.store.query(
    `UPDATE oidc_payloads SET ${column} = now() - $3::float8 * interval '1 second' WHERE model = $1 AND id = $2 RETURNING id`,
    [model, id, seconds],
  );
  expect(rows).toHaveLength(1);
}

describe('authorization codes', () => {
  it(`${REQ.CODE_SINGLE_USE.id}: a replayed code fails and revokes what the first exchange issued`, async () => {
    const t = await tokensFor();
    expect((await atMcp(t.access)).status).toBe(200);
    const replay = await exchangeCode(svc.url, t.client, { code: t.code, verifier: t.verifier });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    const refresh = await refreshTokens(svc.url, t.client, t.refresh);
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe('invalid_grant');
    // The access token went with the grant, on this instance at once (not after ACCESS_STATUS_CACHE_SECONDS).
    expect(await atMcp(t.access)).toEqual(REVOKED);
  });

  it(`${REQ.CODE_EXPIRY.id}: an expired code → invalid_grant`, async () => {
    const { client, code, verifier } = await authorize(svc, { jar });
    await backdate('AuthorizationCode', code!, 'expires_at', 1);
    const res = await exchangeCode(svc.url, client, { code: code!, verifier });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe(`${REQ.REFRESH_ROTATION.id} / ${REQ.REFRESH_GRACE.id} refresh tokens`, () => {
  it.each([
    ['inside the grace window', 200, 0],
    ['outside the grace window', 400, 300],
  ])('reusing a rotated refresh token %s → %s', async (_name, status, agedSeconds) => {
    const t = await tokensFor();
    const first = await refreshTokens(svc.url, t.client, t.refresh);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(t.refresh);
    if (agedSeconds > 0) await backdate('RefreshToken', t.refresh, 'consumed_at', agedSeconds);
    const reuse = await refreshTokens(svc.url, t.client, t.refresh);
    expect(reuse.status).toBe(status);
    // Inside the grace both chains live on; outside it the whole grant is revoked (theft signal).
    const successor = await refreshTokens(svc.url, t.client, first.body.refresh_token!);
    expect(successor.status).toBe(status);
    if (status === 400) expect(reuse.body.error).toBe('invalid_grant');
  });

  it(`${REQ.REFRESH_WITHOUT_OFFLINE.id}: a public client gets a refresh token without offline_access, valid for 90 days`, async () => {
    const t = await tokensFor();
    const rows = await svc.store.query<{ days: number }>(
      `SELECT (extract(epoch FROM expires_at - now()) / 86400)::float8 AS days FROM oidc_payloads WHERE model = 'RefreshToken' AND id = $1`,
      [t.refresh],
    );
    expect(rows[0]!.days).toBeGreaterThan(89.9);
    const grant = await svc.store.query<{ days: number }>(
      `SELECT (extract(epoch FROM g.expires_at - now()) / 86400)::float8 AS days FROM oidc_payloads g
        JOIN oidc_payloads r ON r.grant_id = g.id AND r.model = 'RefreshToken' WHERE g.model = 'Grant' AND r.id = $1`,
      [t.refresh],
    );
    expect(grant[0]!.days).toBeGreaterThan(364.9);
  });

  it(`${REQ.REVOCATION.id}: a revoked refresh token no longer refreshes, and the grant's access token is refused at once`, async () => {
    const t = await tokensFor();
    expect((await atMcp(t.access)).status).toBe(200);
    const res = await fetch(`${svc.url}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: t.client.client_id, token: t.refresh, token_type_hint: 'refresh_token' }),
    });
    expect(res.status).toBe(200);
    const after = await refreshTokens(svc.url, t.client, t.refresh);
    expect(after.status).toBe(400);
    expect(after.body.error).toBe('invalid_grant');
    // RFC 7009 §2.1: revoking a refresh token also invalidates access tokens of the same grant.
    expect(await atMcp(t.access)).toEqual(REVOKED);
  });

  it(`${REQ.ACCOUNT_CUTOFF.id}: a disabled account can no longer refresh`, async () => {
    const t = await tokensFor(undefined, 'disabled@example.com');
    const disabled = await svc.store.query(`UPDATE accounts SET disabled_at = now() WHERE email = $1 RETURNING id`, [
      'disabled@example.com',
    ]);
    expect(disabled).toHaveLength(1);
    const res = await refreshTokens(svc.url, t.client, t.refresh);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe(`${REQ.INVALID_CLIENT_401.id} client authentication`, () => {
  it.each([
    ['an unknown client_id', { client_id: 'no-such-client', redirect_uris: [], token_endpoint_auth_method: 'none' }],
    ['a wrong client_secret', null],
  ])('%s → 401 invalid_client', async (_name, fake) => {
    let client = fake as RegisteredClient | null;
    if (!client) {
      const real = await registerClient(svc.url, { token_endpoint_auth_method: 'client_secret_post' });
      client = { ...real, client_secret: 'wrong-secret' };
    }
    const res = await tokenRequest(svc.url, client, { grant_type: 'refresh_token', refresh_token: 'whatever' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it(`${REQ.UNUSED_CLIENT_EXPIRY.id}: a registered client unused for 90 days is gone → 401 invalid_client`, async () => {
    const t = await tokensFor();
    const rows = await svc.store.query<{ days: number }>(
      `SELECT (extract(epoch FROM expires_at - now()) / 86400)::float8 AS days FROM oidc_payloads WHERE model = 'Client' AND id = $1`,
      [t.client.client_id],
    );
    expect(Math.round(rows[0]!.days)).toBe(90);
    await backdate('Client', t.client.client_id, 'expires_at', 1);
    const res = await refreshTokens(svc.url, t.client, t.refresh);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it(`${REQ.DCR.id}: a client_secret_post client authenticates with its secret`, async () => {
    const client = await registerClient(svc.url, { token_endpoint_auth_method: 'client_secret_post' });
    expect(client.client_secret).toEqual(expect.any(String));
    const t = await tokensFor(client);
    const res = await refreshTokens(svc.url, client, t.refresh);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe(`${REQ.PERSISTENCE.id} sweeping`, () => {
  it('the sweep deletes expired artefacts only, in bounded batches', async () => {
    for (const [id, offset] of [
      ['sweep-old-1', -60],
      ['sweep-old-2', -1],
      ['sweep-live', 600],
    ] as const) {
      await svc.store.query(
        `INSERT INTO oidc_payloads (model, id, payload, expires_at) VALUES ('Interaction', $1, '{}'::jsonb, now() + $2::float8 * interval '1 second')`,
        [id, offset],
      );
    }
    expect(await sweepExpiredPayloads(svc.store, 1)).toBe(1);
    await sweepExpiredPayloads(svc.store);
    const left = await svc.store.query<{ id: string }>(`SELECT id FROM oidc_payloads WHERE id LIKE 'sweep-%' ORDER BY id`);
    expect(left.map((r) => r.id)).toEqual(['sweep-live']);
  });
});
