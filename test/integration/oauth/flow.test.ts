import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  authorizationUrl,
  authorizeOverHttp,
  exchangeCode,
  getTokens,
  linkIntervals,
  pkce,
  refreshTokens,
  registerClient,
  startOAuthService,
  type OAuthService,
} from '../../support/oauth.js';
import { CookieJar } from '../../support/http-forms.js';
import { REQ } from '../../../src/auth/requirements.js';

let svc: OAuthService;
beforeAll(async () => {
  svc = await startOAuthService();
});
afterAll(async () => {
  await svc?.close();
});

describe('authorization code flow (happy path)', () => {
  it(`${REQ.AS_DISCOVERY.id}: discovery at both well-knowns with one issuer and S256 only`, async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await fetch(`${svc.url}${path}`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as Record<string, unknown>;
      expect(doc.issuer).toBe(svc.url);
      expect(doc.code_challenge_methods_supported).toEqual(['S256']);
      expect(doc.authorization_response_iss_parameter_supported).toBe(true);
      expect(doc.client_id_metadata_document_supported).toBe(true);
      expect(doc.registration_endpoint).toBe(`${svc.url}/register`);
      expect(doc.token_endpoint).toBe(`${svc.url}/token`);
      expect(doc.revocation_endpoint).toBe(`${svc.url}/revoke`);
      expect(doc.jwks_uri).toBe(`${svc.url}/jwks`);
      expect(doc.scopes_supported).toEqual(expect.arrayContaining(['intervals:read', 'intervals:write', 'offline_access']));
      expect(doc.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['none', 'client_secret_post']));
      expect(Object.entries(doc).filter(([, v]) => v === null)).toEqual([]);
    }
  });

  it(`${REQ.JWT_ACCESS_TOKEN.id}: code → JWT access token for BASE_URL/mcp (ES256, at+jwt, 1 h) and a refresh token`, async () => {
    const tokens = await getTokens(svc, { email: 'happy@example.com' });
    const header = decodeProtectedHeader(tokens.access_token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${svc.url}/jwks`)), {
      issuer: svc.url,
      audience: svc.resource,
      typ: 'at+jwt',
    });
    const account = await svc.store.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', ['happy@example.com']);
    expect(payload.sub).toBe(account[0]!.id);
    expect(payload.aud).toBe(svc.resource);
    expect(payload.scope).toBe('intervals:read');
    expect(payload.client_id).toBe(tokens.client.client_id);
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.expires_in).toBe(3600);
  });

  it(`${REQ.ISS_PARAMETER.id}: the redirect carries code, state and iss`, async () => {
    const client = await registerClient(svc.url);
    const { challenge } = pkce();
    const url = authorizationUrl(svc.url, { client, challenge, state: 'st-123', scope: 'intervals:read' });
    const cb = await authorizeOverHttp(url, { email: 'iss@example.com', link: linkIntervals(svc) });
    expect(cb.origin + cb.pathname).toBe(client.redirect_uris[0]);
    expect(cb.searchParams.get('state')).toBe('st-123');
    expect(cb.searchParams.get('iss')).toBe(svc.url);
    expect(cb.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it(`${REQ.DEFAULT_SCOPE.id}: no scope asked → intervals:read granted; offline_access alone also gets it`, async () => {
    for (const scope of [undefined, 'offline_access']) {
      const client = await registerClient(svc.url);
      const { verifier, challenge } = pkce();
      const cb = await authorizeOverHttp(authorizationUrl(svc.url, { client, challenge, scope }), {
        email: 'noscope@example.com',
        link: linkIntervals(svc),
      });
      const res = await exchangeCode(svc.url, client, { code: cb.searchParams.get('code')!, verifier });
      expect(res.status).toBe(200);
      expect(res.body.scope?.split(' ')).toContain('intervals:read');
      expect(res.body.refresh_token).toEqual(expect.any(String));
    }
  });

  it(`${REQ.CONSENT_REMEMBERED.id}: consent is remembered per person and client, asked again for a new scope`, async () => {
    const client = await registerClient(svc.url);
    const jar = new CookieJar();
    const steps: string[] = [];
    const run = async (scope: string) => {
      steps.length = 0;
      const { challenge } = pkce();
      return authorizeOverHttp(
        authorizationUrl(svc.url, { client, challenge, scope }),
        { email: 'remember@example.com', link: linkIntervals(svc), onStep: (p) => steps.push(p) },
        jar,
      );
    };
    expect((await run('intervals:read')).searchParams.get('code')).toBeTruthy();
    expect(steps.some((s) => s.endsWith('/signin'))).toBe(true);
    expect((await run('intervals:read')).searchParams.get('code')).toBeTruthy();
    expect(steps).toEqual([]); // same session, same client, same scope: straight back with a code
    await run('intervals:read intervals:write');
    expect(steps.filter((s) => /^\/interaction\/[^/]+$/.test(s))).toHaveLength(1); // the consent page again
  });

  it(`${REQ.REFRESH_ROTATION.id}: refresh rotates and the new access token has the same audience`, async () => {
    const tokens = await getTokens(svc, { email: 'refresh@example.com' });
    const r1 = await refreshTokens(svc.url, tokens.client, tokens.refresh_token);
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(tokens.refresh_token);
    const { payload } = await jwtVerify(r1.body.access_token!, createRemoteJWKSet(new URL(`${svc.url}/jwks`)), {
      audience: svc.resource,
      issuer: svc.url,
    });
    expect(payload.scope).toBe('intervals:read');
  });

  it(`${REQ.ERROR_SHAPES.id}: the end-session page is ours (CSP, no framing) and asks before signing out`, async () => {
    const jar = new CookieJar();
    const client = await registerClient(svc.url);
    await authorizeOverHttp(
      authorizationUrl(svc.url, { client, challenge: pkce().challenge }),
      { email: 'logout@example.com', link: linkIntervals(svc) },
      jar,
    );
    const url = new URL(`${svc.url}/logout`);
    const res = await fetch(url, { headers: { cookie: jar.header(url) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const body = await res.text();
    expect(body).toContain(`Sign out of ${new URL(svc.url).host}?`);
    expect(body).toMatch(/<form[^>]+id="op\.logoutForm"/);
  });
});
