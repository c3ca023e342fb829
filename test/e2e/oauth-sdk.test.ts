/**
 * End to end: the MCP TypeScript SDK's own OAuth client (`auth()` with an OAuthClientProvider)
 * against the running service, with headless Chromium playing the person (sign-in, consent, link).
 * Three registrations: a DCR public client, a DCR client_secret_post client (claude.ai's DCR mode)
 * and a Client ID Metadata Document served on loopback; each with the SDK's v2 client, and the
 * public client once more with the v1 client (`@modelcontextprotocol/sdk`), which clients in the
 * field still run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  auth,
  Client,
  StreamableHTTPClientTransport,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import { auth as authV1 } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as StreamableHTTPClientTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { authorizeInBrowser, launchChromium, linkIntervals, startOAuthService, type OAuthService } from '../support/oauth.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../fakes/supabase/server.js';
import { supabaseEnv } from '../fakes/supabase/auth-client.js';
import { REQ } from '../../src/auth/requirements.js';

const REDIRECT = 'http://127.0.0.1:33418/callback';

/** The client side's storage, as an MCP host keeps it: in memory here. */
class MemoryProvider implements OAuthClientProvider {
  info?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  authorizationUrl?: URL;
  constructor(
    readonly clientMetadata: OAuthClientMetadata,
    readonly clientMetadataUrl?: string,
  ) {}
  get redirectUrl() {
    return REDIRECT;
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** The two SDK lines, driven the same way: auth(), then connect and list tools with the token. */
const SDKS = {
  v2: {
    auth: (provider: MemoryProvider, options: { serverUrl: string; authorizationCode?: string; iss?: string }) => auth(provider, options),
    async listTools(serverUrl: string, provider: MemoryProvider) {
      const client = new Client({ name: 'oauth-e2e', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(serverUrl), { authProvider: provider }));
      const named = client.getServerVersion()?.name;
      const { tools } = await client.listTools();
      await client.close();
      return { named, tools };
    },
  },
  v1: {
    auth: (provider: MemoryProvider, { iss: _iss, ...options }: { serverUrl: string; authorizationCode?: string; iss?: string }) =>
      authV1(provider as never, options),
    async listTools(serverUrl: string, provider: MemoryProvider) {
      const client = new ClientV1({ name: 'oauth-e2e-v1', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransportV1(new URL(serverUrl), { authProvider: provider as never }));
      const named = client.getServerVersion()?.name;
      const { tools } = await client.listTools();
      await client.close();
      return { named, tools };
    },
  },
};

const metadata = (extra: Partial<OAuthClientMetadata> = {}): OAuthClientMetadata => ({
  client_name: 'SDK e2e client',
  redirect_uris: [REDIRECT],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
  ...extra,
});

let svc: OAuthService;
let browser: Browser;
let docServer: Server;
let docUrl: string;

beforeAll(async () => {
  svc = await startOAuthService({ CIMD_TEST_LOOPBACK_HTTP: 'true' });
  browser = await launchChromium();
  docServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ client_id: docUrl, ...metadata({ client_name: 'SDK CIMD client' }) }));
  });
  await new Promise<void>((r) => docServer.listen(0, '127.0.0.1', r));
  docUrl = `https://127.0.0.1:${(docServer.address() as AddressInfo).port}/client-metadata.json`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => docServer?.close(r));
  await svc?.close();
});

describe(`${REQ.JWT_ACCESS_TOKEN.id} / ${REQ.DCR.id} / ${REQ.CIMD.id} MCP SDK auth() with a person in Chromium`, () => {
  it.each([
    ['a DCR public client', 'dcr-public@example.com', () => new MemoryProvider(metadata()), 'v2'],
    [
      'a DCR client_secret_post client',
      'dcr-secret@example.com',
      () => new MemoryProvider(metadata({ token_endpoint_auth_method: 'client_secret_post' })),
      'v2',
    ],
    ['a CIMD client served on loopback', 'cimd@example.com', () => new MemoryProvider(metadata(), docUrl), 'v2'],
    ['a DCR public client on SDK v1', 'dcr-public-v1@example.com', () => new MemoryProvider(metadata()), 'v1'],
  ] as Array<[string, string, () => MemoryProvider, keyof typeof SDKS]>)(
    '%s: sign-in, consent, link → token for BASE_URL/mcp, refresh, MCP call',
    async (name, email, makeProvider, line) => {
      const { auth } = SDKS[line];
      const provider = makeProvider();
      const serverUrl = svc.resource;
      expect(await auth(provider, { serverUrl })).toBe('REDIRECT');
      const authUrl = provider.authorizationUrl!;
      expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authUrl.searchParams.get('resource')).toBe(svc.resource);
      if (name.includes('CIMD')) expect(provider.info?.client_id).toBe(docUrl);
      if (name.includes('secret')) expect(provider.info).toMatchObject({ client_secret: expect.any(String) });

      const steps: string[] = [];
      const callback = await authorizeInBrowser(browser, authUrl.href, REDIRECT, {
        email,
        link: linkIntervals(svc),
        onStep: (p) => steps.push(p),
      });
      expect(steps.some((p) => p.endsWith('/signin'))).toBe(true);
      expect(callback.searchParams.get('iss')).toBe(svc.url);
      const code = callback.searchParams.get('code');
      expect(code).toBeTruthy();

      // RFC 9207: the v2 client checks the callback's iss against the authorization server it used.
      expect(await auth(provider, { serverUrl, authorizationCode: code!, iss: callback.searchParams.get('iss')! })).toBe('AUTHORIZED');
      const jwks = createRemoteJWKSet(new URL(`${svc.url}/jwks`));
      const first = provider.saved!;
      const { payload } = await jwtVerify(first.access_token, jwks, { issuer: svc.url, audience: svc.resource, typ: 'at+jwt' });
      expect(payload.aud).toBe(svc.resource);
      expect(payload.client_id).toBe(provider.info!.client_id);
      expect(first.refresh_token).toEqual(expect.any(String));

      // A later auth() with stored tokens refreshes (rotation: a new refresh token).
      expect(await auth(provider, { serverUrl })).toBe('AUTHORIZED');
      expect(provider.saved!.refresh_token).not.toBe(first.refresh_token);
      await jwtVerify(provider.saved!.access_token, jwks, { issuer: svc.url, audience: svc.resource });

      // The token works where it is meant to: the MCP endpoint accepts it (initialize + tools/list).
      const { named, tools } = await SDKS[line].listTools(serverUrl, provider);
      expect(named).toBe('intervals-mcp');
      expect(tools.map((t) => t.name)).toContain('get_athlete');
      const anonymous = await fetch(serverUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: '{}',
      });
      expect(anonymous.status).toBe(401);
    },
  );

  it.each([
    ['Allow', 'allow', 'code', /^[A-Za-z0-9_-]{20,}$/],
    ['Deny', 'deny', 'error', /^access_denied$/],
  ])(
    `${REQ.CONSENT_PAGE.id}: for a linked person, %s leads the browser to the client (CSP form-action does not block it)`,
    async (_n, decision, param, expected) => {
      const provider = new MemoryProvider(metadata({ client_name: 'Second app' }));
      expect(await auth(provider, { serverUrl: svc.resource })).toBe('REDIRECT');
      const steps: string[] = [];
      const callback = await authorizeInBrowser(browser, provider.authorizationUrl!.href, REDIRECT, {
        email: 'dcr-public@example.com',
        decision: decision as 'allow' | 'deny',
        onStep: (p) => steps.push(p),
      });
      expect(steps.some((p) => p.endsWith('/link'))).toBe(false);
      expect(callback.searchParams.get(param)).toMatch(expected);
    },
  );
});

describe(`${REQ.JWT_ACCESS_TOKEN.id} MCP SDK auth() with Supabase sign-in (stand-in)`, () => {
  let supabase: SupabaseStandIn;
  let viaSupabase: OAuthService;
  beforeAll(async () => {
    supabase = await startSupabaseStandIn();
    viaSupabase = await startOAuthService(supabaseEnv(supabase));
  });
  afterAll(async () => {
    await viaSupabase?.close();
    await supabase?.close();
  });

  it('email + password through Supabase → token for BASE_URL/mcp whose sub is the Supabase user id, and a refresh', async () => {
    const user = supabase.createConfirmedUser('sdk-supabase@example.com', 'correct horse battery');
    const provider = new MemoryProvider(metadata());
    expect(await auth(provider, { serverUrl: viaSupabase.resource })).toBe('REDIRECT');
    const callback = await authorizeInBrowser(browser, provider.authorizationUrl!.href, REDIRECT, {
      email: 'sdk-supabase@example.com',
      link: linkIntervals(viaSupabase),
      signIn: async (page) => {
        await page.getByLabel('Email').fill('sdk-supabase@example.com');
        await page.getByLabel('Password').fill('correct horse battery');
        await page.getByRole('button', { name: 'Sign in' }).click();
      },
    });
    expect(
      await auth(provider, {
        serverUrl: viaSupabase.resource,
        authorizationCode: callback.searchParams.get('code')!,
        iss: callback.searchParams.get('iss')!,
      }),
    ).toBe('AUTHORIZED');
    const { payload } = await jwtVerify(provider.saved!.access_token, createRemoteJWKSet(new URL(`${viaSupabase.url}/jwks`)), {
      issuer: viaSupabase.url,
      audience: viaSupabase.resource,
    });
    expect(payload.sub).toBe(user.id);
    const before = provider.saved!.refresh_token;
    expect(await auth(provider, { serverUrl: viaSupabase.resource })).toBe('AUTHORIZED');
    expect(provider.saved!.refresh_token).not.toBe(before);
  });
});
