/**
 * Helpers to get real OAuth artefacts from a running intervals-mcp service, for any test that
 * needs a client, a code or an access token. Everything goes through the real HTTP endpoints.
 *
 *   const svc = await startOAuthService();                       // service whose BASE_URL is its real address
 *   const tokens = await getTokens(svc, { email: 'a@example.com', scope: 'intervals:read' });
 *   // tokens.access_token: JWT, aud = svc.resource; tokens.refresh_token rotates on use
 *
 * Lower-level pieces: registerClient, pkce, authorizationUrl, authorizeOverHttp (fast, a cookie-jar
 * HTTP client that fills the same forms a person would), authorizeInBrowser (headless Chromium),
 * exchangeCode, refreshTokens, linkIntervals (completes the "link Intervals.icu" step).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Page } from 'playwright-core';
import { startService, type RunningService } from '../../src/service.js';
import { resolveSecrets } from '../../src/store/app-secrets.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { saveIntervalsLink } from '../../src/accounts/links.js';
import type { Store } from '../../src/store/store.js';
import { freePort } from './process.js';
import { createTestDatabase, type TestDatabase } from './store.js';
import { CookieJar, submitForm, findForm, type FormPage } from './http-forms.js';

export { launchChromium, authorizeInBrowser } from './oauth-browser.js';

// ---------------------------------------------------------------- service

export interface OAuthService {
  /** BASE_URL = the OAuth issuer = where the service listens. */
  url: string;
  /** BASE_URL/mcp: the audience of every access token. */
  resource: string;
  db: TestDatabase;
  service: RunningService;
  store: Store;
  logs(): string;
  /** Stops and starts the service again on the same port and database (a deploy or crash). */
  restart(): Promise<void>;
  /** Stops the service and drops its database. */
  close(): Promise<void>;
}

/** Starts the real service in-process with BASE_URL = its actual address (OAuth needs that). */
export async function startOAuthService(env: Record<string, string> = {}): Promise<OAuthService> {
  const db = await createTestDatabase();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let logs = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs += chunk.toString();
      cb();
    },
  });
  const fullEnv = { NODE_ENV: 'test', LOG_LEVEL: 'info', ...db.env, PORT: String(port), BASE_URL: url, ...env };
  const start = () => startService({ env: fullEnv, logDestination: sink });
  const svc: OAuthService = {
    url,
    resource: `${url}/mcp`,
    db,
    service: await start(),
    get store() {
      return this.service.store;
    },
    logs: () => logs,
    async restart() {
      await svc.service.stop();
      svc.service = await start();
    },
    async close() {
      await svc.service.stop();
      await db.drop();
    },
  };
  return svc;
}

// ---------------------------------------------------------------- clients

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  token_endpoint_auth_method: string;
  [key: string]: unknown;
}

export const DEFAULT_REDIRECT = 'http://127.0.0.1:33418/callback';

/** Dynamic client registration; a public loopback client unless `metadata` says otherwise. */
export async function registerClient(baseUrl: string, metadata: Record<string, unknown> = {}): Promise<RegisteredClient> {
  const res = await fetch(`${baseUrl}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Test client',
      redirect_uris: [DEFAULT_REDIRECT],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      ...metadata,
    }),
  });
  const body = (await res.json()) as RegisteredClient;
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeParams {
  client: Pick<RegisteredClient, 'client_id' | 'redirect_uris'>;
  challenge?: string;
  /** Default: S256 when a challenge is given. */
  challengeMethod?: string;
  scope?: string;
  resource?: string | null;
  state?: string;
  prompt?: string;
  redirectUri?: string;
  extra?: Record<string, string>;
}

export function authorizationUrl(baseUrl: string, p: AuthorizeParams): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: p.client.client_id,
    redirect_uri: p.redirectUri ?? p.client.redirect_uris[0]!,
    state: p.state ?? randomBytes(8).toString('hex'),
  });
  if (p.challenge) {
    q.set('code_challenge', p.challenge);
    q.set('code_challenge_method', p.challengeMethod ?? 'S256');
  }
  if (p.scope !== undefined) q.set('scope', p.scope);
  if (p.resource !== null) q.set('resource', p.resource ?? `${baseUrl}/mcp`);
  if (p.prompt) q.set('prompt', p.prompt);
  for (const [k, v] of Object.entries(p.extra ?? {})) q.set(k, v);
  return `${baseUrl}/authorize?${q}`;
}

// ---------------------------------------------------------------- the person's side

export interface PersonOptions {
  /** Signs in with the local development sign-in as this email. */
  email: string;
  /** The consent answer. Default 'allow'. */
  decision?: 'allow' | 'deny';
  /** The tool sets ticked on the consent page (core is fixed on); default none ticked. */
  toolsets?: readonly string[];
  /** Completes the "link Intervals.icu" step when the flow reaches it (see linkIntervals). */
  link?: (person: { email: string }) => Promise<void>;
  /** Called with each page's path, for tests that pin the route taken. */
  onStep?: (path: string) => void;
  /**
   * Browser only: signs in on our sign-in page some other way than the development sign-in (e.g.
   * Supabase email + password against test/fakes/supabase). Called when the sign-in page shows a
   * password field; it must submit the form.
   */
  signIn?: (page: Page) => Promise<void>;
}

const MAX_STEPS = 15;

/**
 * Walks the authorization flow with a cookie-jar HTTP client: the same pages and forms a person
 * sees (dev sign-in, consent, link), no JavaScript. Returns the URL the server finally redirected to
 * (the client's redirect_uri with code/state/iss, or with error=…). Pass the same `jar` to keep the
 * browser session between flows.
 */
export async function authorizeOverHttp(url: string, person: PersonOptions, jar = new CookieJar()): Promise<URL> {
  const origin = new URL(url).origin;
  let page: FormPage | URL = await jar.browse(url, origin);
  for (let step = 0; step < MAX_STEPS; step++) {
    if (page instanceof URL) return page;
    person.onStep?.(page.url.pathname);
    const path = page.url.pathname;
    if (/\/interaction\/[^/]+\/signin/.test(path)) {
      const form = findForm(page, (f) => /\/dev$/.test(f.action));
      if (!form) throw new Error(`no development sign-in form on ${path}:\n${page.html.slice(0, 2000)}`);
      page = await submitForm(jar, page, form, { email: person.email }, origin);
    } else if (/\/interaction\/[^/]+\/link$/.test(path)) {
      if (!person.link) throw new Error('the flow reached the Intervals.icu link step; pass `link` (see linkIntervals)');
      await person.link({ email: person.email });
      const uid = path.split('/')[2]!;
      page = await jar.browse(`${origin}/authorize/${uid}`, origin);
    } else {
      const form = findForm(page, (f) => /\/consent$/.test(f.action));
      if (!form) throw new Error(`unexpected page ${path} (status ${page.status}):\n${page.html.slice(0, 2000)}`);
      page = await submitForm(jar, page, form, { decision: person.decision ?? 'allow', toolsets: person.toolsets ?? [] }, origin);
    }
  }
  throw new Error(`authorization flow did not finish in ${MAX_STEPS} steps`);
}

/** A `link` callback that links the signed-in person to Intervals.icu with an API key, straight in the store. */
export function linkIntervals(svc: OAuthService, opts: { athleteId?: string; apiKey?: string } = {}) {
  return async ({ email }: { email: string }) => {
    const rows = await svc.store.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [email]);
    if (!rows[0]) throw new Error(`no account for ${email}`);
    const box = createSecretBox(await resolveSecrets(svc.service.config, svc.store));
    await saveIntervalsLink(svc.store, box, {
      accountId: rows[0].id,
      athleteId: opts.athleteId ?? 'i12345',
      athleteName: 'Test Athlete',
      credentials: { kind: 'api_key', apiKey: opts.apiKey ?? 'test-api-key-0123456789' },
    });
  };
}

// ---------------------------------------------------------------- token endpoint

export interface TokenResponse {
  status: number;
  body: Record<string, unknown> & {
    access_token?: string;
    refresh_token?: string;
    token_type?: string;
    expires_in?: number;
    scope?: string;
    error?: string;
    error_description?: string;
  };
  headers: Headers;
}

export async function tokenRequest(baseUrl: string, client: RegisteredClient, params: Record<string, string>): Promise<TokenResponse> {
  const form = new URLSearchParams({ client_id: client.client_id, ...params });
  if (client.client_secret && client.token_endpoint_auth_method === 'client_secret_post') form.set('client_secret', client.client_secret);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.client_secret && client.token_endpoint_auth_method === 'client_secret_basic') {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
  }
  const res = await fetch(`${baseUrl}/token`, { method: 'POST', headers, body: form });
  return { status: res.status, body: (await res.json()) as TokenResponse['body'], headers: res.headers };
}

export function exchangeCode(
  baseUrl: string,
  client: RegisteredClient,
  p: { code: string; verifier?: string; redirectUri?: string; resource?: string | null },
): Promise<TokenResponse> {
  const params: Record<string, string> = {
    grant_type: 'authorization_code',
    code: p.code,
    redirect_uri: p.redirectUri ?? client.redirect_uris[0]!,
  };
  if (p.verifier !== undefined) params.code_verifier = p.verifier;
  if (p.resource !== null) params.resource = p.resource ?? `${baseUrl}/mcp`;
  return tokenRequest(baseUrl, client, params);
}

export function refreshTokens(
  baseUrl: string,
  client: RegisteredClient,
  refreshToken: string,
  extra: Record<string, string> = {},
): Promise<TokenResponse> {
  return tokenRequest(baseUrl, client, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });
}

// ---------------------------------------------------------------- all in one

export interface TokenSet {
  access_token: string;
  refresh_token: string;
  scope: string;
  expires_in: number;
  client: RegisteredClient;
}

/**
 * A real access token (and refresh token) for the person with `email`: registers a public client,
 * signs in with the development sign-in, consents and, when asked, links Intervals.icu (default:
 * an API-key link written to the store; pass `link` to do it differently).
 */
export async function getTokens(
  svc: OAuthService,
  opts: { email: string; scope?: string; link?: PersonOptions['link']; client?: RegisteredClient; toolsets?: readonly string[] },
): Promise<TokenSet> {
  const client = opts.client ?? (await registerClient(svc.url));
  const { verifier, challenge } = pkce();
  const callback = await authorizeOverHttp(authorizationUrl(svc.url, { client, challenge, scope: opts.scope ?? 'intervals:read' }), {
    email: opts.email,
    link: opts.link ?? linkIntervals(svc),
    ...(opts.toolsets ? { toolsets: opts.toolsets } : {}),
  });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in ${callback.href}`);
  const res = await exchangeCode(svc.url, client, { code, verifier });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...(res.body as unknown as Omit<TokenSet, 'client'>), client };
}

/**
 * One authorization request walked over HTTP: registers a client unless given one, uses `jar` (pass
 * the same jar to stay signed in and keep remembered consent), returns the callback URL and the
 * PKCE verifier for the token request.
 */
export async function authorize(
  svc: OAuthService,
  opts: Partial<AuthorizeParams> & { email?: string; jar?: CookieJar; decision?: 'allow' | 'deny'; onStep?: (path: string) => void } = {},
): Promise<{ client: RegisteredClient; verifier: string; callback: URL; code: string | null }> {
  const client = (opts.client as RegisteredClient | undefined) ?? (await registerClient(svc.url));
  const { verifier, challenge } = pkce();
  const url = authorizationUrl(svc.url, { challenge, scope: 'intervals:read', ...opts, client });
  const callback = await authorizeOverHttp(
    url,
    { email: opts.email ?? 'person@example.com', decision: opts.decision, link: linkIntervals(svc), onStep: opts.onStep },
    opts.jar,
  );
  return { client, verifier, callback, code: callback.searchParams.get('code') };
}
