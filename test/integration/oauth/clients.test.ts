import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
let docServer: Server;
let docUrl: string;
const jar = new CookieJar();

beforeAll(async () => {
  svc = await startOAuthService({ REGISTRATION_RATE_LIMIT_PER_HOUR: '25', CIMD_TEST_LOOPBACK_HTTP: 'true' });
  // A Client ID Metadata Document served on loopback (the test-only setting lets the server fetch it).
  docServer = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
    res.end(
      JSON.stringify({
        client_id: docUrl,
        client_name: 'Loopback CIMD App',
        redirect_uris: ['http://127.0.0.1:33418/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    );
  });
  await new Promise<void>((r) => docServer.listen(0, '127.0.0.1', r));
  docUrl = `https://127.0.0.1:${(docServer.address() as AddressInfo).port}/oauth/client.json`;
});
afterAll(async () => {
  await svc?.close();
  await new Promise((r) => docServer?.close(r));
});

async function register(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${svc.url}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

describe(`${REQ.REDIRECT_SCHEMES.id} registration redirect URI rules`, () => {
  it.each([
    ['https', 201, 'https://app.example.com/callback', 'web'],
    ['loopback http', 201, 'http://127.0.0.1:8787/callback', 'native'],
    ['localhost http', 201, 'http://localhost/callback', 'native'],
    ['private-use scheme', 201, 'cursor://anysphere.cursor-mcp/oauth/callback', 'native'],
    ['javascript:', 400, 'javascript:alert(1)', undefined],
    ['data:', 400, 'data:text/html,hi', undefined],
    ['file:', 400, 'file:///etc/passwd', undefined],
    ['non-loopback http', 400, 'http://example.com/callback', undefined],
    ['fragment', 400, 'https://app.example.com/cb#x', undefined],
  ])('%s → %s', async (_name, status, uri, appType) => {
    const res = await register({ redirect_uris: [uri], application_type: 'web', token_endpoint_auth_method: 'none' });
    expect(res.status).toBe(status);
    if (status === 201) expect(res.body.application_type).toBe(appType);
    else expect(res.body).toEqual({ error: 'invalid_redirect_uri', error_description: expect.stringMatching(/^redirect_uris/) });
  });

  it("Cursor's three redirect URIs register together", async () => {
    const res = await register({
      redirect_uris: [
        'cursor://anysphere.cursor-mcp/oauth/callback',
        'https://www.cursor.com/agents/mcp/oauth/callback',
        'http://localhost:8787/callback',
      ],
      token_endpoint_auth_method: 'none',
    });
    expect(res.status).toBe(201);
  });
});

describe(`${REQ.DCR.id} registration guards and metadata`, () => {
  it('registration answers CORS preflights from any origin (browser-based MCP clients)', async () => {
    const res = await fetch(`${svc.url}/register`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:6274',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/content-type/i);
  });

  it('a body over 8 KiB → 413 invalid_client_metadata', async () => {
    const res = await register({ redirect_uris: ['https://a.example/cb'], client_name: 'x', software_id: 'y', extra: 'z'.repeat(9000) });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('invalid_client_metadata');
  });

  it.each([
    ['client_name over 120 characters', { client_name: 'n'.repeat(121) }, /client_name must be at most 120/],
    ['more than 10 redirect URIs', { redirect_uris: Array.from({ length: 11 }, (_, i) => `https://a.example/cb${i}`) }, /at most 10/],
    ['an unsupported scope', { scope: 'admin' }, /scope/],
  ])('%s → 400', async (_name, extra, message) => {
    const res = await register({ redirect_uris: ['https://a.example/cb'], ...extra });
    expect(res.status).toBe(400);
    expect(String(res.body.error_description)).toMatch(message);
  });

  it('client_secret_post is honoured; none gets no secret; no null fields', async () => {
    const confidential = await register({
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    expect(confidential.status).toBe(201);
    expect(confidential.body.token_endpoint_auth_method).toBe('client_secret_post');
    expect(confidential.body.client_secret).toEqual(expect.any(String));
    const pub = await register({ redirect_uris: ['http://127.0.0.1:1/cb'], token_endpoint_auth_method: 'none' });
    expect(pub.body).not.toHaveProperty('client_secret');
    for (const b of [confidential.body, pub.body]) expect(Object.values(b).filter((v) => v === null)).toEqual([]);
  });

  it('a client registered with scope intervals:read can step up to intervals:write', async () => {
    const client = await registerClient(svc.url, { scope: 'intervals:read' });
    expect(String(client.scope).split(' ')).toEqual(expect.arrayContaining(['intervals:read', 'intervals:write', 'offline_access']));
    const { code, verifier } = await authorize(svc, { jar, client, scope: 'intervals:read intervals:write' });
    const res = await exchangeCode(svc.url, client, { code: code!, verifier });
    expect(res.body.scope).toBe('intervals:read intervals:write');
  });

  it('registrations over the per-IP hourly limit → 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30 && !statuses.includes(429); i++)
      statuses.push((await register({ redirect_uris: ['https://a.example/cb'] })).status);
    expect(statuses.at(-1)).toBe(429);
    const res = await register({ redirect_uris: ['https://a.example/cb'] });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.body.error).toBe('temporarily_unavailable');
  });
});

describe(`${REQ.CIMD.id} Client ID Metadata Documents`, () => {
  it('a pinned client (claude.ai) works without fetching its document, shown by name and host', async () => {
    const client = {
      client_id: 'https://claude.ai/oauth/mcp-oauth-client-metadata',
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
    };
    const page = await jar.browse(authorizationUrl(svc.url, { client, challenge: pkce().challenge, scope: 'intervals:read' }), svc.url);
    if (page instanceof URL) throw new Error(`expected the consent page, got ${page.href}`);
    expect(page.html).toContain('Allow Claude');
    expect(page.html).not.toContain('unverified');
    expect(page.html).toContain('<strong>claude.ai</strong>');
  });

  it('a document served on loopback (test setting) completes the flow with the document as the client', async () => {
    const client = { client_id: docUrl, redirect_uris: ['http://127.0.0.1:33418/callback'], token_endpoint_auth_method: 'none' };
    const steps: string[] = [];
    const { code, verifier } = await authorize(svc, { jar, client, onStep: (p) => steps.push(p) });
    expect(code).toBeTruthy();
    expect(steps).toHaveLength(1); // the consent page for this new client
    const res = await exchangeCode(svc.url, client, { code: code!, verifier });
    expect(res.status).toBe(200);
  });

  it('a document whose client_id differs from its URL is refused', async () => {
    const other = docUrl.replace('/oauth/client.json', '/oauth/other.json');
    const res = await fetch(
      authorizationUrl(svc.url, {
        client: { client_id: other, redirect_uris: ['http://127.0.0.1:33418/callback'] },
        challenge: pkce().challenge,
      }),
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toMatch(/invalid_client/);
  });
});

describe('without the test setting', () => {
  it('a loopback metadata document is never fetched', async () => {
    const plain = await startOAuthService();
    try {
      const res = await fetch(
        authorizationUrl(plain.url, {
          client: { client_id: docUrl, redirect_uris: ['http://127.0.0.1:33418/callback'] },
          challenge: pkce().challenge,
        }),
        { redirect: 'manual' },
      );
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/invalid_client/);
    } finally {
      await plain.close();
    }
  });
});
