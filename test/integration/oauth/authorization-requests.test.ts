import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import {
  authorize,
  authorizationUrl,
  exchangeCode,
  pkce,
  registerClient,
  startOAuthService,
  type OAuthService,
} from '../../support/oauth.js';
import { CookieJar } from '../../support/http-forms.js';
import { REQ } from '../../../src/auth/requirements.js';

let svc: OAuthService;
/** One signed-in browser session for the whole file (the sign-in form is rate-limited per IP). */
const jar = new CookieJar();
beforeAll(async () => {
  svc = await startOAuthService();
});
afterAll(async () => {
  await svc?.close();
});

describe(`${REQ.PKCE_REQUIRED.id} PKCE`, () => {
  it.each([
    ['no code_challenge', 'invalid_request', { challenge: undefined }],
    ['plain method', 'invalid_request', { challengeMethod: 'plain' }],
    ['unknown method', 'invalid_request', { challengeMethod: 'S512' }],
  ])('%s → error redirect %s, no code', async (_name, error, params) => {
    const { callback, code } = await authorize(svc, { jar, ...params });
    expect(code).toBeNull();
    expect(callback.searchParams.get('error')).toBe(error);
    expect(callback.searchParams.get('error_description')).toMatch(/code_challenge|PKCE/i);
  });

  it.each([
    ['wrong verifier', 'invalid_grant', 'x'.repeat(43)],
    ['missing verifier', 'invalid_grant', undefined],
  ])('%s at the token endpoint → 400 %s', async (_name, error, verifier) => {
    const { client, code } = await authorize(svc, { jar });
    const res = await exchangeCode(svc.url, client, { code: code!, verifier });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(error);
  });
});

describe(`${REQ.REDIRECT_EXACT.id} redirect_uri at the authorization endpoint`, () => {
  it.each([
    ['unregistered path', 'http://127.0.0.1:33418/other'],
    ['unregistered host', 'https://attacker.example/callback'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['non-loopback http', 'http://example.com/callback'],
  ])('%s → a plain error page, never a redirect', async (_name, redirectUri) => {
    const client = await registerClient(svc.url);
    const url = authorizationUrl(svc.url, { client, challenge: pkce().challenge, redirectUri, scope: 'intervals:read' });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const body = await res.text();
    expect(body).toContain('redirect_uri');
    expect(body).not.toMatch(/attacker\.example|javascript:alert|at .*\.js:\d+/);
  });

  it('a loopback redirect may change its port (RFC 8252 §7.3)', async () => {
    const client = await registerClient(svc.url, { redirect_uris: ['http://127.0.0.1:40000/callback'] });
    const { callback, code, verifier } = await authorize(svc, { jar, client, redirectUri: 'http://127.0.0.1:40123/callback' });
    expect(callback.port).toBe('40123');
    const res = await exchangeCode(svc.url, client, { code: code!, verifier, redirectUri: 'http://127.0.0.1:40123/callback' });
    expect(res.status).toBe(200);
  });
});

describe(`${REQ.RESOURCE_INDICATORS.id} resource indicators`, () => {
  const spellings = (base: string) =>
    [
      ['canonical', `${base}/mcp`],
      ['trailing slash', `${base}/mcp/`],
      ['bare origin', base],
      ['origin with slash', `${base}/`],
      ['upper-case scheme', `${base.replace('http://', 'HTTP://')}/mcp`],
      ['no resource at all', null],
    ] as const;

  it.each(spellings('BASE').map(([name]) => [name]))('%s → aud is exactly BASE_URL/mcp', async (name) => {
    const resource = spellings(svc.url).find(([n]) => n === name)![1];
    const { client, code, verifier } = await authorize(svc, { jar, resource });
    expect(code).toBeTruthy();
    const res = await exchangeCode(svc.url, client, { code: code!, verifier, resource });
    expect(res.status).toBe(200);
    expect(decodeJwt(res.body.access_token!).aud).toBe(svc.resource);
  });

  it('foreign resource at the authorization endpoint → error redirect invalid_target', async () => {
    const { callback } = await authorize(svc, { jar, resource: 'https://other.example/mcp' });
    expect(callback.searchParams.get('error')).toBe('invalid_target');
  });

  it('foreign resource at the token endpoint → 400 invalid_target', async () => {
    const { client, code, verifier } = await authorize(svc, { jar });
    const res = await exchangeCode(svc.url, client, { code: code!, verifier, resource: 'https://other.example/mcp' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_target');
  });
});

describe('consent', () => {
  it(`${REQ.CONSENT_REMEMBERED.id}: prompt=consent shows the consent page even when consent is remembered`, async () => {
    const client = await registerClient(svc.url);
    const steps: string[] = [];
    await authorize(svc, { jar, client });
    const second = await authorize(svc, { jar, client, onStep: (p) => steps.push(p) });
    expect(second.code).toBeTruthy();
    expect(steps).toEqual([]);
    const forced = await authorize(svc, { jar, client, prompt: 'consent', onStep: (p) => steps.push(p) });
    expect(forced.code).toBeTruthy();
    expect(steps).toEqual([expect.stringMatching(/^\/interaction\/[^/]+$/)]);
  });

  it(`${REQ.CONSENT_DENY.id}: Deny → access_denied at the client, with state and iss`, async () => {
    const { callback, code } = await authorize(svc, { jar, decision: 'deny', state: 'keep-me' });
    expect(code).toBeNull();
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('keep-me');
    expect(callback.searchParams.get('iss')).toBe(svc.url);
  });

  it(`${REQ.CONSENT_PAGE.id}: the consent form refuses a post without the CSRF token`, async () => {
    const client = await registerClient(svc.url);
    const url = authorizationUrl(svc.url, { client, challenge: pkce().challenge, scope: 'intervals:read' });
    const page = await jar.browse(url, svc.url);
    if (page instanceof URL) throw new Error('expected the consent page');
    expect(page.url.pathname).toMatch(/^\/interaction\/[^/]+$/);
    expect(page.html).toContain('Test client');
    expect(page.html).toContain('unverified');
    expect(page.html).toContain('127.0.0.1:33418');
    expect(page.html).toContain('Read your Intervals.icu data');
    const res = await fetch(`${svc.url}${page.url.pathname}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(new URL(`${page.url.href}/consent`)) },
      body: 'decision=allow',
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toMatch(/expired or was not sent from this site/);
  });

  it(`${REQ.ERROR_SHAPES.id}: an unknown or expired interaction is a plain page`, async () => {
    const res = await fetch(`${svc.url}/interaction/does-not-exist`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/expired or was opened in another browser/);
  });
});
